//! PostgreSQL introspection of the current schema (`current_schema()`, normally `public`).
//!
//! Six catalog queries, whatever the size of the schema: tables, columns, key constraints
//! (primary and foreign), indexes, enum values, and the installed extensions. Every output column is cast to text in SQL,
//! so that every runner hands back the same strings.
//!
//! Objects the schema language cannot describe are never touched: partitions of a partitioned
//! table, expression indexes, partial indexes, indexes with `INCLUDE` columns and the indexes
//! behind exclusion constraints are left out of the snapshot, so the differ neither drops nor
//! recreates them. Generated columns are reported as plain columns without a default. An index
//! left INVALID by a failed `CREATE INDEX CONCURRENTLY` is reported with `Index::invalid`, and
//! a foreign key left `NOT VALID` (`pg_constraint.convalidated` false) with
//! `ForeignKey::not_validated`, so that neither passes for the one the schema wants. (Check
//! constraints are not part of the snapshot, so a `NOT VALID` check is not reported.)

use super::{
    ignored_tables_sql_list, query_text, rows_of, IntrospectionQuery, QueryResult, Row, RowReader,
};
use crate::database_schema::{
    Column, ColumnDefault, ColumnType, ColumnTypeKind, DatabaseSchema, DefaultValue, Enum,
    EnumValue, Extension, ForeignKey, Index, IndexColumn, PrimaryKey, ReferentialAction, Table,
};
use crate::error::SchemaError;
use crate::provider::Provider;
use crate::types::postgresql::LiteralReading;
use crate::types::PostgresColumnType;
use std::collections::HashMap;

pub const TABLES_QUERY_NAME: &str = "postgres_tables";
pub const COLUMNS_QUERY_NAME: &str = "postgres_columns";
pub const CONSTRAINTS_QUERY_NAME: &str = "postgres_constraints";
pub const INDEXES_QUERY_NAME: &str = "postgres_indexes";
pub const ENUMS_QUERY_NAME: &str = "postgres_enums";
pub const EXTENSIONS_QUERY_NAME: &str = "postgres_extensions";

pub fn queries() -> Vec<IntrospectionQuery> {
    let user_tables = query_text(include_str!("queries/postgresql_user_tables.sql"))
        .replace("{ignored_tables}", &ignored_tables_sql_list());
    let with_user_tables = |file: &str| query_text(file).replace("{user_tables}", &user_tables);
    let tables_sql = with_user_tables(include_str!("queries/postgresql_tables.sql"));
    let columns_sql = with_user_tables(include_str!("queries/postgresql_columns.sql")).replace(
        "{element_type_oid}",
        &query_text(include_str!("queries/postgresql_element_type_oid.sql")),
    );
    let constraints_sql = with_user_tables(include_str!("queries/postgresql_constraints.sql"));
    let indexes_sql = with_user_tables(include_str!("queries/postgresql_indexes.sql"));
    let enums_sql = query_text(include_str!("queries/postgresql_enums.sql"));
    let extensions_sql = query_text(include_str!("queries/postgresql_extensions.sql"));
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
            name: CONSTRAINTS_QUERY_NAME.to_string(),
            sql: constraints_sql,
        },
        IntrospectionQuery {
            name: INDEXES_QUERY_NAME.to_string(),
            sql: indexes_sql,
        },
        IntrospectionQuery {
            name: ENUMS_QUERY_NAME.to_string(),
            sql: enums_sql,
        },
        IntrospectionQuery {
            name: EXTENSIONS_QUERY_NAME.to_string(),
            sql: extensions_sql,
        },
    ]
}

pub fn snapshot_from_rows(results: &[QueryResult]) -> Result<DatabaseSchema, SchemaError> {
    let mut builder = TablesBuilder::default();
    for row in rows_of(results, TABLES_QUERY_NAME)? {
        let table_name = RowReader::new(row, TABLES_QUERY_NAME, 1)?.required(0)?;
        builder.add_table(table_name);
    }
    for row in rows_of(results, COLUMNS_QUERY_NAME)? {
        let reader = RowReader::new(row, COLUMNS_QUERY_NAME, 10)?;
        if let Some(table) = builder.table_mut(reader.required(0)?) {
            table.columns.push(column_from_row(&reader)?);
        }
    }
    add_constraints(&mut builder, rows_of(results, CONSTRAINTS_QUERY_NAME)?)?;
    add_indexes(&mut builder, rows_of(results, INDEXES_QUERY_NAME)?)?;
    let enums = enums_from_rows(rows_of(results, ENUMS_QUERY_NAME)?)?;
    Ok(DatabaseSchema {
        provider: Provider::Postgresql,
        tables: builder.tables,
        enums,
        table_dependents: Vec::new(),
        extensions: extensions_from_rows(results)?,
    })
}

