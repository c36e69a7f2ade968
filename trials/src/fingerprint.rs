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
