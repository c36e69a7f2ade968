//! SQLite introspection of the `main` database.
//!
//! Five queries, whatever the size of the schema: table-valued pragma functions
//! (`pragma_table_xinfo`, `pragma_index_list`, `pragma_index_xinfo`, `pragma_foreign_key_list`)
//! joined with `sqlite_master`, so that one query covers every table, and the tables'
//! dependents from `sqlite_master`. Every output column is cast to text in SQL, so that every
//! runner hands back the same strings.
//!
//! Objects the schema language cannot describe are never touched: virtual tables (and their
//! shadow tables), partial indexes and expression indexes are left out of the tables, so the
//! differ neither drops nor recreates them. Triggers, partial indexes and expression indexes
//! are kept apart as `table_dependents` with their `CREATE` text, because SQLite drops them with
//! their table and a table rebuild must put them back. Generated columns are reported as plain
//! columns without a default.

use super::{
    ignored_tables_sql_list, query_text, rows_of, IntrospectionQuery, QueryResult, Row, RowReader,
};
use crate::database_schema::{
    Column, ColumnDefault, ColumnType, DatabaseSchema, DefaultValue, ForeignKey, Index,
    IndexColumn, PrimaryKey, ReferentialAction, Table, TableDependent, TableDependentKind,
};
use crate::error::SchemaError;
use crate::provider::Provider;
use crate::types::sqlite::canonical_type_name;
use std::collections::HashMap;

pub const TABLES_QUERY_NAME: &str = "sqlite_tables";
pub const COLUMNS_QUERY_NAME: &str = "sqlite_columns";
pub const INDEXES_QUERY_NAME: &str = "sqlite_indexes";
pub const FOREIGN_KEYS_QUERY_NAME: &str = "sqlite_foreign_keys";
pub const DEPENDENTS_QUERY_NAME: &str = "sqlite_table_dependents";

pub fn queries() -> Vec<IntrospectionQuery> {
    let user_tables = query_text(include_str!("queries/sqlite_user_tables.sql"))
        .replace("{ignored_tables}", &ignored_tables_sql_list());
    let with_user_tables = |file: &str| query_text(file).replace("{user_tables}", &user_tables);
    let tables_sql = with_user_tables(include_str!("queries/sqlite_tables.sql"));
    let columns_sql = with_user_tables(include_str!("queries/sqlite_columns.sql"));
    let indexes_sql = with_user_tables(include_str!("queries/sqlite_indexes.sql"));
    let foreign_keys_sql = with_user_tables(include_str!("queries/sqlite_foreign_keys.sql"));
    vec![
        IntrospectionQuery {
            name: TABLES_QUERY_NAME.to_string(),
            sql: tables_sql,
        },
        IntrospectionQuery {
            name: COLUMNS_QUERY_NAME.to_string(),
            sql: columns_sql,
        },
        IntrospectionQuery {
            name: INDEXES_QUERY_NAME.to_string(),
            sql: indexes_sql,
        },
        IntrospectionQuery {
            name: FOREIGN_KEYS_QUERY_NAME.to_string(),
            sql: foreign_keys_sql,
        },
        IntrospectionQuery {
            name: DEPENDENTS_QUERY_NAME.to_string(),
            sql: dependents_sql(&user_tables),
        },
    ]
}

/// The triggers, partial indexes and expression indexes of the tables `table_condition` selects
/// in `master` (`queries/sqlite_table_dependents.sql` says which and why).
fn dependents_sql(table_condition: &str) -> String {
    query_text(include_str!("queries/sqlite_table_dependents.sql"))
        .replace("{table_condition}", table_condition)
}

/// The dependents query for one table, for a runner that re-creates what a rebuild of a table
/// dropped, reading them from the live database just before the rebuild drops the table:
/// `(table, type, name, sql)` rows, read with `dependents_from_rows`.
pub fn table_dependents_query(table: &str) -> String {
    dependents_sql(&format!(
        "master.type = 'table' AND lower(master.name) = lower('{}')",
        table.replace('\'', "''")
    ))
}

