//! PostgreSQL through the synchronous `postgres` client, without TLS.
//!
//! Every session is set up the same way right after it connects: the search path is the one
//! schema the URL names (`?schema=`, else `public`), `standard_conforming_strings` is on (so a
//! backslash in a string literal is a backslash, whatever the server's or database's default),
//! and `lock_timeout` and `statement_timeout` are the connection options' limits. A session
//! is named `comon` (`application_name`) unless the URL names it, so that `pg_stat_activity`
//! tells a DBA which connection holds the migration lock.

use crate::database::ConnectionOptions;
use crate::database_url::PostgresUrl;
use crate::error::RunnerError;
use crate::parameters::{NamedRows, SqlValue};
use crate::sql_text::quote_identifier;
use planner::introspection::Row;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, SimpleQueryMessage};
use std::str::FromStr;
use std::time::Duration;

pub struct PostgresDatabase {
    client: Client,
    /// The schema the URL names: the only one this connection reads, changes or resets.
    schema: String,
    lock_timeout: Duration,
    statement_timeout: Duration,
    lock_wait_timeout: Duration,
    lock_retries: crate::LockRetries,
    on_lock_retry: Option<crate::LockRetryCallback>,
    /// How this connection was opened, so that a second one can be opened on the same server
    /// (`Database::postgres_connection_parameters`: the scratch database of a replay).
    url: PostgresUrl,
    options: ConnectionOptions,
    _interrupt_registration: crate::interrupt::Registration,
}

/// The `application_name` of comon's sessions when the URL sets none.
const APPLICATION_NAME: &str = "comon";

/// SQLSTATE `lock_not_available`: `lock_timeout` passed.
const LOCK_NOT_AVAILABLE: &str = "55P03";
/// SQLSTATE `query_canceled`: a cancel request or `statement_timeout`.
const QUERY_CANCELED: &str = "57014";

/// Whether `error` says the connection ended: the socket closed, class 08 (connection
/// exception), or the server ending the session (57P01 `admin_shutdown`, which
/// `pg_terminate_backend` and a fast shutdown send; 57P02 `crash_shutdown`; 57P03
/// `cannot_connect_now`).
fn is_connection_lost(error: &postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    match error.as_db_error() {
        Some(database_error) => {
            let code = database_error.code().code();
            code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
        }
        // An IO error under the client: the connection is gone.
        None => std::error::Error::source(error)
            .is_some_and(|source| source.downcast_ref::<std::io::Error>().is_some()),
    }
}

/// PostgreSQL's own message, detail and hint when the server sent them.
fn describe(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(database_error) => {
            let mut description = format!(
                "{} [{}]: {}",
                database_error.severity(),
                database_error.code().code(),
                database_error.message()
            );
            if let Some(detail) = database_error.detail() {
                description.push_str(&format!("\nDetail: {detail}"));
            }
            if let Some(hint) = database_error.hint() {
                description.push_str(&format!("\nHint: {hint}"));
            }
            description
        }
        None => error.to_string(),
    }
}

