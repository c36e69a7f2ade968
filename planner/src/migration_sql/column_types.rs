//! Column types and defaults as written in migration SQL, read into the forms introspection
//! gives: the canonical spelling (`format_type` on PostgreSQL, the declared type upper-cased
//! on SQLite) through `ColumnTypeKind::native`, and defaults through the introspection's own
//! readers of catalog text.

use super::names;
use crate::database_schema::{ColumnDefault, ColumnType, ColumnTypeKind, Enum};
use crate::introspection;
use crate::provider::Provider;
use crate::types::PostgresColumnType;
use sqlparser::ast::{ArrayElemTypeDef, DataType, Expr};

/// A column type as a `CREATE TABLE` or `ALTER COLUMN ... TYPE` declares it.
#[derive(Debug, Clone)]
pub(crate) struct DeclaredType {
    pub column_type: ColumnType,
    /// PostgreSQL `serial`, `bigserial`, `smallserial`: an integer column, `NOT NULL`, with a
    /// sequence default (introspected as `auto_increment`).
    pub serial: bool,
}

impl DeclaredType {
    /// The element type's canonical spelling, as the default readers take it.
    pub fn element_spelling(&self) -> String {
        match &self.column_type.kind {
            ColumnTypeKind::Enum(name) => name.clone(),
            other => other.native_spelling().unwrap_or_default(),
        }
    }
}

pub(crate) fn declared_type(
    provider: Provider,
    data_type: &DataType,
    enums: &[Enum],
) -> Result<DeclaredType, String> {
    match provider {
        Provider::Postgresql => postgres_declared_type(data_type, enums),
        Provider::Sqlite => Ok(DeclaredType {
            column_type: ColumnType::native(&crate::types::sqlite::canonical_type_name(
                &data_type.to_string(),
            )),
            serial: false,
        }),
    }
}

fn postgres_declared_type(data_type: &DataType, enums: &[Enum]) -> Result<DeclaredType, String> {
    let (element, is_array) = match data_type {
        DataType::Array(ArrayElemTypeDef::SquareBracket(element, _)) => {
            // `integer[][]` is the same type as `integer[]` in PostgreSQL.
            let mut element = element.as_ref();
            while let DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _)) = element {
                element = inner.as_ref();
            }
            (element, true)
        }
        DataType::Array(_) => {
            return Err(format!(
                "the array type `{data_type}` is not PostgreSQL syntax the interpreter reads"
            ))
        }
        other => (other, false),
    };
    let (kind, serial) = postgres_element_kind(element, enums)?;
    if serial && is_array {
        return Err("a serial type cannot be an array".to_string());
    }
    Ok(DeclaredType {
        column_type: ColumnType { kind, is_array },
        serial,
    })
}

fn postgres_element_kind(
    data_type: &DataType,
    enums: &[Enum],
) -> Result<(ColumnTypeKind, bool), String> {
    if let DataType::Custom(name, modifiers) = data_type {
        let type_name = names::object_name(Provider::Postgresql, name)
            .ok_or_else(|| format!("the type name `{name}` is computed"))?;
        if modifiers.is_empty()
            && enums
                .iter()
                .any(|enumeration| enumeration.name == type_name)
        {
            return Ok((ColumnTypeKind::Enum(type_name), false));
        }
        let quoted = name
            .0
            .last()
            .and_then(|part| part.as_ident())
            .is_some_and(|ident| ident.quote_style.is_some());
        if quoted && modifiers.is_empty() {
            // A user type that is not an enum (a domain, a composite): `format_type` quotes
            // names that need it.
            return Ok((ColumnTypeKind::Other(format_type_name(&type_name)), false));
        }
        let written = if modifiers.is_empty() {
            type_name
        } else {
            let modifiers: Vec<String> = modifiers.iter().map(ToString::to_string).collect();
            format!("{type_name}({})", modifiers.join(","))
        };
        return Ok(postgres_kind_from_spelling(&written));
    }
    Ok(postgres_kind_from_spelling(&data_type.to_string()))
}

