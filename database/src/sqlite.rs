//! SQLite through rusqlite (bundled SQLite, so every machine runs the same version).
//!
//! The migration lock of a SQLite database is an exclusive `flock` on the database file itself
//! (std's `File::try_lock`), taken through a file handle of its own. It is independent of the
//! POSIX byte-range locks SQLite takes on the same file, so it never gets in the way of the
//! database's own locking, creates no file beside the database, and goes away with the process.
//! (On NFS, Linux emulates `flock` with POSIX locks, so the lock is not dependable there; nor is
//! SQLite's own locking.)

use crate::database::ConnectionOptions;
use crate::error::RunnerError;
use crate::parameters::{NamedRows, SqlValue};
use planner::introspection::Row;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};
use std::fs::File;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct SqliteDatabase {
    connection: Connection,
    /// Set by the busy handler when it stops waiting because `lock_wait_timeout` passed, so
    /// that the `SQLITE_BUSY` that follows is reported as that and not as a failed statement.
    gave_up_waiting: Arc<AtomicBool>,
    lock_wait_timeout: Duration,
    /// The database file, locked, while this connection holds the migration lock.
    migration_lock: Option<File>,
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
            migration_lock: None,
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
    fn failure(&self, sql: &str, error: &rusqlite::Error) -> RunnerError {
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
        RunnerError::statement_failed(sql, None, message_of(error))
    }

    pub fn execute_batch(&mut self, sql: &str) -> Result<(), RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        self.connection
            .execute_batch(sql)
            .map_err(|error| self.failure(sql, &error))
    }

    pub fn query_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        text_rows(&self.connection, sql).map_err(|error| self.failure(sql, &error))
    }

    /// Runs a query with bound parameters (`?1`, `?2`, ...) and returns its rows with their
    /// column names.
    pub fn query_named_rows(
        &mut self,
        sql: &str,
        parameters: &[SqlValue<'_>],
    ) -> Result<NamedRows, RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        let connection = &self.connection;
        let collect = || -> Result<NamedRows, rusqlite::Error> {
            let mut statement = connection.prepare(sql)?;
            let columns: Vec<String> = statement.column_names().map(str::to_string).collect();
            let mut rows = statement.query(rusqlite::params_from_iter(
                parameters.iter().copied().map(BoundValue),
            ))?;
            let mut named = NamedRows {
                columns,
                rows: Vec::new(),
            };
            while let Some(row) = rows.next()? {
                let mut values = Vec::with_capacity(named.columns.len());
                for index in 0..named.columns.len() {
                    values.push(text_of_value(row.get_ref(index)?));
                }
                named.rows.push(values);
            }
            Ok(named)
        };
        collect().map_err(|error| self.failure(sql, &error))
    }

    /// Runs one statement with bound parameters and returns the number of rows it changed.
    pub fn execute_with_parameters(
        &mut self,
        sql: &str,
        parameters: &[SqlValue<'_>],
    ) -> Result<u64, RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        self.connection
            .execute(
                sql,
                rusqlite::params_from_iter(parameters.iter().copied().map(BoundValue)),
            )
            .map(|changed| changed as u64)
            .map_err(|error| self.failure(sql, &error))
    }

    /// Takes the migration lock if no other connection holds it, and says whether it did. An
    /// in-memory database is nobody else's: its lock is always free. Taking a lock this
    /// connection holds already succeeds.
    pub fn try_lock_migration_file(&mut self) -> Result<bool, RunnerError> {
        // Windows file locks are mandatory: an exclusive one would stop SQLite itself from
        // reading the file. There the migration lock is only each migration's `BEGIN
        // IMMEDIATE`, as it was before the file lock existed.
        if self.migration_lock.is_some() || cfg!(not(unix)) {
            return Ok(true);
        }
        let Some(path) = self.database_file_path() else {
            return Ok(true);
        };
        let lock_failed = |message: String| RunnerError::DatabaseConnection {
            location: path.clone(),
            message: format!("cannot lock the database file for the migration lock: {message}"),
        };
        let file = File::open(&path).map_err(|error| lock_failed(error.to_string()))?;
        match file.try_lock() {
            Ok(()) => {
                self.migration_lock = Some(file);
                Ok(true)
            }
            Err(std::fs::TryLockError::WouldBlock) => Ok(false),
            Err(std::fs::TryLockError::Error(error)) => Err(lock_failed(error.to_string())),
        }
    }

    /// Waits for the migration lock, for at most `lock_wait_timeout`, with the busy handler's
    /// delays; a signal ends the wait.
    pub fn wait_for_migration_file_lock(&mut self) -> Result<(), RunnerError> {
        let wait_started = Instant::now();
        for attempt in 0usize.. {
            if self.try_lock_migration_file()? {
                return Ok(());
            }
            if let Some(signal) = crate::interrupt::requested() {
                return Err(RunnerError::Interrupted { signal });
            }
            if !self.lock_wait_timeout.is_zero() && wait_started.elapsed() >= self.lock_wait_timeout
            {
                return Err(RunnerError::LockWaitTimeout {
                    lock: "the migration lock",
                    limit: self.lock_wait_timeout,
                });
            }
            let step = attempt.min(BUSY_DELAYS_MILLISECONDS.len() - 1);
            std::thread::sleep(Duration::from_millis(BUSY_DELAYS_MILLISECONDS[step]));
        }
        unreachable!("the wait loop only ends by returning")
    }

    /// Gives the migration lock back (closing the file handle unlocks it). Releasing a lock
    /// this connection does not hold does nothing.
    pub fn unlock_migration_file(&mut self) -> Result<(), RunnerError> {
        match self.migration_lock.take() {
            Some(file) => file
                .unlock()
                .map_err(|error| RunnerError::DatabaseConnection {
                    location: self.database_file_path().unwrap_or_default(),
                    message: format!("cannot unlock the database file: {error}"),
                }),
            None => Ok(()),
        }
    }

    /// The main database file, or `None` for an in-memory or temporary database.
    fn database_file_path(&self) -> Option<String> {
        self.connection
            .path()
            .filter(|path| !path.is_empty())
            .map(str::to_string)
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
}

/// A parameter value as rusqlite binds it; text is borrowed, not copied.
struct BoundValue<'a>(SqlValue<'a>);

impl rusqlite::ToSql for BoundValue<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            SqlValue::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            SqlValue::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            SqlValue::Integer(integer) => ToSqlOutput::Borrowed(ValueRef::Integer(integer)),
            SqlValue::Boolean(boolean) => {
                ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(boolean)))
            }
        })
    }
}

/// The rows `sql` returns on `connection`, every value as text (`NULL` as `None`, blobs as hex):
/// the form the planner's row interpretation reads. Public for the device-local library, which
/// holds a bare `rusqlite::Connection`.
pub fn text_rows(connection: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<Row>> {
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
