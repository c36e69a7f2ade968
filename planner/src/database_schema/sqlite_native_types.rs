//! The `@db.*` native types accepted on SQLite, and the declared type each lowers to.
//!
//! SQLite keeps a column's declared type as written (`DATETIME`, `VARCHAR(255)`,
//! `DECIMAL(10,2)`) and gives it an affinity; comon keeps the declared type, so that a schema
//! pulled from a real database lowers back to exactly the types that database declares. comon's
//! default mapping (see `from_data_model`) covers INTEGER, TEXT, REAL, BOOLEAN and BLOB; the
//! types below are the other spellings real SQLite files carry. One table serves validation,
//! lowering and `db pull`, so the three cannot disagree.

use crate::schema_language::data_model::ScalarType;

pub(crate) struct SqliteNativeType {
    /// The attribute name, `DateTime` in `@db.DateTime`.
    pub name: &'static str,
    /// The declared type in SQLite's canonical (upper-case) spelling, without arguments.
    pub declared: &'static str,
    /// The scalar types it fits, the most natural first (the one `db pull` writes).
    pub scalar_types: &'static [ScalarType],
    pub minimum_arguments: usize,
    pub maximum_arguments: usize,
}

const fn native(
    name: &'static str,
    declared: &'static str,
    scalar_types: &'static [ScalarType],
    minimum_arguments: usize,
    maximum_arguments: usize,
) -> SqliteNativeType {
    SqliteNativeType {
        name,
        declared,
        scalar_types,
        minimum_arguments,
        maximum_arguments,
    }
}

use ScalarType::{BigInt, Boolean, Bytes, DateTime, Decimal, Float, Int, Json, String};

pub(crate) const SQLITE_NATIVE_TYPES: &[SqliteNativeType] = &[
    // comon_orm's own list.
    native("Integer", "INTEGER", &[Int, BigInt, Boolean], 0, 0),
    native("Numeric", "NUMERIC", &[Decimal, Float], 0, 2),
    native("Real", "REAL", &[Float, Decimal], 0, 0),
    native(
        "Text",
        "TEXT",
        &[String, DateTime, Json, BigInt, Decimal],
        0,
        0,
    ),
    native("Blob", "BLOB", &[Bytes], 0, 0),
    // Integer spellings (INTEGER affinity).
    native("Int", "INT", &[Int, BigInt, Boolean], 0, 0),
    native("BigInt", "BIGINT", &[BigInt, Int], 0, 0),
    native("SmallInt", "SMALLINT", &[Int, Boolean], 0, 0),
    native("TinyInt", "TINYINT", &[Int, Boolean], 0, 0),
    native("MediumInt", "MEDIUMINT", &[Int], 0, 0),
    native("Int2", "INT2", &[Int], 0, 0),
    native("Int8", "INT8", &[BigInt, Int], 0, 0),
    // Decimal and floating point spellings (NUMERIC and REAL affinity).
    native("Decimal", "DECIMAL", &[Decimal, Float], 0, 2),
    native("Float", "FLOAT", &[Float, Decimal], 0, 0),
    native("Double", "DOUBLE", &[Float, Decimal], 0, 0),
    native(
        "DoublePrecision",
        "DOUBLE PRECISION",
        &[Float, Decimal],
        0,
        0,
    ),
    // Text spellings (TEXT affinity).
    native("VarChar", "VARCHAR", &[String], 0, 1),
    native("Char", "CHAR", &[String], 0, 1),
    native("Character", "CHARACTER", &[String], 0, 1),
    native("NVarChar", "NVARCHAR", &[String], 0, 1),
    native("NChar", "NCHAR", &[String], 0, 1),
    native("Clob", "CLOB", &[String, Json], 0, 0),
    native("Uuid", "UUID", &[String], 0, 0),
    // Booleans, dates and JSON (NUMERIC affinity; the values are whatever the client writes).
    native("Boolean", "BOOLEAN", &[Boolean], 0, 0),
    native("Bool", "BOOL", &[Boolean], 0, 0),
    native("DateTime", "DATETIME", &[DateTime], 0, 1),
    native("Date", "DATE", &[DateTime], 0, 0),
    native("Time", "TIME", &[DateTime], 0, 1),
    native("Timestamp", "TIMESTAMP", &[DateTime], 0, 1),
    native("Json", "JSON", &[Json], 0, 0),
    native("JsonB", "JSONB", &[Json], 0, 0),
];

pub(crate) fn by_name(name: &str) -> Option<&'static SqliteNativeType> {
    SQLITE_NATIVE_TYPES
        .iter()
        .find(|native_type| native_type.name == name)
}

/// The declared type `@db.<name>(arguments)` lowers to, in canonical spelling: `DECIMAL(10,2)`.
pub(crate) fn declared_type(
    native_type: &SqliteNativeType,
    arguments: &[u32],
) -> std::string::String {
    if arguments.is_empty() {
        return native_type.declared.to_string();
    }
    let arguments: Vec<std::string::String> = arguments.iter().map(u32::to_string).collect();
    format!("{}({})", native_type.declared, arguments.join(","))
}

/// The native types that lower to a canonical declared type, with their arguments:
/// `DECIMAL(10,2)` is `@db.Decimal(10, 2)`. Empty when no native type spells it.
pub(crate) fn native_types_declaring(
    canonical_declared_type: &str,
) -> Option<(&'static SqliteNativeType, Vec<u32>)> {
    let (base, arguments) = match canonical_declared_type.split_once('(') {
        Some((base, rest)) => {
            let inner = rest.strip_suffix(')')?;
            let arguments: Option<Vec<u32>> = inner
                .split(',')
                .map(|part| part.trim().parse::<u32>().ok())
                .collect();
            (base.trim(), arguments?)
        }
        None => (canonical_declared_type.trim(), Vec::new()),
    };
    let native_type = SQLITE_NATIVE_TYPES
        .iter()
        .find(|native_type| native_type.declared == base)?;
    let fits =
        (native_type.minimum_arguments..=native_type.maximum_arguments).contains(&arguments.len());
    // `declared_type` must give the text back exactly, so `DECIMAL(010)` is not a spelling.
    (fits && declared_type(native_type, &arguments) == canonical_declared_type)
        .then_some((native_type, arguments))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_native_type_lowers_to_a_declared_type_that_reads_back_as_itself() {
        for native_type in SQLITE_NATIVE_TYPES {
            for arguments in [&[][..], &[10][..], &[10, 2][..]] {
                if !(native_type.minimum_arguments..=native_type.maximum_arguments)
                    .contains(&arguments.len())
                {
                    continue;
                }
                let declared = declared_type(native_type, arguments);
                assert_eq!(
                    crate::introspection::sqlite::canonical_type_name(&declared),
                    declared
                );
                let (found, found_arguments) =
                    native_types_declaring(&declared).expect("the declared type is recognised");
                assert_eq!(
                    (found.name, found_arguments.as_slice()),
                    (native_type.name, arguments)
                );
            }
        }
    }

    #[test]
    fn spellings_without_a_native_type_are_not_recognised() {
        for declared in [
            "UNSIGNED BIG INT",
            "VARCHAR(1,2,3)",
            "DECIMAL(010)",
            "DATE(3)",
            "VARCHAR(",
            "",
        ] {
            assert!(native_types_declaring(declared).is_none(), "{declared}");
        }
    }
}
