//! Waiting for other processes and being stopped, with real processes: the `comon` binary
//! waits for the SQLite write lock another connection holds (and says so, once, with a limit),
//! upgrades a comon_orm history table once however many start together, cancels a migration
//! statement that waits past `lock_timeout` or runs past `statement_timeout`, never cuts its own
//! migration-lock wait short with them, and on SIGINT/SIGTERM cancels the running statement on
//! the server, rolls back, releases its locks and exits 130/143.

mod support;

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use support::{eventually, Project, Provider, Run, TemporaryDatabase, COMON, USERS};

const WITH_BIO: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  bio   String?\n}\n";
const SQLITE_WRITE_LOCK_NOTICE: &str =
    "Waiting for the database write lock held by another process...";
const MIGRATION_LOCK_NOTICE: &str =
    "Waiting for another comon command to release the migration lock...";
/// comon's advisory lock key (`comon_or` as a big-endian integer).
const MIGRATION_LOCK_KEY: i64 = 0x636f_6d6f_6e5f_6f72;
/// The folder of a migration that runs until it is cancelled, timed out or interrupted.
const SLOW_MIGRATION: &str = "29990101000000_slow";
/// Far longer than any of these commands takes when it works: only a hanging command reaches it.
const HANG_LIMIT: Duration = Duration::from_secs(90);

/// A running `comon` whose stdout is read line by line as it comes.
struct Watched {
    child: Child,
    lines: Receiver<String>,
    stdout: Arc<Mutex<String>>,
    stdout_reader: JoinHandle<()>,
    stderr_reader: JoinHandle<String>,
}

fn spawn_watched(
    project: &Project,
    url: &str,
    environment: &[(&str, &str)],
    arguments: &[&str],
) -> Watched {
    let mut command = Command::new(COMON);
    command
        .current_dir(project.path())
        .args(arguments)
        .env("DATABASE_URL", url)
        .env_remove("COMON_LOCK_TIMEOUT")
        .env_remove("COMON_STATEMENT_TIMEOUT")
        .env_remove("COMON_LOCK_WAIT_TIMEOUT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in environment {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the comon binary starts");
    let stdout_stream = child.stdout.take().expect("piped stdout");
    let mut stderr_stream = child.stderr.take().expect("piped stderr");
    let (sender, lines) = channel();
    let stdout = Arc::new(Mutex::new(String::new()));
    let collected = stdout.clone();
    let stdout_reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout_stream).lines() {
            let Ok(line) = line else { break };
            collected
                .lock()
                .expect("stdout text")
                .push_str(&format!("{line}\n"));
            let _ = sender.send(line);
        }
    });
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr_stream, &mut text);
        text
    });
    Watched {
        child,
        lines,
        stdout,
        stdout_reader,
        stderr_reader,
    }
}

impl Watched {
    /// Whether a line containing `needle` appeared before the process closed its stdout.
    fn saw_line(&self, needle: &str) -> bool {
        let deadline = Instant::now() + HANG_LIMIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn finish(mut self) -> Run {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
                break status;
            }
            if started.elapsed() > HANG_LIMIT {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "comon still ran after {HANG_LIMIT:?} and was killed\nstdout:\n{}",
                    self.stdout.lock().expect("stdout")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let _ = self.stdout_reader.join();
        let stderr = self.stderr_reader.join().unwrap_or_default();
        let stdout = self.stdout.lock().expect("stdout").clone();
        Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        }
    }
}

fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid}");
}

fn write_folder(project: &Project, name: &str, sql: &str, after_models: &str) {
    let schema = project.schema_text(after_models);
    project.write(&format!("prisma/migrations/{name}/migration.sql"), sql);
    project.write(&format!("prisma/migrations/{name}/before.prisma"), &schema);
    project.write(&format!("prisma/migrations/{name}/after.prisma"), &schema);
}

fn history_count(database: &TemporaryDatabase, name: &str) -> u64 {
    database.count(&format!(
        "SELECT COUNT(*) FROM \"_comon_orm_migrations\" WHERE name = '{name}'"
    ))
}

// ----- #17: the SQLite write lock -----

/// A connection in a write transaction on `target`, which holds the write lock until it rolls back.
fn hold_the_sqlite_write_lock(target: &TemporaryDatabase) -> comon_database::Database {
    let mut holder = target.open();
    holder
        .execute_batch("BEGIN IMMEDIATE; CREATE TABLE held (id INTEGER)")
        .expect("the test holds the write lock");
    holder
}

