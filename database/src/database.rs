//! One connection to one database, whichever provider it is.

use crate::database_url::{DatabaseUrl, PostgresUrl, SqliteUrl};
use crate::error::RunnerError;
use crate::parameters::{NamedRows, SqlValue};
use planner::introspection::{introspection_queries, snapshot_from_rows, QueryResult, Row};
use planner::{DatabaseSchema, Provider};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// An open connection. Methods take `&mut self` because a PostgreSQL client needs it.
pub enum Database {
    #[cfg(feature = "sqlite")]
    Sqlite(crate::sqlite::SqliteDatabase),
    /// Boxed: a PostgreSQL client is several times the size of a SQLite connection.
    #[cfg(feature = "postgres")]
    Postgresql(Box<crate::postgres::PostgresDatabase>),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Database({})", self.provider())
    }
}

/// How long to wait, and for what, when another process is in the way, and whether a missing
/// SQLite file may be created. Every limit of zero means "no limit".
#[derive(Clone)]
pub struct ConnectionOptions {
    /// PostgreSQL `lock_timeout` for every statement: how long one statement may wait for a table
    /// or row lock another connection holds before it is cancelled.
    pub lock_timeout: Duration,
    /// PostgreSQL `statement_timeout` for every statement (migration DDL and data changes
    /// included), except the wait for the migration lock.
    pub statement_timeout: Duration,
    /// How long to wait for the migration lock (PostgreSQL's advisory lock) or the SQLite write
    /// lock while another process holds it.
    pub lock_wait_timeout: Duration,
    /// SQLite: create the file when it does not exist. Read-only commands never do.
    pub create_missing_sqlite_file: bool,
    /// Called (by the SQLite busy handler, at the start of a wait) when another process holds
    /// the SQLite write lock, so that the user learns why nothing happens.
    pub on_write_lock_wait: Option<Arc<dyn Fn() + Send + Sync>>,
    /// PostgreSQL: how often a migration statement cancelled by `lock_timeout` runs again, and
    /// after which pauses (see `lock_retries.rs`).
    pub lock_retries: crate::LockRetries,
    /// Called before each such pause, to print the waiting line.
    pub on_lock_retry: Option<crate::LockRetryCallback>,
}

/// The default `lock_timeout`: a migration statement that cannot get its lock within 10 s is
/// cancelled rather than left queued in front of the application's own queries (which would
/// wait behind it). strong_migrations uses the same default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// The default `statement_timeout`: an hour, long enough for a backfill or an index build on a
/// big table, short enough that a runaway statement does not hold its locks for a day.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(60 * 60);
/// The default wait for another process's migration or write lock: a deploy that waits behind
/// another deploy's long migration should wait minutes, not seconds.
pub const DEFAULT_LOCK_WAIT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

impl Default for ConnectionOptions {
    fn default() -> ConnectionOptions {
        ConnectionOptions {
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            lock_wait_timeout: DEFAULT_LOCK_WAIT_TIMEOUT,
            create_missing_sqlite_file: true,
            on_write_lock_wait: None,
            lock_retries: crate::LockRetries::default(),
            on_lock_retry: None,
        }
    }
}

impl std::fmt::Debug for ConnectionOptions {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ConnectionOptions")
            .field("lock_timeout", &self.lock_timeout)
            .field("statement_timeout", &self.statement_timeout)
            .field("lock_wait_timeout", &self.lock_wait_timeout)
            .field(
                "create_missing_sqlite_file",
                &self.create_missing_sqlite_file,
            )
            .field("lock_retries", &self.lock_retries)
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Opens a database from a URL with the default options: `postgres://` or `postgresql://`
    /// for PostgreSQL (a Prisma `?schema=` parameter sets the search path), else a SQLite path
    /// or `file:` URL, which is created when missing. A relative SQLite path is relative to the
    /// current directory: resolving Prisma's "relative to the schema file" rule is the caller's
    /// job.
    pub fn open(url: &str) -> Result<Database, RunnerError> {
        Database::open_with_options(&DatabaseUrl::parse(url)?, &ConnectionOptions::default())
    }

    pub fn open_with_options(
        url: &DatabaseUrl,
        options: &ConnectionOptions,
    ) -> Result<Database, RunnerError> {
        match url {
            DatabaseUrl::Postgresql(url) => Database::open_postgres(url, options),
            DatabaseUrl::Sqlite(url) => Database::open_sqlite(url, options),
        }
    }