/// The installed extensions. Rows recorded before the query existed have none, and read as no
/// extensions: such a runner never planned one either.
fn extensions_from_rows(results: &[QueryResult]) -> Result<Vec<Extension>, SchemaError> {
    let Ok(rows) = rows_of(results, EXTENSIONS_QUERY_NAME) else {
        return Ok(Vec::new());
    };
    let mut extensions = Vec::new();
    for row in rows {
        let reader = RowReader::new(row, EXTENSIONS_QUERY_NAME, 3)?;
        extensions.push(Extension {
            name: reader.required(0)?.to_string(),
            schema: reader.optional(1).map(str::to_string),
            version: reader.optional(2).map(str::to_string),
            requested: false,
        });
    }
    Ok(extensions)
}

/// Tables in catalog order with a lookup by name, so that rows of later queries can find
/// their table; rows that name a table the tables query did not return are ignored.
#[derive(Default)]
struct TablesBuilder {
    tables: Vec<Table>,
    positions: HashMap<String, usize>,
}

impl TablesBuilder {
    fn add_table(&mut self, name: &str) {
        if self.positions.contains_key(name) {
            return;
        }
        self.positions.insert(name.to_string(), self.tables.len());
        self.tables.push(Table {
            name: name.to_string(),
            model_name: None,
            columns: Vec::new(),
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        });
    }

    fn table_mut(&mut self, name: &str) -> Option<&mut Table> {
        let position = *self.positions.get(name)?;
        self.tables.get_mut(position)
    }
}

fn column_from_row(reader: &RowReader<'_>) -> Result<Column, SchemaError> {
    let name = reader.required(1)?;
    let element_type = reader.required(2)?;
    let is_array = reader.flag(3);
    let is_enum = reader.flag(4);
    let not_null = reader.flag(6);
    let default_expression = reader.optional(7);
    let identity = reader.optional(8).unwrap_or("");
    let generated = reader.optional(9).unwrap_or("");

    let kind = if is_enum {
        ColumnTypeKind::Enum(reader.required(5)?.to_string())
    } else {
        ColumnTypeKind::native(&canonical_type_name(element_type))
    };
    let is_identity = identity == "a" || identity == "d";
    let is_generated = !generated.is_empty();
    let is_sequence_default = default_expression.map(is_sequence_default).unwrap_or(false);
    let default = match default_expression {
        // A generated column's expression is not a default, and an identity or serial column
        // is described by `auto_increment` alone.
        _ if is_generated || is_identity || is_sequence_default => None,
        Some(expression) => Some(interpret_default(
            expression,
            element_type,
            is_enum,
            is_array,
        )),
        None => None,
    };
    Ok(Column {
        name: name.to_string(),
        field_name: None,
        schema_type: None,
        column_type: ColumnType { kind, is_array },
        nullable: !not_null,
        default,
        auto_increment: is_identity || is_sequence_default,
        serial: is_sequence_default && !is_identity,
    })
}

/// The canonical spelling of a native type: `format_type` output without a `public.` prefix,
/// which `format_type` adds to extension types when `public` is not on the search path.
pub(crate) fn canonical_type_name(format_type_output: &str) -> String {
    let trimmed = format_type_output.trim();
    trimmed
        .strip_prefix("public.")
        .unwrap_or(trimmed)
        .to_string()
}

/// `nextval('table_column_seq'::regclass)`: the default of a `serial` column.
fn is_sequence_default(expression: &str) -> bool {
    expression
        .trim()
        .to_ascii_lowercase()
        .starts_with("nextval(")
}

