//! SQLite's column types: the declared types real SQLite files carry, the `@db.*` attribute
//! for each, the Prisma scalar mapping and what a type change does to values.
//!
//! SQLite keeps a column's declared type as written (`DATETIME`, `VARCHAR(255)`,
//! `DECIMAL(10,2)`) and gives it an affinity; comon keeps the declared type, so that a schema
//! pulled from a real database lowers back to exactly the types that database declares.
//! comon's default mapping covers INTEGER, TEXT, REAL, BOOLEAN and BLOB; the other spellings
//! below are those real SQLite files carry. One table serves validation, lowering and
//! `db pull`, so the three cannot disagree.

use crate::provider::Flavour;

use super::{
    native_attribute, ColumnType, ColumnTypeKind, NativeTypeSpecification, PrismaTypeChoice,
    ScalarType, TypeChangeRisk,
};

/// A declared type the planner models, without its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqliteDeclaredType {
    Integer,
    Numeric,
    Real,
    Text,
    Blob,
    Int,
    BigInt,
    SmallInt,
    TinyInt,
    MediumInt,
    Int2,
    Int8,
    Decimal,
    Float,
    Double,
    DoublePrecision,
    VarChar,
    Char,
    Character,
    NVarChar,
    NChar,
    Clob,
    Uuid,
    Boolean,
    Bool,
    DateTime,
    Date,
    Time,
    Timestamp,
    Json,
    JsonB,
}

/// A modelled declared type with its arguments: `DECIMAL(10,2)` is `Decimal` with `[10, 2]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SqliteColumnType {
    pub declared_type: SqliteDeclaredType,
    pub arguments: Vec<u32>,
}

struct SqliteTypeDefinition {
    declared_type: SqliteDeclaredType,
    /// The attribute name, `DateTime` in `@db.DateTime`.
    attribute: &'static str,
    /// The declared type in SQLite's canonical (upper-case) spelling, without arguments.
    spelling: &'static str,
    /// The scalar types it fits, the most natural first (the one `db pull` writes).
    scalar_types: &'static [ScalarType],
    minimum_arguments: usize,
    maximum_arguments: usize,
}

const fn definition(
    declared_type: SqliteDeclaredType,
    attribute: &'static str,
    spelling: &'static str,
    scalar_types: &'static [ScalarType],
    maximum_arguments: usize,
) -> SqliteTypeDefinition {
    SqliteTypeDefinition {
        declared_type,
        attribute,
        spelling,
        scalar_types,
        minimum_arguments: 0,
        maximum_arguments,
    }
}

use ScalarType::{BigInt, Boolean, Bytes, DateTime, Decimal, Float, Int, Json, String};

