//! Running a migration script as its requirements say.
//!
//! What a script needs (a transaction or not, SQLite's foreign keys off around it and checked
//! before the commit, the tables it rebuilds) is decided once, by the planner's analysis
//! (`planner::migrations::script`, the one place that reads migration SQL text), and handed
//! over as a `MigrationScript`. This module follows it and reads no SQL text itself: it runs
//! the statements in order, reads a rebuilt table's dependents (triggers, partial and
//! expression indexes) from `sqlite_master` just before the statement that drops the table,
//! re-creates those the script did not, and checks foreign keys when asked.

use crate::database::Database;
use crate::error::{ForeignKeyViolation, RunnerError};
use planner::database_schema::{TableDependent, TableDependentKind};
use planner::introspection::Row;
use planner::migrations::{
    analyze_migration_statements, MigrationScript, ScriptError, ScriptTarget,
};
use planner::plan::{ExecutionRequirements, TransactionRequirement};
use planner::Provider;

pub use planner::migrations::ScriptStatement;

/// The statements of `script`, in order, without the `;` that ends them and without the
/// comments and blank lines before them. Comment-only parts produce no statement.
pub fn split_sql_script(provider: Provider, script: &str) -> Result<Vec<String>, RunnerError> {
    planner::migrations::split_sql_script(provider, script).map_err(RunnerError::from)
}

/// `split_sql_script`, keeping the line each statement starts on.
pub fn split_sql_script_with_lines(
    provider: Provider,
    script: &str,
) -> Result<Vec<ScriptStatement>, RunnerError> {
    planner::migrations::split_sql_script_with_lines(provider, script).map_err(RunnerError::from)
}

impl From<ScriptError> for RunnerError {
    fn from(error: ScriptError) -> RunnerError {
        match error {
            ScriptError::InvalidSqlScript {
                line,
                column,
                message,
            } => RunnerError::InvalidSqlScript {
                line,
                column,
                message,
            },
            ScriptError::TransactionControlStatement { message } => {
                RunnerError::TransactionControlStatement { message }
            }
        }
    }
}

/// Why the statements of a script stopped.
#[derive(Debug)]
pub struct ScriptFailure {
    /// The position, in the script's statements, of the statement that was running; `None`
    /// when the work around the statements failed (reading or re-creating what a rebuild
    /// drops, the foreign key check).
    pub position: Option<usize>,
    pub error: RunnerError,
}

impl ScriptFailure {
    pub fn around_statements(error: RunnerError) -> ScriptFailure {
        ScriptFailure {
            position: None,
            error,
        }
    }
}

/// A connection the script loop can run on: the runner's `Database`, or an app's own SQLite
/// connection (device-local upgrades, which hold their transaction themselves).
pub trait ScriptConnection {
    fn provider(&self) -> Provider;
    /// Runs one statement of the script; a failure is a `RunnerError::StatementFailed` (or an
    /// interruption, a timeout) without a position.
    fn execute_statement(&mut self, statement: &str) -> Result<(), RunnerError>;
    /// Runs a query whose values all come back as text.
    fn query_text_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError>;
}

impl ScriptConnection for Database {
    fn provider(&self) -> Provider {
        Database::provider(self)
    }

    fn execute_statement(&mut self, statement: &str) -> Result<(), RunnerError> {
        self.execute_batch(statement)
    }

    fn query_text_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        self.query_rows(sql)
    }
}

/// The loop every runner follows: the statements of `script` in order (those before its online
/// phase, which `run_after_commit_statements` runs after the commit), inside the caller's
/// transaction when the script requires one. Just before the statement that drops a rebuilt
/// table, the table's dependents (triggers, partial and expression indexes) are read from the
/// live database; after the statements, those that do not exist again are re-created. A script
/// rendered from an introspected snapshot re-creates them itself; a hand-written one, or an
/// older tool's, may not, and objects the schema cannot describe must never be lost. The
/// foreign key check is the caller's: it belongs just before its commit.
pub fn run_statements_keeping_dependents<C: ScriptConnection + ?Sized>(
    connection: &mut C,
    script: &MigrationScript,
) -> Result<(), ScriptFailure> {
    let mut dependents = Vec::new();
    for (position, statement) in script.transactional_statements().iter().enumerate() {
        for rebuilt in &script.requirements.rebuilt_tables {
            if rebuilt.dropped_by_statement == position {
                dependents.extend(
                    table_dependents(connection, &rebuilt.table)
                        .map_err(ScriptFailure::around_statements)?,
                );
            }
        }
        connection
            .execute_statement(&statement.text)
            .map_err(|error| ScriptFailure {
                position: Some(position),
                error: error.at_position(position),
            })?;
    }
    recreate_missing_dependents(connection, &dependents).map_err(ScriptFailure::around_statements)
}

