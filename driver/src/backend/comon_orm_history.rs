//! The history table `_comon_orm_migrations`, as both backends keep it: created, upgraded in
//! place from comon_orm's layout, read by column name, and written with bound parameters. What
//! differs between the providers (column types, the `id` column, the clock, the placeholder
//! spelling) comes from each backend's `ComonOrmLayout`; the rest is written once, here.
//!
//! Our layout is comon_orm's plus three columns, so that comon_orm can still read and write it:
//! - `id`, a generated integer primary key that orders the rows. comon_orm made `name` the
//!   primary key, so a rolled-back migration could never be applied again; with `id` as the key
//!   a name may have several apply rows, and comon_orm's replay still reads them correctly.
//! - `state`: `started`, `finished` or `failed`, for migrations that run outside a transaction.
//!   Rows comon_orm writes get the default, `finished`.
//! - `failure_message`: the database error of a failed migration.
//!
//! Upgrading an old table keeps every row, and numbers them in comon_orm's replay order
//! (`applied_at`, then `name`). Callers hold the migration lock while they create or upgrade.

use super::HistoryTable;
use comon_database::{quote_identifier, Database, NamedRow, RunnerError, SqlValue};
use planner::migrations::{
    decode_warnings, encode_warnings, schema_text_without_passwords, HistoryKind, HistoryRow,
    HistoryState, HISTORY_TABLE_NAME,
};
use std::collections::HashSet;

/// What one provider's history table looks like where the providers differ.
pub(super) struct ComonOrmLayout {
    /// The definition of the generated primary key `id`.
    pub id_definition: &'static str,
    /// `applied_at` and `rebuild_required`, as comon_orm's `ensureHistoryTable` adds them.
    pub applied_at_definition: &'static str,
    pub rebuild_required_definition: &'static str,
    /// `applied_at` read as text, in one spelling whatever the session's settings.
    pub applied_at_as_text: &'static str,
    /// The time a new row gets. Rows written in one transaction must still get distinct times.
    pub now: &'static str,
    /// The names of the history table's columns, as `column_name`; its one parameter is the
    /// table's name.
    pub columns_query: &'static str,
    /// The spelling of the parameter at `position` (from 1).
    pub placeholder: fn(usize) -> String,
}

/// `_comon_orm_migrations` on one provider.
pub struct ComonOrmHistoryTable {
    pub(super) layout: ComonOrmLayout,
    /// Gives an old table (comon_orm's, keyed by `name`) its `id`: what differs most between
    /// the providers.
    pub(super) add_id: fn(&mut Database) -> Result<(), RunnerError>,
}

impl HistoryTable for ComonOrmHistoryTable {
    fn ensure(&self, database: &mut Database) -> Result<(), RunnerError> {
        ensure_layout(database, &self.layout, self.add_id)
    }

    fn load(&self, database: &mut Database) -> Result<Vec<HistoryRow>, RunnerError> {
        load_history(database, &self.layout)
    }

    fn insert(&self, database: &mut Database, row: &HistoryRow) -> Result<i64, RunnerError> {
        insert_history_row(database, &self.layout, row)
    }

    fn update_state(
        &self,
        database: &mut Database,
        id: i64,
        state: HistoryState,
        failure_message: Option<&str>,
    ) -> Result<(), RunnerError> {
        update_history_state(database, &self.layout, id, state, failure_message)
    }
}

/// The table name, quoted.
pub(super) fn table() -> String {
    quote_identifier(HISTORY_TABLE_NAME)
}

/// comon_orm's columns after `name`, with the definitions its `ensureHistoryTable` adds them with.
pub(super) fn comon_orm_columns(layout: &ComonOrmLayout) -> [(&'static str, &'static str); 10] {
    [
        ("applied_at", layout.applied_at_definition),
        ("statement_count", "INTEGER NOT NULL"),
        ("kind", "TEXT NOT NULL DEFAULT 'apply'"),
        ("target_name", "TEXT"),
        ("provider", "TEXT"),
        ("checksum", "TEXT"),
        ("before_schema", "TEXT"),
        ("after_schema", "TEXT"),
        ("warnings", "TEXT"),
        ("rebuild_required", layout.rebuild_required_definition),
    ]
}