const SQLITE_TYPES: &[SqliteTypeDefinition] = &[
    // comon_orm's own list.
    definition(
        SqliteDeclaredType::Integer,
        "Integer",
        "INTEGER",
        &[Int, BigInt, Boolean],
        0,
    ),
    definition(
        SqliteDeclaredType::Numeric,
        "Numeric",
        "NUMERIC",
        &[Decimal, Float],
        2,
    ),
    definition(
        SqliteDeclaredType::Real,
        "Real",
        "REAL",
        &[Float, Decimal],
        0,
    ),
    definition(
        SqliteDeclaredType::Text,
        "Text",
        "TEXT",
        &[String, DateTime, Json, BigInt, Decimal],
        0,
    ),
    definition(SqliteDeclaredType::Blob, "Blob", "BLOB", &[Bytes], 0),
    // Integer spellings (INTEGER affinity).
    definition(
        SqliteDeclaredType::Int,
        "Int",
        "INT",
        &[Int, BigInt, Boolean],
        0,
    ),
    definition(
        SqliteDeclaredType::BigInt,
        "BigInt",
        "BIGINT",
        &[BigInt, Int],
        0,
    ),
    definition(
        SqliteDeclaredType::SmallInt,
        "SmallInt",
        "SMALLINT",
        &[Int, Boolean],
        0,
    ),
    definition(
        SqliteDeclaredType::TinyInt,
        "TinyInt",
        "TINYINT",
        &[Int, Boolean],
        0,
    ),
    definition(
        SqliteDeclaredType::MediumInt,
        "MediumInt",
        "MEDIUMINT",
        &[Int],
        0,
    ),
    definition(SqliteDeclaredType::Int2, "Int2", "INT2", &[Int], 0),
    definition(SqliteDeclaredType::Int8, "Int8", "INT8", &[BigInt, Int], 0),
    // Decimal and floating point spellings (NUMERIC and REAL affinity).
    definition(
        SqliteDeclaredType::Decimal,
        "Decimal",
        "DECIMAL",
        &[Decimal, Float],
        2,
    ),
    definition(
        SqliteDeclaredType::Float,
        "Float",
        "FLOAT",
        &[Float, Decimal],
        0,
    ),
    definition(
        SqliteDeclaredType::Double,
        "Double",
        "DOUBLE",
        &[Float, Decimal],
        0,
    ),
    definition(
        SqliteDeclaredType::DoublePrecision,
        "DoublePrecision",
        "DOUBLE PRECISION",
        &[Float, Decimal],
        0,
    ),
    // Text spellings (TEXT affinity).
    definition(
        SqliteDeclaredType::VarChar,
        "VarChar",
        "VARCHAR",
        &[String],
        1,
    ),
    definition(SqliteDeclaredType::Char, "Char", "CHAR", &[String], 1),
    definition(
        SqliteDeclaredType::Character,
        "Character",
        "CHARACTER",
        &[String],
        1,
    ),
    definition(
        SqliteDeclaredType::NVarChar,
        "NVarChar",
        "NVARCHAR",
        &[String],
        1,
    ),
    definition(SqliteDeclaredType::NChar, "NChar", "NCHAR", &[String], 1),
    definition(SqliteDeclaredType::Clob, "Clob", "CLOB", &[String, Json], 0),
    definition(SqliteDeclaredType::Uuid, "Uuid", "UUID", &[String], 0),
    // Booleans, dates and JSON (NUMERIC affinity; the values are whatever the client writes).
    definition(
        SqliteDeclaredType::Boolean,
        "Boolean",
        "BOOLEAN",
        &[Boolean],
        0,
    ),
    definition(SqliteDeclaredType::Bool, "Bool", "BOOL", &[Boolean], 0),
    definition(
        SqliteDeclaredType::DateTime,
        "DateTime",
        "DATETIME",
        &[DateTime],
        1,
    ),
    definition(SqliteDeclaredType::Date, "Date", "DATE", &[DateTime], 0),
    definition(SqliteDeclaredType::Time, "Time", "TIME", &[DateTime], 1),
    definition(
        SqliteDeclaredType::Timestamp,
        "Timestamp",
        "TIMESTAMP",
        &[DateTime],
        1,
    ),
    definition(SqliteDeclaredType::Json, "Json", "JSON", &[Json], 0),
    definition(SqliteDeclaredType::JsonB, "JsonB", "JSONB", &[Json], 0),
];

impl SqliteDeclaredType {
    fn definition(self) -> &'static SqliteTypeDefinition {
        SQLITE_TYPES
            .iter()
            .find(|definition| definition.declared_type == self)
            .unwrap_or(&SQLITE_TYPES[0])
    }
}

impl SqliteColumnType {
    pub fn bare(declared_type: SqliteDeclaredType) -> SqliteColumnType {
        SqliteColumnType {
            declared_type,
            arguments: Vec::new(),
        }
    }

    /// The declared type in canonical spelling: `DECIMAL(10,2)`.
    pub fn spelling(&self) -> std::string::String {
        let base = self.declared_type.definition().spelling;
        if self.arguments.is_empty() {
            return base.to_string();
        }
        let arguments: Vec<std::string::String> =
            self.arguments.iter().map(u32::to_string).collect();
        format!("{base}({})", arguments.join(","))
    }

    /// The modelled type a canonical declared type names (see
    /// `canonical_type_name`); `None` for other spellings,
    /// `DECIMAL(010)` included, since `spelling()` must give the text back exactly.
    pub fn from_declared_type(canonical_declared_type: &str) -> Option<SqliteColumnType> {
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
        let definition = SQLITE_TYPES
            .iter()
            .find(|definition| definition.spelling == base)?;
        let fits = (definition.minimum_arguments..=definition.maximum_arguments)
            .contains(&arguments.len());
        let parsed = SqliteColumnType {
            declared_type: definition.declared_type,
            arguments,
        };
        (fits && parsed.spelling() == canonical_declared_type).then_some(parsed)
    }