fn add_constraints(builder: &mut TablesBuilder, rows: &[Row]) -> Result<(), SchemaError> {
    // Rows come ordered by table, constraint and position; grouping keeps that order.
    let mut foreign_keys: Vec<(String, ForeignKey)> = Vec::new();
    let mut primary_keys: Vec<(String, PrimaryKey)> = Vec::new();
    for row in rows {
        let reader = RowReader::new(row, CONSTRAINTS_QUERY_NAME, 10)?;
        let table_name = reader.required(0)?;
        let constraint_name = reader.required(1)?;
        let constraint_type = reader.required(2)?;
        let column_name = reader.required(4)?.to_string();
        match constraint_type {
            "p" => {
                let same_key = primary_keys.last_mut().filter(|(table, key)| {
                    table == table_name && key.name.as_deref() == Some(constraint_name)
                });
                match same_key {
                    Some((_, key)) => key.columns.push(column_name),
                    None => primary_keys.push((
                        table_name.to_string(),
                        PrimaryKey {
                            name: Some(constraint_name.to_string()),
                            columns: vec![column_name],
                        },
                    )),
                }
            }
            "f" => {
                let referenced_column = reader.required(6)?.to_string();
                let same_key = foreign_keys.last_mut().filter(|(table, key)| {
                    table == table_name && key.name.as_deref() == Some(constraint_name)
                });
                match same_key {
                    Some((_, key)) => {
                        key.columns.push(column_name);
                        key.referenced_columns.push(referenced_column);
                    }
                    None => foreign_keys.push((
                        table_name.to_string(),
                        ForeignKey {
                            name: Some(constraint_name.to_string()),
                            columns: vec![column_name],
                            referenced_table: reader.required(5)?.to_string(),
                            referenced_columns: vec![referenced_column],
                            on_delete: referential_action_from_code(reader.required(7)?)?,
                            on_update: referential_action_from_code(reader.required(8)?)?,
                            not_validated: reader.flag(9),
                        },
                    )),
                }
            }
            _ => {}
        }
        // The position is read only to reject malformed rows early.
        reader.position(3)?;
    }
    for (table_name, primary_key) in primary_keys {
        if let Some(table) = builder.table_mut(&table_name) {
            table.primary_key = Some(primary_key);
        }
    }
    for (table_name, foreign_key) in foreign_keys {
        if let Some(table) = builder.table_mut(&table_name) {
            table.foreign_keys.push(foreign_key);
        }
    }
    Ok(())
}

/// `pg_constraint.confdeltype` / `confupdtype` codes.
fn referential_action_from_code(code: &str) -> Result<ReferentialAction, SchemaError> {
    match code {
        "a" => Ok(ReferentialAction::NoAction),
        "r" => Ok(ReferentialAction::Restrict),
        "c" => Ok(ReferentialAction::Cascade),
        "n" => Ok(ReferentialAction::SetNull),
        "d" => Ok(ReferentialAction::SetDefault),
        other => Err(SchemaError::new(
            "introspection-unknown-referential-action",
            format!("The foreign key action code `{other}` is not one PostgreSQL documents."),
            None,
        )),
    }
}

/// An index being assembled from its rows, with the reasons it may have to be left out.
struct IndexInProgress {
    table_name: String,
    index: Index,
    describable: bool,
}

