//! Online DDL on a busy PostgreSQL table, measured: a second connection reads and inserts in a
//! loop while a migration runs, and the longest any of its queries waited is compared with a
//! bound. The online plan (an index built CONCURRENTLY, a foreign key added NOT VALID and then
//! validated) must stay under the bound; the blocking form of the same index (a plain
//! CREATE INDEX in a transaction that something keeps open) must make the loop wait longer
//! than it. Then the lock retries: a migration that meets a lock held by another transaction is
//! cancelled by `lock_timeout`, waits, says so, and goes through once the lock is free, both
//! in its transactional part and in its online phase.
//!
//! The figures are in RELIABILITY.md ("Online DDL under load").

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use comon_database::{ConnectionOptions, Database, DatabaseUrl, LockRetries, LockRetryNotice};
use planner::{database_schema_from_source, plan_migration, DatabaseSchema, DiffOptions};
use tests::TemporaryPostgresDatabase;

/// The longest a query of the workload may wait while an online step runs.
const WAIT_BOUND: Duration = Duration::from_millis(300);
/// How long the blocking form keeps its transaction open after its CREATE INDEX.
const BLOCKING_HOLD: Duration = Duration::from_millis(1500);
const ROWS: u32 = 100_000;

fn schema(models: &str) -> DatabaseSchema {
    database_schema_from_source(&format!(
        "datasource db {{\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}}\n\n{models}"
    ))
    .expect("valid schema")
}

const PREVIOUS: &str = "model Owner {\n  id Int @id\n}\n\nmodel Item {\n  id      Int    @id\n  ownerId Int\n  label   String\n}\n";
const NEXT: &str = "model Owner {\n  id    Int    @id\n  items Item[]\n}\n\nmodel Item {\n  id      Int    @id\n  ownerId Int\n  label   String\n  owner   Owner  @relation(fields: [ownerId], references: [id])\n\n  @@index([label])\n}\n";

/// A database at `PREVIOUS` with `rows` items.
fn populated(rows: u32) -> TemporaryPostgresDatabase {
    let temporary = TemporaryPostgresDatabase::new();
    let mut database = temporary.open();
    let creation = plan_migration(
        &DatabaseSchema::empty(planner::Provider::Postgresql),
        &schema(PREVIOUS),
        &DiffOptions::default(),
    )
    .expect("plan");
    database.apply_plan(&creation).expect("previous is built");
    database
        .execute_batch(&format!(
            "INSERT INTO \"Owner\" SELECT generate_series(1, 100); \
             INSERT INTO \"Item\" SELECT n, 1 + n % 100, 'label ' || (n % 997) FROM generate_series(1, {rows}) AS n; \
             ANALYZE \"Item\";"
        ))
        .expect("rows");
    temporary
}

/// What the workload saw: how many queries ran and the longest one.
#[derive(Debug)]
struct Workload {
    queries: u32,
    longest: Duration,
}

/// Runs `change` while a second connection reads and inserts in a loop; the loop starts before
/// the change and stops a little after it.
fn under_load(url: &str, change: impl FnOnce()) -> Workload {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicBool::new(false));
    let loop_stop = Arc::clone(&stop);
    let loop_started = Arc::clone(&started);
    let url = url.to_string();
    let workload = std::thread::spawn(move || {
        // Whatever happens, the caller stops waiting for the loop to start.
        struct Started(Arc<AtomicBool>);
        impl Drop for Started {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let _started_on_exit = Started(Arc::clone(&loop_started));
        let mut connection = Database::open(&url).expect("the workload's connection");
        let first_new_id = connection
            .query_rows("SELECT (max(id) + 1)::text FROM \"Item\"")
            .expect("the next id")[0][0]
            .clone()
            .expect("a number")
            .parse::<u32>()
            .expect("a number");
        let mut next_id = first_new_id;
        let mut queries = 0u32;
        let mut longest = Duration::ZERO;
        while !loop_stop.load(Ordering::SeqCst) {
            for sql in [
                format!(
                    "SELECT label FROM \"Item\" WHERE id = {}",
                    next_id % ROWS + 1
                ),
                format!(
                    "INSERT INTO \"Item\" VALUES ({next_id}, {}, 'new {next_id}')",
                    1 + next_id % 100
                ),
            ] {
                let began = Instant::now();
                connection.query_rows(&sql).expect("the workload's query");
                longest = longest.max(began.elapsed());
                queries += 1;
            }
            next_id += 1;
            loop_started.store(true, Ordering::SeqCst);
        }
        Workload { queries, longest }
    });
    while !started.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        !workload.is_finished(),
        "the workload stopped before the change"
    );
    std::thread::sleep(Duration::from_millis(100));
    change();
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::SeqCst);
    workload.join().expect("the workload ends")
}

