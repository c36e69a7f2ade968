//! The contract every `MigrationBackend` keeps, run against both: a SQLite file in a temporary
//! folder and a PostgreSQL database the test creates and drops. The migration lock excludes a
//! second connection until it is given back; a history row comes back exactly as written,
//! whatever its text holds and whatever the order of the table's columns; a failed
//! migration's state and message are read back; cleaning up after an interrupt leaves nothing
//! open.

use comon_database::{ConnectionOptions, Database, DatabaseUrl};
use comon_driver::backend::{backend_for, MigrationBackend};
use planner::migrations::{HistoryKind, HistoryRow, HistoryState, HISTORY_TABLE_NAME};
use planner::Provider;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tests::{test_on_each_provider, TemporaryDatabase};

/// A backend on `url`. A broken lock fails the test after 30 s instead of hanging it.
fn open_backend(url: &str) -> Box<dyn MigrationBackend> {
    let options = ConnectionOptions {
        lock_wait_timeout: Duration::from_secs(30),
        ..ConnectionOptions::default()
    };
    let url = DatabaseUrl::parse(url).expect("url");
    backend_for(Database::open_with_options(&url, &options).expect("database"))
}

/// Takes the lock on `url` on a thread of its own, and reports there when the wait starts and
/// when the lock is taken.
fn lock_on_another_connection(
    url: String,
) -> (
    mpsc::Receiver<&'static str>,
    Arc<AtomicBool>,
    std::thread::JoinHandle<()>,
) {
    let (sender, receiver) = mpsc::channel();
    let locked = Arc::new(AtomicBool::new(false));
    let locked_in_thread = locked.clone();
    let thread = std::thread::spawn(move || {
        let mut second = open_backend(&url);
        let waiting = sender.clone();
        second
            .lock(&mut || {
                let _ = waiting.send("waiting");
            })
            .expect("the second connection takes the lock");
        locked_in_thread.store(true, Ordering::SeqCst);
        let _ = sender.send("locked");
        second.unlock().expect("the second connection unlocks");
    });
    (receiver, locked, thread)
}

fn a_held_lock_makes_a_second_connection_wait_until_it_is_released(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    let mut first = open_backend(&database.url());
    let mut first_waited = false;
    first.lock(&mut || first_waited = true).expect("lock");
    assert!(!first_waited, "nobody else held the lock");

    let (events, locked, thread) = lock_on_another_connection(database.url());
    assert_eq!(
        events.recv_timeout(Duration::from_secs(20)),
        Ok("waiting"),
        "the second connection says it waits"
    );
    // It keeps waiting while the lock is held.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !locked.load(Ordering::SeqCst),
        "the second connection took a held lock"
    );
    first.unlock().expect("unlock");
    assert_eq!(
        events.recv_timeout(Duration::from_secs(20)),
        Ok("locked"),
        "the second connection takes the lock once it is released"
    );
    thread.join().expect("the second connection's thread");
}

test_on_each_provider!(
    a_held_lock_makes_a_second_connection_wait_until_it_is_released,
    sqlite: a_held_lock_makes_a_second_connection_wait_on_sqlite,
    postgresql: a_held_lock_makes_a_second_connection_wait_on_postgresql,
);

fn a_released_lock_is_taken_at_once_by_a_second_connection(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    let mut first = open_backend(&database.url());
    first.lock(&mut || {}).expect("lock");
    // Taking it again while holding it does not wait, and one unlock gives it back.
    first
        .lock(&mut || panic!("the holder waited for its own lock"))
        .expect("lock again");
    first.unlock().expect("unlock");
    let mut second = open_backend(&database.url());
    let mut second_waited = false;
    second
        .lock(&mut || second_waited = true)
        .expect("the second connection takes the lock");
    assert!(!second_waited, "the released lock was taken without a wait");
    second.unlock().expect("unlock");
}

test_on_each_provider!(
    a_released_lock_is_taken_at_once_by_a_second_connection,
    sqlite: a_released_lock_is_taken_at_once_on_sqlite,
    postgresql: a_released_lock_is_taken_at_once_on_postgresql,
);

/// Text that breaks any quoting done by hand: quotes of both kinds, backslashes, dollar
/// quoting, line breaks and tabs, characters outside ASCII, and a megabyte of it.
fn hostile_text() -> String {
    let sample = "model \"Quote\" { note String @default(\"it's\") } -- '' \\ \\\\ \\' $$ $tag$ $1 ?1 \r\n\ttab é 日本語 🦀 \u{2028} end\n";
    let mut text = String::with_capacity(1_100_000);
    while text.len() < 1_000_000 {
        text.push_str(sample);
    }
    text
}