#[test]
fn a_sqlite_deploy_waits_for_the_write_lock_says_so_once_and_then_applies() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS);
    let target = TemporaryDatabase::new(Provider::Sqlite);
    let mut holder = hold_the_sqlite_write_lock(&target);
    let deploy = spawn_watched(&project, &target.url(), &[], &["migrate", "deploy"]);
    let waited = deploy.saw_line(SQLITE_WRITE_LOCK_NOTICE);
    holder
        .execute_batch("ROLLBACK")
        .expect("the lock is released");
    let run = deploy.finish();
    assert!(waited, "the deploy said it waits\n{run:?}");
    run.expect(0, &["All migrations have been successfully applied."]);
    assert_eq!(
        run.stdout.matches(SQLITE_WRITE_LOCK_NOTICE).count(),
        1,
        "said once\n{run:?}"
    );
    assert_eq!(
        target.count("SELECT COUNT(*) FROM \"_comon_orm_migrations\""),
        1
    );
}

#[test]
fn the_sqlite_write_lock_wait_has_a_configurable_limit() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS);
    let target = TemporaryDatabase::new(Provider::Sqlite);
    let mut holder = hold_the_sqlite_write_lock(&target);
    for (environment, arguments) in [
        (
            vec![],
            vec!["migrate", "deploy", "--lock-wait-timeout", "1s"],
        ),
        (
            vec![("COMON_LOCK_WAIT_TIMEOUT", "1500ms")],
            vec!["migrate", "deploy"],
        ),
    ] {
        let run = spawn_watched(&project, &target.url(), &environment, &arguments).finish();
        run.expect(
            1,
            &[
                SQLITE_WRITE_LOCK_NOTICE,
                "error[lock-wait-timeout]",
                "waiting for the database write lock held by another process",
                "--lock-wait-timeout",
            ],
        );
    }
    holder
        .execute_batch("ROLLBACK")
        .expect("the lock is released");
    assert_eq!(
        target.count("SELECT COUNT(*) FROM sqlite_master WHERE name = '_comon_orm_migrations'"),
        0,
        "nothing was applied"
    );
    project
        .comon_with_url(
            &target.url(),
            &["migrate", "deploy", "--lock-wait-timeout", "nonsense"],
        )
        .expect(64, &["--lock-wait-timeout"]);
}

#[test]
fn concurrent_commands_upgrade_an_old_comon_orm_history_table_once_on_sqlite() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS);
    let target = TemporaryDatabase::new(Provider::Sqlite);
    // An early comon_orm layout: `name` as the key, without the later columns.
    target.execute("CREATE TABLE \"_comon_orm_migrations\" (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL, statement_count INTEGER NOT NULL)");
    let mut holder = hold_the_sqlite_write_lock(&target);
    // Every runner starts while the lock is held, so all of them are waiting when it is released.
    let runners: Vec<Watched> = (0..6)
        .map(|_| spawn_watched(&project, &target.url(), &[], &["migrate", "deploy"]))
        .collect();
    let all_waited = runners
        .iter()
        .all(|runner| runner.saw_line(SQLITE_WRITE_LOCK_NOTICE));
    holder
        .execute_batch("ROLLBACK")
        .expect("the lock is released");
    let runs: Vec<Run> = runners.into_iter().map(Watched::finish).collect();
    assert!(all_waited, "every runner waited for the lock\n{runs:#?}");
    for run in &runs {
        run.expect(0, &[]);
    }
    let applied: usize = runs
        .iter()
        .map(|run| run.stdout.matches("Applying migration `").count())
        .sum();
    assert_eq!(applied, 1, "one runner applied the migration\n{runs:#?}");
    assert_eq!(target.count("SELECT COUNT(*) FROM pragma_table_info('_comon_orm_migrations') WHERE name IN ('id', 'warnings', 'state')"), 3);
    assert_eq!(
        target.count("SELECT COUNT(*) FROM \"_comon_orm_migrations\""),
        1
    );
    project.expect_no_status_issues_at(&target.url());
}

// ----- #18: lock_timeout, statement_timeout, and the migration lock wait on PostgreSQL -----