fn valid_indexes(database: &mut Database, name: &str) -> Vec<Vec<Option<String>>> {
    database
        .query_rows(&format!(
            "SELECT index_row.indisvalid::text FROM pg_index index_row JOIN pg_class class ON class.oid = index_row.indexrelid WHERE class.relname = '{name}'"
        ))
        .expect("pg_index")
}

#[test]
fn online_steps_let_reads_and_writes_go_on_while_the_blocking_form_makes_them_wait() {
    let temporary = populated(ROWS);
    let mut migrating = temporary.open();
    let plan =
        plan_migration(&schema(PREVIOUS), &schema(NEXT), &DiffOptions::default()).expect("plan");
    let rendered = planner::render_plan(&plan);
    assert!(
        rendered
            .sql
            .contains("CREATE INDEX CONCURRENTLY \"Item_label_idx\"")
            && rendered.sql.contains("NOT VALID")
            && rendered
                .sql
                .contains("VALIDATE CONSTRAINT \"Item_ownerId_fkey\""),
        "{}",
        rendered.sql
    );
    let mut migration_time = Duration::ZERO;
    let online = under_load(temporary.url(), || {
        let began = Instant::now();
        migrating
            .apply_plan(&plan)
            .expect("the online plan applies");
        migration_time = began.elapsed();
    });
    println!(
        "online: migration {migration_time:?}; workload {} queries, longest {:?}",
        online.queries, online.longest
    );
    assert_eq!(
        valid_indexes(&mut migrating, "Item_label_idx"),
        [[Some("true".to_string())]]
    );
    assert!(
        online.queries > 20,
        "the workload ran during the migration: {online:?}"
    );
    assert!(
        online.longest < WAIT_BOUND,
        "no query of the workload waits {WAIT_BOUND:?} or more while the online steps run: {online:?}"
    );

    // The blocking form: a plain CREATE INDEX takes a SHARE lock, which the inserts wait for
    // until its transaction ends.
    let mut blocking = temporary.open();
    let blocked = under_load(temporary.url(), || {
        blocking
            .execute_batch(&format!(
                "BEGIN; CREATE INDEX \"Item_label_blocking_idx\" ON \"Item\" (\"label\"); SELECT pg_sleep({}); COMMIT;",
                BLOCKING_HOLD.as_secs_f64()
            ))
            .expect("the blocking form runs");
    });
    println!(
        "blocking: workload {} queries, longest {:?}",
        blocked.queries, blocked.longest
    );
    assert!(
        blocked.longest >= BLOCKING_HOLD - Duration::from_millis(200),
        "the blocking form makes the workload wait about as long as it holds its lock: {blocked:?}"
    );
    assert!(blocked.longest > WAIT_BOUND, "{blocked:?}");
}

