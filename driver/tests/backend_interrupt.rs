//! Cleaning up after SIGINT, on both backends, with a real interrupt. The interrupt is
//! process-wide and permanent, so the scenario runs in a child process (this test binary again,
//! told by an environment variable): it opens a transaction and takes the migration lock,
//! receives the interrupt, sees new statements refused, cleans up with the backend's named
//! methods and records the migration as failed, then keeps its connection open while this
//! process checks, on connections of its own, that the lock is free, the transaction's work is
//! gone and the row says `failed`.

use comon_database::{ConnectionOptions, Database, DatabaseUrl};
use comon_driver::backend::{backend_for, MigrationBackend};
use planner::migrations::{HistoryKind, HistoryRow, HistoryState};
use planner::Provider;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use tests::TemporaryDatabase;

const CHILD_URL: &str = "COMON_INTERRUPT_SCENARIO_URL";
const CLEANED_UP: &str = "cleaned up";
const FAILURE_MESSAGE: &str = "statement 1 failed: interrupted by SIGINT";

fn open_backend(url: &str) -> Box<dyn MigrationBackend> {
    let options = ConnectionOptions {
        lock_wait_timeout: Duration::from_secs(5),
        ..ConnectionOptions::default()
    };
    let url = DatabaseUrl::parse(url).expect("url");
    backend_for(Database::open_with_options(&url, &options).expect("database"))
}

fn started_row() -> HistoryRow {
    HistoryRow {
        id: None,
        name: "20261203080000_concurrently".to_string(),
        applied_at: String::new(),
        statement_count: 1,
        kind: HistoryKind::Apply,
        target_name: None,
        provider: None,
        checksum: Some("0".repeat(64)),
        before_schema: None,
        after_schema: None,
        warnings: Vec::new(),
        rebuild_required: false,
        state: HistoryState::Started,
        failure_message: None,
    }
}

/// The child: interrupted while it holds the lock and an open transaction.
fn interrupted_command(url: &str) {
    let mut backend = open_backend(url);
    backend.ensure_history_table().expect("history table");
    let id = backend.insert_history_row(&started_row()).expect("row");
    backend.lock(&mut || {}).expect("lock");
    backend.begin_write_transaction().expect("begin");
    backend
        .database()
        .execute_batch("CREATE TABLE half_done (id INTEGER)")
        .expect("work in the transaction");

    comon_database::interrupt::request(comon_database::interrupt::SIGINT);
    let refused = backend
        .database()
        .execute_batch("CREATE TABLE refused (id INTEGER)")
        .expect_err("new work is refused after the interrupt");
    assert_eq!(refused.code(), "interrupted", "{refused}");
    backend
        .clean_up_after_interrupt()
        .expect("the cleanup runs after the interrupt");
    backend
        .update_history_state(id, HistoryState::Failed, Some(FAILURE_MESSAGE))
        .expect("the failure is recorded after the interrupt");

    // The connection stays open until the parent has looked: the lock must be free because it
    // was given back, not because the connection closed.
    println!("{CLEANED_UP}");
    std::io::stdout().flush().expect("stdout");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(backend);
}

fn cleanup_after_an_interrupt(provider: Provider) {
    let database = TemporaryDatabase::new(provider);
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .env(CHILD_URL, database.url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("child process");
    let mut child_output = BufReader::new(child.stdout.take().expect("child stdout"));
    let mut line = String::new();
    child_output.read_line(&mut line).expect("child output");
    assert_eq!(line.trim(), CLEANED_UP, "the child cleaned up ({provider})");

    let mut next_command = open_backend(&database.url());
    let mut waited = false;
    next_command
        .lock(&mut || waited = true)
        .expect("the next command takes the lock");
    assert!(
        !waited,
        "the interrupted command gave the lock back ({provider})"
    );
    let history = next_command.load_history().expect("history");
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].state, HistoryState::Failed);
    assert_eq!(history[0].failure_message.as_deref(), Some(FAILURE_MESSAGE));
    let tables = next_command.introspect().expect("introspect").tables;
    assert!(
        tables.iter().all(|table| table.name != "half_done"),
        "the interrupted transaction was rolled back ({provider})"
    );
    next_command.unlock().expect("unlock");

    drop(child.stdin.take());
    let status = child.wait().expect("child exit");
    assert!(status.success(), "the child's checks passed ({provider})");
}

fn main() {
    if let Ok(url) = std::env::var(CHILD_URL) {
        interrupted_command(&url);
        return;
    }
    for provider in [Provider::Sqlite, Provider::Postgresql] {
        cleanup_after_an_interrupt(provider);
        println!("test cleanup_after_an_interrupt on {provider} ... ok");
    }
}