/// The online phase of `script`, after its transactional part committed: each statement on its
/// own, outside any transaction, in order. A statement that `lock_timeout` cancelled runs again
/// as the connection's `LockRetries` allow (it ran on its own, so nothing of it was kept),
/// after what `ExecutionRequirements::before_retry` names for it (the INVALID index an
/// interrupted concurrent build left). The first failure stops the phase; a concurrent build
/// that failed has its INVALID index dropped the same way.
pub fn run_after_commit_statements(
    database: &mut Database,
    script: &MigrationScript,
) -> Result<(), ScriptFailure> {
    let first = script.after_commit_position();
    for (offset, statement) in script.after_commit_statements().iter().enumerate() {
        let position = first + offset;
        let failure = |error: RunnerError| ScriptFailure {
            position: Some(position),
            error: error.at_position(position),
        };
        let mut retry = 0;
        loop {
            match database.execute_statement(&statement.text) {
                Ok(()) => break,
                Err(RunnerError::LockTimeout { .. })
                    if database.wait_before_lock_retry(retry + 1, statement.first_line()) =>
                {
                    retry += 1;
                    if let Some(preparation) = script.requirements.before_retry_of(position) {
                        database.execute_statement(preparation).map_err(failure)?;
                    }
                }
                Err(error) => {
                    // A concurrent build that failed leaves its index INVALID: dropped again,
                    // so that only an interrupted run leaves one behind (which `migrate status`
                    // reports). If the drop fails too, the build's error is the one to show.
                    // A build refused because its name is taken built nothing: the index of
                    // that name is someone else's (or the same build's, finished by an earlier
                    // run), and dropping it would throw away a working index.
                    if let Some(preparation) = script.requirements.before_retry_of(position) {
                        if !error.is_name_already_taken() {
                            let _ = database.execute_statement(preparation);
                        }
                    }
                    return Err(failure(error));
                }
            }
        }
    }
    Ok(())
}

/// The triggers, partial and expression indexes of `table` as `sqlite_master` holds them now,
/// read with the planner's query. PostgreSQL never rebuilds a table: none.
fn table_dependents<C: ScriptConnection + ?Sized>(
    connection: &mut C,
    table: &str,
) -> Result<Vec<TableDependent>, RunnerError> {
    if connection.provider() != Provider::Sqlite {
        return Ok(Vec::new());
    }
    let rows = connection.query_text_rows(
        &planner::introspection::sqlite::table_dependents_query(table),
    )?;
    Ok(planner::introspection::sqlite::dependents_from_rows(&rows)?)
}

fn recreate_missing_dependents<C: ScriptConnection + ?Sized>(
    connection: &mut C,
    dependents: &[TableDependent],
) -> Result<(), RunnerError> {
    if dependents.is_empty() {
        return Ok(());
    }
    let existing = connection.query_text_rows(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL",
    )?;
    for dependent in dependents {
        let object_type = match dependent.kind {
            TableDependentKind::Trigger => "trigger",
            TableDependentKind::Index => "index",
        };
        // SQLite compares object names without regard to ASCII case.
        let exists = existing.iter().any(|row| {
            row.first().cloned().flatten().as_deref() == Some(object_type)
                && row
                    .get(1)
                    .cloned()
                    .flatten()
                    .is_some_and(|name| name.eq_ignore_ascii_case(&dependent.name))
        });
        if !exists {
            connection.execute_statement(&dependent.sql)?;
        }
    }
    Ok(())
}

