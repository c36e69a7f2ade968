//! Column types, typed per provider: what a type is called, what Prisma scalar it maps to,
//! how its default values compare and how its values convert into another type.
//!
//! `postgres` and `sqlite` are the one place per provider that knows these things; the
//! lowering from `schema.prisma`, introspection, the differ, `db pull` and the renderers ask
//! them instead of matching on type names. A type the model does not describe (an extension
//! type, a declared SQLite type outside the known spellings) is `ColumnTypeKind::Other`, kept
//! in the database's spelling.
//!
//! Serialized, a column type keeps its string form (`{"type": "native", "name": "integer"}`),
//! so stored snapshots and the npm API read as before. A spelling names at most one modelled
//! type: PostgreSQL's canonical spellings are lower case (what `format_type` prints), SQLite's
//! are upper case (the declared type upper-cased), and each parse accepts only the exact
//! canonical spelling, so reading a name back gives the type that wrote it.

pub mod postgresql;
pub mod sqlite;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use postgresql::PostgresColumnType;
pub use sqlite::SqliteColumnType;

use crate::provider::Provider;

/// The scalar types of the schema language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    Int,
    BigInt,
    Float,
    Decimal,
    Boolean,
    String,
    DateTime,
    Json,
    Bytes,
}

impl ScalarType {
    pub fn from_name(name: &str) -> Option<ScalarType> {
        Some(match name {
            "Int" => ScalarType::Int,
            "BigInt" => ScalarType::BigInt,
            "Float" => ScalarType::Float,
            "Decimal" => ScalarType::Decimal,
            "Boolean" => ScalarType::Boolean,
            "String" => ScalarType::String,
            "DateTime" => ScalarType::DateTime,
            "Json" => ScalarType::Json,
            "Bytes" => ScalarType::Bytes,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ScalarType::Int => "Int",
            ScalarType::BigInt => "BigInt",
            ScalarType::Float => "Float",
            ScalarType::Decimal => "Decimal",
            ScalarType::Boolean => "Boolean",
            ScalarType::String => "String",
            ScalarType::DateTime => "DateTime",
            ScalarType::Json => "Json",
            ScalarType::Bytes => "Bytes",
        }
    }
}

/// A column's type. `is_array` is for PostgreSQL arrays (`text[]`) and never true on SQLite.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnType {
    pub kind: ColumnTypeKind,
    #[serde(default)]
    pub is_array: bool,
}

/// The element type of a column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnTypeKind {
    Postgres(PostgresColumnType),
    Sqlite(SqliteColumnType),
    /// A type neither model describes, in the provider's canonical spelling: on PostgreSQL
    /// `format_type` output (`tsvector`, `"MyDomain"`), on SQLite the declared type upper-cased
    /// (`UNSIGNED BIG INT`, or the empty text of a column declared without a type).
    Other(String),
    /// A PostgreSQL enum type, by its database name.
    Enum(String),
}

impl ColumnTypeKind {
    /// The built-in type a canonical spelling names, whichever provider models it, else `Other`.
    pub fn native(spelling: &str) -> ColumnTypeKind {
        if let Some(postgres_type) = PostgresColumnType::from_spelling(spelling) {
            ColumnTypeKind::Postgres(postgres_type)
        } else if let Some(sqlite_type) = SqliteColumnType::from_declared_type(spelling) {
            ColumnTypeKind::Sqlite(sqlite_type)
        } else {
            ColumnTypeKind::Other(spelling.to_string())
        }
    }

    /// The canonical spelling of a built-in type; `None` for an enum.
    pub fn native_spelling(&self) -> Option<String> {
        match self {
            ColumnTypeKind::Postgres(postgres_type) => Some(postgres_type.spelling()),
            ColumnTypeKind::Sqlite(sqlite_type) => Some(sqlite_type.spelling()),
            ColumnTypeKind::Other(spelling) => Some(spelling.clone()),
            ColumnTypeKind::Enum(_) => None,
        }
    }

    /// The PostgreSQL type this kind is, when PostgreSQL's model describes it.
    pub fn postgres(&self) -> Option<&PostgresColumnType> {
        match self {
            ColumnTypeKind::Postgres(postgres_type) => Some(postgres_type),
            _ => None,
        }
    }

