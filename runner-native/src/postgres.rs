//! PostgreSQL through the synchronous `postgres` client, without TLS.

use crate::error::RunnerError;
use planner::introspection::Row;
use postgres::{Client, NoTls, SimpleQueryMessage};

pub struct PostgresDatabase {
    client: Client,
}

/// URL parameters that Prisma understands and the PostgreSQL client does not: they are
/// dropped rather than rejected, so that a Prisma `DATABASE_URL` works as it is.
const PRISMA_ONLY_PARAMETERS: &[&str] = &[
    "schema",
    "connection_limit",
    "pool_timeout",
    "pgbouncer",
    "statement_cache_size",
    "socket_timeout",
    "sslaccept",
    "sslcert",
    "sslidentity",
    "sslpassword",
];

/// A connection URL for the client and the schema named by Prisma's `?schema=` parameter.
pub(crate) fn split_prisma_parameters(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut schema = None;
    let mut kept = Vec::new();
    for parameter in query.split('&').filter(|parameter| !parameter.is_empty()) {
        let (key, value) = parameter.split_once('=').unwrap_or((parameter, ""));
        if key == "schema" {
            schema = Some(percent_decode(value));
        } else if !PRISMA_ONLY_PARAMETERS.contains(&key) {
            kept.push(parameter);
        }
    }
    let connection_url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    (connection_url, schema.filter(|schema| !schema.is_empty()))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        let hex = bytes.get(position + 1..position + 3).and_then(|pair| std::str::from_utf8(pair).ok());
        match (bytes[position], hex.and_then(|pair| u8::from_str_radix(pair, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                position += 3;
            }
            (b'+', _) => {
                decoded.push(b' ');
                position += 1;
            }
            (byte, _) => {
                decoded.push(byte);
                position += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The URL with its password replaced by `***`, for error messages.
pub(crate) fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_information, host)) => match user_information.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
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

impl PostgresDatabase {
    pub fn open(url: &str) -> Result<PostgresDatabase, RunnerError> {
        let (connection_url, schema) = split_prisma_parameters(url.trim());
        let connection_failed =
            |message: String| RunnerError::DatabaseConnection { location: redact_password(url), message };
        let client = Client::connect(&connection_url, NoTls).map_err(|error| connection_failed(describe(&error)))?;
        let mut database = PostgresDatabase { client };
        if let Some(schema) = schema {
            let sql = format!("SET search_path TO {}", crate::sql_text::quote_identifier(&schema));
            database.execute_batch(&sql).map_err(|error| connection_failed(error.to_string()))?;
        }
        Ok(database)
    }

    pub fn execute_batch(&mut self, sql: &str) -> Result<(), RunnerError> {
        self.client.batch_execute(sql).map_err(|error| RunnerError::statement_failed(sql, None, describe(&error)))
    }

    /// The simple query protocol returns every value in PostgreSQL's text format, which is
    /// exactly the "every value as text" contract of the planner's introspection.
    pub fn query_rows(&mut self, sql: &str) -> Result<Vec<Row>, RunnerError> {
        let failed = |error: postgres::Error| RunnerError::statement_failed(sql, None, describe(&error));
        let messages = self.client.simple_query(sql).map_err(failed)?;
        let mut rows = Vec::new();
        for message in messages {
            if let SimpleQueryMessage::Row(row) = message {
                let mut values = Vec::with_capacity(row.len());
                for index in 0..row.len() {
                    values.push(row.try_get(index).map_err(failed)?.map(str::to_string));
                }
                rows.push(values);
            }
        }
        Ok(rows)
    }

    pub fn apply_statements(&mut self, statements: &[String]) -> Result<(), RunnerError> {
        let mut transaction = self
            .client
            .transaction()
            .map_err(|error| RunnerError::statement_failed("BEGIN", None, describe(&error)))?;
        for (position, statement) in statements.iter().enumerate() {
            if let Err(error) = transaction.batch_execute(statement) {
                let message = describe(&error);
                // The statement's error is the one worth reporting; dropping the transaction
                // rolls back as well, should the explicit rollback fail.
                let _ = transaction.rollback();
                return Err(RunnerError::statement_failed(statement, Some(position), message));
            }
        }
        transaction.commit().map_err(|error| RunnerError::statement_failed("COMMIT", None, describe(&error)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisma_parameters_are_removed_and_schema_is_kept() {
        let (url, schema) =
            split_prisma_parameters("postgresql://u@h:5432/db?schema=my%20app&connection_limit=5&sslmode=disable");
        assert_eq!(url, "postgresql://u@h:5432/db?sslmode=disable");
        assert_eq!(schema.as_deref(), Some("my app"));
        let (url, schema) = split_prisma_parameters("postgresql://u@h/db");
        assert_eq!(url, "postgresql://u@h/db");
        assert_eq!(schema, None);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_password("postgresql://user:secret@host:5432/db"), "postgresql://user:***@host:5432/db");
        assert_eq!(redact_password("postgresql://user@host/db"), "postgresql://user@host/db");
    }
}
