//! The data of a database as a comparable value: for every table the introspection reports
//! (the history table is not one of them), its row count and a SHA-256 over its rows, each
//! read as text and sorted, so that the order rows come back in does not matter.

use comon_database::Database;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableData {
    pub table: String,
    pub rows: u64,
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    pub tables: Vec<TableData>,
}

impl Fingerprint {
    pub fn rows_of(&self, table: &str) -> Option<u64> {
        self.tables
            .iter()
            .find(|data| data.table == table)
            .map(|data| data.rows)
    }

    /// What differs, one table a line, for reports.
    pub fn difference(&self, expected: &Fingerprint) -> String {
        let mut lines = Vec::new();
        for data in &expected.tables {
            match self.tables.iter().find(|actual| actual.table == data.table) {
                None => lines.push(format!(
                    "  table {} is missing (expected {} rows)",
                    data.table, data.rows
                )),
                Some(actual) if actual.rows != data.rows => lines.push(format!(
                    "  table {}: {} rows, expected {}",
                    data.table, actual.rows, data.rows
                )),
                Some(actual) if actual.digest != data.digest => lines.push(format!(
                    "  table {}: {} rows as expected, but their values differ",
                    data.table, data.rows
                )),
                Some(_) => {}
            }
        }
        for actual in &self.tables {
            if !expected
                .tables
                .iter()
                .any(|data| data.table == actual.table)
            {
                lines.push(format!(
                    "  unexpected table {} ({} rows)",
                    actual.table, actual.rows
                ));
            }
        }
        lines.join("\n")
    }
}

pub fn fingerprint(database: &mut Database) -> Result<Fingerprint, String> {
    let schema = database
        .introspect()
        .map_err(|error| format!("introspection failed: {error}"))?;
    let mut tables = Vec::new();
    let mut names: Vec<&str> = schema
        .tables
        .iter()
        .map(|table| table.name.as_str())
        .collect();
    names.sort();
    for name in names {
        let sql = format!("SELECT * FROM {}", comon_database::quote_identifier(name));
        let rows = database
            .query_rows(&sql)
            .map_err(|error| format!("{sql}: {error}"))?;
        let mut encoded: Vec<String> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|value| match value {
                        Some(text) => format!("'{}'", text.replace('\'', "''")),
                        None => "NULL".to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        encoded.sort();
        let mut hasher = Sha256::new();
        for row in &encoded {
            hasher.update(row.as_bytes());
            hasher.update(b"\n");
        }
        let digest = hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        tables.push(TableData {
            table: name.to_string(),
            rows: rows.len() as u64,
            digest,
        });
    }
    Ok(Fingerprint { tables })
}

/// PostgreSQL: the catalog of the database's schema, one line per column, constraint and
/// index, sorted, as PostgreSQL itself spells them (`pg_get_constraintdef`, `pg_get_indexdef`),
/// with what the planner's comparison leaves out: whether a constraint is validated (a
/// `NOT VALID` foreign key or check is said so by `pg_get_constraintdef`) and whether an index
/// is valid and ready. The history table is left out (its rows differ by design). Empty on
/// SQLite, which has no such states.
pub fn strict_catalog(database: &mut Database) -> Result<String, String> {
    if database.provider() != planner::Provider::Postgresql {
        return Ok(String::new());
    }
    let history = comon_database::quote_string_literal(planner::migrations::HISTORY_TABLE_NAME);
    let sql = format!(
        "SELECT line FROM ( \
         SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) \
           || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END \
           || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 \
           AND NOT a.attisdropped AND c.relname <> {history} \
         UNION ALL \
         SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid) \
           || CASE WHEN k.convalidated THEN '' ELSE ' (not validated)' END \
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relname <> {history} \
         UNION ALL \
         SELECT 'index ' || i.relname || ' ' || pg_get_indexdef(i.oid) \
           || CASE WHEN x.indisvalid THEN '' ELSE ' (INVALID)' END \
           || CASE WHEN x.indisready THEN '' ELSE ' (not ready)' END \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname <> {history} \
         ) AS catalog ORDER BY line"
    );
    let rows = database
        .query_rows(&sql)
        .map_err(|error| format!("the catalog cannot be read: {error}"))?;
    Ok(rows
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .map(|line| format!("{line}\n"))
        .collect())
}

/// The lines of `actual` that `expected` lacks (`+`) and the reverse (`-`), for a message.
pub fn catalog_difference_lines(actual: &str, expected: &str) -> String {
    let actual_lines: std::collections::BTreeSet<&str> = actual.lines().collect();
    let expected_lines: std::collections::BTreeSet<&str> = expected.lines().collect();
    let mut lines: Vec<String> = actual_lines
        .difference(&expected_lines)
        .map(|line| format!("  + {line}"))
        .collect();
    lines.extend(
        expected_lines
            .difference(&actual_lines)
            .map(|line| format!("  - {line}")),
    );
    lines.join("\n")
}