/// The columns this tool adds, after comon_orm's.
const OUR_COLUMNS: &[(&str, &str)] = &[
    ("state", "TEXT NOT NULL DEFAULT 'finished'"),
    ("failure_message", "TEXT"),
];

/// The columns a row is inserted with, in the order of the `INSERT`'s values; `applied_at` is
/// the database's clock.
const INSERTED_COLUMNS: [&str; 13] = [
    "name",
    "applied_at",
    "statement_count",
    "kind",
    "target_name",
    "provider",
    "checksum",
    "before_schema",
    "after_schema",
    "warnings",
    "rebuild_required",
    "state",
    "failure_message",
];

pub(super) fn create_table_sql(layout: &ComonOrmLayout, table_name: &str) -> String {
    let mut columns = vec![
        layout.id_definition.to_string(),
        "name TEXT NOT NULL".to_string(),
    ];
    for (name, definition) in comon_orm_columns(layout)
        .into_iter()
        .chain(OUR_COLUMNS.iter().copied())
    {
        columns.push(format!("{name} {definition}"));
    }
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\n  {}\n)",
        quote_identifier(table_name),
        columns.join(",\n  ")
    )
}

/// The columns the history table has, or `None` when there is no table.
pub(super) fn history_table_columns(
    database: &mut Database,
    layout: &ComonOrmLayout,
) -> Result<Option<HashSet<String>>, RunnerError> {
    let rows =
        database.query_named_rows(layout.columns_query, &[SqlValue::Text(HISTORY_TABLE_NAME)])?;
    let columns: HashSet<String> = rows
        .iter()
        .filter_map(|row| row.get("column_name").map(str::to_string))
        .collect();
    Ok((!columns.is_empty()).then_some(columns))
}

/// Creates the table, or brings an older one to the current layout: comon_orm's own later
/// columns first (as its own upgrade does), then `id`, then ours.
fn ensure_layout(
    database: &mut Database,
    layout: &ComonOrmLayout,
    add_id: fn(&mut Database) -> Result<(), RunnerError>,
) -> Result<(), RunnerError> {
    let Some(columns) = history_table_columns(database, layout)? else {
        return database.execute_batch(&create_table_sql(layout, HISTORY_TABLE_NAME));
    };
    add_missing_columns(database, &columns, &comon_orm_columns(layout))?;
    if !columns.contains("id") {
        add_id(database)?;
    }
    let columns = history_table_columns(database, layout)?.unwrap_or_default();
    add_missing_columns(database, &columns, OUR_COLUMNS)
}

fn add_missing_columns(
    database: &mut Database,
    columns: &HashSet<String>,
    wanted: &[(&str, &str)],
) -> Result<(), RunnerError> {
    for (name, definition) in wanted {
        if !columns.contains(*name) {
            database.execute_batch(&format!(
                "ALTER TABLE {} ADD COLUMN {name} {definition}",
                table()
            ))?;
        }
    }
    Ok(())
}

/// Every history row, in replay order, read by column name: a column the table does not have
/// (comon_orm's older layouts) reads as NULL, and the order of the table's columns does not
/// matter.
fn load_history(
    database: &mut Database,
    layout: &ComonOrmLayout,
) -> Result<Vec<HistoryRow>, RunnerError> {
    let Some(columns) = history_table_columns(database, layout)? else {
        return Ok(Vec::new());
    };
    let mut selected = Vec::new();
    for name in std::iter::once("id").chain(INSERTED_COLUMNS) {
        if !columns.contains(name) {
            continue;
        }
        selected.push(match name {
            "applied_at" => format!("{} AS applied_at", layout.applied_at_as_text),
            _ => format!("CAST({name} AS TEXT) AS {name}"),
        });
    }
    let order = if columns.contains("id") {
        "id"
    } else {
        "applied_at, name"
    };
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {order}",
        selected.join(", "),
        table()
    );
    let rows = database.query_named_rows(&sql, &[])?;
    Ok(rows.iter().map(history_row_from_named_values).collect())
}