/// `format_type` of a user type: quoted when the name is not a plain lower-case identifier.
fn format_type_name(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first == '_')
        && name.chars().all(|character| {
            character.is_ascii_lowercase()
                || character.is_ascii_digit()
                || character == '_'
                || character == '$'
        });
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Reads a type as migrations spell it (`VARCHAR(255)`, `TIMESTAMP(3)`, `INT4`, `DOUBLE
/// PRECISION`, `SERIAL`) into the modelled type, or `Other` with the name in lower case.
fn postgres_kind_from_spelling(spelling: &str) -> (ColumnTypeKind, bool) {
    use PostgresColumnType::*;
    let upper = spelling
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    let (name, arguments) = match upper.find('(') {
        Some(open) => match upper[open..].find(')') {
            Some(close_offset) => {
                let close = open + close_offset;
                let arguments: Option<Vec<u32>> = upper[open + 1..close]
                    .split(',')
                    .map(|argument| argument.trim().parse().ok())
                    .collect();
                let name = format!("{} {}", upper[..open].trim(), upper[close + 1..].trim());
                (name.trim().to_string(), arguments)
            }
            None => (upper.clone(), None),
        },
        None => (upper.clone(), Some(Vec::new())),
    };
    let other = || (ColumnTypeKind::Other(spelling.trim().to_lowercase()), false);
    let Some(arguments) = arguments else {
        return other();
    };
    let none = arguments.is_empty();
    let one = match arguments.as_slice() {
        [argument] => Some(*argument),
        _ => None,
    };
    let modelled =
        |postgres_type: PostgresColumnType| (ColumnTypeKind::Postgres(postgres_type), false);
    let serial =
        |postgres_type: PostgresColumnType| (ColumnTypeKind::Postgres(postgres_type), true);
    let with_precision = || if none { Some(None) } else { one.map(Some) };
    match name.as_str() {
        "SMALLINT" | "INT2" if none => modelled(SmallInt),
        "INTEGER" | "INT" | "INT4" if none => modelled(Integer),
        "BIGINT" | "INT8" if none => modelled(BigInt),
        "SMALLSERIAL" | "SERIAL2" if none => serial(SmallInt),
        "SERIAL" | "SERIAL4" if none => serial(Integer),
        "BIGSERIAL" | "SERIAL8" if none => serial(BigInt),
        "OID" if none => modelled(Oid),
        "REAL" | "FLOAT4" if none => modelled(Real),
        "DOUBLE PRECISION" | "FLOAT8" if none => modelled(DoublePrecision),
        "FLOAT" if none => modelled(DoublePrecision),
        "FLOAT" => match one {
            Some(bits @ 1..=24) => {
                let _ = bits;
                modelled(Real)
            }
            Some(25..=53) => modelled(DoublePrecision),
            _ => other(),
        },
        "NUMERIC" | "DECIMAL" | "DEC" => match arguments.as_slice() {
            [] => modelled(Numeric {
                precision_scale: None,
            }),
            [precision] => modelled(Numeric {
                precision_scale: Some((*precision, 0)),
            }),
            [precision, scale] => modelled(Numeric {
                precision_scale: Some((*precision, *scale)),
            }),
            _ => other(),
        },
        "MONEY" if none => modelled(Money),
        "BOOLEAN" | "BOOL" if none => modelled(Boolean),
        "TEXT" if none => modelled(Text),
        "CITEXT" if none => modelled(Citext),
        "NAME" if none => modelled(Name),
        "UUID" if none => modelled(Uuid),
        "XML" if none => modelled(Xml),
        "INET" if none => modelled(Inet),
        "DATE" if none => modelled(Date),
        "JSON" if none => modelled(Json),
        "JSONB" if none => modelled(JsonB),
        "BYTEA" if none => modelled(ByteA),
        "CHARACTER" | "CHAR" => match with_precision() {
            Some(length) => modelled(Char {
                length: length.unwrap_or(1),
            }),
            None => other(),
        },
        "CHARACTER VARYING" | "CHAR VARYING" | "VARCHAR" => match with_precision() {
            Some(length) => modelled(VarChar { length }),
            None => other(),
        },
        "BIT" => match with_precision() {
            Some(length) => modelled(Bit {
                length: length.unwrap_or(1),
            }),
            None => other(),
        },
        "BIT VARYING" | "VARBIT" => match with_precision() {
            Some(length) => modelled(VarBit { length }),
            None => other(),
        },
        "TIMESTAMP"
        | "TIMESTAMP WITHOUT TIME ZONE"
        | "TIMESTAMPTZ"
        | "TIMESTAMP WITH TIME ZONE" => match with_precision() {
            Some(precision) => modelled(Timestamp {
                precision,
                with_time_zone: name.ends_with("TZ") || name.ends_with(" WITH TIME ZONE"),
            }),
            None => other(),
        },
        "TIME" | "TIME WITHOUT TIME ZONE" | "TIMETZ" | "TIME WITH TIME ZONE" => {
            match with_precision() {
                Some(precision) => modelled(Time {
                    precision,
                    with_time_zone: name.ends_with("TZ") || name.ends_with(" WITH TIME ZONE"),
                }),
                None => other(),
            }
        }
        _ => other(),
    }
}

