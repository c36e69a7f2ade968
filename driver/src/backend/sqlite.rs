//! The SQLite backend.
//!
//! The migration lock is an exclusive lock on the database file (see `comon_database`'s SQLite
//! connection), taken after waiting for the database's write lock, so that a wait behind
//! another process's write transaction is reported as that, as it always was. Each migration
//! still runs in a `BEGIN IMMEDIATE` transaction, so that a runner that does not know the file
//! lock (comon_orm, an older comon) cannot apply the same migration at the same time. The
//! history table's timestamps are ISO 8601 text, its flag an integer, and an old table's `id`
//! comes from copying it into the current layout.

use super::comon_orm_history::{self, table, ComonOrmHistoryTable, ComonOrmLayout};
use super::prisma_history::{PrismaHistoryTable, PrismaLayout};
use super::{HistoryTable, MigrationBackend};
use comon_database::{Database, RunnerError};
use planner::migrations::HISTORY_TABLE_NAME;
use planner::Provider;

/// `_comon_orm_migrations` as this backend keeps it.
pub static COMON_ORM_HISTORY_TABLE: ComonOrmHistoryTable = ComonOrmHistoryTable {
    layout: LAYOUT,
    add_id,
};

const LAYOUT: ComonOrmLayout = ComonOrmLayout {
    // An INTEGER PRIMARY KEY is the rowid: each insert gets the largest id plus one.
    id_definition: "id INTEGER PRIMARY KEY",
    applied_at_definition: "TEXT NOT NULL",
    rebuild_required_definition: "INTEGER NOT NULL DEFAULT 0",
    applied_at_as_text: "CAST(applied_at AS TEXT)",
    now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    columns_query: "SELECT name AS column_name FROM pragma_table_info(?1)",
    placeholder: numbered_placeholder,
};

/// `_prisma_migrations` as Prisma creates it on SQLite. Its driver stores dates as Unix
/// milliseconds, so new rows get those; the id is a version 4 UUID from `randomblob`.
pub static PRISMA_HISTORY_TABLE: PrismaHistoryTable = PrismaHistoryTable {
    layout: PrismaLayout {
        create_table: "CREATE TABLE IF NOT EXISTS \"_prisma_migrations\" (\"id\" TEXT PRIMARY KEY NOT NULL, \"checksum\" TEXT NOT NULL, \"finished_at\" DATETIME, \"migration_name\" TEXT NOT NULL, \"logs\" TEXT, \"rolled_back_at\" DATETIME, \"started_at\" DATETIME NOT NULL DEFAULT current_timestamp, \"applied_steps_count\" INTEGER UNSIGNED NOT NULL DEFAULT 0)",
        new_id: "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))",
        now: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
        timestamp_as_text: sqlite_timestamp_as_text,
        table_exists_query: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = ?1",
        placeholder: numbered_placeholder,
    },
};

/// Milliseconds (what Prisma writes) or date text (what other tools may write), as ISO 8601.
fn sqlite_timestamp_as_text(column: &str) -> String {
    format!("CASE WHEN typeof({column}) IN ('integer', 'real') THEN strftime('%Y-%m-%dT%H:%M:%fZ', {column} / 1000.0, 'unixepoch') ELSE strftime('%Y-%m-%dT%H:%M:%fZ', {column}) END")
}

fn numbered_placeholder(position: usize) -> String {
    format!("?{position}")
}

pub struct SqliteBackend {
    database: Database,
    history_table: &'static dyn HistoryTable,
}

impl SqliteBackend {
    /// The backend on a SQLite connection, with the comon_orm history table.
    pub fn new(database: Database) -> SqliteBackend {
        SqliteBackend::with_history_table(database, &COMON_ORM_HISTORY_TABLE)
    }

    /// The backend on a SQLite connection, keeping its history in `history_table`.
    pub fn with_history_table(
        database: Database,
        history_table: &'static dyn HistoryTable,
    ) -> SqliteBackend {
        debug_assert_eq!(database.provider(), Provider::Sqlite);
        SqliteBackend {
            database,
            history_table,
        }
    }
}

impl MigrationBackend for SqliteBackend {
    fn provider(&self) -> Provider {
        Provider::Sqlite
    }

    fn database(&mut self) -> &mut Database {
        &mut self.database
    }

    fn history_table(&self) -> &'static dyn HistoryTable {
        self.history_table
    }

    fn lock(&mut self, on_wait: &mut dyn FnMut()) -> Result<(), RunnerError> {
        // Waiting for the write lock first (the busy handler says so) keeps what a user sees
        // when another process is writing; the file lock is then tried while no one writes.
        self.database.execute_batch("BEGIN IMMEDIATE")?;
        let taken = self.database.try_lock_migration_file();
        self.database.execute_batch("ROLLBACK")?;
        if taken? {
            return Ok(());
        }
        on_wait();
        self.database.wait_for_migration_file_lock()
    }

    fn unlock(&mut self) -> Result<(), RunnerError> {
        self.database.unlock_migration_file()
    }

    /// SQLite has no session lock that other tools respect, so the whole check-and-upgrade runs
    /// in one `BEGIN IMMEDIATE` transaction: the write lock is taken before the columns are
    /// read, and two runners cannot both see the old layout and both upgrade it.
    fn ensure_history_table(&mut self) -> Result<(), RunnerError> {
        self.database.execute_batch("BEGIN IMMEDIATE")?;
        match self.history_table.ensure(&mut self.database) {
            Ok(()) => self.database.execute_batch("COMMIT"),
            Err(error) => {
                // The upgrade's error is the useful one.
                let _ = self.database.execute_batch("ROLLBACK");
                Err(error)
            }
        }
    }

    /// A deferred transaction, whose first read takes the snapshot (WAL) or a shared lock that
    /// writers wait for (other journal modes).
    fn begin_read_snapshot(&mut self) -> Result<(), RunnerError> {
        self.database.execute_batch("BEGIN")
    }

    /// Whether a SQLite statement can run in a transaction does not depend on the version.
    fn server_version_number(&mut self) -> Result<Option<u32>, RunnerError> {
        Ok(None)
    }
}

/// SQLite cannot change a primary key in place: copy the rows, in replay order, into a new
/// table of the current layout and put it in the old one's place, inside the transaction
/// `ensure_history_table` holds.
fn add_id(database: &mut Database) -> Result<(), RunnerError> {
    let staging_name = format!("{HISTORY_TABLE_NAME}_upgrade");
    let staging = comon_database::quote_identifier(&staging_name);
    let copied: Vec<&str> = std::iter::once("name")
        .chain(
            comon_orm_history::comon_orm_columns(&LAYOUT)
                .into_iter()
                .map(|(name, _)| name),
        )
        .collect();
    let copied = copied.join(", ");
    let statements = [
        format!("DROP TABLE IF EXISTS {staging}"),
        comon_orm_history::create_table_sql(&LAYOUT, &staging_name),
        format!(
            "INSERT INTO {staging} ({copied}) SELECT {copied} FROM {} ORDER BY applied_at, name",
            table()
        ),
        format!("DROP TABLE {}", table()),
        format!("ALTER TABLE {staging} RENAME TO {}", table()),
    ];
    for statement in &statements {
        database.execute_batch(statement)?;
    }
    Ok(())
}