    /// The type `@db.<name>(arguments)` declares; `None` for an unknown name.
    pub fn from_native_attribute(name: &str, arguments: &[u32]) -> Option<SqliteColumnType> {
        let definition = SQLITE_TYPES
            .iter()
            .find(|definition| definition.attribute == name)?;
        Some(SqliteColumnType {
            declared_type: definition.declared_type,
            arguments: arguments.to_vec(),
        })
    }

    /// The type of a scalar without a `@db.*` attribute in a flavour: comon_orm's mapping, or
    /// the declared types Prisma 7 writes (`BIGINT`, `DECIMAL`, `DATETIME`, `JSONB`).
    pub fn for_scalar(scalar: ScalarType, flavour: Flavour) -> SqliteColumnType {
        use SqliteDeclaredType as Declared;
        SqliteColumnType::bare(match (scalar, flavour) {
            (ScalarType::Int, _) => Declared::Integer,
            (ScalarType::BigInt, Flavour::ComonOrm) => Declared::Text,
            (ScalarType::BigInt, Flavour::Prisma) => Declared::BigInt,
            (ScalarType::Float, _) => Declared::Real,
            (ScalarType::Decimal, Flavour::ComonOrm) => Declared::Real,
            (ScalarType::Decimal, Flavour::Prisma) => Declared::Decimal,
            (ScalarType::Boolean, _) => Declared::Boolean,
            (ScalarType::String, _) => Declared::Text,
            (ScalarType::DateTime, Flavour::ComonOrm) => Declared::Text,
            (ScalarType::DateTime, Flavour::Prisma) => Declared::DateTime,
            (ScalarType::Json, Flavour::ComonOrm) => Declared::Text,
            (ScalarType::Json, Flavour::Prisma) => Declared::JsonB,
            (ScalarType::Bytes, _) => Declared::Blob,
        })
    }

    /// `prisma_choices` in a flavour's mapping: in Prisma's, `DATETIME`, `BIGINT`, `DECIMAL`
    /// and `JSONB` are bare scalars, and a `TEXT` or `REAL` column of another scalar needs its
    /// `@db.*` attribute.
    pub fn prisma_choices_in_flavour(&self, flavour: Flavour) -> Vec<PrismaTypeChoice> {
        if flavour == Flavour::ComonOrm {
            return self.prisma_choices();
        }
        let definition = self.declared_type.definition();
        let attribute = native_attribute(definition.attribute, &self.arguments);
        super::choices_in_flavour(
            self.prisma_choices(),
            |scalar| SqliteColumnType::for_scalar(scalar, flavour) == *self,
            |scalar| {
                definition
                    .scalar_types
                    .contains(&scalar)
                    .then(|| attribute.clone())
            },
        )
    }

    /// The Prisma types that lower to this type, the most natural first (for `db pull`).
    pub fn prisma_choices(&self) -> Vec<PrismaTypeChoice> {
        use SqliteDeclaredType as Declared;
        let scalar = PrismaTypeChoice::scalar;
        if self.arguments.is_empty() {
            match self.declared_type {
                Declared::Integer => {
                    return vec![
                        scalar(Int),
                        PrismaTypeChoice::native(BigInt, "db.Integer"),
                        PrismaTypeChoice::native(Boolean, "db.Integer"),
                    ]
                }
                Declared::Text => {
                    return vec![
                        scalar(String),
                        scalar(DateTime),
                        scalar(BigInt),
                        scalar(Json),
                        PrismaTypeChoice::native(Decimal, "db.Text"),
                    ]
                }
                Declared::Real => return vec![scalar(Float), scalar(Decimal)],
                Declared::Boolean => return vec![scalar(Boolean)],
                Declared::Blob => return vec![scalar(Bytes)],
                _ => {}
            }
        }
        // A declared type no default mapping gives: the scalars its `@db.*` type fits.
        let definition = self.declared_type.definition();
        let attribute = native_attribute(definition.attribute, &self.arguments);
        definition
            .scalar_types
            .iter()
            .map(|scalar| PrismaTypeChoice::native(*scalar, attribute.clone()))
            .collect()
    }
}

/// The `@db.*` attributes of SQLite, with the scalar types they fit and their arity.
pub(super) fn native_type_specification(name: &str) -> Option<NativeTypeSpecification> {
    let definition = SQLITE_TYPES
        .iter()
        .find(|definition| definition.attribute == name)?;
    Some(NativeTypeSpecification {
        scalar_types: definition.scalar_types,
        minimum_arguments: definition.minimum_arguments,
        maximum_arguments: definition.maximum_arguments,
    })
}

