//! The migration backend: everything the driver asks of one database, behind one trait, in the
//! manner of sqlx's `Migrate`. The commands take a `&mut dyn MigrationBackend` and never look at
//! the provider to choose SQL: the lock, the history table and the few statements that differ
//! between databases are each backend's (`postgresql.rs`, `sqlite.rs`); what is the same
//! everywhere (introspection, the script loop, wiping) comes from `comon_database` through the
//! trait's provided methods.
//!
//! How history rows are stored is a `HistoryTable`, a strategy each backend is built with:
//! `_comon_orm_migrations` (`comon_orm_history.rs`, written once for both providers, each
//! backend supplying its column types and expressions) or Prisma's `_prisma_migrations`
//! (`prisma_history.rs`, the same way; `backend_for_flavour` picks it in a Prisma project).
//! The commands see history only as `HistoryRow`s through four methods
//! (`ensure_history_table`, `load_history`, `insert_history_row`, `update_history_state`), so
//! a layout is one more `HistoryTable` per provider, not a change to a command.

mod comon_orm_history;
pub mod postgresql;
mod prisma_history;
pub mod sqlite;

pub use postgresql::PostgresqlBackend;
pub use prisma_history::PrismaHistoryTable;
pub use sqlite::SqliteBackend;

use comon_database::{Database, RunnerError, ScriptFailure, SqlValue};
use planner::migrations::script::GUARD_SAVEPOINT;
use planner::migrations::{HistoryRow, HistoryState, MigrationScript};
use planner::plan::ExecutionRequirements;
use planner::{DatabaseSchema, Provider};
use std::collections::HashMap;

/// How history rows are kept in one table layout on one provider. It holds no state: a backend
/// keeps a `&'static` one and lends it its connection.
pub trait HistoryTable: Sync {
    /// Creates the table, or brings an older layout to the current one. The backend calls it
    /// inside whatever transaction its provider needs for that.
    fn ensure(&self, database: &mut Database) -> Result<(), RunnerError>;
    fn load(&self, database: &mut Database) -> Result<Vec<HistoryRow>, RunnerError>;
    fn insert(&self, database: &mut Database, row: &HistoryRow) -> Result<i64, RunnerError>;
    fn update_state(
        &self,
        database: &mut Database,
        id: i64,
        state: HistoryState,
        failure_message: Option<&str>,
    ) -> Result<(), RunnerError>;
    /// Deletes the row with `id`: a `started` row whose migration turned out to change
    /// nothing (its online phase failed at its first statement, and what that statement left
    /// was dropped again), so that the history says what happened: nothing.
    fn delete(&self, database: &mut Database, id: i64) -> Result<(), RunnerError>;
}

/// One database as the migration driver uses it.
///
/// Methods that only clean up (`roll_back`, `restore_after_script`, `update_history_state` to
/// record a failure, `unlock`, and `clean_up_after_interrupt`, which does them all) still run
/// after SIGINT or SIGTERM, when every other statement is refused (`comon_database::interrupt`).
pub trait MigrationBackend {
    fn provider(&self) -> Provider;

    /// The open connection, for what is the same on every provider.
    fn database(&mut self) -> &mut Database;

    /// Takes the migration lock, waiting while another command holds it (for at most the
    /// connection's `lock_wait_timeout`); `on_wait` is called once when the wait starts, so that
    /// the user knows why nothing happens. Taking a lock this backend holds already succeeds.
    fn lock(&mut self, on_wait: &mut dyn FnMut()) -> Result<(), RunnerError>;

    /// Gives the migration lock back, if this backend holds it. Closing the connection (or the
    /// process dying) does the same; this only makes it sooner.
    fn unlock(&mut self) -> Result<(), RunnerError>;

    /// The layout this backend keeps its history in.
    fn history_table(&self) -> &'static dyn HistoryTable;

    /// Creates the history table, or brings an older layout to the current one
    /// (`HistoryTable::ensure`, in the transaction the provider needs). Call with the migration
    /// lock held.
    fn ensure_history_table(&mut self) -> Result<(), RunnerError>;

