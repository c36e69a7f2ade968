//! SQLite through rusqlite (bundled SQLite, so every machine runs the same version).

use crate::database::ConnectionOptions;
use crate::error::{ForeignKeyViolation, RunnerError};
use planner::introspection::Row;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct SqliteDatabase {
    connection: Connection,
    /// Set by the busy handler when it stops waiting because `lock_wait_timeout` passed, so
    /// that the `SQLITE_BUSY` that follows is reported as that and not as a failed statement.
    gave_up_waiting: Arc<AtomicBool>,
    lock_wait_timeout: Duration,
    _interrupt_registration: crate::interrupt::Registration,
}

/// The delays between two attempts to take a lock another connection holds: short at first (a
/// commit takes milliseconds), then every 100 ms. The same steps as SQLite's own busy timeout.
const BUSY_DELAYS_MILLISECONDS: [u64; 12] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

/// The busy handler: waits while another process holds the lock, tells the user when a wait
/// starts, and gives up when the limit passes or a signal asks the process to stop.
fn busy_handler(
    limit: Duration,
    gave_up_waiting: Arc<AtomicBool>,
    on_wait: Option<Arc<dyn Fn() + Send + Sync>>,
) -> impl FnMut(i32) -> bool + Send + 'static {
    let mut wait_started = Instant::now();
    move |attempt: i32| {
        if attempt == 0 {
            wait_started = Instant::now();
            gave_up_waiting.store(false, Ordering::SeqCst);
            if let Some(on_wait) = &on_wait {
                on_wait();
            }
        }
        if crate::interrupt::requested().is_some() {
            return false;
        }
        if !limit.is_zero() && wait_started.elapsed() >= limit {
            gave_up_waiting.store(true, Ordering::SeqCst);
            return false;
        }
        let step = usize::try_from(attempt)
            .unwrap_or(usize::MAX)
            .min(BUSY_DELAYS_MILLISECONDS.len() - 1);
        std::thread::sleep(Duration::from_millis(BUSY_DELAYS_MILLISECONDS[step]));
        true
    }
}

fn message_of(error: &rusqlite::Error) -> String {
    error.to_string()
}

/// Whether a statement is `PRAGMA foreign_keys = ...` or `PRAGMA defer_foreign_keys = ...`,
/// which `apply_statements` skips because it manages foreign key enforcement itself.
pub fn is_foreign_key_pragma(statement: &str) -> bool {
    let compact: String = strip_leading_comments(statement)
        .chars()
        .filter(|character| !character.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(rest) = compact.strip_prefix("pragma") else {
        return false;
    };
    let rest = rest.strip_prefix("main.").unwrap_or(rest);
    ["foreign_keys", "defer_foreign_keys"].iter().any(|name| {
        rest.strip_prefix(name)
            .map(|after| {
                after.is_empty()
                    || after.starts_with('=')
                    || after.starts_with('(')
                    || after.starts_with(';')
            })
            .unwrap_or(false)
    })
}

fn strip_leading_comments(statement: &str) -> &str {
    let mut rest = statement.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after
                .split_once('\n')
                .map(|(_, next)| next)
                .unwrap_or("")
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after
                .split_once("*/")
                .map(|(_, next)| next)
                .unwrap_or("")
                .trim_start();
        } else {
            return rest;
        }
    }
}

impl SqliteDatabase {
    /// Opens the file at `path`; creates it only when the options allow it.
    pub fn open(path: &str, options: &ConnectionOptions) -> Result<SqliteDatabase, RunnerError> {
        let connection_failed = |error: &rusqlite::Error| RunnerError::DatabaseConnection {
            location: path.to_string(),
            message: message_of(error),
        };
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if options.create_missing_sqlite_file {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        } else if !std::path::Path::new(path).exists() {
            return Err(RunnerError::DatabaseNotFound {
                path: path.to_string(),
            });
        }
        let mut connection =
            Connection::open_with_flags(path, flags).map_err(|error| connection_failed(&error))?;
        let gave_up_waiting = Arc::new(AtomicBool::new(false));
        connection
            .busy_handler(Some(busy_handler(
                options.lock_wait_timeout,
                gave_up_waiting.clone(),
                options.on_write_lock_wait.clone(),
            )))
            .map_err(|error| connection_failed(&error))?;
        let interrupt_registration = crate::interrupt::register(
            crate::interrupt::CancelTarget::Sqlite(Arc::new(connection.get_interrupt_handle())),
        );
        let mut database = SqliteDatabase {
            connection,
            gave_up_waiting,
            lock_wait_timeout: options.lock_wait_timeout,
            _interrupt_registration: interrupt_registration,
        };
        database
            .execute_batch("PRAGMA foreign_keys = ON")
            .map_err(|error| RunnerError::DatabaseConnection {
                location: path.to_string(),
                message: error.to_string(),
            })?;
        Ok(database)
    }