/// What a `DEFAULT` clause gives a column: its default as introspection would read it, and
/// whether it is a sequence default (`nextval(...)`), which introspection reports as
/// `auto_increment` without a default.
pub(super) struct InterpretedDefault {
    pub default: Option<ColumnDefault>,
    pub sequence: bool,
}

pub(super) fn interpret_default(
    provider: Provider,
    expression: &Expr,
    declared: &DeclaredType,
) -> InterpretedDefault {
    let text = expression.to_string();
    match provider {
        Provider::Postgresql => {
            if text.trim().to_ascii_lowercase().starts_with("nextval(") {
                return InterpretedDefault {
                    default: None,
                    sequence: true,
                };
            }
            let is_enum = matches!(declared.column_type.kind, ColumnTypeKind::Enum(_));
            // PostgreSQL stores no default for a NULL constant (`AddRelationNewConstraints`):
            // `DEFAULT NULL` is the same as no default.
            if is_null_constant(expression) {
                return InterpretedDefault {
                    default: None,
                    sequence: false,
                };
            }
            InterpretedDefault {
                default: Some(introspection::postgresql::interpret_default(
                    &text,
                    &declared.element_spelling(),
                    is_enum,
                    declared.column_type.is_array,
                )),
                sequence: false,
            }
        }
        Provider::Sqlite => InterpretedDefault {
            default: introspection::sqlite::interpret_default(&text, &declared.element_spelling()),
            sequence: false,
        },
    }
}

/// `NULL`, `(NULL)`, `NULL::text`.
fn is_null_constant(expression: &Expr) -> bool {
    match expression {
        Expr::Nested(inner) => is_null_constant(inner),
        Expr::Cast { expr, .. } => is_null_constant(expr),
        Expr::Value(value) => value.value == sqlparser::ast::Value::Null,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(spelling: &str) -> String {
        match postgres_kind_from_spelling(spelling).0 {
            ColumnTypeKind::Postgres(postgres_type) => postgres_type.spelling(),
            ColumnTypeKind::Other(other) => format!("other:{other}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn migration_spellings_read_as_format_type_spellings() {
        for (written, canonical) in [
            ("INTEGER", "integer"),
            ("INT4", "integer"),
            ("VARCHAR(255)", "character varying(255)"),
            ("CHARACTER VARYING", "character varying"),
            ("TIMESTAMP(3)", "timestamp(3) without time zone"),
            ("TIMESTAMPTZ(3)", "timestamp(3) with time zone"),
            ("TIMESTAMP(6) WITH TIME ZONE", "timestamp(6) with time zone"),
            ("TIMESTAMP", "timestamp without time zone"),
            ("DOUBLE PRECISION", "double precision"),
            ("DECIMAL(65,30)", "numeric(65,30)"),
            ("NUMERIC(10)", "numeric(10,0)"),
            ("CHAR", "character(1)"),
            ("JSONB", "jsonb"),
            ("citext", "citext"),
            ("FLOAT(10)", "real"),
            ("tsvector", "other:tsvector"),
        ] {
            assert_eq!(spelled(written), canonical, "{written}");
        }
        assert!(postgres_kind_from_spelling("SERIAL").1);
        assert!(postgres_kind_from_spelling("BIGSERIAL").1);
    }

    #[test]
    fn user_type_names_are_quoted_as_format_type_quotes_them() {
        assert_eq!(format_type_name("mood"), "mood");
        assert_eq!(format_type_name("Mood"), "\"Mood\"");
    }
}