#[test]
fn a_migration_waiting_for_a_table_lock_is_cancelled_after_lock_timeout_on_postgresql() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS);
    project.write_schema(WITH_BIO);
    project
        .comon(&["migrate", "dev", "--name", "bio", "--create-only"])
        .expect(0, &[]);
    let bio = project.migration("bio");
    let mut holder = project.database.open();
    holder
        .execute_batch("BEGIN; LOCK TABLE \"User\" IN ACCESS SHARE MODE")
        .expect("the test holds a lock on User");
    let url = project.database.url();
    for (environment, arguments) in [
        (vec![], vec!["migrate", "deploy", "--lock-timeout", "1s"]),
        (
            vec![("COMON_LOCK_TIMEOUT", "1s")],
            vec!["migrate", "deploy"],
        ),
    ] {
        let run = spawn_watched(&project, &url, &environment, &arguments).finish();
        run.expect(
            1,
            &[
                "error[lock-timeout]",
                "Statement 1 of the migration waited more than 1 s (lock_timeout)",
                "ALTER TABLE \"User\" ADD COLUMN \"bio\" TEXT",
                "--lock-timeout",
            ],
        );
        assert_eq!(
            history_count(&project.database, &bio),
            0,
            "the migration is not recorded"
        );
    }
    holder
        .execute_batch("ROLLBACK")
        .expect("the lock is released");
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &[&format!("Applying migration `{bio}`")]);
}

#[test]
fn a_migration_statement_is_cancelled_after_statement_timeout_on_postgresql() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS);
    write_folder(&project, SLOW_MIGRATION, "SELECT pg_sleep(30);\n", USERS);
    let run = spawn_watched(
        &project,
        &project.database.url(),
        &[],
        &["migrate", "deploy", "--statement-timeout", "1s"],
    )
    .finish();
    run.expect(
        1,
        &[
            "error[statement-timeout]",
            "Statement 1 of the migration ran longer than 1 s (statement_timeout)",
            "SELECT pg_sleep(30)",
        ],
    );
    assert_eq!(history_count(&project.database, SLOW_MIGRATION), 0);
}

#[test]
fn the_migration_lock_wait_is_not_cut_by_the_statement_timeouts_but_has_its_own_limit_on_postgresql(
) {
    let project = Project::with_init_migration(Provider::Postgresql, USERS);
    let target = TemporaryDatabase::new(Provider::Postgresql);
    let mut holder = target.open();
    holder
        .query_rows(&format!(
            "SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})::text"
        ))
        .expect("the test holds comon's lock");

    let limited = spawn_watched(
        &project,
        &target.url(),
        &[],
        &["migrate", "deploy", "--lock-wait-timeout", "1s"],
    )
    .finish();
    limited.expect(
        1,
        &[
            MIGRATION_LOCK_NOTICE,
            "error[lock-wait-timeout]",
            "Gave up after 1 s waiting for the migration lock held by another process.",
        ],
    );

    let deploy = spawn_watched(
        &project,
        &target.url(),
        &[],
        &[
            "migrate",
            "deploy",
            "--lock-timeout",
            "500ms",
            "--statement-timeout",
            "500ms",
        ],
    );
    let waited = deploy.saw_line(MIGRATION_LOCK_NOTICE);
    // Held well past both timeouts: the wait must not end because of them.
    std::thread::sleep(Duration::from_secs(2));
    holder
        .query_rows(&format!(
            "SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})::text"
        ))
        .expect("the lock is released");
    let run = deploy.finish();
    assert!(waited, "{run:?}");
    run.expect(0, &["All migrations have been successfully applied."]);
    assert_eq!(
        target.count("SELECT COUNT(*) FROM \"_comon_orm_migrations\""),
        1
    );
}

// ----- #18: SIGINT and SIGTERM -----

/// Backends of `database` other than the test's own that hold a lock or run `pg_sleep`.
fn lingering_backends(database: &TemporaryDatabase) -> u64 {
    let name = database.postgres_name();
    database.count(&format!(
        "SELECT COUNT(*) FROM pg_stat_activity a WHERE a.datname = '{name}' AND a.pid <> pg_backend_pid() \
         AND (a.query LIKE '%pg_sleep(600)%' OR EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid))"
    ))
}

