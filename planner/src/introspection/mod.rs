//! Introspection, split so that every runner introspects identically: the planner owns the
//! catalog queries (as SQL text) and the interpretation of their rows; a runner (native, npm,
//! browser) only executes the queries and hands the rows back as text.
//!
//! The number of queries is fixed per provider, whatever the size of the schema.

pub mod postgres;
pub mod sqlite;

use crate::database_schema::DatabaseSchema;
use crate::provider::Provider;
use serde::{Deserialize, Serialize};

/// One catalog query. `name` identifies its rows in `QueryResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntrospectionQuery {
    pub name: String,
    pub sql: String,
}

/// One row of a query result: every value as text (the queries cast to text), `None` for NULL.
pub type Row = Vec<Option<String>>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryResult {
    pub name: String,
    pub rows: Vec<Row>,
}

/// Tables that belong to migration tooling, never to the user's schema.
pub const IGNORED_TABLES: &[&str] = &["_comon_orm_migrations", "_prisma_migrations"];

pub fn introspection_queries(provider: Provider) -> Vec<IntrospectionQuery> {
    match provider {
        Provider::Postgresql => postgres::queries(),
        Provider::Sqlite => sqlite::queries(),
    }
}

/// Interprets the rows of `introspection_queries(provider)` into a database schema.
pub fn snapshot_from_rows(provider: Provider, results: &[QueryResult]) -> Result<DatabaseSchema, crate::error::SchemaError> {
    let mut schema = match provider {
        Provider::Postgresql => postgres::snapshot_from_rows(results)?,
        Provider::Sqlite => sqlite::snapshot_from_rows(results)?,
    };
    schema.normalize_order();
    Ok(schema)
}

/// Finds the rows of the named query, or an `introspection-missing-rows` error.
pub(crate) fn rows_of<'a>(results: &'a [QueryResult], name: &str) -> Result<&'a [Row], crate::error::SchemaError> {
    results
        .iter()
        .find(|result| result.name == name)
        .map(|result| result.rows.as_slice())
        .ok_or_else(|| {
            crate::error::SchemaError::new(
                "introspection-missing-rows",
                format!("The introspection result has no rows for the query `{name}`."),
                None,
            )
        })
}
