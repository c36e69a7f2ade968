//! Small operations on a `rusqlite::Connection` that both the upgrader and the cache bootstrap
//! use: reading the version, pausing foreign key enforcement, running one statement.

use super::error::DeviceLocalError;
use comon_database::{RunnerError, ScriptConnection};
use planner::introspection::Row;
use planner::Provider;
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// Opens a database file for an upgrade or a bootstrap, creating it when missing.
pub(crate) fn open_database_file(path: &Path) -> Result<Connection, DeviceLocalError> {
    let connection =
        Connection::open(path).map_err(|error| DeviceLocalError::database("open", &error))?;
    // Another process of the app (a second window, a background worker) may hold the write
    // lock for a moment; waiting a little beats failing at once with SQLITE_BUSY.
    connection
        .busy_timeout(Duration::from_secs(5))
        .map_err(|error| DeviceLocalError::database("open", &error))?;
    Ok(connection)
}

/// `PRAGMA user_version`, the version of a local database (0 for a new file).
pub fn read_local_database_version(connection: &Connection) -> Result<i64, DeviceLocalError> {
    connection
        .pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
        .map_err(|error| DeviceLocalError::database("read the version of", &error))
}

pub(crate) fn foreign_keys_enabled(connection: &Connection) -> Result<bool, DeviceLocalError> {
    connection
        .pragma_query_value(None, "foreign_keys", |row| row.get::<_, i64>(0))
        .map(|value| value != 0)
        .map_err(|error| DeviceLocalError::database("read the foreign key setting of", &error))
}

/// Switches foreign key enforcement. SQLite ignores this inside a transaction, so it is only
/// called outside one.
pub(crate) fn set_foreign_keys(
    connection: &Connection,
    enabled: bool,
) -> Result<(), DeviceLocalError> {
    let value = if enabled { "ON" } else { "OFF" };
    connection
        .execute_batch(&format!("PRAGMA foreign_keys = {value}"))
        .map_err(|error| DeviceLocalError::database("switch foreign key enforcement of", &error))
}

/// Runs `work` with foreign key enforcement off, as SQLite's table-altering procedure requires,
/// and turns it back on afterwards when it was on, whether `work` succeeded or not. Returns
/// whether enforcement was on, which tells `work` to run `PRAGMA foreign_key_check`.
pub(crate) fn with_foreign_keys_paused<T>(
    connection: &mut Connection,
    work: impl FnOnce(&mut Connection, bool) -> Result<T, DeviceLocalError>,
) -> Result<T, DeviceLocalError> {
    let enforced = foreign_keys_enabled(connection)?;
    if enforced {
        set_foreign_keys(connection, false)?;
    }
    let result = work(connection, enforced);
    if enforced {
        let restored = set_foreign_keys(connection, true);
        // The work's own error is the useful one; a failed restore is reported only on success.
        return result.and_then(|value| restored.map(|()| value));
    }
    result
}

/// Runs one statement and steps through any rows it returns, so that a statement with a
/// `RETURNING` clause or a pragma that reports rows runs to its end.
pub(crate) fn run_statement(connection: &Connection, statement: &str) -> rusqlite::Result<()> {
    let mut prepared = connection.prepare(statement)?;
    let mut rows = prepared.raw_query();
    while rows.next()?.is_some() {}
    Ok(())
}

/// Whether a table (or any schema object) of this name exists; SQLite names are
/// case-insensitive.
pub(crate) fn schema_object_exists(
    connection: &Connection,
    object_type: &str,
    name: &str,
) -> rusqlite::Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = ?1 AND lower(name) = lower(?2))",
        [object_type, name],
        |row| row.get::<_, bool>(0),
    )
}

pub(crate) fn row_count(connection: &Connection, table: &str) -> rusqlite::Result<i64> {
    connection.query_row(
        &format!(
            "SELECT count(*) FROM {}",
            comon_database::quote_identifier(table)
        ),
        [],
        |row| row.get(0),
    )
}

/// The upgrader's connection (its transaction) as the script loop of `comon_database` sees it,
/// so that a step's statements run the way every runner runs a migration script.
pub(crate) struct StepConnection<'a>(pub &'a Connection);

impl ScriptConnection for StepConnection<'_> {
    fn provider(&self) -> Provider {
        Provider::Sqlite
    }

    fn execute_statement(&mut self, statement: &str) -> Result<(), RunnerError> {
        run_statement(self.0, statement).map_err(|error| statement_failed(statement, &error))
    }

    fn query_text_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        comon_database::sqlite_text_rows(self.0, sql).map_err(|error| statement_failed(sql, &error))
    }
}

fn statement_failed(statement: &str, error: &rusqlite::Error) -> RunnerError {
    RunnerError::StatementFailed {
        statement: statement.to_string(),
        position: None,
        message: error.to_string(),
    }
}

/// The database's own message in a `RunnerError` of `StepConnection`.
pub(crate) fn message_of(error: &RunnerError) -> String {
    match error {
        RunnerError::StatementFailed { message, .. } => message.clone(),
        other => other.to_string(),
    }
}