/// A project migrated once, and a deploy (started, not waited for) of a next migration `sql`.
fn deploy_a_slow_migration(provider: Provider, sql: &str) -> (Project, Watched) {
    let project = Project::with_init_migration(provider, USERS);
    write_folder(&project, SLOW_MIGRATION, sql, USERS);
    let deploy = spawn_watched(
        &project,
        &project.database.url(),
        &[],
        &["migrate", "deploy"],
    );
    (project, deploy)
}

fn signal_during_a_postgresql_migration(signal: &str, exit_code: i32, name: &str) {
    let (project, deploy) = deploy_a_slow_migration(
        Provider::Postgresql,
        "LOCK TABLE \"User\" IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(600);\n",
    );
    let database_name = project.database.postgres_name();
    let sleeping = eventually(HANG_LIMIT, || {
        project.database.count(&format!(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{database_name}' AND state = 'active' AND query LIKE 'SELECT pg_sleep(600)%'"
        )) == 1
    });
    send_signal(deploy.pid(), signal);
    let run = deploy.finish();
    assert!(sleeping, "the migration's statement was running\n{run:?}");
    // Cancelled on the server, not only abandoned by the client: the backend lets go of its
    // locks at once instead of sleeping its ten minutes out.
    let released = eventually(Duration::from_secs(20), || {
        lingering_backends(&project.database) == 0
    });
    assert!(
        released,
        "a backend still holds locks or sleeps after the command ended\n{run:?}"
    );
    run.expect(
        exit_code,
        &[&format!(
            "error[interrupted]: Interrupted by {name}: the running statement was cancelled"
        )],
    );
    assert_eq!(
        history_count(&project.database, SLOW_MIGRATION),
        0,
        "the interrupted migration is not recorded"
    );
    project.comon(&["migrate", "status"]).expect(
        1,
        &[&format!(
            "local-migration-not-applied | Local migration {SLOW_MIGRATION}"
        )],
    );
}

#[test]
fn sigint_cancels_the_running_postgresql_statement_rolls_back_and_exits_130() {
    signal_during_a_postgresql_migration("INT", 130, "SIGINT");
}

#[test]
fn sigterm_cancels_the_running_postgresql_statement_rolls_back_and_exits_143() {
    signal_during_a_postgresql_migration("TERM", 143, "SIGTERM");
}

fn signal_during_a_sqlite_migration(signal: &str, exit_code: i32, name: &str) {
    // A statement that never ends by itself.
    let (project, deploy) = deploy_a_slow_migration(
        Provider::Sqlite,
        "CREATE TABLE \"Slow\" (\"id\" INTEGER);\nWITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter) SELECT COUNT(*) FROM counter;\n",
    );
    // Printed once the database is open; whether the endless statement has started when the
    // signal arrives or not, it must not run to completion and nothing of it may stay.
    let started = deploy.saw_line("migrations found in");
    std::thread::sleep(Duration::from_millis(300));
    send_signal(deploy.pid(), signal);
    let run = deploy.finish();
    assert!(started, "{run:?}");
    run.expect(
        exit_code,
        &[&format!("error[interrupted]: Interrupted by {name}")],
    );
    assert_eq!(
        history_count(&project.database, SLOW_MIGRATION),
        0,
        "the interrupted migration is not recorded"
    );
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'Slow'"),
        0,
        "rolled back"
    );
    let options = comon_database::ConnectionOptions {
        lock_wait_timeout: Duration::from_secs(5),
        ..Default::default()
    };
    let url = comon_database::DatabaseUrl::parse(&project.database.url()).expect("a URL");
    let mut database = comon_database::Database::open_with_options(&url, &options).expect("opens");
    database
        .execute_batch("BEGIN IMMEDIATE; ROLLBACK")
        .expect("the write lock is free");
    assert_eq!(
        database
            .query_rows("PRAGMA integrity_check")
            .expect("check"),
        vec![vec![Some("ok".to_string())]]
    );
}

#[test]
fn sigint_interrupts_the_running_sqlite_statement_rolls_back_and_exits_130() {
    signal_during_a_sqlite_migration("INT", 130, "SIGINT");
}

#[test]
fn sigterm_interrupts_the_running_sqlite_statement_rolls_back_and_exits_143() {
    signal_during_a_sqlite_migration("TERM", 143, "SIGTERM");
}