/// Reads the rows of the dependents query (the introspection's or `table_dependents_query`'s).
pub fn dependents_from_rows(rows: &[Row]) -> Result<Vec<TableDependent>, SchemaError> {
    let mut dependents = Vec::with_capacity(rows.len());
    for row in rows {
        let reader = RowReader::new(row, DEPENDENTS_QUERY_NAME, 4)?;
        let kind = match reader.required(1)? {
            "trigger" => TableDependentKind::Trigger,
            "index" => TableDependentKind::Index,
            other => {
                return Err(SchemaError::new(
                    "introspection-malformed-row",
                    format!(
                        "A row of the introspection query `{DEPENDENTS_QUERY_NAME}` has the object type `{other}`; `trigger` or `index` was expected."
                    ),
                    None,
                ))
            }
        };
        dependents.push(TableDependent {
            table: reader.required(0)?.to_string(),
            kind,
            name: reader.required(2)?.to_string(),
            sql: reader.required(3)?.to_string(),
        });
    }
    Ok(dependents)
}

pub fn snapshot_from_rows(results: &[QueryResult]) -> Result<DatabaseSchema, SchemaError> {
    let mut tables: Vec<Table> = Vec::new();
    let mut create_statements: Vec<String> = Vec::new();
    let mut positions: HashMap<String, usize> = HashMap::new();
    for row in rows_of(results, TABLES_QUERY_NAME)? {
        let reader = RowReader::new(row, TABLES_QUERY_NAME, 2)?;
        let table_name = reader.required(0)?;
        if positions.contains_key(table_name) {
            continue;
        }
        positions.insert(table_name.to_string(), tables.len());
        tables.push(Table {
            name: table_name.to_string(),
            model_name: None,
            columns: Vec::new(),
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        });
        create_statements.push(reader.optional(1).unwrap_or("").to_string());
    }

    add_columns_and_primary_keys(
        &mut tables,
        &positions,
        rows_of(results, COLUMNS_QUERY_NAME)?,
    )?;
    for (table, create_statement) in tables.iter_mut().zip(&create_statements) {
        mark_autoincrement_column(table, create_statement);
    }
    add_indexes(
        &mut tables,
        &positions,
        rows_of(results, INDEXES_QUERY_NAME)?,
    )?;
    add_foreign_keys(
        &mut tables,
        &positions,
        rows_of(results, FOREIGN_KEYS_QUERY_NAME)?,
    )?;
    let table_dependents = dependents_from_rows(rows_of(results, DEPENDENTS_QUERY_NAME)?)?
        .into_iter()
        .filter(|dependent| positions.contains_key(&dependent.table))
        .collect();
    Ok(DatabaseSchema {
        provider: Provider::Sqlite,
        tables,
        enums: Vec::new(),
        table_dependents,
        extensions: Vec::new(),
    })
}