    /// The error for a failed statement: an interruption when a signal arrived, the end of the
    /// wait for the write lock when the busy handler gave up, else the statement's failure.
    fn failure(&self, sql: &str, position: Option<usize>, error: &rusqlite::Error) -> RunnerError {
        if let Some(signal) = crate::interrupt::requested() {
            return RunnerError::Interrupted { signal };
        }
        let busy = error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy);
        if busy && self.gave_up_waiting.load(Ordering::SeqCst) {
            return RunnerError::LockWaitTimeout {
                lock: "the database write lock",
                limit: self.lock_wait_timeout,
            };
        }
        RunnerError::statement_failed(sql, position, message_of(error))
    }

    pub fn execute_batch(&mut self, sql: &str) -> Result<(), RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        self.connection
            .execute_batch(sql)
            .map_err(|error| self.failure(sql, None, &error))
    }

    pub fn query_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        let connection = &self.connection;
        let collect = || -> Result<Vec<Row>, rusqlite::Error> {
            let mut statement = connection.prepare(sql)?;
            let column_count = statement.column_count();
            let mut rows = statement.query([])?;
            let mut collected = Vec::new();
            while let Some(row) = rows.next()? {
                let mut values = Vec::with_capacity(column_count);
                for index in 0..column_count {
                    values.push(text_of_value(row.get_ref(index)?));
                }
                collected.push(values);
            }
            Ok(collected)
        };
        collect().map_err(|error| self.failure(sql, None, &error))
    }

    /// Empties the file in place (SQLite's documented way: `SQLITE_DBCONFIG_RESET_DATABASE`,
    /// then `VACUUM`), so that the file keeps its mode, owner and links. The reset clears the
    /// file's header, journal mode included, so a WAL database is put back into WAL mode.
    pub fn wipe(&mut self) -> Result<(), RunnerError> {
        let journal_mode = self
            .query_rows("PRAGMA journal_mode")?
            .into_iter()
            .next()
            .and_then(|row| row.into_iter().next().flatten())
            .unwrap_or_default();
        let reset = rusqlite::config::DbConfig::SQLITE_DBCONFIG_RESET_DATABASE;
        let reset_failed = |error: rusqlite::Error| {
            RunnerError::statement_failed("VACUUM", None, message_of(&error))
        };
        self.connection
            .set_db_config(reset, true)
            .map_err(reset_failed)?;
        let vacuumed = self.execute_batch("VACUUM");
        let restored = self
            .connection
            .set_db_config(reset, false)
            .map_err(reset_failed);
        vacuumed?;
        restored?;
        if journal_mode.eq_ignore_ascii_case("wal") {
            self.query_rows("PRAGMA journal_mode = WAL")?;
        }
        self.execute_batch("PRAGMA foreign_keys = ON")
    }

    pub fn apply_statements(&mut self, statements: &[String]) -> Result<(), RunnerError> {
        self.execute_batch("PRAGMA foreign_keys = OFF")?;
        let result = self.apply_statements_in_transaction(statements);
        if result.is_err() && !self.connection.is_autocommit() {
            // The error being returned is the useful one; a failed rollback adds nothing.
            let _ = self.connection.execute_batch("ROLLBACK");
        }
        let restored = self.execute_batch("PRAGMA foreign_keys = ON");
        result.and(restored)
    }

    fn apply_statements_in_transaction(
        &mut self,
        statements: &[String],
    ) -> Result<(), RunnerError> {
        self.execute_batch("BEGIN IMMEDIATE")?;
        self.run_migration_statements(statements)?;
        self.execute_batch("COMMIT")
    }

    /// Runs a migration's statements inside the caller's transaction (foreign keys already off):
    /// skips the foreign-key pragmas the runner handles itself, puts back the triggers of tables
    /// that a rebuild dropped and re-created, and fails with `foreign-key-violation` when a row
    /// no longer satisfies a foreign key.
    ///
    /// Triggers are not part of the schema language, so plans never mention them, but SQLite's
    /// table rebuild (`DROP TABLE "X"`, `ALTER TABLE "new_X" RENAME TO "X"`) drops them with the
    /// old table. Objects the schema cannot describe must never be dropped, so they come back.
    pub fn run_migration_statements(&mut self, statements: &[String]) -> Result<(), RunnerError> {
        // The triggers to keep, by name. `ALTER TABLE ... RENAME` rewrites the definitions of
        // the triggers on the table (and on its columns), so they are read again after each
        // `ALTER TABLE`: a table renamed and then rebuilt in one migration keeps its triggers,
        // under its new name.
        let mut triggers = Vec::new();
        remember_triggers(&mut triggers, self.read_triggers()?);
        let mut rebuilt_tables: Vec<String> = Vec::new();
        for (position, statement) in statements.iter().enumerate() {
            if is_foreign_key_pragma(statement) {
                continue;
            }
            crate::interrupt::refuse_after_interrupt(statement)?;
            self.connection
                .execute_batch(statement)
                .map_err(|error| self.failure(statement, Some(position), &error))?;
            if let Some(table) = rebuilt_table_of(statement) {
                rebuilt_tables.push(table);
            }
            if is_alter_table(statement) {
                remember_triggers(&mut triggers, self.read_triggers()?);
            }
        }
        if !rebuilt_tables.is_empty() {
            let remaining: Vec<String> = self
                .read_triggers()?
                .into_iter()
                .map(|trigger| trigger.name)
                .collect();
            for trigger in triggers {
                let was_rebuilt = rebuilt_tables
                    .iter()
                    .any(|rebuilt| rebuilt.eq_ignore_ascii_case(&trigger.table));
                if was_rebuilt && !remaining.contains(&trigger.name) {
                    self.connection
                        .execute_batch(&trigger.sql)
                        .map_err(|error| self.failure(&trigger.sql, None, &error))?;
                }
            }
        }
        let violations = self
            .query_rows("PRAGMA foreign_key_check")?
            .into_iter()
            .map(|row| ForeignKeyViolation {
                table: row.first().cloned().flatten().unwrap_or_default(),
                row_id: row.get(1).cloned().flatten(),
                referenced_table: row.get(2).cloned().flatten().unwrap_or_default(),
            })
            .collect::<Vec<_>>();
        if !violations.is_empty() {
            return Err(RunnerError::ForeignKeyViolation { violations });
        }
        Ok(())
    }

    fn read_triggers(&mut self) -> Result<Vec<Trigger>, RunnerError> {
        let rows = self.query_rows(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let mut values = row.into_iter();
                match (
                    values.next().flatten(),
                    values.next().flatten(),
                    values.next().flatten(),
                ) {
                    (Some(name), Some(table), Some(sql)) => Some(Trigger { name, table, sql }),
                    _ => None,
                }
            })
            .collect())
    }
}