    /// The SQLite type this kind is, read as SQLite reads a declared type (without case), when
    /// SQLite's model describes it.
    pub fn sqlite(&self) -> Option<SqliteColumnType> {
        match self {
            ColumnTypeKind::Sqlite(sqlite_type) => Some(sqlite_type.clone()),
            ColumnTypeKind::Enum(_) => None,
            other => SqliteColumnType::from_declared_type(
                &other.native_spelling()?.trim().to_ascii_uppercase(),
            ),
        }
    }
}

impl ColumnType {
    /// A built-in type by its canonical spelling (see `ColumnTypeKind::native`).
    pub fn native(spelling: &str) -> ColumnType {
        ColumnType {
            kind: ColumnTypeKind::native(spelling),
            is_array: false,
        }
    }

    pub fn postgres(postgres_type: PostgresColumnType) -> ColumnType {
        ColumnType {
            kind: ColumnTypeKind::Postgres(postgres_type),
            is_array: false,
        }
    }

    pub fn sqlite(sqlite_type: SqliteColumnType) -> ColumnType {
        ColumnType {
            kind: ColumnTypeKind::Sqlite(sqlite_type),
            is_array: false,
        }
    }

    pub fn enumeration(name: &str) -> ColumnType {
        ColumnType {
            kind: ColumnTypeKind::Enum(name.to_string()),
            is_array: false,
        }
    }

    pub fn array(mut self) -> ColumnType {
        self.is_array = true;
        self
    }

    /// How a warning names the type: the canonical spelling (or enum name), `[]` for arrays.
    pub fn describe(&self) -> String {
        let base = match &self.kind {
            ColumnTypeKind::Enum(name) => name.clone(),
            native => native.native_spelling().unwrap_or_default(),
        };
        if self.is_array {
            format!("{base}[]")
        } else {
            base
        }
    }

    /// How this type's literal default values compare (see `ValueKind`). SQLite keeps a
    /// default as the text it was written in, so every kind there is `Other`.
    pub fn value_kind(&self, provider: Provider) -> ValueKind {
        match (&self.kind, provider) {
            (ColumnTypeKind::Postgres(postgres_type), Provider::Postgresql) => {
                postgres_type.value_kind()
            }
            _ => ValueKind::Other,
        }
    }
}

/// The serialized form of a column type kind: `{"type": "native" | "enum", "name": ...}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "name")]
enum SerializedColumnTypeKind {
    Native(String),
    Enum(String),
}

impl Serialize for ColumnTypeKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let serialized = match self {
            ColumnTypeKind::Enum(name) => SerializedColumnTypeKind::Enum(name.clone()),
            native => {
                SerializedColumnTypeKind::Native(native.native_spelling().unwrap_or_default())
            }
        };
        serialized.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ColumnTypeKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ColumnTypeKind, D::Error> {
        Ok(match SerializedColumnTypeKind::deserialize(deserializer)? {
            SerializedColumnTypeKind::Native(spelling) => ColumnTypeKind::native(&spelling),
            SerializedColumnTypeKind::Enum(name) => ColumnTypeKind::Enum(name),
        })
    }
}

/// How the literal default values of a column type compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `json`, `jsonb`: as JSON values.
    Json,
    /// `bytea`: as the bytes PostgreSQL's input rules make of the text.
    Bytes,
    /// `uuid`: without case, hyphens and braces.
    Uuid,
    /// `numeric`: numbers by exact decimal value (`1.50` is `1.5`, `1e3` is `1000`), where a
    /// binary float would call `0.1` and `0.10000000000000000001` equal.
    ExactNumber,
    /// `timestamp without time zone`: the local date and time as written; an offset is ignored.
    LocalTimestamp,
    /// `date`: the date as written.
    Date,
    /// `time without time zone`: the time of day as written.
    Time,
    /// `time with time zone`: the time of day in UTC.
    TimeWithZone,
    /// Anything else, `timestamp with time zone` included: text, numbers by value, and two
    /// spellings of one instant.
    Other,
}

/// What converting existing values to another type risks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeChangeRisk {
    /// Values that do not fit are rejected, and the migration fails.
    MayFail,
    /// Values change: rounding, lost precision, cut text.
    DataLoss,
}

/// How PostgreSQL converts a column's values in `ALTER COLUMN ... SET DATA TYPE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ColumnTypeCast {
    /// No `USING`: PostgreSQL's assignment cast, which rejects values that do not fit (a
    /// `varchar(10)` too long, an integer out of range) instead of silently cutting them.
    Assignment,
    /// `USING (column::next_type)`: there is no assignment cast between the two types.
    Explicit,
    /// `USING (column::text::next_type)` (`text[]` for arrays): an enum on either side has
    /// no cast but through text.
    ThroughText,
}

