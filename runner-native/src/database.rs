//! One connection to one database, whichever provider it is.

use crate::error::RunnerError;
use planner::introspection::{introspection_queries, snapshot_from_rows, QueryResult, Row};
use planner::{DatabaseSchema, Provider};
use std::collections::HashMap;

/// An open connection. Methods take `&mut self` because a PostgreSQL client needs it.
pub enum Database {
    #[cfg(feature = "sqlite")]
    Sqlite(crate::sqlite::SqliteDatabase),
    #[cfg(feature = "postgres")]
    Postgresql(crate::postgres::PostgresDatabase),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Database({})", self.provider())
    }
}

/// Which provider a URL names: `postgres://` and `postgresql://` are PostgreSQL, anything else
/// (a path, `file:`, `sqlite:`) is a SQLite file.
pub fn provider_of_url(url: &str) -> Provider {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        Provider::Postgresql
    } else {
        Provider::Sqlite
    }
}

impl Database {
    /// Opens a database from a URL: `postgres://` or `postgresql://` for PostgreSQL (a Prisma
    /// `?schema=` parameter sets the search path), else a SQLite path or `file:` URL, which is
    /// created when missing. A relative SQLite path is relative to the current directory:
    /// resolving Prisma's "relative to the schema file" rule is the caller's job.
    pub fn open(url: &str) -> Result<Database, RunnerError> {
        match provider_of_url(url) {
            Provider::Postgresql => Database::open_postgres(url),
            Provider::Sqlite => Database::open_sqlite(url),
        }
    }

    #[cfg(feature = "postgres")]
    fn open_postgres(url: &str) -> Result<Database, RunnerError> {
        Ok(Database::Postgresql(crate::postgres::PostgresDatabase::open(url)?))
    }

    #[cfg(not(feature = "postgres"))]
    fn open_postgres(_url: &str) -> Result<Database, RunnerError> {
        Err(RunnerError::ProviderNotCompiled { provider: "PostgreSQL", feature: "postgres" })
    }

    #[cfg(feature = "sqlite")]
    fn open_sqlite(url: &str) -> Result<Database, RunnerError> {
        Ok(Database::Sqlite(crate::sqlite::SqliteDatabase::open(url)?))
    }

    #[cfg(not(feature = "sqlite"))]
    fn open_sqlite(_url: &str) -> Result<Database, RunnerError> {
        Err(RunnerError::ProviderNotCompiled { provider: "SQLite", feature: "sqlite" })
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

    /// Applies a migration atomically: every statement or none.
    ///
    /// PostgreSQL: one transaction. SQLite: foreign keys off (outside the transaction, where the
    /// pragma takes effect, as the table-rebuild procedure requires), `BEGIN IMMEDIATE`, the
    /// statements except `PRAGMA foreign_keys`/`defer_foreign_keys` (the runner handles those),
    /// then `PRAGMA foreign_key_check`: a violation rolls everything back with
    /// `foreign-key-violation`. Foreign keys are switched back on whatever happens.
    pub fn apply_statements(&mut self, statements: &[String]) -> Result<(), RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.apply_statements(statements),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => database.apply_statements(statements),
        }
    }

    /// Runs a migration's statements inside a transaction the caller opened (and, on SQLite,
    /// with foreign keys off): on SQLite it also keeps the triggers of rebuilt tables and checks
    /// foreign keys before the caller commits. Errors name the failing statement's position.
    pub fn run_migration_statements(&mut self, statements: &[String]) -> Result<(), RunnerError> {
        match *self {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(ref mut database) => database.run_migration_statements(statements),
            #[cfg(feature = "postgres")]
            Database::Postgresql(ref mut database) => {
                for (position, statement) in statements.iter().enumerate() {
                    database.execute_batch(statement).map_err(|error| match error {
                        RunnerError::StatementFailed { statement, message, .. } => {
                            RunnerError::StatementFailed { statement, position: Some(position), message }
                        }
                        other => other,
                    })?;
                }
                Ok(())
            }
        }
    }

    /// Reads the live schema: runs the planner's fixed set of catalog queries and lets the
    /// planner interpret the rows.
    pub fn introspect(&mut self) -> Result<DatabaseSchema, RunnerError> {
        let provider = self.provider();
        let mut results = Vec::new();
        for query in introspection_queries(provider) {
            let rows = self.query_rows(&query.sql)?;
            results.push(QueryResult { name: query.name, rows });
        }
        Ok(snapshot_from_rows(provider, &results)?)
    }

    /// The number of rows of every introspected table, to tell a destructive step on an empty
    /// table from one that loses data.
    pub fn row_counts(&mut self) -> Result<HashMap<String, u64>, RunnerError> {
        let schema = self.introspect()?;
        let mut counts = HashMap::new();
        for table in &schema.tables {
            let sql = format!("SELECT CAST(COUNT(*) AS TEXT) FROM {}", crate::sql_text::quote_identifier(&table.name));
            let rows = self.query_rows(&sql)?;
            let text = rows.first().and_then(|row| row.first()).and_then(|cell| cell.as_deref());
            let count =
                text.and_then(|text| text.parse::<u64>().ok()).ok_or_else(|| RunnerError::UnexpectedResult {
                    statement: sql.clone(),
                    message: format!("expected one count, got {text:?}"),
                })?;
            counts.insert(table.name.clone(), count);
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_provider() {
        assert_eq!(provider_of_url("postgresql://localhost/db"), Provider::Postgresql);
        assert_eq!(provider_of_url("postgres://localhost/db"), Provider::Postgresql);
        assert_eq!(provider_of_url("file:./dev.db"), Provider::Sqlite);
        assert_eq!(provider_of_url("/tmp/dev.db"), Provider::Sqlite);
    }
}