fn add_indexes(builder: &mut TablesBuilder, rows: &[Row]) -> Result<(), SchemaError> {
    let mut indexes: Vec<IndexInProgress> = Vec::new();
    for row in rows {
        let reader = RowReader::new(row, INDEXES_QUERY_NAME, 13)?;
        let table_name = reader.required(0)?;
        let index_name = reader.required(1)?;
        reader.position(4)?;
        let column = reader.optional(5).map(|column_name| IndexColumn {
            name: column_name.to_string(),
            descending: reader.flag(6),
            operator_class: reader.optional(7).map(str::to_string),
        });
        let row_is_describable = !reader.flag(8)
            && !reader.flag(9)
            && !reader.flag(10)
            && !reader.flag(11)
            && column.is_some();
        let continues_last = indexes
            .last()
            .map(|last| last.table_name == table_name && last.index.name == index_name)
            .unwrap_or(false);
        if !continues_last {
            let access_method = reader.required(3)?;
            indexes.push(IndexInProgress {
                table_name: table_name.to_string(),
                index: Index {
                    name: index_name.to_string(),
                    columns: Vec::new(),
                    unique: reader.flag(2),
                    algorithm: if access_method == "btree" {
                        None
                    } else {
                        Some(access_method.to_string())
                    },
                    invalid: reader.flag(12),
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
        if let Some(table) = builder.table_mut(&in_progress.table_name) {
            table.indexes.push(in_progress.index);
        }
    }
    Ok(())
}

fn enums_from_rows(rows: &[Row]) -> Result<Vec<Enum>, SchemaError> {
    let mut enums: Vec<Enum> = Vec::new();
    for row in rows {
        let reader = RowReader::new(row, ENUMS_QUERY_NAME, 2)?;
        let enum_name = reader.required(0)?;
        if enums
            .last()
            .map(|last| last.name != enum_name)
            .unwrap_or(true)
        {
            enums.push(Enum {
                name: enum_name.to_string(),
                prisma_name: None,
                values: Vec::new(),
            });
        }
        if let (Some(value_name), Some(last)) = (reader.optional(1), enums.last_mut()) {
            last.values.push(EnumValue {
                name: value_name.to_string(),
                prisma_name: None,
            });
        }
    }
    Ok(enums)
}

// ---------------------------------------------------------------------------------------------
// Defaults: the text `pg_get_expr` prints for a column default, read back into `ColumnDefault`.
// ---------------------------------------------------------------------------------------------

fn literal_reading_for(element_type: &str, is_enum: bool) -> LiteralReading {
    if is_enum {
        return LiteralReading::Text;
    }
    PostgresColumnType::from_spelling(&canonical_type_name(element_type))
        .map_or(LiteralReading::Text, |postgres_type| {
            postgres_type.literal_reading()
        })
}

/// Interprets a default expression as PostgreSQL prints it (`pg_get_expr`) for a column of
/// the given element type. Anything that is not a literal, a list of literals or the current
/// timestamp is kept verbatim as an expression.
pub fn interpret_default(
    expression: &str,
    element_type: &str,
    is_enum: bool,
    is_array: bool,
) -> ColumnDefault {
    if is_current_timestamp(expression) {
        return ColumnDefault::Now;
    }
    let reading = literal_reading_for(element_type, is_enum);
    let value = parse_whole_literal(expression).and_then(|literal| {
        if is_array {
            list_value_from_literal(&literal, reading)
        } else {
            scalar_value_from_literal(&literal, reading)
        }
    });
    match value {
        Some(value) => ColumnDefault::Value(value),
        None => ColumnDefault::Expression(expression.to_string()),
    }
}

/// `now()`, `CURRENT_TIMESTAMP` and `CURRENT_TIMESTAMP(precision)`.
fn is_current_timestamp(expression: &str) -> bool {
    let lower = expression.trim().to_ascii_lowercase();
    if lower == "now()" || lower == "current_timestamp" {
        return true;
    }
    lower
        .strip_prefix("current_timestamp(")
        .and_then(|rest| rest.strip_suffix(')'))
        .map(|precision| {
            !precision.is_empty()
                && precision
                    .chars()
                    .all(|character| character.is_ascii_digit())
        })
        .unwrap_or(false)
}

/// A literal term of a default expression, casts dropped.
#[derive(Debug, Clone, PartialEq)]
enum Literal {
    /// A quoted string, unescaped. On an array column it holds array text such as `{a,b}`.
    Quoted(String),
    /// An unquoted number as printed.
    Number(String),
    Boolean(bool),
    /// `ARRAY[...]`.
    Array(Vec<Literal>),
}

fn parse_whole_literal(expression: &str) -> Option<Literal> {
    let mut cursor = Cursor {
        characters: expression.chars().collect(),
        position: 0,
    };
    let literal = cursor.literal()?;
    cursor.skip_whitespace();
    if cursor.at_end() {
        Some(literal)
    } else {
        None
    }
}

fn scalar_value_from_literal(literal: &Literal, reading: LiteralReading) -> Option<DefaultValue> {
    match literal {
        Literal::Quoted(text) => scalar_value_from_text(text, reading),
        Literal::Number(number) => match reading {
            LiteralReading::Boolean => None,
            LiteralReading::Number | LiteralReading::Text => {
                Some(DefaultValue::Number(number.clone()))
            }
        },
        Literal::Boolean(value) => Some(DefaultValue::Boolean(*value)),
        Literal::Array(_) => None,
    }
}

/// A quoted literal or an array element, read by the column's type.
fn scalar_value_from_text(text: &str, reading: LiteralReading) -> Option<DefaultValue> {
    match reading {
        LiteralReading::Text => Some(DefaultValue::String(text.to_string())),
        LiteralReading::Number => {
            let trimmed = text.trim();
            if is_decimal_number(trimmed) {
                Some(DefaultValue::Number(trimmed.to_string()))
            } else {
                None
            }
        }
        LiteralReading::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "on" | "1" => Some(DefaultValue::Boolean(true)),
            "f" | "false" | "n" | "no" | "off" | "0" => Some(DefaultValue::Boolean(false)),
            _ => None,
        },
    }
}

fn list_value_from_literal(literal: &Literal, reading: LiteralReading) -> Option<DefaultValue> {
    let values = match literal {
        Literal::Array(elements) => elements
            .iter()
            .map(|element| scalar_value_from_literal(element, reading))
            .collect::<Option<Vec<_>>>()?,
        Literal::Quoted(text) => parse_array_text(text)?
            .into_iter()
            .map(|element| element.and_then(|text| scalar_value_from_text(&text, reading)))
            .collect::<Option<Vec<_>>>()?,
        Literal::Number(_) | Literal::Boolean(_) => return None,
    };
    Some(DefaultValue::List(values))
}

/// Parses PostgreSQL's array text (`{a,"b c",NULL}`) into its elements, `None` for NULL.
/// Multi-dimensional arrays and explicit bounds are not literals the schema language can
/// write, so they are rejected (the default then stays an expression).
fn parse_array_text(text: &str) -> Option<Vec<Option<String>>> {
    let characters: Vec<char> = text.trim().chars().collect();
    if characters.first() != Some(&'{') || characters.last() != Some(&'}') {
        return None;
    }
    let inner = &characters[1..characters.len() - 1];
    let mut elements = Vec::new();
    if inner.iter().all(|character| character.is_whitespace()) {
        return Some(elements);
    }
    let mut position = 0;
    loop {
        while position < inner.len() && inner[position].is_whitespace() {
            position += 1;
        }
        let mut element = String::new();
        let quoted = inner.get(position) == Some(&'"');
        if quoted {
            position += 1;
            loop {
                match inner.get(position) {
                    None => return None,
                    Some('"') => {
                        position += 1;
                        break;
                    }
                    Some('\\') => {
                        element.push(*inner.get(position + 1)?);
                        position += 2;
                    }
                    Some(character) => {
                        element.push(*character);
                        position += 1;
                    }
                }
            }
            while position < inner.len() && inner[position].is_whitespace() {
                position += 1;
            }
        } else {
            while let Some(character) = inner.get(position) {
                match character {
                    ',' => break,
                    '{' | '}' | '"' => return None,
                    '\\' => {
                        element.push(*inner.get(position + 1)?);
                        position += 2;
                    }
                    other => {
                        element.push(*other);
                        position += 1;
                    }
                }
            }
            element = element.trim().to_string();
            if element.is_empty() {
                return None;
            }
        }
        if !quoted && element.eq_ignore_ascii_case("null") {
            elements.push(None);
        } else {
            elements.push(Some(element));
        }
        match inner.get(position) {
            None => return Some(elements),
            Some(',') => position += 1,
            Some(_) => return None,
        }
    }
}

/// A plain decimal number: optional sign, digits with an optional fraction, optional exponent.
pub(crate) fn is_decimal_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(position) => (&unsigned[..position], Some(&unsigned[position + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (mantissa, ""),
    };
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

/// A small reader over the characters of a default expression.
struct Cursor {
    characters: Vec<char>,
    position: usize,
}

impl Cursor {
    fn at_end(&self) -> bool {
        self.position >= self.characters.len()
    }

    fn peek(&self) -> Option<char> {
        self.characters.get(self.position).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.characters.get(self.position + offset).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().map(char::is_whitespace).unwrap_or(false) {
            self.position += 1;
        }
    }

    /// Consumes `keyword` (case-insensitive) when it is followed by a non-identifier character.
    fn keyword(&mut self, keyword: &str) -> bool {
        let length = keyword.chars().count();
        let matches = keyword.chars().enumerate().all(|(offset, expected)| {
            self.peek_at(offset)
                .map(|actual| actual.eq_ignore_ascii_case(&expected))
                .unwrap_or(false)
        });
        let boundary = self
            .peek_at(length)
            .map(|next| !(next.is_alphanumeric() || next == '_'))
            .unwrap_or(true);
        if matches && boundary {
            self.position += length;
            true
        } else {
            false
        }
    }

    /// literal := ( '(' literal ')' | quoted | number | true | false | ARRAY '[' ... ']' ) casts
    fn literal(&mut self) -> Option<Literal> {
        self.skip_whitespace();
        let literal = match self.peek()? {
            '(' => {
                self.position += 1;
                let inner = self.literal()?;
                self.skip_whitespace();
                if self.peek()? != ')' {
                    return None;
                }
                self.position += 1;
                // A cast applied to a parenthesized string runs at every insert, so
                // `('now'::text)::date` is today's date, not the text `now`. A quoted number
                // stays a number through casts: PostgreSQL prints `1e10` in an array as
                // `('10000000000'::numeric)::double precision`.
                self.skip_whitespace();
                let cast_follows = self.peek() == Some(':') && self.peek_at(1) == Some(':');
                let is_constant = match &inner {
                    Literal::Number(_) => true,
                    Literal::Quoted(text) => is_decimal_number(text.trim()),
                    _ => false,
                };
                if cast_follows && !is_constant {
                    return None;
                }
                inner
            }
            '\'' => Literal::Quoted(self.quoted_string(false)?),
            'E' | 'e' if self.peek_at(1) == Some('\'') => {
                self.position += 1;
                Literal::Quoted(self.quoted_string(true)?)
            }
            '-' | '+' | '.' | '0'..='9' => Literal::Number(self.number()?),
            _ if self.keyword("true") => Literal::Boolean(true),
            _ if self.keyword("false") => Literal::Boolean(false),
            _ if self.keyword("array") => Literal::Array(self.array_elements()?),
            _ => return None,
        };
        self.casts()?;
        Some(literal)
    }

    /// A single-quoted string with `''` escapes; with `backslash_escapes` (an `E'...'` string)
    /// also the common backslash escapes.
    fn quoted_string(&mut self, backslash_escapes: bool) -> Option<String> {
        self.position += 1;
        let mut text = String::new();
        loop {
            let character = self.peek()?;
            self.position += 1;
            match character {
                '\'' if self.peek() == Some('\'') => {
                    text.push('\'');
                    self.position += 1;
                }
                '\'' => return Some(text),
                '\\' if backslash_escapes => {
                    let escaped = self.peek()?;
                    self.position += 1;
                    text.push(match escaped {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        other => other,
                    });
                }
                other => text.push(other),
            }
        }
    }

    fn number(&mut self) -> Option<String> {
        let start = self.position;
        if matches!(self.peek(), Some('-') | Some('+')) {
            self.position += 1;
        }
        while let Some(character) = self.peek() {
            let is_exponent_sign = (character == '-' || character == '+')
                && matches!(
                    self.characters.get(self.position.wrapping_sub(1)),
                    Some('e') | Some('E')
                );
            if character.is_ascii_digit()
                || character == '.'
                || character == 'e'
                || character == 'E'
                || is_exponent_sign
            {
                self.position += 1;
            } else {
                break;
            }
        }
        let text: String = self.characters[start..self.position].iter().collect();
        if is_decimal_number(&text) {
            Some(text)
        } else {
            None
        }
    }

    /// The elements of `ARRAY[...]`, after the keyword.
    fn array_elements(&mut self) -> Option<Vec<Literal>> {
        self.skip_whitespace();
        if self.peek()? != '[' {
            return None;
        }
        self.position += 1;
        let mut elements = Vec::new();
        self.skip_whitespace();
        if self.peek()? == ']' {
            self.position += 1;
            return Some(elements);
        }
        loop {
            let element = self.literal()?;
            if matches!(element, Literal::Array(_)) {
                // Nested arrays are multi-dimensional: not a literal the schema can write.
                return None;
            }
            elements.push(element);
            self.skip_whitespace();
            match self.peek()? {
                ',' => self.position += 1,
                ']' => {
                    self.position += 1;
                    return Some(elements);
                }
                _ => return None,
            }
        }
    }

    /// Skips a double-quoted name such as `"Role"`, where `""` stands for one quote.
    fn skip_quoted_identifier(&mut self) -> Option<()> {
        self.position += 1;
        loop {
            let character = self.peek()?;
            self.position += 1;
            if character == '"' {
                if self.peek() == Some('"') {
                    self.position += 1;
                } else {
                    return Some(());
                }
            }
        }
    }

    /// Zero or more `::type` casts. The type name runs until a top-level `,`, `)`, `]` or the
    /// next `::`, and may contain spaces, quoted names, parentheses and `[]`.
    fn casts(&mut self) -> Option<()> {
        loop {
            self.skip_whitespace();
            if !(self.peek() == Some(':') && self.peek_at(1) == Some(':')) {
                return Some(());
            }
            self.position += 2;
            let start = self.position;
            let mut parenthesis_depth = 0usize;
            let mut bracket_depth = 0usize;
            while let Some(character) = self.peek() {
                match character {
                    '"' => {
                        self.skip_quoted_identifier()?;
                        continue;
                    }
                    '(' => parenthesis_depth += 1,
                    '[' => bracket_depth += 1,
                    ')' if parenthesis_depth == 0 => break,
                    ')' => parenthesis_depth -= 1,
                    ']' if bracket_depth == 0 => break,
                    ']' => bracket_depth -= 1,
                    ',' if parenthesis_depth == 0 => break,
                    ':' if parenthesis_depth == 0 && self.peek_at(1) == Some(':') => break,
                    character if parenthesis_depth == 0 && !is_type_name_character(character) => {
                        return None
                    }
                    _ => {}
                }
                self.position += 1;
            }
            let type_name: String = self.characters[start..self.position].iter().collect();
            if type_name.trim().is_empty() {
                return None;
            }
        }
    }
}

/// Characters a type name may contain outside parentheses and quotes: anything else (such as
/// an operator) means the expression is more than a cast literal.
fn is_type_name_character(character: char) -> bool {
    character.is_alphanumeric() || matches!(character, '_' | ' ' | '.' | '$')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(text: &str) -> DefaultValue {
        DefaultValue::String(text.to_string())
    }

    fn number(text: &str) -> DefaultValue {
        DefaultValue::Number(text.to_string())
    }

    fn value(value: DefaultValue) -> ColumnDefault {
        ColumnDefault::Value(value)
    }

    fn expression(text: &str) -> ColumnDefault {
        ColumnDefault::Expression(text.to_string())
    }

    #[test]
    fn current_timestamp_spellings_are_now() {
        for text in [
            "now()",
            "CURRENT_TIMESTAMP",
            "CURRENT_TIMESTAMP(3)",
            "current_timestamp",
        ] {
            assert_eq!(
                interpret_default(text, "timestamp(3) without time zone", false, false),
                ColumnDefault::Now,
                "{text}"
            );
        }
        assert_eq!(
            interpret_default(
                "CURRENT_TIMESTAMP(x)",
                "timestamp without time zone",
                false,
                false
            ),
            expression("CURRENT_TIMESTAMP(x)")
        );
    }

    #[test]
    fn quoted_strings_with_casts_are_strings() {
        assert_eq!(
            interpret_default("'abc'::text", "text", false, false),
            value(string("abc"))
        );
        assert_eq!(
            interpret_default(
                "'a''b'::character varying",
                "character varying(20)",
                false,
                false
            ),
            value(string("a'b"))
        );
        assert_eq!(
            interpret_default("'USER'::\"Role\"", "\"Role\"", true, false),
            value(string("USER"))
        );
        assert_eq!(
            interpret_default("'{}'::jsonb", "jsonb", false, false),
            value(string("{}"))
        );
        assert_eq!(
            interpret_default("''::text", "text", false, false),
            value(string(""))
        );
        assert_eq!(
            interpret_default("'a\\b'::text", "text", false, false),
            value(string("a\\b"))
        );
        assert_eq!(
            interpret_default("E'line\\nnext'::text", "text", false, false),
            value(string("line\nnext"))
        );
        assert_eq!(
            interpret_default("'2020-01-01'::date", "date", false, false),
            value(string("2020-01-01"))
        );
        assert_eq!(
            interpret_default("'x'::character varying::text", "text", false, false),
            value(string("x"))
        );
    }

    #[test]
    fn numbers_in_every_printed_form_are_numbers() {
        assert_eq!(
            interpret_default("42", "integer", false, false),
            value(number("42"))
        );
        assert_eq!(
            interpret_default("1.5", "double precision", false, false),
            value(number("1.5"))
        );
        assert_eq!(
            interpret_default("0.0", "real", false, false),
            value(number("0.0"))
        );
        assert_eq!(
            interpret_default("'-1'::integer", "integer", false, false),
            value(number("-1"))
        );
        assert_eq!(
            interpret_default("(-1)", "integer", false, false),
            value(number("-1"))
        );
        assert_eq!(
            interpret_default("'1.5'::double precision", "double precision", false, false),
            value(number("1.5"))
        );
        assert_eq!(
            interpret_default("'-2.25'::numeric", "numeric(10,2)", false, false),
            value(number("-2.25"))
        );
        assert_eq!(
            interpret_default("'9999999999'::bigint", "bigint", false, false),
            value(number("9999999999"))
        );
        assert_eq!(
            interpret_default("'-1.5'::numeric", "double precision", false, false),
            value(number("-1.5"))
        );
        assert_eq!(
            interpret_default("1e10", "numeric", false, false),
            value(number("1e10"))
        );
        assert_eq!(
            interpret_default(
                "ARRAY[(1.5)::double precision, ('10000000000'::numeric)::double precision]",
                "double precision",
                false,
                true
            ),
            value(DefaultValue::List(vec![
                number("1.5"),
                number("10000000000")
            ]))
        );
    }

    #[test]
    fn quoted_text_that_is_not_a_number_on_a_numeric_column_stays_an_expression() {
        assert_eq!(
            interpret_default("'NaN'::double precision", "double precision", false, false),
            expression("'NaN'::double precision")
        );
    }

    #[test]
    fn booleans_are_booleans() {
        assert_eq!(
            interpret_default("true", "boolean", false, false),
            value(DefaultValue::Boolean(true))
        );
        assert_eq!(
            interpret_default("false", "boolean", false, false),
            value(DefaultValue::Boolean(false))
        );
        assert_eq!(
            interpret_default("'t'::boolean", "boolean", false, false),
            value(DefaultValue::Boolean(true))
        );
    }

    #[test]
    fn arrays_in_every_printed_form_are_lists() {
        let list = |values: Vec<DefaultValue>| value(DefaultValue::List(values));
        assert_eq!(
            interpret_default("ARRAY['a'::text, 'b'::text]", "text", false, true),
            list(vec![string("a"), string("b")])
        );
        assert_eq!(
            interpret_default("'{a,b}'::text[]", "text", false, true),
            list(vec![string("a"), string("b")])
        );
        assert_eq!(
            interpret_default("'{}'::text[]", "text", false, true),
            list(vec![])
        );
        assert_eq!(
            interpret_default("ARRAY[]::text[]", "text", false, true),
            list(vec![])
        );
        assert_eq!(
            interpret_default("'{1,2}'::integer[]", "integer", false, true),
            list(vec![number("1"), number("2")])
        );
        assert_eq!(
            interpret_default("ARRAY[1, '-2'::integer]", "integer", false, true),
            list(vec![number("1"), number("-2")])
        );
        assert_eq!(
            interpret_default("'{USER}'::\"Role\"[]", "\"Role\"", true, true),
            list(vec![string("USER")])
        );
        assert_eq!(
            interpret_default("ARRAY['USER'::\"Role\"]", "\"Role\"", true, true),
            list(vec![string("USER")])
        );
        assert_eq!(
            interpret_default("'{t,f}'::boolean[]", "boolean", false, true),
            list(vec![
                DefaultValue::Boolean(true),
                DefaultValue::Boolean(false)
            ])
        );
        assert_eq!(
            interpret_default("'{\"a b\",\"c\\\"d\"}'::text[]", "text", false, true),
            list(vec![string("a b"), string("c\"d")])
        );
    }

    #[test]
    fn arrays_the_schema_cannot_write_stay_expressions() {
        for text in [
            "'{\"a\",NULL}'::text[]",
            "'{{1,2},{3,4}}'::integer[]",
            "ARRAY[ARRAY[1], ARRAY[2]]",
        ] {
            assert_eq!(
                interpret_default(text, "integer", false, true),
                expression(text),
                "{text}"
            );
        }
    }

    #[test]
    fn anything_else_is_an_expression_kept_verbatim() {
        for text in [
            "gen_random_uuid()",
            "lower('X'::text)",
            "(lower('X'::text))",
            "('now'::text)::date",
            "'a'::text || 'b'::text",
            "(1 + 2)",
            "nextval('t_id_seq'::regclass)",
        ] {
            assert_eq!(
                interpret_default(text, "text", false, false),
                expression(text),
                "{text}"
            );
        }
    }

    #[test]
    fn sequence_defaults_are_recognised() {
        assert!(is_sequence_default("nextval('t_aa_seq'::regclass)"));
        assert!(!is_sequence_default("42"));
    }

    #[test]
    fn public_prefix_is_removed_from_type_names() {
        assert_eq!(canonical_type_name("public.citext"), "citext");
        assert_eq!(
            canonical_type_name("character varying(255)"),
            "character varying(255)"
        );
    }

    #[test]
    fn decimal_numbers_are_recognised() {
        for text in ["0", "-1", "+2", "1.5", ".5", "5.", "1e10", "1.5E-3"] {
            assert!(is_decimal_number(text), "{text}");
        }
        for text in ["", "-", ".", "1e", "abc", "1.2.3", "0x1F", "NaN"] {
            assert!(!is_decimal_number(text), "{text}");
        }
    }

    #[test]
    fn query_count_is_fixed() {
        assert_eq!(queries().len(), 6);
    }

    #[test]
    fn installed_extensions_are_read_and_rows_from_before_the_query_read_as_none() {
        let row =
            |cells: &[&str]| -> Row { cells.iter().map(|cell| Some(cell.to_string())).collect() };
        let results = vec![QueryResult {
            name: EXTENSIONS_QUERY_NAME.to_string(),
            rows: vec![row(&["citext", "public", "1.6"])],
        }];
        assert_eq!(
            extensions_from_rows(&results).unwrap(),
            [Extension {
                name: "citext".to_string(),
                schema: Some("public".to_string()),
                version: Some("1.6".to_string()),
                requested: false,
            }]
        );
        assert_eq!(extensions_from_rows(&[]).unwrap(), []);
    }
}