fn add_columns_and_primary_keys(
    tables: &mut [Table],
    positions: &HashMap<String, usize>,
    rows: &[Row],
) -> Result<(), SchemaError> {
    // (table position, primary key position, column name), sorted afterwards by key position.
    let mut primary_key_columns: Vec<(usize, i64, String)> = Vec::new();
    for row in rows {
        let reader = RowReader::new(row, COLUMNS_QUERY_NAME, 8)?;
        let Some(&table_position) = positions.get(reader.required(0)?) else {
            continue;
        };
        // Hidden columns of virtual tables (hidden = 1) are not columns of the schema.
        if reader.integer(7)? == 1 {
            continue;
        }
        let column_name = reader.required(2)?;
        let declared_type = canonical_type_name(reader.optional(3).unwrap_or(""));
        let primary_key_position = reader.integer(6)?;
        let is_generated = reader.integer(7)? > 1;
        let default = match reader.optional(5) {
            Some(text) if !is_generated => interpret_default(text, &declared_type),
            _ => None,
        };
        if primary_key_position > 0 {
            primary_key_columns.push((
                table_position,
                primary_key_position,
                column_name.to_string(),
            ));
        }
        if let Some(table) = tables.get_mut(table_position) {
            table.columns.push(Column {
                name: column_name.to_string(),
                field_name: None,
                schema_type: None,
                column_type: ColumnType::native(&declared_type),
                // A primary key column is never nullable in the model, even where SQLite's
                // legacy behaviour would let a non-INTEGER key hold NULL.
                nullable: reader.integer(4)? == 0 && primary_key_position == 0,
                default,
                auto_increment: false,
                serial: false,
            });
        }
    }
    primary_key_columns
        .sort_by_key(|(table_position, key_position, _)| (*table_position, *key_position));
    for (table_position, _, column_name) in primary_key_columns {
        if let Some(table) = tables.get_mut(table_position) {
            table
                .primary_key
                .get_or_insert_with(|| PrimaryKey {
                    name: None,
                    columns: Vec::new(),
                })
                .columns
                .push(column_name);
        }
    }
    Ok(())
}

/// `INTEGER PRIMARY KEY AUTOINCREMENT`: SQLite keeps no flag for it, only the CREATE text,
/// and allows it only on a single INTEGER primary key column.
fn mark_autoincrement_column(table: &mut Table, create_statement: &str) {
    if !create_statement
        .to_ascii_uppercase()
        .contains("AUTOINCREMENT")
    {
        return;
    }
    let key_column_name = match &table.primary_key {
        Some(primary_key) if primary_key.columns.len() == 1 => primary_key.columns[0].clone(),
        _ => return,
    };
    if let Some(column) = table
        .columns
        .iter_mut()
        .find(|column| column.name == key_column_name)
    {
        if column.column_type == ColumnType::native("INTEGER") {
            column.auto_increment = true;
            column.default = None;
        }
    }
}

/// An index being assembled from its rows, with the reasons it may have to be left out.
struct IndexInProgress {
    table_position: usize,
    index: Index,
    describable: bool,
}

fn add_indexes(
    tables: &mut [Table],
    positions: &HashMap<String, usize>,
    rows: &[Row],
) -> Result<(), SchemaError> {
    let mut indexes: Vec<IndexInProgress> = Vec::new();
    for row in rows {
        let reader = RowReader::new(row, INDEXES_QUERY_NAME, 9)?;
        let Some(&table_position) = positions.get(reader.required(0)?) else {
            continue;
        };
        let index_name = reader.required(1)?;
        let origin = reader.required(3)?;
        let is_partial = reader.integer(4)? != 0;
        // cid -2 is an expression, -1 the rowid: neither is a column the schema can name.
        let column_position = reader.integer(6)?;
        let column = match (column_position >= 0, reader.optional(7)) {
            (true, Some(column_name)) => Some(IndexColumn {
                name: column_name.to_string(),
                descending: reader.integer(8)? != 0,
                operator_class: None,
            }),
            _ => None,
        };
        // The primary key's own index is described by the primary key.
        let row_is_describable = origin != "pk" && !is_partial && column.is_some();
        let continues_last = indexes
            .last()
            .map(|last| last.table_position == table_position && last.index.name == index_name)
            .unwrap_or(false);
        if !continues_last {
            indexes.push(IndexInProgress {
                table_position,
                index: Index {
                    name: index_name.to_string(),
                    columns: Vec::new(),
                    unique: reader.integer(2)? != 0,
                    algorithm: None,
                    invalid: false,
                },
                describable: true,
            });
        }
        if let Some(in_progress) = indexes.last_mut() {
            in_progress.describable &= row_is_describable;
            if let Some(column) = column {
                in_progress.index.columns.push(column);
            }
        }
    }
    for in_progress in indexes {
        if !in_progress.describable || in_progress.index.columns.is_empty() {
            continue;
        }
        if let Some(table) = tables.get_mut(in_progress.table_position) {
            table.indexes.push(in_progress.index);
        }
    }
    Ok(())
}