fn history_row_from_named_values(row: NamedRow<'_>) -> HistoryRow {
    let text = |column: &str| row.get(column).map(str::to_string);
    let integer = |column: &str| row.get(column).and_then(|text| text.trim().parse().ok());
    HistoryRow {
        id: integer("id"),
        name: text("name").unwrap_or_default(),
        applied_at: text("applied_at").unwrap_or_default(),
        statement_count: integer("statement_count").unwrap_or(0),
        kind: HistoryKind::from_text(row.get("kind")),
        target_name: text("target_name"),
        provider: text("provider"),
        checksum: text("checksum"),
        before_schema: text("before_schema"),
        after_schema: text("after_schema"),
        warnings: decode_warnings(row.get("warnings")),
        rebuild_required: matches!(
            row.get("rebuild_required").map(str::trim),
            Some("true" | "t" | "1")
        ),
        state: HistoryState::from_text(row.get("state")),
        failure_message: text("failure_message"),
    }
}

/// Inserts a row with every value bound to a parameter, and returns its new id.
fn insert_history_row(
    database: &mut Database,
    layout: &ComonOrmLayout,
    row: &HistoryRow,
) -> Result<i64, RunnerError> {
    // Snapshots written by comon_orm may hold a literal datasource URL's password.
    let before_schema = row
        .before_schema
        .as_deref()
        .map(schema_text_without_passwords);
    let after_schema = row
        .after_schema
        .as_deref()
        .map(schema_text_without_passwords);
    let warnings = encode_warnings(&row.warnings);
    let values = [
        SqlValue::Text(&row.name),
        SqlValue::Integer(row.statement_count),
        SqlValue::Text(row.kind.as_str()),
        SqlValue::optional_text(row.target_name.as_deref()),
        SqlValue::optional_text(row.provider.as_deref()),
        SqlValue::optional_text(row.checksum.as_deref()),
        SqlValue::optional_text(before_schema.as_deref()),
        SqlValue::optional_text(after_schema.as_deref()),
        SqlValue::Text(&warnings),
        SqlValue::Boolean(row.rebuild_required),
        SqlValue::Text(row.state.as_str()),
        SqlValue::optional_text(row.failure_message.as_deref()),
    ];
    let mut next_parameter = 0;
    let expressions: Vec<String> = INSERTED_COLUMNS
        .iter()
        .map(|column| match *column {
            "applied_at" => layout.now.to_string(),
            _ => {
                next_parameter += 1;
                (layout.placeholder)(next_parameter)
            }
        })
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) RETURNING CAST(id AS TEXT) AS id",
        table(),
        INSERTED_COLUMNS.join(", "),
        expressions.join(", ")
    );
    let inserted = database.query_named_rows(&sql, &values)?;
    inserted
        .first()
        .and_then(|row| row.get("id"))
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| RunnerError::UnexpectedResult {
            statement: sql.clone(),
            message: "the insert returned no id".to_string(),
        })
}

/// Sets the state (and failure message) of the row with `id`. The statement starts with
/// `UPDATE "_comon_orm_migrations"`, which is what lets it record a failure after a signal.
fn update_history_state(
    database: &mut Database,
    layout: &ComonOrmLayout,
    id: i64,
    state: HistoryState,
    failure_message: Option<&str>,
) -> Result<(), RunnerError> {
    let placeholder = layout.placeholder;
    let sql = format!(
        "UPDATE {} SET state = {}, failure_message = {} WHERE id = {}",
        table(),
        placeholder(1),
        placeholder(2),
        placeholder(3)
    );
    database.execute_with_parameters(
        &sql,
        &[
            SqlValue::Text(state.as_str()),
            SqlValue::optional_text(failure_message),
            SqlValue::Integer(id),
        ],
    )?;
    Ok(())
}
