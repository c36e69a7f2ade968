//! SQLite through rusqlite (bundled SQLite, so every machine runs the same version).

use crate::error::{ForeignKeyViolation, RunnerError};
use planner::introspection::Row;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::time::Duration;

pub struct SqliteDatabase {
    connection: Connection,
}

/// The file a SQLite URL names: `file:./dev.db`, `file:///abs/dev.db`, `sqlite:dev.db` or a
/// plain path. Query parameters (`?mode=...`) are dropped.
pub(crate) fn sqlite_path_from_url(url: &str) -> Result<String, RunnerError> {
    let trimmed = url.trim();
    let without_scheme = ["file://", "file:", "sqlite://", "sqlite:"]
        .iter()
        .find_map(|scheme| {
            let prefix_matches = trimmed.len() >= scheme.len() && trimmed[..scheme.len()].eq_ignore_ascii_case(scheme);
            prefix_matches.then(|| &trimmed[scheme.len()..])
        })
        .unwrap_or(trimmed);
    let path = without_scheme.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Err(RunnerError::InvalidDatabaseUrl {
            url: url.to_string(),
            reason: "it names no SQLite file".to_string(),
        });
    }
    Ok(path.to_string())
}

fn message_of(error: &rusqlite::Error) -> String {
    error.to_string()
}

/// Whether a statement is `PRAGMA foreign_keys = ...` or `PRAGMA defer_foreign_keys = ...`,
/// which `apply_statements` skips because it manages foreign key enforcement itself.
pub(crate) fn is_foreign_key_pragma(statement: &str) -> bool {
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
            .map(|after| after.is_empty() || after.starts_with('=') || after.starts_with('(') || after.starts_with(';'))
            .unwrap_or(false)
    })
}

fn strip_leading_comments(statement: &str) -> &str {
    let mut rest = statement.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map(|(_, next)| next).unwrap_or("").trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map(|(_, next)| next).unwrap_or("").trim_start();
        } else {
            return rest;
        }
    }
}

impl SqliteDatabase {
    pub fn open(url: &str) -> Result<SqliteDatabase, RunnerError> {
        let path = sqlite_path_from_url(url)?;
        let connection = Connection::open(&path)
            .map_err(|error| RunnerError::DatabaseConnection { location: path.clone(), message: message_of(&error) })?;
        // Another process (an app, a second deploy) may hold the write lock for a moment;
        // waiting a little beats failing at once with SQLITE_BUSY.
        connection
            .busy_timeout(Duration::from_secs(5))
            .map_err(|error| RunnerError::DatabaseConnection { location: path.clone(), message: message_of(&error) })?;
        let mut database = SqliteDatabase { connection };
        database
            .execute_batch("PRAGMA foreign_keys = ON")
            .map_err(|error| RunnerError::DatabaseConnection { location: path, message: error.to_string() })?;
        Ok(database)
    }

    pub fn execute_batch(&mut self, sql: &str) -> Result<(), RunnerError> {
        self.connection.execute_batch(sql).map_err(|error| RunnerError::statement_failed(sql, None, message_of(&error)))
    }

    pub fn query_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        let failed = |error: rusqlite::Error| RunnerError::statement_failed(sql, None, message_of(&error));
        let mut statement = self.connection.prepare(sql).map_err(failed)?;
        let column_count = statement.column_count();
        let mut rows = statement.query([]).map_err(failed)?;
        let mut collected = Vec::new();
        while let Some(row) = rows.next().map_err(failed)? {
            let mut values = Vec::with_capacity(column_count);
            for index in 0..column_count {
                values.push(text_of_value(row.get_ref(index).map_err(failed)?));
            }
            collected.push(values);
        }
        Ok(collected)
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