    /// PostgreSQL: creates the database the URL names when it does not exist yet (see
    /// `postgres::create_database_if_missing`); whether it did. SQLite files are created by
    /// opening them.
    #[cfg(feature = "postgres")]
    pub fn create_postgres_database_if_missing(url: &PostgresUrl) -> Result<bool, RunnerError> {
        crate::postgres::create_database_if_missing(url)
    }

    #[cfg(not(feature = "postgres"))]
    pub fn create_postgres_database_if_missing(_url: &PostgresUrl) -> Result<bool, RunnerError> {
        Err(RunnerError::ProviderNotCompiled {
            provider: "PostgreSQL",
            feature: "postgres",
        })
    }

    #[cfg(feature = "postgres")]
    fn open_postgres(
        url: &PostgresUrl,
        options: &ConnectionOptions,
    ) -> Result<Database, RunnerError> {
        Ok(Database::Postgresql(Box::new(
            crate::postgres::PostgresDatabase::open(url, options)?,
        )))
    }

    #[cfg(not(feature = "postgres"))]
    fn open_postgres(
        _url: &PostgresUrl,
        _options: &ConnectionOptions,
    ) -> Result<Database, RunnerError> {
        Err(RunnerError::ProviderNotCompiled {
            provider: "PostgreSQL",
            feature: "postgres",
        })
    }

    #[cfg(feature = "sqlite")]
    fn open_sqlite(url: &SqliteUrl, options: &ConnectionOptions) -> Result<Database, RunnerError> {
        Ok(Database::Sqlite(crate::sqlite::SqliteDatabase::open(
            &url.path, options,
        )?))
    }

    #[cfg(not(feature = "sqlite"))]
    fn open_sqlite(
        _url: &SqliteUrl,
        _options: &ConnectionOptions,
    ) -> Result<Database, RunnerError> {
        Err(RunnerError::ProviderNotCompiled {
            provider: "SQLite",
            feature: "sqlite",
        })
    }