/// A connection whose `lock_timeout` is short and whose retries are quick, recording every
/// waiting line.
fn impatient(url: &str) -> (Database, Arc<Mutex<Vec<LockRetryNotice>>>) {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&notices);
    let options = ConnectionOptions {
        lock_timeout: Duration::from_millis(200),
        lock_retries: LockRetries {
            retries: 6,
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(400),
        },
        on_lock_retry: Some(Arc::new(move |notice: &LockRetryNotice| {
            recorded.lock().expect("notices").push(notice.clone())
        })),
        ..ConnectionOptions::default()
    };
    let url = DatabaseUrl::parse(url).expect("url");
    (
        Database::open_with_options(&url, &options).expect("database"),
        notices,
    )
}

/// Holds `lock_sql` in a transaction of another connection for `hold`, from now on.
fn hold_lock(url: &str, lock_sql: &str, hold: Duration) -> std::thread::JoinHandle<()> {
    let mut holder = Database::open(url).expect("the holder's connection");
    holder
        .execute_batch(&format!("BEGIN; {lock_sql}"))
        .expect("the lock is taken");
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        holder
            .execute_batch("COMMIT")
            .expect("the lock is given back");
    })
}

#[test]
fn a_migration_cancelled_by_lock_timeout_waits_says_so_and_goes_through() {
    let temporary = populated(2_000);
    let plan =
        plan_migration(&schema(PREVIOUS), &schema(NEXT), &DiffOptions::default()).expect("plan");

    // The transactional part (ADD CONSTRAINT ... NOT VALID takes SHARE ROW EXCLUSIVE) meets an
    // open transaction that writes to the table: rolled back, retried from its start.
    let (mut database, notices) = impatient(temporary.url());
    let holder = hold_lock(
        temporary.url(),
        "LOCK TABLE \"Item\" IN ROW EXCLUSIVE MODE",
        Duration::from_millis(700),
    );
    database
        .apply_plan(&plan)
        .expect("the plan goes through once the lock is free");
    holder.join().expect("holder");
    let seen = notices.lock().expect("notices").clone();
    println!("transactional part: {} waiting lines", seen.len());
    assert!(!seen.is_empty(), "a waiting line was given");
    assert!(
        seen.iter()
            .all(|notice| notice.what == "the migration's transaction"),
        "{seen:?}"
    );
    assert!(seen[0]
        .to_string()
        .starts_with("Waiting for a lock another connection holds: the migration's transaction could not get it within 200 ms (lock_timeout); retry 1 of 6 in 100 ms."));
    assert_eq!(
        valid_indexes(&mut database, "Item_label_idx"),
        [[Some("true".to_string())]]
    );

    // The online phase: a migration of only the index, whose concurrent build (it needs SHARE
    // UPDATE EXCLUSIVE) meets a SHARE lock, runs again on its own.
    let again = populated(2_000);
    let index_only = NEXT.replace("  items Item[]\n", "").replace(
        "  owner   Owner  @relation(fields: [ownerId], references: [id])\n",
        "",
    );
    let plan = plan_migration(
        &schema(PREVIOUS),
        &schema(&index_only),
        &DiffOptions::default(),
    )
    .expect("plan");
    assert_eq!(planner::render_plan(&plan).after_commit_from, Some(0));
    let (mut database, notices) = impatient(again.url());
    let holder = hold_lock(
        again.url(),
        "LOCK TABLE \"Item\" IN SHARE MODE",
        Duration::from_millis(700),
    );
    database
        .apply_plan(&plan)
        .expect("the index is built once the lock is free");
    holder.join().expect("holder");
    let seen = notices.lock().expect("notices").clone();
    println!("online phase: {} waiting lines", seen.len());
    assert!(!seen.is_empty(), "a waiting line was given");
    assert!(
        seen.iter().all(|notice| notice.what
            == "CREATE INDEX CONCURRENTLY \"Item_label_idx\" ON \"Item\" (\"label\")"),
        "{seen:?}"
    );
    assert_eq!(
        valid_indexes(&mut database, "Item_label_idx"),
        [[Some("true".to_string())]]
    );
}