fn add_foreign_keys(
    tables: &mut [Table],
    positions: &HashMap<String, usize>,
    rows: &[Row],
) -> Result<(), SchemaError> {
    // (table position, pragma id, foreign key, whether every referenced column was omitted).
    let mut foreign_keys: Vec<(usize, String, ForeignKey, bool)> = Vec::new();
    for row in rows {
        let reader = RowReader::new(row, FOREIGN_KEYS_QUERY_NAME, 8)?;
        let Some(&table_position) = positions.get(reader.required(0)?) else {
            continue;
        };
        let foreign_key_id = reader.required(1)?;
        reader.integer(2)?;
        let column_name = reader.required(4)?.to_string();
        let referenced_column = reader.optional(5).map(str::to_string);
        let continues_last = foreign_keys
            .last()
            .map(|(last_table, last_id, _, _)| {
                *last_table == table_position && last_id == foreign_key_id
            })
            .unwrap_or(false);
        if !continues_last {
            foreign_keys.push((
                table_position,
                foreign_key_id.to_string(),
                ForeignKey {
                    name: None,
                    columns: Vec::new(),
                    referenced_table: reader.required(3)?.to_string(),
                    referenced_columns: Vec::new(),
                    on_delete: referential_action_from_text(reader.required(7)?)?,
                    on_update: referential_action_from_text(reader.required(6)?)?,
                    not_validated: false,
                },
                true,
            ));
        }
        if let Some((_, _, foreign_key, references_primary_key)) = foreign_keys.last_mut() {
            foreign_key.columns.push(column_name);
            if let Some(referenced_column) = referenced_column {
                foreign_key.referenced_columns.push(referenced_column);
                *references_primary_key = false;
            }
        }
    }
    for (table_position, _, mut foreign_key, references_primary_key) in foreign_keys {
        // SQLite compares table names without regard to ASCII case; report the parent's own
        // spelling so that the differ matches it against the table.
        let parent = tables
            .iter()
            .find(|table| table.name == foreign_key.referenced_table)
            .or_else(|| {
                tables.iter().find(|table| {
                    table
                        .name
                        .eq_ignore_ascii_case(&foreign_key.referenced_table)
                })
            });
        if let Some(parent) = parent {
            foreign_key.referenced_table = parent.name.clone();
            // `REFERENCES parent` without columns means the parent's primary key.
            if references_primary_key {
                if let Some(primary_key) = &parent.primary_key {
                    foreign_key.referenced_columns = primary_key.columns.clone();
                }
            }
        }
        if let Some(table) = tables.get_mut(table_position) {
            table.foreign_keys.push(foreign_key);
        }
    }
    Ok(())
}