    /// The URL and options a PostgreSQL connection was opened with, so that another database
    /// on the same server can be opened the same way (a scratch database for a replay); `None`
    /// for SQLite.
    pub fn postgres_connection_parameters(&self) -> Option<(PostgresUrl, ConnectionOptions)> {
        match self {
            #[cfg(feature = "postgres")]
            Database::Postgresql(database) => {
                let (url, options) = database.connection_parameters();
                Some((url.clone(), options.clone()))
            }
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    pub fn provider(&self) -> Provider {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(_) => Provider::Sqlite,
            #[cfg(feature = "postgres")]
            Database::Postgresql(_) => Provider::Postgresql,
        }
    }

    /// Runs SQL that returns no rows the caller needs; several statements are allowed.
    /// After `lock_timeout` cancelled `what` for the `retry`-th time (1-based): when a retry is
    /// left, says so through the waiting-line callback, pauses, and returns true. SQLite waits
    /// for its lock in the busy handler instead: never.
    pub fn wait_before_lock_retry(&self, retry: u32, what: &str) -> bool {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(_) => {
                let _ = (retry, what);
                false
            }
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref database) => database.wait_before_lock_retry(retry, what),
        }
    }

    pub fn execute_batch(&mut self, sql: &str) -> Result<(), RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.execute_batch(sql),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => database.execute_batch(sql),
        }
    }

    /// Runs a query and returns every value as text, NULL as `None`. On PostgreSQL values come
    /// in PostgreSQL's text output format; on SQLite integers and reals are printed by Rust
    /// and blobs as lowercase hex, so cast in SQL when an exact spelling matters.
    pub fn query_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.query_rows(sql),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => database.query_rows(sql),
        }
    }

    /// Runs a query with values bound to its parameters (`$1`, ... on PostgreSQL, `?1`, ... on
    /// SQLite) and returns its rows with their column names, every value as text. On
    /// PostgreSQL the columns of a query with parameters must be of a text type.
    pub fn query_named_rows(
        &mut self,
        sql: &str,
        parameters: &[SqlValue<'_>],
    ) -> Result<NamedRows, RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.query_named_rows(sql, parameters),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => database.query_named_rows(sql, parameters),
        }
    }

    /// Runs one statement with values bound to its parameters; returns the rows it changed.
    pub fn execute_with_parameters(
        &mut self,
        sql: &str,
        parameters: &[SqlValue<'_>],
    ) -> Result<u64, RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.execute_with_parameters(sql, parameters),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => {
                database.execute_with_parameters(sql, parameters)
            }
        }
    }

    /// SQLite: takes the migration lock (an exclusive lock on the database file) when no other
    /// connection holds it, and says whether it did. PostgreSQL's migration lock is an
    /// advisory lock, taken with SQL: this is never called for it, and says yes.
    pub fn try_lock_migration_file(&mut self) -> Result<bool, RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.try_lock_migration_file(),
            #[cfg(feature = "postgres")]
            Database::Postgresql(_) => Ok(true),
        }
    }

    /// SQLite: waits for the migration lock for at most the connection's `lock_wait_timeout`.
    /// PostgreSQL: nothing (see `wait_for_advisory_lock`).
    pub fn wait_for_migration_file_lock(&mut self) -> Result<(), RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.wait_for_migration_file_lock(),
            #[cfg(feature = "postgres")]
            Database::Postgresql(_) => Ok(()),
        }
    }

    /// SQLite: gives the migration lock back. PostgreSQL: nothing.
    pub fn unlock_migration_file(&mut self) -> Result<(), RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.unlock_migration_file(),
            #[cfg(feature = "postgres")]
            Database::Postgresql(_) => Ok(()),
        }
    }

    /// Empties the database in place, for `migrate reset` and `db push --force-reset`.
    ///
    /// PostgreSQL: the schema the URL names (`?schema=`, else `public`) is dropped with
    /// everything in it and created again, empty; when it does not exist it is created (as
    /// Prisma's reset does). No other schema is touched. SQLite: the file is emptied through
    /// `SQLITE_DBCONFIG_RESET_DATABASE` and `VACUUM`, so that its mode, owner, links and
    /// journal mode stay as they were.
    pub fn wipe(&mut self) -> Result<(), RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.wipe(),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => database.wipe(),
        }
    }

    /// PostgreSQL: creates the URL's schema when it does not exist yet, and says whether it
    /// had to. SQLite has no schemas: nothing happens.
    pub fn create_schema_if_missing(&mut self) -> Result<bool, RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(_) => Ok(false),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => database.create_schema_if_missing(),
        }
    }

    /// PostgreSQL: waits for the session advisory lock `key`, for at most the connection's
    /// `lock_wait_timeout` and never cut short by `lock_timeout` or `statement_timeout`.
    /// SQLite has no such lock: nothing happens.
    pub fn wait_for_advisory_lock(&mut self, key: i64) -> Result<(), RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(_) => {
                let _ = key;
                Ok(())
            }
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => database.wait_for_advisory_lock(key),
        }
    }

    /// Reads the live schema: runs the planner's fixed set of catalog queries and lets the
    /// planner interpret the rows.
    pub fn introspect(&mut self) -> Result<DatabaseSchema, RunnerError> {
        let provider = self.provider();
        let mut results = Vec::new();
        for query in introspection_queries(provider) {
            let rows = self.query_rows(&query.sql)?;
            results.push(QueryResult {
                name: query.name,
                rows,
            });
        }
        Ok(snapshot_from_rows(provider, &results)?)
    }

    /// The number of rows of every introspected table, to tell a destructive step on an empty
    /// table from one that loses data.
    pub fn row_counts(&mut self) -> Result<HashMap<String, u64>, RunnerError> {
        let schema = self.introspect()?;
        let mut counts = HashMap::new();
        for table in &schema.tables {
            let sql = format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM {}",
                crate::sql_text::quote_identifier(&table.name)
            );
            let rows = self.query_rows(&sql)?;
            let text = rows
                .first()
                .and_then(|row| row.first())
                .and_then(|cell| cell.as_deref());
            let count = text
                .and_then(|text| text.parse::<u64>().ok())
                .ok_or_else(|| RunnerError::UnexpectedResult {
                    statement: sql.clone(),
                    message: format!("expected one count, got {text:?}"),
                })?;
            counts.insert(table.name.clone(), count);
        }
        Ok(counts)
    }
}