fn row(name: &str, schema_text: &str) -> HistoryRow {
    HistoryRow {
        id: None,
        name: name.to_string(),
        applied_at: String::new(),
        statement_count: 3,
        kind: HistoryKind::Apply,
        target_name: Some("it's \\ $$ target".to_string()),
        provider: Some("postgresql".to_string()),
        checksum: Some("a".repeat(64)),
        before_schema: Some(schema_text.to_string()),
        after_schema: Some(format!("{schema_text}\nafter")),
        warnings: vec![
            "a warning with 'quotes' and \"doubles\"".to_string(),
            "a second one; with $$".to_string(),
        ],
        rebuild_required: true,
        state: HistoryState::Finished,
        failure_message: None,
    }
}

/// What the database adds to a row: its id and time. Everything else must come back as written.
fn without_database_values(mut row: HistoryRow) -> HistoryRow {
    assert!(row.id.is_some(), "the row has an id: {:?}", row.name);
    assert!(
        row.applied_at.starts_with("20") && row.applied_at.ends_with('Z'),
        "applied_at is a UTC time: {:?}",
        row.applied_at
    );
    row.id = None;
    row.applied_at = String::new();
    row
}

fn a_history_row_with_hostile_text_round_trips_exactly(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    let mut backend = open_backend(&database.url());
    backend.ensure_history_table().expect("history table");
    let text = hostile_text();
    let written = row("20261203080000_it's_\"hostile\"", &text);
    let id = backend.insert_history_row(&written).expect("insert");
    let plain = HistoryRow {
        rebuild_required: false,
        warnings: Vec::new(),
        target_name: None,
        ..row("20261203080001_plain", "model A { id Int @id }")
    };
    let second_id = backend.insert_history_row(&plain).expect("insert");
    assert!(second_id > id, "ids grow: {id}, {second_id}");
    let history = backend.load_history().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].id, Some(id));
    let read = history
        .into_iter()
        .map(without_database_values)
        .collect::<Vec<_>>();
    assert!(
        read[0] == written,
        "the hostile row differs after a round trip"
    );
    assert_eq!(read[1], plain);
    // The text is stored as text, byte for byte, not only read back the same way.
    let stored_length = database.column(&format!(
        "SELECT CAST(LENGTH(before_schema) AS TEXT) FROM \"{HISTORY_TABLE_NAME}\" WHERE id = {id}"
    ));
    assert_eq!(stored_length, vec![Some(text.chars().count().to_string())]);
}

test_on_each_provider!(
    a_history_row_with_hostile_text_round_trips_exactly,
    sqlite: a_history_row_with_hostile_text_round_trips_on_sqlite,
    postgresql: a_history_row_with_hostile_text_round_trips_on_postgresql,
);

/// The current layout's columns, last first.
fn reordered_history_table_sql(provider: Provider) -> String {
    let (id, timestamp, boolean) = match provider {
        Provider::Postgresql => (
            "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "TIMESTAMPTZ NOT NULL",
            "BOOLEAN NOT NULL DEFAULT FALSE",
        ),
        Provider::Sqlite => (
            "id INTEGER PRIMARY KEY",
            "TEXT NOT NULL",
            "INTEGER NOT NULL DEFAULT 0",
        ),
    };
    format!(
        "CREATE TABLE \"{HISTORY_TABLE_NAME}\" (failure_message TEXT, state TEXT NOT NULL DEFAULT 'finished', rebuild_required {boolean}, warnings TEXT, after_schema TEXT, before_schema TEXT, checksum TEXT, provider TEXT, target_name TEXT, kind TEXT NOT NULL DEFAULT 'apply', statement_count INTEGER NOT NULL, applied_at {timestamp}, name TEXT NOT NULL, {id})"
    )
}