fn referential_action_from_text(text: &str) -> Result<ReferentialAction, SchemaError> {
    match text.trim().to_ascii_uppercase().as_str() {
        "CASCADE" => Ok(ReferentialAction::Cascade),
        "SET NULL" => Ok(ReferentialAction::SetNull),
        "SET DEFAULT" => Ok(ReferentialAction::SetDefault),
        "RESTRICT" => Ok(ReferentialAction::Restrict),
        "NO ACTION" | "" => Ok(ReferentialAction::NoAction),
        other => Err(SchemaError::new(
            "introspection-unknown-referential-action",
            format!("The foreign key action `{other}` is not one SQLite documents."),
            None,
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Defaults: the `dflt_value` text SQLite keeps (the default as written), read into `ColumnDefault`.
// ---------------------------------------------------------------------------------------------

/// Interprets a column's default text for a column of the given canonical declared type.
/// `None` when the default is `NULL`, which is the same as having no default.
pub fn interpret_default(text: &str, canonical_declared_type: &str) -> Option<ColumnDefault> {
    let inner = strip_enclosing_parentheses(text.trim());
    if inner.eq_ignore_ascii_case("null") {
        return None;
    }
    if inner.eq_ignore_ascii_case("current_timestamp") {
        return Some(ColumnDefault::Now);
    }
    if inner.eq_ignore_ascii_case("true") {
        return Some(ColumnDefault::Value(DefaultValue::Boolean(true)));
    }
    if inner.eq_ignore_ascii_case("false") {
        return Some(ColumnDefault::Value(DefaultValue::Boolean(false)));
    }
    let is_boolean_column = matches!(canonical_declared_type, "BOOLEAN" | "BOOL");
    if is_decimal_number(inner) {
        if is_boolean_column && (inner == "1" || inner == "0") {
            return Some(ColumnDefault::Value(DefaultValue::Boolean(inner == "1")));
        }
        return Some(ColumnDefault::Value(DefaultValue::Number(
            inner.to_string(),
        )));
    }
    if let Some(string) = parse_single_quoted_string(inner) {
        // SQLite applies the column's affinity to a quoted default, so `'5'` on an INTEGER
        // column stores the number 5.
        if has_numeric_affinity(canonical_declared_type) && is_decimal_number(string.trim()) {
            return Some(ColumnDefault::Value(DefaultValue::Number(
                string.trim().to_string(),
            )));
        }
        return Some(ColumnDefault::Value(DefaultValue::String(string)));
    }
    Some(ColumnDefault::Expression(text.to_string()))
}

/// Whether SQLite gives the type INTEGER or REAL affinity, or the type is a NUMERIC/DECIMAL,
/// the affinity rules of <https://www.sqlite.org/datatype3.html> section 3.1.
fn has_numeric_affinity(canonical_declared_type: &str) -> bool {
    let upper = canonical_declared_type;
    if upper.contains("INT") {
        return true;
    }
    if upper.contains("CHAR")
        || upper.contains("CLOB")
        || upper.contains("TEXT")
        || upper.contains("BLOB")
    {
        return false;
    }
    upper.contains("REAL")
        || upper.contains("FLOA")
        || upper.contains("DOUB")
        || upper.starts_with("NUMERIC")
        || upper.starts_with("DECIMAL")
}

/// `(-1)` and `((5))` are the literal inside; `(a) + (b)` is not one enclosed term.
fn strip_enclosing_parentheses(text: &str) -> &str {
    let mut current = text.trim();
    while current.starts_with('(') && current.ends_with(')') && encloses_whole_text(current) {
        current = current[1..current.len() - 1].trim();
    }
    current
}

/// Whether the opening parenthesis at the start closes at the very end, outside strings.
fn encloses_whole_text(text: &str) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let last_index = text.len() - 1;
    for (index, character) in text.char_indices() {
        match character {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth = depth.saturating_sub(1);
                if depth == 0 && index != last_index {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// `'it''s'` is `it's`. `None` unless the whole text is exactly one quoted string.
fn parse_single_quoted_string(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut unescaped = String::with_capacity(inner.len());
    let mut characters = inner.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '\'' {
            // Inside the string a quote must be doubled, else the text is more than one string.
            if characters.next() != Some('\'') {
                return None;
            }
        }
        unescaped.push(character);
    }
    Some(unescaped)
}

/// A plain decimal number: optional sign, digits with an optional fraction, optional exponent.
fn is_decimal_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(position) => (&unsigned[..position], Some(&unsigned[position + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_only = |part: &str| part.chars().all(|character| character.is_ascii_digit());
    let mantissa_is_valid =
        (!whole.is_empty() || !fraction.is_empty()) && digits_only(whole) && digits_only(fraction);
    let exponent_is_valid = match exponent {
        None => true,
        Some(exponent) => {
            let digits = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
            !digits.is_empty() && digits_only(digits)
        }
    };
    mantissa_is_valid && exponent_is_valid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(value: DefaultValue) -> Option<ColumnDefault> {
        Some(ColumnDefault::Value(value))
    }

    fn string(text: &str) -> Option<ColumnDefault> {
        value(DefaultValue::String(text.to_string()))
    }

    fn number(text: &str) -> Option<ColumnDefault> {
        value(DefaultValue::Number(text.to_string()))
    }

    #[test]
    fn current_timestamp_is_now() {
        assert_eq!(
            interpret_default("CURRENT_TIMESTAMP", "DATETIME"),
            Some(ColumnDefault::Now)
        );
        assert_eq!(
            interpret_default("current_timestamp", "DATETIME"),
            Some(ColumnDefault::Now)
        );
        assert_eq!(
            interpret_default("(CURRENT_TIMESTAMP)", "DATETIME"),
            Some(ColumnDefault::Now)
        );
    }

    #[test]
    fn quoted_strings_are_strings() {
        assert_eq!(interpret_default("'abc'", "TEXT"), string("abc"));
        assert_eq!(interpret_default("'it''s'", "TEXT"), string("it's"));
        assert_eq!(interpret_default("''", "TEXT"), string(""));
        assert_eq!(interpret_default("'42'", "TEXT"), string("42"));
        assert_eq!(
            interpret_default("'2020-01-01'", "DATETIME"),
            string("2020-01-01")
        );
    }

    #[test]
    fn quoted_numbers_on_numeric_columns_are_numbers() {
        assert_eq!(interpret_default("'5'", "INTEGER"), number("5"));
        assert_eq!(interpret_default("'1.5'", "REAL"), number("1.5"));
        assert_eq!(interpret_default("'abc'", "INTEGER"), string("abc"));
    }

    #[test]
    fn numbers_are_numbers() {
        assert_eq!(interpret_default("42", "INTEGER"), number("42"));
        assert_eq!(interpret_default("-1", "INTEGER"), number("-1"));
        assert_eq!(interpret_default("(-1)", "INTEGER"), number("-1"));
        assert_eq!(interpret_default("1.5", "REAL"), number("1.5"));
        assert_eq!(interpret_default("0", "INTEGER"), number("0"));
        assert_eq!(interpret_default("1", "TEXT"), number("1"));
    }

    #[test]
    fn booleans_are_booleans() {
        let boolean = |value: bool| Some(ColumnDefault::Value(DefaultValue::Boolean(value)));
        assert_eq!(interpret_default("true", "BOOLEAN"), boolean(true));
        assert_eq!(interpret_default("FALSE", "BOOLEAN"), boolean(false));
        assert_eq!(interpret_default("TRUE", "INTEGER"), boolean(true));
        assert_eq!(interpret_default("1", "BOOLEAN"), boolean(true));
        assert_eq!(interpret_default("0", "BOOLEAN"), boolean(false));
        assert_eq!(interpret_default("2", "BOOLEAN"), number("2"));
    }

    #[test]
    fn null_is_no_default() {
        assert_eq!(interpret_default("NULL", "TEXT"), None);
        assert_eq!(interpret_default("null", "INTEGER"), None);
    }

    #[test]
    fn anything_else_is_an_expression_kept_verbatim() {
        for text in [
            "(lower(hex(randomblob(16))))",
            "datetime('now')",
            "X'00FF'",
            "'a' || 'b'",
            "(1) + (2)",
            "0x1F",
            "\"abc\"",
        ] {
            assert_eq!(
                interpret_default(text, "TEXT"),
                Some(ColumnDefault::Expression(text.to_string())),
                "{text}"
            );
        }
    }

    #[test]
    fn referential_actions_are_read() {
        assert_eq!(
            referential_action_from_text("SET NULL").ok(),
            Some(ReferentialAction::SetNull)
        );
        assert_eq!(
            referential_action_from_text("NO ACTION").ok(),
            Some(ReferentialAction::NoAction)
        );
        assert!(referential_action_from_text("EXPLODE").is_err());
    }

    #[test]
    fn query_count_is_fixed() {
        assert_eq!(queries().len(), 5);
    }
}