impl Database {
    /// Applies `statements` (a plan's rendering, or statements a tool wrote) all or nothing:
    /// the planner's analysis says how (`migration_script_of_plan` does the same for a plan),
    /// and `apply_script` follows it in one transaction.
    pub fn apply_statements(&mut self, statements: &[String]) -> Result<(), RunnerError> {
        let script = analyze_migration_statements(
            self.provider(),
            "The statements to apply",
            statements
                .iter()
                .map(|statement| ScriptStatement::planned(statement.clone()))
                .collect(),
            &ScriptTarget {
                server_version_number: None,
                always_in_transaction: true,
            },
        )?;
        self.apply_script(&script)
    }

    /// Applies a plan as its rendering says (`migration_script_of_plan`): the transactional
    /// part all or nothing, then the online phase, if any, statement by statement. Every runner
    /// that applies a plan directly (`db push`, the integration tests) goes through here, so
    /// that concurrent index builds never end up inside the transaction.
    pub fn apply_plan(&mut self, plan: &planner::MigrationPlan) -> Result<(), RunnerError> {
        let script = planner::migrations::migration_script_of_plan(plan);
        self.apply_script(&script)
    }

    /// Runs a script as its requirements say, for a caller with nothing of its own to do in
    /// the transaction. In a transaction: SQLite's foreign keys off before it (where the pragma
    /// takes effect, as SQLite's table rebuild procedure requires), the statements, the foreign
    /// key check, the commit; on any error everything is rolled back; foreign keys are on again
    /// whatever happens. A transaction that `lock_timeout` cancelled runs again from its start,
    /// as the connection's `LockRetries` allow. Then the online phase, if any
    /// (`run_after_commit_statements`). Outside a transaction: the statements one by one, as
    /// written.
    pub fn apply_script(&mut self, script: &MigrationScript) -> Result<(), RunnerError> {
        if script.requirements.transaction == TransactionRequirement::Forbidden {
            return self
                .run_script_statements(script)
                .map_err(|failure| failure.error);
        }
        let mut retry = 0;
        loop {
            match self.apply_transactional_part(script) {
                Err(RunnerError::LockTimeout { .. })
                    if self.wait_before_lock_retry(retry + 1, "the migration's transaction") =>
                {
                    retry += 1;
                }
                result => break result?,
            }
        }
        run_after_commit_statements(self, script).map_err(|failure| failure.error)
    }

    fn apply_transactional_part(&mut self, script: &MigrationScript) -> Result<(), RunnerError> {
        self.prepare_for_script(&script.requirements)?;
        let result = (|| {
            self.begin_write_transaction()?;
            self.run_script_statements(script)
                .map_err(|failure| failure.error)?;
            self.execute_batch("COMMIT")
        })();
        if result.is_err() {
            // The error being returned is the useful one; ROLLBACK outside a transaction is
            // harmless.
            let _ = self.execute_batch("ROLLBACK");
        }
        let restored = self.restore_after_script(&script.requirements);
        result.and(restored)
    }

    /// Opens a transaction that writes: `BEGIN IMMEDIATE` on SQLite, so that the write lock is
    /// taken (or waited for) now rather than at the first write, `BEGIN` on PostgreSQL.
    pub fn begin_write_transaction(&mut self) -> Result<(), RunnerError> {
        match self.provider() {
            Provider::Sqlite => self.execute_batch("BEGIN IMMEDIATE"),
            Provider::Postgresql => self.execute_batch("BEGIN"),
        }
    }

    /// What comes before the transaction: SQLite's foreign key enforcement off when the script
    /// requires it (inside a transaction the pragma does nothing).
    pub fn prepare_for_script(
        &mut self,
        requirements: &ExecutionRequirements,
    ) -> Result<(), RunnerError> {
        if self.foreign_keys_switched(requirements) {
            self.execute_batch("PRAGMA foreign_keys = OFF")?;
        }
        Ok(())
    }

    /// What comes after the transaction ended (committed or rolled back): enforcement on again.
    pub fn restore_after_script(
        &mut self,
        requirements: &ExecutionRequirements,
    ) -> Result<(), RunnerError> {
        if self.foreign_keys_switched(requirements) {
            self.execute_batch("PRAGMA foreign_keys = ON")?;
        }
        Ok(())
    }

    /// PostgreSQL has no such switch; a script analysed for it never asks for one.
    fn foreign_keys_switched(&self, requirements: &ExecutionRequirements) -> bool {
        requirements.sqlite_foreign_keys_off && self.provider() == Provider::Sqlite
    }