    /// Every history row, in replay order; none when there is no table. Reading never changes
    /// the table.
    fn load_history(&mut self) -> Result<Vec<HistoryRow>, RunnerError> {
        let history_table = self.history_table();
        history_table.load(self.database())
    }

    /// Inserts a row (its `id` and `applied_at` are the database's) and returns its id.
    fn insert_history_row(&mut self, row: &HistoryRow) -> Result<i64, RunnerError> {
        let history_table = self.history_table();
        history_table.insert(self.database(), row)
    }

    /// Sets the state (and failure message) of the row with `id`.
    fn update_history_state(
        &mut self,
        id: i64,
        state: HistoryState,
        failure_message: Option<&str>,
    ) -> Result<(), RunnerError> {
        let history_table = self.history_table();
        history_table.update_state(self.database(), id, state, failure_message)
    }

    /// See `HistoryTable::delete`.
    fn delete_history_row(&mut self, id: i64) -> Result<(), RunnerError> {
        let history_table = self.history_table();
        history_table.delete(self.database(), id)
    }

    /// Opens a read-only transaction in which everything read belongs to one moment, even while
    /// another runner commits migrations. End it with `roll_back`.
    fn begin_read_snapshot(&mut self) -> Result<(), RunnerError>;

    /// The server's version number (`server_version_num`) where a statement's need for a
    /// transaction depends on it; `None` where it does not.
    fn server_version_number(&mut self) -> Result<Option<u32>, RunnerError>;

    /// Opens a transaction that writes, taking the write lock now where the database has one.
    fn begin_write_transaction(&mut self) -> Result<(), RunnerError> {
        self.database().begin_write_transaction()
    }

    fn commit(&mut self) -> Result<(), RunnerError> {
        self.database().execute_batch("COMMIT")
    }

    /// Rolls the open transaction back; harmless when none is open.
    fn roll_back(&mut self) -> Result<(), RunnerError> {
        self.database().execute_batch("ROLLBACK")
    }

    /// What comes before a script's transaction (SQLite: foreign keys off when required).
    fn prepare_for_script(
        &mut self,
        requirements: &ExecutionRequirements,
    ) -> Result<(), RunnerError> {
        self.database().prepare_for_script(requirements)
    }

    /// What comes after a script's transaction ended, committed or not.
    fn restore_after_script(
        &mut self,
        requirements: &ExecutionRequirements,
    ) -> Result<(), RunnerError> {
        self.database().restore_after_script(requirements)
    }

    /// `begin_write_transaction`, then the savepoint that proves, before the commit, that the
    /// transaction is still comon's.
    fn begin_guarded_transaction(&mut self) -> Result<(), RunnerError> {
        self.begin_write_transaction()?;
        self.database()
            .execute_batch(&format!("SAVEPOINT {GUARD_SAVEPOINT}"))
    }

    /// Releases the guard savepoint. It fails when the statements ended comon's transaction
    /// (the savepoint went with it), whatever they looked like.
    fn release_guard(&mut self) -> Result<(), RunnerError> {
        self.database()
            .execute_batch(&format!("RELEASE SAVEPOINT {GUARD_SAVEPOINT}"))
    }

    /// The statements of a planner `MigrationScript` in order, as its `ExecutionRequirements`
    /// say (dependents of rebuilt tables kept, foreign keys checked when required), inside the
    /// caller's transaction if there is one.
    fn run_script_statements(&mut self, script: &MigrationScript) -> Result<(), ScriptFailure> {
        self.database().run_script_statements(script)
    }

    /// The online phase of a script whose transactional part committed
    /// (`comon_database::run_after_commit_statements`).
    fn run_after_commit_statements(
        &mut self,
        script: &MigrationScript,
    ) -> Result<(), ScriptFailure> {
        comon_database::run_after_commit_statements(self.database(), script)
    }