    fn apply_statements_in_transaction(&mut self, statements: &[String]) -> Result<(), RunnerError> {
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
        let triggers_before = self.query_rows("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name")?;
        let mut rebuilt_tables: Vec<String> = Vec::new();
        for (position, statement) in statements.iter().enumerate() {
            if is_foreign_key_pragma(statement) {
                continue;
            }
            self.connection
                .execute_batch(statement)
                .map_err(|error| RunnerError::statement_failed(statement, Some(position), message_of(&error)))?;
            if let Some(table) = rebuilt_table_of(statement) {
                rebuilt_tables.push(table);
            }
        }
        if !rebuilt_tables.is_empty() {
            let remaining: Vec<Option<String>> = self
                .query_rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")?
                .into_iter()
                .map(|row| row.into_iter().next().flatten())
                .collect();
            for trigger in triggers_before {
                let (Some(name), Some(table), Some(sql)) = (trigger.first().cloned().flatten(), trigger.get(1).cloned().flatten(), trigger.get(2).cloned().flatten()) else {
                    continue;
                };
                let was_rebuilt = rebuilt_tables.iter().any(|rebuilt| rebuilt.eq_ignore_ascii_case(&table));
                if was_rebuilt && !remaining.contains(&Some(name)) {
                    self.connection
                        .execute_batch(&sql)
                        .map_err(|error| RunnerError::statement_failed(&sql, None, message_of(&error)))?;
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

    #[test]
    fn sqlite_urls_name_files() {
        assert_eq!(sqlite_path_from_url("file:./dev.db").ok().as_deref(), Some("./dev.db"));
        assert_eq!(sqlite_path_from_url("file:///tmp/dev.db").ok().as_deref(), Some("/tmp/dev.db"));
        assert_eq!(sqlite_path_from_url("file:dev.db?mode=rwc").ok().as_deref(), Some("dev.db"));
        assert_eq!(sqlite_path_from_url("/tmp/dev.db").ok().as_deref(), Some("/tmp/dev.db"));
        assert!(sqlite_path_from_url("file:").is_err());
    }

    #[test]
    fn rebuild_renames_are_recognised() {
        assert_eq!(rebuilt_table_of("ALTER TABLE \"new_Order\" RENAME TO \"Order\"").as_deref(), Some("Order"));
        assert_eq!(rebuilt_table_of("ALTER TABLE \"Order\" RENAME TO \"orders\""), None);
    }

    #[test]
    fn a_rebuild_keeps_the_triggers_of_the_rebuilt_table() {
        let mut database = SqliteDatabase { connection: Connection::open_in_memory().unwrap() };
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
        database.execute_batch("INSERT INTO \"Order\" VALUES (7, 1.5)").unwrap();
        assert_eq!(database.query_rows("SELECT CAST(order_id AS TEXT) FROM audit").unwrap(), vec![vec![Some("7".to_string())]]);
    }

    #[test]
    fn foreign_key_pragmas_are_recognised() {
        assert!(is_foreign_key_pragma("PRAGMA foreign_keys=OFF"));
        assert!(is_foreign_key_pragma("  pragma  foreign_keys = on;"));
        assert!(is_foreign_key_pragma("PRAGMA defer_foreign_keys=ON"));
        assert!(is_foreign_key_pragma("-- note\nPRAGMA main.foreign_keys = 1"));
        assert!(!is_foreign_key_pragma("PRAGMA foreign_key_check"));
        assert!(!is_foreign_key_pragma("CREATE TABLE foreign_keys (id INTEGER)"));
    }

    #[test]
    fn a_violation_rolls_the_whole_migration_back() {
        let mut database = SqliteDatabase { connection: Connection::open_in_memory().unwrap() };
        database
            .execute_batch("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));")
            .unwrap();
        let statements = vec![
            "CREATE TABLE extra (id INTEGER)".to_string(),
            "INSERT INTO child (id, parent_id) VALUES (1, 42)".to_string(),
        ];
        let error = database.apply_statements(&statements).unwrap_err();
        assert_eq!(error.code(), "foreign-key-violation");
        let tables = database.query_rows("SELECT name FROM sqlite_master WHERE name = 'extra'").unwrap();
        assert!(tables.is_empty());
        let enforcement = database.query_rows("PRAGMA foreign_keys").unwrap();
        assert_eq!(enforcement, vec![vec![Some("1".to_string())]]);
    }

    #[test]
    fn a_failing_statement_rolls_back_and_names_itself() {
        let mut database = SqliteDatabase { connection: Connection::open_in_memory().unwrap() };
        let statements = vec![
            "PRAGMA foreign_keys=OFF".to_string(),
            "CREATE TABLE kept (id INTEGER)".to_string(),
            "CREATE TABLE broken (".to_string(),
        ];
        let error = database.apply_statements(&statements).unwrap_err();
        assert_eq!(error.code(), "statement-failed");
        match error {
            RunnerError::StatementFailed { position, statement, .. } => {
                assert_eq!(position, Some(2));
                assert_eq!(statement, "CREATE TABLE broken (");
            }
            other => panic!("unexpected error {other}"),
        }
        assert!(database.query_rows("SELECT name FROM sqlite_master").unwrap().is_empty());
    }
}