    /// Runs the statements of `script` (`run_statements_keeping_dependents`), then, when the
    /// script requires it, `PRAGMA foreign_key_check`: a row that no longer satisfies a
    /// foreign key fails with `foreign-key-violation`.
    pub fn run_script_statements(&mut self, script: &MigrationScript) -> Result<(), ScriptFailure> {
        run_statements_keeping_dependents(self, script)?;
        if script.requirements.foreign_key_check_before_commit {
            let violations =
                foreign_key_violations(self).map_err(ScriptFailure::around_statements)?;
            if !violations.is_empty() {
                return Err(ScriptFailure::around_statements(
                    RunnerError::ForeignKeyViolation { violations },
                ));
            }
        }
        Ok(())
    }
}

/// The rows `PRAGMA foreign_key_check` reports, for the check before a commit. PostgreSQL
/// checks foreign keys at every statement: none are left to find.
pub fn foreign_key_violations<C: ScriptConnection + ?Sized>(
    connection: &mut C,
) -> Result<Vec<ForeignKeyViolation>, RunnerError> {
    if connection.provider() != Provider::Sqlite {
        return Ok(Vec::new());
    }
    Ok(connection
        .query_text_rows("PRAGMA foreign_key_check")?
        .into_iter()
        .map(|row| ForeignKeyViolation {
            table: row.first().cloned().flatten().unwrap_or_default(),
            row_id: row.get(1).cloned().flatten(),
            referenced_table: row.get(2).cloned().flatten().unwrap_or_default(),
        })
        .collect())
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use planner::migrations::analyze_migration_script;

    fn in_memory() -> Database {
        Database::open(":memory:").unwrap()
    }

    fn names(database: &mut Database, object_type: &str) -> Vec<String> {
        database
            .query_rows(&format!(
                "SELECT name FROM sqlite_master WHERE type = '{object_type}' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ))
            .unwrap()
            .into_iter()
            .map(|row| row[0].clone().unwrap_or_default())
            .collect()
    }

    fn migration(script: &str) -> MigrationScript {
        analyze_migration_script(
            Provider::Sqlite,
            "m/1_x/migration.sql",
            script,
            &ScriptTarget::default(),
        )
        .unwrap()
    }

    #[test]
    fn a_rebuild_keeps_the_triggers_and_the_partial_and_expression_indexes_of_the_rebuilt_table() {
        let mut database = in_memory();
        database
            .execute_batch(
                "CREATE TABLE \"Order\" (id INTEGER PRIMARY KEY, total INTEGER NOT NULL, note TEXT); CREATE TABLE audit (order_id INTEGER); \
                 CREATE TRIGGER order_audit AFTER INSERT ON \"Order\" BEGIN INSERT INTO audit VALUES (new.id); END; \
                 CREATE INDEX order_noted ON \"Order\" (id) WHERE note IS NOT NULL; \
                 CREATE INDEX order_lower_note ON \"Order\" (lower(note)); \
                 CREATE INDEX order_total ON \"Order\" (total);",
            )
            .unwrap();
        // Hand-written, without any of the table's dependents; an unquoted rename is still a
        // rebuild.
        let script = migration(
            "PRAGMA foreign_keys=OFF;\n\
             CREATE TABLE \"new_Order\" (id INTEGER PRIMARY KEY, total REAL NOT NULL, note TEXT);\n\
             INSERT INTO \"new_Order\" (id, total, note) SELECT id, total, note FROM \"Order\";\n\
             DROP TABLE \"Order\";\n\
             ALTER TABLE new_Order RENAME TO \"Order\";\n\
             PRAGMA foreign_keys=ON;\n",
        );
        database.apply_script(&script).unwrap();
        database
            .execute_batch("INSERT INTO \"Order\" VALUES (7, 1.5, 'x')")
            .unwrap();
        assert_eq!(
            database
                .query_rows("SELECT CAST(order_id AS TEXT) FROM audit")
                .unwrap(),
            vec![vec![Some("7".to_string())]]
        );
        assert_eq!(names(&mut database, "trigger"), vec!["order_audit"]);
        // The plain index is the schema's: the script decides about it, the runner does not.
        assert_eq!(
            names(&mut database, "index"),
            vec!["order_lower_note", "order_noted"]
        );
    }

    #[test]
    fn a_table_renamed_and_then_rebuilt_keeps_its_triggers_under_its_new_name() {
        let mut database = in_memory();
        database
            .execute_batch(
                "CREATE TABLE \"Order\" (id INTEGER PRIMARY KEY, total INTEGER NOT NULL); CREATE TABLE audit (order_id INTEGER); \
                 CREATE TRIGGER order_audit AFTER INSERT ON \"Order\" BEGIN INSERT INTO audit VALUES (new.id); END;",
            )
            .unwrap();
        let script = migration(
            "ALTER TABLE \"Order\" RENAME TO \"orders\";\n\
             CREATE TABLE \"new_orders\" (id INTEGER PRIMARY KEY, total REAL NOT NULL);\n\
             INSERT INTO \"new_orders\" (id, total) SELECT id, total FROM \"orders\";\n\
             DROP TABLE \"orders\";\n\
             ALTER TABLE \"new_orders\" RENAME TO \"orders\";\n",
        );
        database.apply_script(&script).unwrap();
        database
            .execute_batch("INSERT INTO \"orders\" VALUES (2, 2.5)")
            .unwrap();
        assert_eq!(
            database
                .query_rows("SELECT CAST(order_id AS TEXT) FROM audit")
                .unwrap(),
            vec![vec![Some("2".to_string())]]
        );
    }

    #[test]
    fn a_dependent_the_script_re_created_is_not_created_twice() {
        let mut database = in_memory();
        database
            .execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER); CREATE INDEX t_positive ON t (id) WHERE x > 0;",
            )
            .unwrap();
        let script = migration(
            "CREATE TABLE \"new_t\" (id INTEGER PRIMARY KEY, x INTEGER NOT NULL DEFAULT 0);\n\
             INSERT INTO \"new_t\" (id, x) SELECT id, COALESCE(x, 0) FROM t;\n\
             DROP TABLE t;\n\
             ALTER TABLE \"new_t\" RENAME TO \"t\";\n\
             CREATE INDEX t_positive ON t (id) WHERE x > 1;\n",
        );
        database.apply_script(&script).unwrap();
        assert_eq!(
            database
                .query_rows("SELECT sql FROM sqlite_master WHERE name = 't_positive'")
                .unwrap(),
            vec![vec![Some(
                "CREATE INDEX t_positive ON t (id) WHERE x > 1".to_string()
            )]]
        );
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
        assert!(names(&mut database, "table")
            .iter()
            .all(|name| name != "extra"));
        let enforcement = database.query_rows("PRAGMA foreign_keys").unwrap();
        assert_eq!(enforcement, vec![vec![Some("1".to_string())]]);
    }

    #[test]
    fn a_failing_statement_rolls_back_and_names_itself() {
        let mut database = in_memory();
        let statements = vec![
            "CREATE TABLE kept (id INTEGER)".to_string(),
            "PRAGMA foreign_keys=OFF".to_string(),
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
                // The pragma is the requirements' business, not a statement that runs.
                assert_eq!(position, Some(1));
                assert_eq!(statement, "CREATE TABLE broken (");
            }
            other => panic!("unexpected error {other}"),
        }
        assert!(names(&mut database, "table").is_empty());
    }

    #[test]
    fn a_script_that_cannot_run_in_a_transaction_runs_statement_by_statement() {
        let mut database = in_memory();
        let script =
            migration("CREATE TABLE kept (id INTEGER);\nVACUUM;\nCREATE TABLE broken (;\n");
        assert_eq!(
            script.requirements.transaction,
            TransactionRequirement::Forbidden
        );
        let failure = database.run_script_statements(&script).unwrap_err();
        assert_eq!(failure.position, Some(2));
        assert_eq!(failure.error.code(), "statement-failed");
        assert_eq!(names(&mut database, "table"), vec!["kept"]);
    }

    #[test]
    fn transaction_control_in_statements_to_apply_is_refused_before_anything_runs() {
        let mut database = in_memory();
        let statements = vec![
            "CREATE TABLE a (id INTEGER)".to_string(),
            "COMMIT".to_string(),
        ];
        let error = database.apply_statements(&statements).unwrap_err();
        assert_eq!(error.code(), "transaction-control-statement");
        assert!(names(&mut database, "table").is_empty());
    }
}