/// A trigger as `sqlite_master` holds it.
struct Trigger {
    name: String,
    table: String,
    sql: String,
}

/// Adds the triggers that exist now to `known`, replacing older definitions of the same name;
/// a trigger that a rebuild dropped meanwhile stays known, so that it can be put back.
fn remember_triggers(known: &mut Vec<Trigger>, current: Vec<Trigger>) {
    for trigger in current {
        match known.iter_mut().find(|known| known.name == trigger.name) {
            Some(known) => *known = trigger,
            None => known.push(trigger),
        }
    }
}

fn is_alter_table(statement: &str) -> bool {
    let words: Vec<String> = strip_leading_comments(statement)
        .split_whitespace()
        .take(2)
        .map(str::to_ascii_uppercase)
        .collect();
    words == ["ALTER", "TABLE"]
}

/// The table a rebuild's final rename re-creates: `ALTER TABLE "new_X" RENAME TO "X"` gives `X`.
fn rebuilt_table_of(statement: &str) -> Option<String> {
    let trimmed = statement.trim();
    let upper = trimmed.to_ascii_uppercase();
    if !upper.starts_with("ALTER TABLE \"NEW_") {
        return None;
    }
    let rename_position = upper.find("\" RENAME TO \"")?;
    let target = &trimmed[rename_position + "\" RENAME TO \"".len()..];
    let target = target.strip_suffix('"')?;
    Some(target.replace("\"\"", "\""))
}