/// A value for a libpq `key='value'` connection string: quoted, with `\` and `'` escaped.
fn connection_string_value(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The client configuration for a parsed URL. The client's own parameters (`sslmode`,
/// `connect_timeout`, ...) go through the client's parser, which checks them; host, port, user,
/// password and database are set directly, so they are never written into a string.
fn client_config(url: &PostgresUrl) -> Result<Config, RunnerError> {
    let mut config = if url.client_parameters.is_empty() {
        Config::new()
    } else {
        let parameters: Vec<String> = url
            .client_parameters
            .iter()
            .map(|(key, value)| format!("{key}={}", connection_string_value(value)))
            .collect();
        Config::from_str(&parameters.join(" ")).map_err(|error| RunnerError::InvalidDatabaseUrl {
            reason: format!("a parameter of the PostgreSQL URL is not one the client knows or accepts ({error})"),
        })?
    };
    for host in url.host.split(',') {
        config.host(host);
    }
    config.port(url.port);
    if let Some(user) = &url.user {
        config.user(user);
    }
    if config.get_application_name().is_none() {
        config.application_name(APPLICATION_NAME);
    }
    if let Some(password) = &url.password {
        config.password(password);
    }
    config.dbname(url.database_name());
    Ok(config)
}

/// `lock_timeout`/`statement_timeout` values: whole milliseconds, 0 for none.
fn milliseconds(duration: Duration) -> u128 {
    duration.as_millis()
}

/// Creates the database `url` names when the server says it does not exist (SQLSTATE 3D000),
/// connecting to the `postgres` maintenance database to run `CREATE DATABASE`, as
/// `prisma migrate dev` does. Returns whether it was created. Any other connection failure is
/// returned as it is, and nothing is created.
pub fn create_database_if_missing(url: &PostgresUrl) -> Result<bool, RunnerError> {
    let connection_failed =
        |url: &PostgresUrl, error: &postgres::Error| RunnerError::DatabaseConnection {
            location: url.describe(),
            message: describe(error),
        };
    match client_config(url)?.connect(NoTls) {
        Ok(_) => return Ok(false),
        Err(error) if error.code() == Some(&postgres::error::SqlState::INVALID_CATALOG_NAME) => {}
        Err(error) => return Err(connection_failed(url, &error)),
    }
    let mut maintenance = url.clone();
    maintenance.database = Some("postgres".to_string());
    let mut client = client_config(&maintenance)?
        .connect(NoTls)
        .map_err(|error| connection_failed(&maintenance, &error))?;
    let statement = format!("CREATE DATABASE {}", quote_identifier(url.database_name()));
    client
        .batch_execute(&statement)
        .map_err(|error| RunnerError::StatementFailed {
            statement,
            position: None,
            message: describe(&error),
        })?;
    Ok(true)
}

impl PostgresDatabase {
    pub fn open(
        url: &PostgresUrl,
        options: &ConnectionOptions,
    ) -> Result<PostgresDatabase, RunnerError> {
        let connection_failed = |message: String| RunnerError::DatabaseConnection {
            location: url.describe(),
            message,
        };
        let client = client_config(url)?
            .connect(NoTls)
            .map_err(|error| connection_failed(describe(&error)))?;
        let interrupt_registration = crate::interrupt::register(
            crate::interrupt::CancelTarget::Postgresql(client.cancel_token()),
        );
        let mut database = PostgresDatabase {
            client,
            schema: url.schema.clone(),
            lock_timeout: options.lock_timeout,
            statement_timeout: options.statement_timeout,
            lock_wait_timeout: options.lock_wait_timeout,
            lock_retries: options.lock_retries,
            on_lock_retry: options.on_lock_retry.clone(),
            url: url.clone(),
            options: options.clone(),
            _interrupt_registration: interrupt_registration,
        };
        let setup = format!(
            "SET search_path TO {}; SET standard_conforming_strings = on; {}",
            quote_identifier(&url.schema),
            database.timeouts_sql(database.lock_timeout, database.statement_timeout)
        );
        database
            .execute_batch(&setup)
            .map_err(|error| connection_failed(error.to_string()))?;
        Ok(database)
    }

    /// The URL and options this connection was opened with.
    pub fn connection_parameters(&self) -> (&PostgresUrl, &ConnectionOptions) {
        (&self.url, &self.options)
    }

    /// See `Database::wait_before_lock_retry`.
    pub fn wait_before_lock_retry(&self, retry: u32, what: &str) -> bool {
        let Some(backoff) = self.lock_retries.backoff(retry) else {
            return false;
        };
        if crate::interrupt::requested().is_some() {
            return false;
        }
        if let Some(callback) = &self.on_lock_retry {
            callback(&crate::LockRetryNotice {
                what: what.to_string(),
                retry,
                retries: self.lock_retries.retries,
                backoff,
                lock_timeout: self.lock_timeout,
            });
        }
        std::thread::sleep(backoff);
        true
    }

    fn timeouts_sql(&self, lock_timeout: Duration, statement_timeout: Duration) -> String {
        format!(
            "SET lock_timeout = {}; SET statement_timeout = {}",
            milliseconds(lock_timeout),
            milliseconds(statement_timeout)
        )
    }

    /// The error for a failed statement, told apart by SQLSTATE: an interruption, a lock wait
    /// past `lock_timeout`, a statement past `statement_timeout`, or any other failure.
    fn failure(&self, sql: &str, error: &postgres::Error) -> RunnerError {
        if let Some(signal) = crate::interrupt::requested() {
            return RunnerError::Interrupted { signal };
        }
        let code = error
            .as_db_error()
            .map(|database_error| database_error.code().code());
        let message = error
            .as_db_error()
            .map(|database_error| database_error.message())
            .unwrap_or("");
        match code {
            Some(LOCK_NOT_AVAILABLE) if message.contains("lock timeout") => {
                RunnerError::LockTimeout {
                    statement: sql.to_string(),
                    position: None,
                    limit: self.lock_timeout,
                }
            }
            Some(QUERY_CANCELED) if message.contains("statement timeout") => {
                RunnerError::StatementTimeout {
                    statement: sql.to_string(),
                    position: None,
                    limit: self.statement_timeout,
                }
            }
            _ if is_connection_lost(error) => RunnerError::ConnectionLost {
                statement: sql.to_string(),
                position: None,
                message: describe(error),
            },
            _ => RunnerError::statement_failed(sql, None, describe(error)),
        }
    }

    /// Whether a failed statement is cleanup after a signal that the signal's own cancel request
    /// hit: the server handles a cancel asynchronously, so one sent while the interrupted
    /// statement was ending can land on the `ROLLBACK` or the unlock that follows it. A cancel
    /// ends one statement, so running that cleanup once more is what the user asked for.
    fn cancelled_cleanup(sql: &str, error: &postgres::Error) -> bool {
        crate::interrupt::requested().is_some()
            && crate::interrupt::is_cleanup(sql)
            && error
                .as_db_error()
                .is_some_and(|database_error| database_error.code().code() == QUERY_CANCELED)
    }

    pub fn execute_batch(&mut self, sql: &str) -> Result<(), RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        let mut result = self.client.batch_execute(sql);
        if matches!(&result, Err(error) if Self::cancelled_cleanup(sql, error)) {
            result = self.client.batch_execute(sql);
        }
        result.map_err(|error| self.failure(sql, &error))
    }

    /// The simple query protocol returns every value in PostgreSQL's text format, which is
    /// exactly the "every value as text" contract of the planner's introspection.
    pub fn query_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        let messages = match self.client.simple_query(sql) {
            Ok(messages) => messages,
            Err(error) => return Err(self.failure(sql, &error)),
        };
        let mut rows = Vec::new();
        for message in messages {
            if let SimpleQueryMessage::Row(row) = message {
                let mut values = Vec::with_capacity(row.len());
                for index in 0..row.len() {
                    match row.try_get(index) {
                        Ok(value) => values.push(value.map(str::to_string)),
                        Err(error) => return Err(self.failure(sql, &error)),
                    }
                }
                rows.push(values);
            }
        }
        Ok(rows)
    }

    /// Runs a query with bound parameters and returns its rows with their column names. Without
    /// parameters it goes through the simple query protocol, whose values are all text; with
    /// parameters every column must be of a text type (cast it in SQL, `CAST(id AS TEXT)`).
    pub fn query_named_rows(
        &mut self,
        sql: &str,
        parameters: &[SqlValue<'_>],
    ) -> Result<NamedRows, RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        if parameters.is_empty() {
            return self.simple_query_named_rows(sql);
        }
        let typed = typed_parameters(parameters);
        let mut result = self.client.query_typed(sql, &parameter_references(&typed));
        if matches!(&result, Err(error) if Self::cancelled_cleanup(sql, error)) {
            result = self.client.query_typed(sql, &parameter_references(&typed));
        }
        let rows = result.map_err(|error| self.failure(sql, &error))?;
        let mut named = NamedRows {
            columns: rows
                .first()
                .map(|row| {
                    row.columns()
                        .iter()
                        .map(|column| column.name().to_string())
                        .collect()
                })
                .unwrap_or_default(),
            rows: Vec::with_capacity(rows.len()),
        };
        for row in rows {
            let mut values = Vec::with_capacity(row.len());
            for index in 0..row.len() {
                match row.try_get::<_, Option<String>>(index) {
                    Ok(value) => values.push(value),
                    Err(error) => return Err(self.failure(sql, &error)),
                }
            }
            named.rows.push(values);
        }
        Ok(named)
    }

    /// Runs one statement with bound parameters and returns the number of rows it changed.
    pub fn execute_with_parameters(
        &mut self,
        sql: &str,
        parameters: &[SqlValue<'_>],
    ) -> Result<u64, RunnerError> {
        crate::interrupt::refuse_after_interrupt(sql)?;
        let typed = typed_parameters(parameters);
        let mut result = self
            .client
            .execute_typed(sql, &parameter_references(&typed));
        if matches!(&result, Err(error) if Self::cancelled_cleanup(sql, error)) {
            result = self
                .client
                .execute_typed(sql, &parameter_references(&typed));
        }
        result.map_err(|error| self.failure(sql, &error))
    }

    fn simple_query_named_rows(&mut self, sql: &str) -> Result<NamedRows, RunnerError> {
        let messages = match self.client.simple_query(sql) {
            Ok(messages) => messages,
            Err(error) => return Err(self.failure(sql, &error)),
        };
        let mut named = NamedRows::default();
        for message in messages {
            match message {
                SimpleQueryMessage::RowDescription(columns) => {
                    named.columns = columns
                        .iter()
                        .map(|column| column.name().to_string())
                        .collect();
                }
                SimpleQueryMessage::Row(row) => {
                    if named.columns.is_empty() {
                        named.columns = row
                            .columns()
                            .iter()
                            .map(|column| column.name().to_string())
                            .collect();
                    }
                    let mut values = Vec::with_capacity(row.len());
                    for index in 0..row.len() {
                        match row.try_get(index) {
                            Ok(value) => values.push(value.map(str::to_string)),
                            Err(error) => return Err(self.failure(sql, &error)),
                        }
                    }
                    named.rows.push(values);
                }
                _ => {}
            }
        }
        Ok(named)
    }

    /// Creates the URL's schema when it does not exist (`CREATE SCHEMA IF NOT EXISTS`, the name
    /// quoted), as Prisma Migrate does before it migrates; whether it had to.
    pub fn create_schema_if_missing(&mut self) -> Result<bool, RunnerError> {
        let rows = self.query_named_rows(
            "SELECT CAST(nspname AS TEXT) AS name FROM pg_namespace WHERE nspname = $1",
            &[SqlValue::Text(&self.schema.clone())],
        )?;
        if !rows.rows.is_empty() {
            return Ok(false);
        }
        self.execute_batch(&format!(
            "CREATE SCHEMA IF NOT EXISTS {}",
            quote_identifier(&self.schema)
        ))?;
        Ok(true)
    }

    /// Drops the URL's schema with everything in it and creates it again, empty. A schema that
    /// does not exist yet is created. Other schemas are never touched.
    pub fn wipe(&mut self) -> Result<(), RunnerError> {
        let schema = quote_identifier(&self.schema);
        self.execute_batch(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
    }

    /// Waits for the advisory lock `key` for at most `lock_wait_timeout` (zero: no limit), by
    /// asking for it with `pg_try_advisory_lock` again and again, idle in between. A session
    /// blocked inside `pg_advisory_lock` holds a snapshot for as long as it waits, and
    /// `CREATE INDEX CONCURRENTLY` in the lock holder's online phase waits for every older
    /// snapshot: the two would wait for each other until PostgreSQL broke the deadlock by
    /// failing one of them. Polling leaves no snapshot to wait for.
    pub fn wait_for_advisory_lock(&mut self, key: i64) -> Result<(), RunnerError> {
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(20);
        loop {
            if let Some(signal) = crate::interrupt::requested() {
                return Err(RunnerError::Interrupted { signal });
            }
            let rows = self.query_rows(&format!("SELECT pg_try_advisory_lock({key})::text"))?;
            let taken = rows
                .first()
                .and_then(|row| row.first())
                .and_then(|value| value.as_deref())
                == Some("true");
            if taken {
                return Ok(());
            }
            if !self.lock_wait_timeout.is_zero() && started.elapsed() >= self.lock_wait_timeout {
                return Err(RunnerError::LockWaitTimeout {
                    lock: "the migration lock",
                    limit: self.lock_wait_timeout,
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(250));
        }
    }
}

/// Each parameter with the type it is sent as. The types are given, not asked of the server, so
/// that a statement is one round trip and no prepared statement outlives it (which also keeps
/// connection poolers happy). A NULL is sent as text; an integer as `bigint`, which the server
/// casts on assignment to a narrower column.
fn typed_parameters(parameters: &[SqlValue<'_>]) -> Vec<(Box<dyn ToSql + Sync>, Type)> {
    parameters
        .iter()
        .map(|value| -> (Box<dyn ToSql + Sync>, Type) {
            match *value {
                SqlValue::Null => (Box::new(Option::<String>::None), Type::TEXT),
                SqlValue::Text(text) => (Box::new(text.to_string()), Type::TEXT),
                SqlValue::Integer(integer) => (Box::new(integer), Type::INT8),
                SqlValue::Boolean(boolean) => (Box::new(boolean), Type::BOOL),
            }
        })
        .collect()
}

fn parameter_references(
    typed: &[(Box<dyn ToSql + Sync>, Type)],
) -> Vec<(&(dyn ToSql + Sync), Type)> {
    typed
        .iter()
        .map(|(value, parameter_type)| (value.as_ref(), parameter_type.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_string_values_are_quoted() {
        assert_eq!(
            connection_string_value("it's a \\ test"),
            "'it\\'s a \\\\ test'"
        );
    }

    #[test]
    fn client_parameters_are_checked_by_the_client() {
        let url = |text: &str| match crate::database_url::DatabaseUrl::parse(text).unwrap() {
            crate::database_url::DatabaseUrl::Postgresql(url) => url,
            other => panic!("{other:?}"),
        };
        let config = client_config(&url(
            "postgresql://u:p@h:7/db?sslmode=disable&application_name=it%27s",
        ))
        .unwrap();
        assert_eq!(config.get_application_name(), Some("it's"));
        assert_eq!(config.get_ports(), &[7]);
        assert_eq!(config.get_password(), Some("p".as_bytes()));
        let unnamed = client_config(&url("postgresql://u:p@h/db")).unwrap();
        assert_eq!(unnamed.get_application_name(), Some("comon"));
        let error = client_config(&url("postgresql://u:secret@h/db?frobnicate=1")).unwrap_err();
        assert_eq!(error.code(), "invalid-database-url");
        assert!(!error.to_string().contains("secret"));
    }
}