/// Two declared types are the same when SQLite would read them as one: without case.
pub fn declared_types_are_equal(previous: &ColumnType, next: &ColumnType) -> bool {
    match (previous.kind.native_spelling(), next.kind.native_spelling()) {
        (Some(previous), Some(next)) => previous.trim().eq_ignore_ascii_case(next.trim()),
        _ => false,
    }
}

/// SQLite converts values by type affinity while copying them into the rebuilt table and
/// never rejects one, but numbers stored as text (or the reverse) change meaning.
pub fn type_change_risk(previous: &ColumnType, next: &ColumnType) -> Option<TypeChangeRisk> {
    use SqliteDeclaredType as Declared;
    let is_enum = |column_type: &ColumnType| matches!(column_type.kind, ColumnTypeKind::Enum(_));
    if is_enum(previous) || is_enum(next) {
        return Some(TypeChangeRisk::DataLoss);
    }
    let bare = |column_type: &ColumnType| {
        column_type
            .kind
            .sqlite()
            .filter(|sqlite_type| sqlite_type.arguments.is_empty())
            .map(|sqlite_type| sqlite_type.declared_type)
    };
    let safe = matches!(
        (bare(previous), bare(next)),
        (_, Some(Declared::Text))
            | (
                Some(Declared::Integer | Declared::Boolean),
                Some(Declared::Real | Declared::Numeric | Declared::Integer | Declared::BigInt)
            )
            | (Some(Declared::Real), Some(Declared::Numeric))
            | (Some(Declared::Boolean), Some(Declared::Boolean))
    );
    (!safe).then_some(TypeChangeRisk::DataLoss)
}

/// The canonical spelling of a declared type: upper case, trimmed, runs of whitespace made one
/// space and no space next to parentheses or commas (`decimal( 10, 2 )` is `DECIMAL(10,2)`).
pub fn canonical_type_name(declared_type: &str) -> std::string::String {
    let collapsed = declared_type
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    let mut canonical = std::string::String::with_capacity(collapsed.len());
    let characters: Vec<char> = collapsed.chars().collect();
    for (position, character) in characters.iter().enumerate() {
        if *character == ' ' {
            let previous = position
                .checked_sub(1)
                .and_then(|previous| characters.get(previous));
            let next = characters.get(position + 1);
            let touches_punctuation = matches!(previous, Some('(') | Some(','))
                || matches!(next, Some('(') | Some(')') | Some(','));
            if touches_punctuation {
                continue;
            }
        }
        canonical.push(*character);
    }
    canonical
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_native_type_lowers_to_a_declared_type_that_reads_back_as_itself() {
        for definition in SQLITE_TYPES {
            for arguments in [&[][..], &[10][..], &[10, 2][..]] {
                if !(definition.minimum_arguments..=definition.maximum_arguments)
                    .contains(&arguments.len())
                {
                    continue;
                }
                let declared =
                    SqliteColumnType::from_native_attribute(definition.attribute, arguments)
                        .unwrap();
                let spelling = declared.spelling();
                assert_eq!(canonical_type_name(&spelling), spelling);
                assert_eq!(
                    SqliteColumnType::from_declared_type(&spelling),
                    Some(declared)
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
            "integer",
            "",
        ] {
            assert!(
                SqliteColumnType::from_declared_type(declared).is_none(),
                "{declared}"
            );
        }
    }

    #[test]
    fn widening_affinities_are_safe_and_others_lose_data() {
        let native = ColumnType::native;
        assert_eq!(type_change_risk(&native("INTEGER"), &native("REAL")), None);
        assert_eq!(type_change_risk(&native("BLOB"), &native("TEXT")), None);
        assert_eq!(
            type_change_risk(&native("TEXT"), &native("INTEGER")),
            Some(TypeChangeRisk::DataLoss)
        );
        assert_eq!(
            type_change_risk(&native("UNSIGNED BIG INT"), &native("REAL")),
            Some(TypeChangeRisk::DataLoss)
        );
    }

    #[test]
    fn declared_types_are_canonical() {
        assert_eq!(canonical_type_name(" integer "), "INTEGER");
        assert_eq!(canonical_type_name("decimal( 10, 2 )"), "DECIMAL(10,2)");
        assert_eq!(
            canonical_type_name("double   precision"),
            "DOUBLE PRECISION"
        );
        assert_eq!(canonical_type_name("varchar (255)"), "VARCHAR(255)");
        assert_eq!(canonical_type_name(""), "");
    }
}