/// A Prisma type that describes a column: the scalar, and the `@db.*` attribute (without
/// `@`, with its arguments) when the scalar alone would lower to another type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrismaTypeChoice {
    pub scalar: ScalarType,
    pub native_attribute: Option<String>,
}

impl PrismaTypeChoice {
    fn scalar(scalar: ScalarType) -> PrismaTypeChoice {
        PrismaTypeChoice {
            scalar,
            native_attribute: None,
        }
    }

    fn native(scalar: ScalarType, attribute: impl Into<String>) -> PrismaTypeChoice {
        PrismaTypeChoice {
            scalar,
            native_attribute: Some(attribute.into()),
        }
    }
}

/// `choices` (a type's `prisma_choices`, comon_orm's mapping) as they read in another
/// flavour's mapping: a scalar whose bare type there is this type (`is_bare_type`) needs no
/// `@db.*` attribute and comes first; a bare scalar that lowers to another type there takes the
/// type's own attribute (`own_attribute`) when it fits, and is left out when it does not.
fn choices_in_flavour(
    choices: Vec<PrismaTypeChoice>,
    is_bare_type: impl Fn(ScalarType) -> bool,
    own_attribute: impl Fn(ScalarType) -> Option<String>,
) -> Vec<PrismaTypeChoice> {
    let mut bare: Vec<PrismaTypeChoice> = Vec::new();
    let mut others: Vec<PrismaTypeChoice> = Vec::new();
    for choice in choices {
        let kept = if is_bare_type(choice.scalar) {
            bare.push(PrismaTypeChoice::scalar(choice.scalar));
            continue;
        } else if choice.native_attribute.is_some() {
            choice
        } else {
            match own_attribute(choice.scalar) {
                Some(attribute) => PrismaTypeChoice::native(choice.scalar, attribute),
                None => continue,
            }
        };
        others.push(kept);
    }
    let mut result: Vec<PrismaTypeChoice> = Vec::new();
    for choice in bare.into_iter().chain(others) {
        if !result.contains(&choice) {
            result.push(choice);
        }
    }
    result
}

/// `db.Name` or `db.Name(1, 2)`.
fn native_attribute(name: &str, arguments: &[u32]) -> String {
    if arguments.is_empty() {
        format!("db.{name}")
    } else {
        let arguments: Vec<String> = arguments.iter().map(u32::to_string).collect();
        format!("db.{name}({})", arguments.join(", "))
    }
}

/// What a `@db.*` attribute accepts: the scalar types it fits and how many arguments it takes.
pub struct NativeTypeSpecification {
    pub scalar_types: &'static [ScalarType],
    pub minimum_arguments: usize,
    pub maximum_arguments: usize,
}

/// The `@db.<name>` attribute of a provider, or `None` when the provider has no such type.
pub fn native_type_specification(
    provider: Provider,
    name: &str,
) -> Option<NativeTypeSpecification> {
    match provider {
        Provider::Postgresql => postgresql::native_type_specification(name),
        Provider::Sqlite => sqlite::native_type_specification(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_kinds_read_back_as_the_same_type() {
        for spelling in [
            "integer",
            "character varying(255)",
            "timestamp(3) with time zone",
            "INTEGER",
            "DECIMAL(10,2)",
            "tsvector",
            "UNSIGNED BIG INT",
            "",
        ] {
            let column_type = ColumnType::native(spelling);
            let json = serde_json::to_string(&column_type).unwrap();
            assert_eq!(
                json,
                format!(
                    "{{\"kind\":{{\"type\":\"native\",\"name\":{}}},\"isArray\":false}}",
                    serde_json::to_string(spelling).unwrap()
                )
            );
            let read: ColumnType = serde_json::from_str(&json).unwrap();
            assert_eq!(read, column_type);
        }
        assert!(matches!(
            ColumnType::native("integer").kind,
            ColumnTypeKind::Postgres(PostgresColumnType::Integer)
        ));
        assert!(matches!(
            ColumnType::native("INTEGER").kind,
            ColumnTypeKind::Sqlite(_)
        ));
        assert!(matches!(
            ColumnType::native("tsvector").kind,
            ColumnTypeKind::Other(_)
        ));
    }
}