fn a_history_table_with_its_columns_in_another_order_reads_correctly(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    database.execute(&reordered_history_table_sql(provider));
    let mut backend = open_backend(&database.url());
    backend.ensure_history_table().expect("history table");
    let written = row("20261203080000_reordered", "model A {\n  id Int @id\n}\n");
    backend.insert_history_row(&written).expect("insert");
    let mut failed = row("20261203080001_failed", "model B {\n  id Int @id\n}\n");
    failed.state = HistoryState::Failed;
    failed.failure_message = Some("statement 1 failed: boom".to_string());
    backend.insert_history_row(&failed).expect("insert");
    let read: Vec<HistoryRow> = backend
        .load_history()
        .expect("history")
        .into_iter()
        .map(without_database_values)
        .collect();
    assert_eq!(read, vec![written, failed]);
    let first_column = match provider {
        Provider::Postgresql => database.column(&format!("SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = '{HISTORY_TABLE_NAME}' AND ordinal_position = 1")),
        Provider::Sqlite => database.column(&format!("SELECT name FROM pragma_table_info('{HISTORY_TABLE_NAME}') WHERE cid = 0")),
    };
    assert_eq!(
        first_column,
        vec![Some("failure_message".to_string())],
        "the table kept its own column order"
    );
}

test_on_each_provider!(
    a_history_table_with_its_columns_in_another_order_reads_correctly,
    sqlite: a_history_table_with_its_columns_in_another_order_reads_correctly_on_sqlite,
    postgresql: a_history_table_with_its_columns_in_another_order_reads_correctly_on_postgresql,
);

fn a_failed_migrations_row_update_is_read_back(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    let mut backend = open_backend(&database.url());
    backend.ensure_history_table().expect("history table");
    let mut started = row("20261203080000_concurrently", "model A { id Int @id }");
    started.state = HistoryState::Started;
    let id = backend.insert_history_row(&started).expect("insert");
    assert_eq!(
        backend.load_history().expect("history")[0].state,
        HistoryState::Started
    );
    let message = "statement 2 failed: relation \"it's\" \\ $$ does not exist\nsecond line é";
    backend
        .update_history_state(id, HistoryState::Failed, Some(message))
        .expect("update");
    let history = backend.load_history().expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].id, Some(id));
    assert_eq!(history[0].state, HistoryState::Failed);
    assert_eq!(history[0].failure_message.as_deref(), Some(message));
    backend
        .update_history_state(id, HistoryState::Finished, None)
        .expect("update");
    let history = backend.load_history().expect("history");
    assert_eq!(history[0].state, HistoryState::Finished);
    assert_eq!(history[0].failure_message, None);
}

test_on_each_provider!(
    a_failed_migrations_row_update_is_read_back,
    sqlite: a_failed_migrations_row_update_is_read_back_on_sqlite,
    postgresql: a_failed_migrations_row_update_is_read_back_on_postgresql,
);

/// What a command does after SIGINT or SIGTERM: the open transaction is rolled back and the
/// lock is free for the next command at once. (The signal itself is the CLI tests' business:
/// it is process-wide, and would stop every other test in this binary.)
fn cleaning_up_after_an_interrupt_rolls_back_and_releases_the_lock(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    let mut backend = open_backend(&database.url());
    backend.lock(&mut || {}).expect("lock");
    backend.begin_write_transaction().expect("begin");
    backend
        .database()
        .execute_batch("CREATE TABLE half_done (id INTEGER)")
        .expect("create");
    backend.clean_up_after_interrupt().expect("clean up");
    let mut second = open_backend(&database.url());
    second
        .lock(&mut || panic!("the lock was still held after the cleanup"))
        .expect("the next command takes the lock");
    assert!(
        second
            .introspect()
            .expect("introspect")
            .tables
            .iter()
            .all(|table| table.name != "half_done"),
        "the open transaction was rolled back"
    );
    // Cleaning up when nothing is open is harmless.
    backend.clean_up_after_interrupt().expect("clean up again");
}

test_on_each_provider!(
    cleaning_up_after_an_interrupt_rolls_back_and_releases_the_lock,
    sqlite: cleaning_up_after_an_interrupt_rolls_back_and_releases_the_lock_on_sqlite,
    postgresql: cleaning_up_after_an_interrupt_rolls_back_and_releases_the_lock_on_postgresql,
);

/// A DBA looking at `pg_stat_activity` sees who holds the migration lock.
#[test]
fn the_postgresql_lock_holder_is_named_comon() {
    let database = TemporaryDatabase::new(Provider::Postgresql);
    let mut backend = open_backend(&database.url());
    backend.lock(&mut || {}).expect("lock");
    let holders = database.column(
        "SELECT CAST(activity.application_name AS TEXT) FROM pg_locks AS locks JOIN pg_stat_activity AS activity ON activity.pid = locks.pid WHERE locks.locktype = 'advisory' AND locks.granted AND activity.datname = current_database()",
    );
    assert_eq!(holders, vec![Some("comon".to_string())]);
    backend.unlock().expect("unlock");
    // A URL that names its session keeps the name.
    let url = database.url();
    let separator = if url.contains('?') { '&' } else { '?' };
    let named_url = format!("{url}{separator}application_name=deployer");
    let mut named = open_backend(&named_url);
    let name = named
        .database()
        .query_rows("SELECT current_setting('application_name')")
        .expect("setting");
    assert_eq!(name, vec![vec![Some("deployer".to_string())]]);
}