fn text_of_value(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(integer) => Some(integer.to_string()),
        ValueRef::Real(real) => Some(real.to_string()),
        ValueRef::Text(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
        ValueRef::Blob(bytes) => Some(bytes.iter().map(|byte| format!("{byte:02x}")).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_memory() -> SqliteDatabase {
        SqliteDatabase::open(":memory:", &ConnectionOptions::default()).unwrap()
    }

    #[test]
    fn rebuild_renames_are_recognised() {
        assert_eq!(
            rebuilt_table_of("ALTER TABLE \"new_Order\" RENAME TO \"Order\"").as_deref(),
            Some("Order")
        );
        assert_eq!(
            rebuilt_table_of("ALTER TABLE \"Order\" RENAME TO \"orders\""),
            None
        );
    }

    #[test]
    fn a_rebuild_keeps_the_triggers_of_the_rebuilt_table() {
        let mut database = in_memory();
        database
            .execute_batch(
                "CREATE TABLE \"Order\" (id INTEGER PRIMARY KEY, total INTEGER NOT NULL); CREATE TABLE audit (order_id INTEGER); \
                 CREATE TRIGGER order_audit AFTER INSERT ON \"Order\" BEGIN INSERT INTO audit VALUES (new.id); END;",
            )
            .unwrap();
        let statements: Vec<String> = [
            "CREATE TABLE \"new_Order\" (id INTEGER PRIMARY KEY, total REAL NOT NULL)",
            "INSERT INTO \"new_Order\" (id, total) SELECT id, total FROM \"Order\"",
            "DROP TABLE \"Order\"",
            "ALTER TABLE \"new_Order\" RENAME TO \"Order\"",
        ]
        .iter()
        .map(|statement| statement.to_string())
        .collect();
        database.apply_statements(&statements).unwrap();
        database
            .execute_batch("INSERT INTO \"Order\" VALUES (7, 1.5)")
            .unwrap();
        assert_eq!(
            database
                .query_rows("SELECT CAST(order_id AS TEXT) FROM audit")
                .unwrap(),
            vec![vec![Some("7".to_string())]]
        );
    }

    #[test]
    fn foreign_key_pragmas_are_recognised() {
        assert!(is_foreign_key_pragma("PRAGMA foreign_keys=OFF"));
        assert!(is_foreign_key_pragma("  pragma  foreign_keys = on;"));
        assert!(is_foreign_key_pragma("PRAGMA defer_foreign_keys=ON"));
        assert!(is_foreign_key_pragma(
            "-- note\nPRAGMA main.foreign_keys = 1"
        ));
        assert!(!is_foreign_key_pragma("PRAGMA foreign_key_check"));
        assert!(!is_foreign_key_pragma(
            "CREATE TABLE foreign_keys (id INTEGER)"
        ));
    }

    #[test]
    fn a_violation_rolls_the_whole_migration_back() {
        let mut database = in_memory();
        database
            .execute_batch("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));")
            .unwrap();
        let statements = vec![
            "CREATE TABLE extra (id INTEGER)".to_string(),
            "INSERT INTO child (id, parent_id) VALUES (1, 42)".to_string(),
        ];
        let error = database.apply_statements(&statements).unwrap_err();
        assert_eq!(error.code(), "foreign-key-violation");
        let tables = database
            .query_rows("SELECT name FROM sqlite_master WHERE name = 'extra'")
            .unwrap();
        assert!(tables.is_empty());
        let enforcement = database.query_rows("PRAGMA foreign_keys").unwrap();
        assert_eq!(enforcement, vec![vec![Some("1".to_string())]]);
    }

    #[test]
    fn a_failing_statement_rolls_back_and_names_itself() {
        let mut database = in_memory();
        let statements = vec![
            "PRAGMA foreign_keys=OFF".to_string(),
            "CREATE TABLE kept (id INTEGER)".to_string(),
            "CREATE TABLE broken (".to_string(),
        ];
        let error = database.apply_statements(&statements).unwrap_err();
        assert_eq!(error.code(), "statement-failed");
        match error {
            RunnerError::StatementFailed {
                position,
                statement,
                ..
            } => {
                assert_eq!(position, Some(2));
                assert_eq!(statement, "CREATE TABLE broken (");
            }
            other => panic!("unexpected error {other}"),
        }
        assert!(database
            .query_rows("SELECT name FROM sqlite_master")
            .unwrap()
            .is_empty());
    }
}