    /// After `lock_timeout` cancelled `what` for the `retry`-th time: pauses and returns true
    /// when the connection's `LockRetries` allow another attempt
    /// (`Database::wait_before_lock_retry`).
    fn wait_before_lock_retry(&mut self, retry: u32, what: &str) -> bool {
        self.database().wait_before_lock_retry(retry, what)
    }

    /// A plan, its online phase included (`Database::apply_plan`).
    fn apply_plan(&mut self, plan: &planner::MigrationPlan) -> Result<(), RunnerError> {
        self.database().apply_plan(plan)
    }

    /// A whole script for a caller with nothing of its own to do in its transaction: in one
    /// transaction when it requires one, else statement by statement.
    fn apply_script(&mut self, script: &MigrationScript) -> Result<(), RunnerError> {
        self.database().apply_script(script)
    }

    /// Statements (a plan's rendering) all or nothing, as the planner's analysis says.
    fn apply_statements(&mut self, statements: &[String]) -> Result<(), RunnerError> {
        self.database().apply_statements(statements)
    }

    fn introspect(&mut self) -> Result<DatabaseSchema, RunnerError> {
        self.database().introspect()
    }

    fn row_counts(&mut self) -> Result<HashMap<String, u64>, RunnerError> {
        self.database().row_counts()
    }

    /// Empties the database in place (`migrate reset`, `db push --force-reset`).
    fn wipe(&mut self) -> Result<(), RunnerError> {
        self.database().wipe()
    }

    /// What a command does when a signal stopped it: rolls back what is open, switches
    /// SQLite's foreign keys back on, and gives the migration lock back. Each step runs even
    /// when an earlier one fails; the first failure of the last two is returned.
    fn clean_up_after_interrupt(&mut self) -> Result<(), RunnerError> {
        // SQLite refuses a ROLLBACK when no transaction is open; that is nothing to clean up.
        let _ = self.roll_back();
        let restored = self.restore_after_script(&ExecutionRequirements {
            transaction: planner::plan::TransactionRequirement::Required,
            sqlite_foreign_keys_off: true,
            foreign_key_check_before_commit: false,
            rebuilt_tables: Vec::new(),
            after_commit_from: None,
            before_retry: Vec::new(),
        });
        let unlocked = self.unlock();
        restored.and(unlocked)
    }
}

/// The backend for an open database, with the comon_orm history table.
pub fn backend_for(database: Database) -> Box<dyn MigrationBackend> {
    match database.provider() {
        Provider::Postgresql => Box::new(PostgresqlBackend::new(database)),
        Provider::Sqlite => Box::new(SqliteBackend::new(database)),
    }
}

/// The backend for an open database in a project of `flavour`: Prisma's keeps its history in
/// `_prisma_migrations`.
pub fn backend_for_flavour(
    database: Database,
    flavour: crate::flavour::ProjectFlavour,
) -> Box<dyn MigrationBackend> {
    if flavour == crate::flavour::ProjectFlavour::ComonOrm {
        return backend_for(database);
    }
    match database.provider() {
        Provider::Postgresql => Box::new(PostgresqlBackend::with_history_table(
            database,
            &postgresql::PRISMA_HISTORY_TABLE,
        )),
        Provider::Sqlite => Box::new(SqliteBackend::with_history_table(
            database,
            &sqlite::PRISMA_HISTORY_TABLE,
        )),
    }
}

/// Which of the two history tables exist in the database, for flavour detection:
/// `(_comon_orm_migrations, _prisma_migrations)`.
pub fn history_tables_present(database: &mut Database) -> Result<(bool, bool), RunnerError> {
    let query = match database.provider() {
        Provider::Postgresql => "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ($1, $2)",
        Provider::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?1, ?2)",
    };
    let comon_orm = planner::migrations::HISTORY_TABLE_NAME;
    let prisma = planner::migrations::prisma::PRISMA_HISTORY_TABLE_NAME;
    let rows =
        database.query_named_rows(query, &[SqlValue::Text(comon_orm), SqlValue::Text(prisma)])?;
    let names: Vec<&str> = rows.iter().filter_map(|row| row.get("name")).collect();
    Ok((names.contains(&comon_orm), names.contains(&prisma)))
}