/// A backend on `url` that keeps its history in `_prisma_migrations`.
fn open_prisma_backend(url: &str) -> Box<dyn MigrationBackend> {
    let url = DatabaseUrl::parse(url).expect("url");
    comon_driver::backend::backend_for_flavour(
        Database::open_with_options(&url, &ConnectionOptions::default()).expect("database"),
        comon_driver::flavour::ProjectFlavour::Prisma,
    )
}

fn prisma_row(name: &str, state: HistoryState) -> HistoryRow {
    HistoryRow {
        state,
        warnings: Vec::new(),
        target_name: None,
        rebuild_required: false,
        ..row(name, "")
    }
}

/// `_prisma_migrations` keeps Prisma's semantics: a started row is unfinished (a failure to
/// Prisma) until it is marked finished; a failure's message is in `logs`; a rollback sets
/// `rolled_back_at` on the target's rows, which then no longer count; and rows come back in
/// `started_at` order, whatever their ids.
fn prisma_history_keeps_prismas_semantics(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    let mut backend = open_prisma_backend(&database.url());
    assert!(
        backend.load_history().expect("no table yet").is_empty(),
        "a missing table is an empty history"
    );
    backend.ensure_history_table().expect("history table");
    backend
        .ensure_history_table()
        .expect("ensuring twice is harmless");
    let first = prisma_row("20240101000000_init", HistoryState::Finished);
    backend.insert_history_row(&first).expect("insert");
    let started = prisma_row("20240102000000_index", HistoryState::Started);
    let id = backend.insert_history_row(&started).expect("insert");
    let unfinished = database.count(
        "SELECT COUNT(*) FROM \"_prisma_migrations\" WHERE finished_at IS NULL AND rolled_back_at IS NULL",
    );
    assert_eq!(unfinished, 1, "a started row looks failed to Prisma");
    let message = "statement 1 failed: relation \"it's\" $$ does not exist";
    backend
        .update_history_state(id, HistoryState::Failed, Some(message))
        .expect("update");
    let history = backend.load_history().expect("history");
    assert_eq!(
        history
            .iter()
            .map(|row| (row.name.as_str(), row.state))
            .collect::<Vec<_>>(),
        vec![
            ("20240101000000_init", HistoryState::Finished),
            ("20240102000000_index", HistoryState::Failed)
        ]
    );
    assert_eq!(history[1].failure_message.as_deref(), Some(message));
    assert_eq!(
        history[0].checksum.as_deref(),
        Some("a".repeat(64).as_str())
    );

    // `resolve --rolled-back`: the failed row stays, marked, and is left out.
    let rollback = HistoryRow {
        kind: HistoryKind::Rollback,
        target_name: Some("20240102000000_index".to_string()),
        ..prisma_row(
            "20240102000000_index_resolve_rollback_1",
            HistoryState::Finished,
        )
    };
    backend.insert_history_row(&rollback).expect("rollback");
    let names: Vec<String> = backend
        .load_history()
        .expect("history")
        .into_iter()
        .map(|row| row.name)
        .collect();
    assert_eq!(names, vec!["20240101000000_init"]);
    assert_eq!(
        database
            .count("SELECT COUNT(*) FROM \"_prisma_migrations\" WHERE rolled_back_at IS NOT NULL"),
        1
    );

    // Applied again: a new row, finished, with one step.
    let again = backend
        .insert_history_row(&prisma_row("20240102000000_index", HistoryState::Started))
        .expect("insert");
    backend
        .update_history_state(again, HistoryState::Finished, None)
        .expect("update");
    let history = backend.load_history().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].state, HistoryState::Finished);
    assert_eq!(history[1].failure_message, None);
    assert_eq!(
        database.count("SELECT COUNT(*) FROM \"_prisma_migrations\" WHERE applied_steps_count = 1 AND finished_at IS NOT NULL"),
        2
    );
}

test_on_each_provider!(
    prisma_history_keeps_prismas_semantics,
    sqlite: prisma_history_keeps_prismas_semantics_on_sqlite,
    postgresql: prisma_history_keeps_prismas_semantics_on_postgresql,
);
