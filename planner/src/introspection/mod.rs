//! Introspection, split so that every runner introspects identically: the planner owns the
//! catalog queries (as SQL text) and the interpretation of their rows; a runner (native, npm,
//! browser) only executes the queries and hands the rows back as text.
//!
//! The number of queries is fixed per provider, whatever the size of the schema. The query text
//! lives in `queries/<provider>_<name>.sql`.

pub mod postgresql;
pub mod sqlite;

use crate::database_schema::DatabaseSchema;
use crate::error::SchemaError;
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

/// The ignored tables as a SQL list of string literals, for `NOT IN ({ignored_tables})` in the
/// query files.
fn ignored_tables_sql_list() -> String {
    IGNORED_TABLES
        .iter()
        .map(|name| format!("'{}'", name.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text sent to the database for a query file of `queries/` (included at compile time):
/// whole-line `--` comments, written for the reader, are left out, and the other lines are
/// trimmed and joined by single spaces. So the files are laid out for reading while the
/// queries stay one line each, as every runner has always sent them. `{name}` placeholders are
/// filled in by the caller.
fn query_text(file: &str) -> String {
    file.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn introspection_queries(provider: Provider) -> Vec<IntrospectionQuery> {
    match provider {
        Provider::Postgresql => postgresql::queries(),
        Provider::Sqlite => sqlite::queries(),
    }
}

/// Interprets the rows of `introspection_queries(provider)` into a database schema.
pub fn snapshot_from_rows(
    provider: Provider,
    results: &[QueryResult],
) -> Result<DatabaseSchema, crate::error::SchemaError> {
    let mut schema = match provider {
        Provider::Postgresql => postgresql::snapshot_from_rows(results)?,
        Provider::Sqlite => sqlite::snapshot_from_rows(results)?,
    };
    schema.normalize_order();
    Ok(schema)
}

/// Finds the rows of the named query, or an `introspection-missing-rows` error.
pub(crate) fn rows_of<'a>(
    results: &'a [QueryResult],
    name: &str,
) -> Result<&'a [Row], crate::error::SchemaError> {
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

/// Reads the text cells of one row, with errors that name the query.
pub(crate) struct RowReader<'a> {
    row: &'a Row,
    query_name: &'static str,
}

impl<'a> RowReader<'a> {
    pub(crate) fn new(
        row: &'a Row,
        query_name: &'static str,
        expected_cells: usize,
    ) -> Result<RowReader<'a>, SchemaError> {
        if row.len() < expected_cells {
            return Err(SchemaError::new(
                "introspection-malformed-row",
                format!(
                    "A row of the introspection query `{query_name}` has {} values; {expected_cells} were expected.",
                    row.len()
                ),
                None,
            ));
        }
        Ok(RowReader { row, query_name })
    }

    pub(crate) fn optional(&self, index: usize) -> Option<&'a str> {
        self.row.get(index).and_then(|cell| cell.as_deref())
    }

    pub(crate) fn required(&self, index: usize) -> Result<&'a str, SchemaError> {
        self.optional(index).ok_or_else(|| {
            SchemaError::new(
                "introspection-malformed-row",
                format!(
                    "A row of the introspection query `{}` has NULL in column {}.",
                    self.query_name,
                    index + 1
                ),
                None,
            )
        })
    }

    pub(crate) fn flag(&self, index: usize) -> bool {
        matches!(self.optional(index), Some("true") | Some("t"))
    }

    pub(crate) fn position(&self, index: usize) -> Result<u32, SchemaError> {
        let text = self.required(index)?;
        text.parse::<u32>().map_err(|_| {
            SchemaError::new(
                "introspection-malformed-row",
                format!(
                    "A row of the introspection query `{}` has `{text}` where a position was expected.",
                    self.query_name
                ),
                None,
            )
        })
    }

    pub(crate) fn integer(&self, index: usize) -> Result<i64, SchemaError> {
        let text = self.required(index)?;
        text.trim().parse::<i64>().map_err(|_| {
            SchemaError::new(
                "introspection-malformed-row",
                format!(
                    "A row of the introspection query `{}` has `{text}` where an integer was expected.",
                    self.query_name
                ),
                None,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_files_become_one_line_without_their_comments() {
        let file =
            "-- Why the query is so.\nSELECT a,\n       b\n\n  -- Why t.\nFROM t\n  WHERE {x}\n";
        assert_eq!(query_text(file), "SELECT a, b FROM t WHERE {x}");
    }

    #[test]
    fn every_query_is_one_line_with_its_placeholders_filled() {
        let mut queries = introspection_queries(Provider::Postgresql);
        queries.extend(introspection_queries(Provider::Sqlite));
        queries.push(IntrospectionQuery {
            name: "one table's dependents".to_string(),
            sql: sqlite::table_dependents_query("Post"),
        });
        for query in queries {
            assert!(
                !query.sql.contains('\n')
                    && !query.sql.contains("  ")
                    && !query.sql.contains('{')
                    && !query.sql.contains("--"),
                "{}: {}",
                query.name,
                query.sql
            );
            assert!(query.sql.starts_with("SELECT "), "{}", query.name);
        }
    }
}
