//! PostgreSQL's column types: the canonical spelling (what `format_type()` prints), the
//! spelling migrations use, the `@db.*` attributes, the Prisma scalar mapping, how defaults
//! compare and how `ALTER COLUMN ... SET DATA TYPE` converts values.

use crate::provider::Flavour;

use super::{
    native_attribute, ColumnType, ColumnTypeCast, ColumnTypeKind, NativeTypeSpecification,
    PrismaTypeChoice, ScalarType, TypeChangeRisk, ValueKind,
};

/// A PostgreSQL built-in or contrib type that the planner models. Lengths and precisions are
/// `None` where the type was declared without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostgresColumnType {
    SmallInt,
    Integer,
    BigInt,
    Oid,
    Real,
    DoublePrecision,
    /// `numeric(precision,scale)`.
    Numeric {
        precision_scale: Option<(u32, u32)>,
    },
    Money,
    Boolean,
    Text,
    /// The `citext` extension's type.
    Citext,
    Name,
    /// `character(n)`; PostgreSQL always reports a length.
    Char {
        length: u32,
    },
    VarChar {
        length: Option<u32>,
    },
    /// `bit(n)`; PostgreSQL always reports a length.
    Bit {
        length: u32,
    },
    VarBit {
        length: Option<u32>,
    },
    Uuid,
    Xml,
    Inet,
    Timestamp {
        precision: Option<u32>,
        with_time_zone: bool,
    },
    Time {
        precision: Option<u32>,
        with_time_zone: bool,
    },
    Date,
    Json,
    JsonB,
    ByteA,
}

/// The broad family of a type. Within a family, and into the text family, PostgreSQL has
/// assignment casts, so `ALTER COLUMN ... TYPE` needs no `USING`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostgresTypeFamily {
    Number,
    Text,
    Boolean,
    Time,
    Json,
    Bytes,
    Uuid,
    Bit,
    Enum,
    /// Types outside the model, and modelled ones without a family of their own (`xml`,
    /// `inet`). They are one family, so a change between two of them needs no `USING`.
    Other,
}

/// How a literal default of the type is read from `pg_get_expr` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralReading {
    Number,
    Boolean,
    Text,
}

fn with_zone(with_time_zone: bool) -> &'static str {
    if with_time_zone {
        "with time zone"
    } else {
        "without time zone"
    }
}

fn with_optional_argument(base: &str, argument: Option<u32>) -> String {
    match argument {
        Some(argument) => format!("{base}({argument})"),
        None => base.to_string(),
    }
}

impl PostgresColumnType {
    /// The canonical spelling: what `format_type()` prints, such as `integer`,
    /// `character varying(255)`, `timestamp(3) without time zone`, `numeric(65,30)`.
    pub fn spelling(&self) -> String {
        use PostgresColumnType::*;
        match *self {
            SmallInt => "smallint".to_string(),
            Integer => "integer".to_string(),
            BigInt => "bigint".to_string(),
            Oid => "oid".to_string(),
            Real => "real".to_string(),
            DoublePrecision => "double precision".to_string(),
            Numeric {
                precision_scale: None,
            } => "numeric".to_string(),
            Numeric {
                precision_scale: Some((precision, scale)),
            } => format!("numeric({precision},{scale})"),
            Money => "money".to_string(),
            Boolean => "boolean".to_string(),
            Text => "text".to_string(),
            Citext => "citext".to_string(),
            Name => "name".to_string(),
            Char { length } => format!("character({length})"),
            VarChar { length } => with_optional_argument("character varying", length),
            Bit { length } => format!("bit({length})"),
            VarBit { length } => with_optional_argument("bit varying", length),
            Uuid => "uuid".to_string(),
            Xml => "xml".to_string(),
            Inet => "inet".to_string(),
            Timestamp {
                precision,
                with_time_zone,
            } => format!(
                "{} {}",
                with_optional_argument("timestamp", precision),
                with_zone(with_time_zone)
            ),
            Time {
                precision,
                with_time_zone,
            } => format!(
                "{} {}",
                with_optional_argument("time", precision),
                with_zone(with_time_zone)
            ),
            Date => "date".to_string(),
            Json => "json".to_string(),
            JsonB => "jsonb".to_string(),
            ByteA => "bytea".to_string(),
        }
    }

    /// The type a canonical spelling names. Only the exact canonical spelling is accepted
    /// (`spelling()` gives the text back), so that two spellings never name one type.
    pub fn from_spelling(spelling: &str) -> Option<PostgresColumnType> {
        let parsed = Self::parse_spelling(spelling)?;
        (parsed.spelling() == spelling).then_some(parsed)
    }

    fn parse_spelling(spelling: &str) -> Option<PostgresColumnType> {
        use PostgresColumnType::*;
        let (base, arguments, rest) = match spelling.find('(') {
            Some(open) => {
                let close = open + spelling[open..].find(')')?;
                let arguments: Option<Vec<u32>> = spelling[open + 1..close]
                    .split(',')
                    .map(|part| part.parse().ok())
                    .collect();
                (&spelling[..open], Some(arguments?), &spelling[close + 1..])
            }
            None => (spelling, None, ""),
        };
        let first = |arguments: &Option<Vec<u32>>| match arguments.as_deref() {
            Some([argument]) => Some(Some(*argument)),
            None => Some(None),
            _ => None,
        };
        let zone = |rest: &str| match rest {
            " with time zone" => Some(true),
            " without time zone" => Some(false),
            _ => None,
        };
        Some(match (base, rest) {
            ("smallint", "") => SmallInt,
            ("integer", "") => Integer,
            ("bigint", "") => BigInt,
            ("oid", "") => Oid,
            ("real", "") => Real,
            ("double precision", "") => DoublePrecision,
            ("numeric", "") => Numeric {
                precision_scale: match arguments.as_deref() {
                    None => None,
                    Some([precision, scale]) => Some((*precision, *scale)),
                    _ => return None,
                },
            },
            ("money", "") => Money,
            ("boolean", "") => Boolean,
            ("text", "") => Text,
            ("citext", "") => Citext,
            ("name", "") => Name,
            ("character", "") => Char {
                length: first(&arguments)??,
            },
            ("character varying", "") => VarChar {
                length: first(&arguments)?,
            },
            ("bit", "") => Bit {
                length: first(&arguments)??,
            },
            ("bit varying", "") => VarBit {
                length: first(&arguments)?,
            },
            ("uuid", "") => Uuid,
            ("xml", "") => Xml,
            ("inet", "") => Inet,
            ("timestamp with time zone", "") => Timestamp {
                precision: None,
                with_time_zone: true,
            },
            ("timestamp without time zone", "") => Timestamp {
                precision: None,
                with_time_zone: false,
            },
            ("timestamp", rest) => Timestamp {
                precision: Some(first(&arguments)??),
                with_time_zone: zone(rest)?,
            },
            ("time with time zone", "") => Time {
                precision: None,
                with_time_zone: true,
            },
            ("time without time zone", "") => Time {
                precision: None,
                with_time_zone: false,
            },
            ("time", rest) => Time {
                precision: Some(first(&arguments)??),
                with_time_zone: zone(rest)?,
            },
            ("date", "") => Date,
            ("json", "") => Json,
            ("jsonb", "") => JsonB,
            ("bytea", "") => ByteA,
            _ => return None,
        })
    }

    /// The spelling in migration SQL, the way people write migrations: `TIMESTAMPTZ(3)` for
    /// `timestamp(3) with time zone`, `VARCHAR(255)` for `character varying(255)`.
    pub fn sql(&self) -> String {
        migration_spelling(&self.spelling())
    }

    /// The type of a scalar without a `@db.*` attribute in a flavour: comon_orm's mapping, or
    /// Prisma 7's, which differs for `DateTime` (`timestamp(3)`, without time zone) and
    /// `Decimal` (`numeric(65,30)`).
    pub fn for_scalar(scalar: ScalarType, flavour: Flavour) -> PostgresColumnType {
        use PostgresColumnType::*;
        match (scalar, flavour) {
            (ScalarType::Int, _) => Integer,
            (ScalarType::BigInt, _) => BigInt,
            (ScalarType::Float, _) => DoublePrecision,
            (ScalarType::Decimal, Flavour::ComonOrm) => Numeric {
                precision_scale: None,
            },
            (ScalarType::Decimal, Flavour::Prisma) => Numeric {
                precision_scale: Some((65, 30)),
            },
            (ScalarType::Boolean, _) => Boolean,
            (ScalarType::String, _) => Text,
            (ScalarType::DateTime, Flavour::ComonOrm) => Timestamp {
                precision: None,
                with_time_zone: true,
            },
            (ScalarType::DateTime, Flavour::Prisma) => Timestamp {
                precision: Some(3),
                with_time_zone: false,
            },
            (ScalarType::Json, _) => JsonB,
            (ScalarType::Bytes, _) => ByteA,
        }
    }

    /// The type `@db.<name>(arguments)` declares; `None` for a name `native_type_specification`
    /// does not know.
    pub fn from_native_attribute(name: &str, arguments: &[u32]) -> Option<PostgresColumnType> {
        use PostgresColumnType::*;
        let first = arguments.first().copied();
        let timestamp = |with_time_zone| Timestamp {
            precision: first,
            with_time_zone,
        };
        let time = |with_time_zone| Time {
            precision: first,
            with_time_zone,
        };
        Some(match name {
            "Text" => Text,
            "Uuid" => Uuid,
            "Xml" => Xml,
            "Inet" => Inet,
            "Citext" => Citext,
            "Char" => Char {
                length: first.unwrap_or(1),
            },
            "VarChar" => VarChar { length: first },
            "Bit" => Bit {
                length: first.unwrap_or(1),
            },
            "VarBit" => VarBit { length: first },
            "Boolean" => Boolean,
            "Integer" => Integer,
            "SmallInt" => SmallInt,
            "Oid" => Oid,
            "BigInt" => BigInt,
            "DoublePrecision" => DoublePrecision,
            "Real" => Real,
            "Decimal" | "Numeric" => Numeric {
                precision_scale: match arguments {
                    [precision, scale] => Some((*precision, *scale)),
                    [precision] => Some((*precision, 0)),
                    _ => None,
                },
            },
            "Money" => Money,
            "Timestamp" => timestamp(false),
            "Timestamptz" => timestamp(true),
            "Time" => time(false),
            "Timetz" => time(true),
            "Date" => Date,
            "Json" => Json,
            "JsonB" => JsonB,
            "ByteA" => ByteA,
            _ => return None,
        })
    }

    /// `prisma_choices` in a flavour's mapping: in Prisma's, `timestamp(3)` is a bare
    /// `DateTime` and `numeric(65,30)` a bare `Decimal`, while `timestamptz` needs
    /// `@db.Timestamptz` and `numeric` `@db.Decimal`.
    pub fn prisma_choices_in_flavour(&self, flavour: Flavour) -> Vec<PrismaTypeChoice> {
        if flavour == Flavour::ComonOrm {
            return self.prisma_choices();
        }
        // Only DateTime and Decimal map differently, to timestamps and numerics.
        let own_attribute = |_: ScalarType| match *self {
            PostgresColumnType::Timestamp {
                precision,
                with_time_zone,
            } => Some(native_attribute(
                if with_time_zone {
                    "Timestamptz"
                } else {
                    "Timestamp"
                },
                Option::as_slice(&precision),
            )),
            PostgresColumnType::Numeric { precision_scale } => Some(native_attribute(
                "Decimal",
                &precision_scale
                    .map(|(precision, scale)| vec![precision, scale])
                    .unwrap_or_default(),
            )),
            _ => None,
        };
        super::choices_in_flavour(
            self.prisma_choices(),
            |scalar| PostgresColumnType::for_scalar(scalar, flavour) == *self,
            own_attribute,
        )
    }

    /// The Prisma types that lower to this type, the most natural first (for `db pull`).
    pub fn prisma_choices(&self) -> Vec<PrismaTypeChoice> {
        use PostgresColumnType::*;
        use ScalarType::{BigInt as BigIntScalar, Boolean as BooleanScalar, Bytes, Decimal};
        let scalar = PrismaTypeChoice::scalar;
        match *self {
            Integer => vec![scalar(ScalarType::Int)],
            SmallInt => vec![PrismaTypeChoice::native(ScalarType::Int, "db.SmallInt")],
            Oid => vec![PrismaTypeChoice::native(ScalarType::Int, "db.Oid")],
            BigInt => vec![scalar(BigIntScalar)],
            DoublePrecision => vec![scalar(ScalarType::Float)],
            Real => vec![PrismaTypeChoice::native(ScalarType::Float, "db.Real")],
            Numeric {
                precision_scale: None,
            } => vec![
                scalar(Decimal),
                PrismaTypeChoice::native(ScalarType::Float, "db.Decimal"),
            ],
            Numeric {
                precision_scale: Some((precision, scale)),
            } => {
                let attribute = native_attribute("Decimal", &[precision, scale]);
                vec![
                    PrismaTypeChoice::native(Decimal, attribute.clone()),
                    PrismaTypeChoice::native(ScalarType::Float, attribute),
                ]
            }
            Money => vec![PrismaTypeChoice::native(Decimal, "db.Money")],
            Boolean => vec![scalar(BooleanScalar)],
            Text => vec![scalar(ScalarType::String)],
            VarChar { length } => vec![PrismaTypeChoice::native(
                ScalarType::String,
                native_attribute("VarChar", Option::as_slice(&length)),
            )],
            Char { length } => vec![PrismaTypeChoice::native(
                ScalarType::String,
                native_attribute("Char", &[length]),
            )],
            VarBit { length } => vec![PrismaTypeChoice::native(
                ScalarType::String,
                native_attribute("VarBit", Option::as_slice(&length)),
            )],
            Bit { length } => vec![PrismaTypeChoice::native(
                ScalarType::String,
                native_attribute("Bit", &[length]),
            )],
            Uuid => vec![PrismaTypeChoice::native(ScalarType::String, "db.Uuid")],
            Xml => vec![PrismaTypeChoice::native(ScalarType::String, "db.Xml")],
            Inet => vec![PrismaTypeChoice::native(ScalarType::String, "db.Inet")],
            Citext => vec![PrismaTypeChoice::native(ScalarType::String, "db.Citext")],
            Timestamp {
                precision: None,
                with_time_zone: true,
            } => vec![scalar(ScalarType::DateTime)],
            Timestamp {
                precision,
                with_time_zone,
            } => vec![PrismaTypeChoice::native(
                ScalarType::DateTime,
                native_attribute(
                    if with_time_zone {
                        "Timestamptz"
                    } else {
                        "Timestamp"
                    },
                    Option::as_slice(&precision),
                ),
            )],
            Time {
                precision,
                with_time_zone,
            } => vec![PrismaTypeChoice::native(
                ScalarType::DateTime,
                native_attribute(
                    if with_time_zone { "Timetz" } else { "Time" },
                    Option::as_slice(&precision),
                ),
            )],
            Date => vec![PrismaTypeChoice::native(ScalarType::DateTime, "db.Date")],
            JsonB => vec![scalar(ScalarType::Json)],
            Json => vec![PrismaTypeChoice::native(ScalarType::Json, "db.Json")],
            ByteA => vec![scalar(Bytes)],
            // `name` has no `@db.*` attribute: `Unsupported("name")`.
            Name => Vec::new(),
        }
    }

    pub fn family(&self) -> PostgresTypeFamily {
        use PostgresColumnType::*;
        match self {
            SmallInt | Integer | BigInt | Numeric { .. } | Real | DoublePrecision | Money | Oid => {
                PostgresTypeFamily::Number
            }
            Text | VarChar { .. } | Char { .. } | Citext | Name => PostgresTypeFamily::Text,
            Boolean => PostgresTypeFamily::Boolean,
            Timestamp { .. } | Date | Time { .. } => PostgresTypeFamily::Time,
            Json | JsonB => PostgresTypeFamily::Json,
            ByteA => PostgresTypeFamily::Bytes,
            Uuid => PostgresTypeFamily::Uuid,
            Bit { .. } | VarBit { .. } => PostgresTypeFamily::Bit,
            Xml | Inet => PostgresTypeFamily::Other,
        }
    }

    /// How literal defaults of the type compare. PostgreSQL normalises `jsonb` (key order,
    /// spacing, numbers), prints `bytea` in hex, lower-cases `uuid`, prints timestamps in the
    /// session's time zone and drops the offset of a `timestamp`, `date` or `time` literal.
    pub fn value_kind(&self) -> ValueKind {
        use PostgresColumnType::*;
        match self {
            Json | JsonB => ValueKind::Json,
            ByteA => ValueKind::Bytes,
            Uuid => ValueKind::Uuid,
            Numeric { .. } => ValueKind::ExactNumber,
            Date => ValueKind::Date,
            Timestamp {
                with_time_zone: false,
                ..
            } => ValueKind::LocalTimestamp,
            Time {
                with_time_zone: true,
                ..
            } => ValueKind::TimeWithZone,
            Time { .. } => ValueKind::Time,
            _ => ValueKind::Other,
        }
    }

    /// How a literal default in `pg_get_expr` text is read for a column of this type.
    pub fn literal_reading(&self) -> LiteralReading {
        use PostgresColumnType::*;
        match self {
            SmallInt | Integer | BigInt | Real | DoublePrecision | Numeric { .. } => {
                LiteralReading::Number
            }
            Boolean => LiteralReading::Boolean,
            _ => LiteralReading::Text,
        }
    }

    /// PostgreSQL's time input refuses the `T` of an ISO 8601 timestamp, which every other
    /// date and time type takes.
    pub fn is_time_of_day(&self) -> bool {
        matches!(self, PostgresColumnType::Time { .. })
    }

    /// The operator family name PostgreSQL's default operator classes use for the type
    /// (`int4` in `int4_ops`); `None` when the planner does not know it.
    pub fn operator_family(&self) -> Option<&'static str> {
        use PostgresColumnType::*;
        Some(match self {
            Integer => "int4",
            BigInt => "int8",
            SmallInt => "int2",
            Text | VarChar { .. } | Citext => "text",
            Char { .. } => "bpchar",
            JsonB => "jsonb",
            Uuid => "uuid",
            Boolean => "bool",
            DoublePrecision => "float8",
            Real => "float4",
            Numeric { .. } => "numeric",
            Date => "date",
            Timestamp {
                with_time_zone: true,
                ..
            } => "timestamptz",
            Timestamp { .. } => "timestamp",
            Inet => "inet",
            ByteA => "bytea",
            _ => return None,
        })
    }

    fn integer_rank(&self) -> Option<u8> {
        match self {
            PostgresColumnType::SmallInt => Some(1),
            PostgresColumnType::Integer => Some(2),
            PostgresColumnType::BigInt => Some(3),
            _ => None,
        }
    }

    fn is_unbounded_text(&self) -> bool {
        matches!(
            self,
            PostgresColumnType::Text
                | PostgresColumnType::VarChar { length: None }
                | PostgresColumnType::Citext
        )
    }

    fn length(&self) -> Option<u32> {
        match *self {
            PostgresColumnType::Char { length } => Some(length),
            PostgresColumnType::VarChar { length } => length,
            _ => None,
        }
    }
}

/// The `@db.*` attributes of PostgreSQL, with the scalar types they fit and their arity.
pub(super) fn native_type_specification(name: &str) -> Option<NativeTypeSpecification> {
    use ScalarType::*;
    let (scalar_types, minimum_arguments, maximum_arguments): (&'static [ScalarType], _, _) =
        match name {
            "Text" | "Uuid" | "Xml" | "Inet" | "Citext" => (&[String], 0, 0),
            "Char" | "VarChar" | "Bit" | "VarBit" => (&[String], 0, 1),
            "Boolean" => (&[Boolean], 0, 0),
            "Integer" | "SmallInt" | "Oid" => (&[Int], 0, 0),
            "BigInt" => (&[BigInt], 0, 0),
            "DoublePrecision" | "Real" => (&[Float], 0, 0),
            "Decimal" | "Numeric" => (&[Decimal, Float], 0, 2),
            "Money" => (&[Decimal], 0, 0),
            "Timestamp" | "Timestamptz" | "Time" | "Timetz" => (&[DateTime], 0, 1),
            "Date" => (&[DateTime], 0, 0),
            "Json" | "JsonB" => (&[Json], 0, 0),
            "ByteA" => (&[Bytes], 0, 0),
            _ => return None,
        };
    Some(NativeTypeSpecification {
        scalar_types,
        minimum_arguments,
        maximum_arguments,
    })
}

/// Spells a canonical name the way migrations are written: the short forms PostgreSQL
/// accepts (`TIMESTAMPTZ`, `VARCHAR`, `CHAR`, `VARBIT`), everything else upper-cased. A name
/// with quotes (a user type) stays as it is.
pub fn migration_spelling(canonical: &str) -> String {
    if canonical.contains('"') {
        return canonical.to_string();
    }
    let (base, arguments) = match canonical.find('(') {
        Some(open) => {
            let close = canonical[open..]
                .find(')')
                .map(|offset| open + offset + 1)
                .unwrap_or(canonical.len());
            (
                format!("{}{}", &canonical[..open], &canonical[close..]),
                canonical[open..close].to_string(),
            )
        }
        None => (canonical.to_string(), String::new()),
    };
    let short = match base.trim() {
        "timestamp with time zone" => "TIMESTAMPTZ",
        "timestamp without time zone" => "TIMESTAMP",
        "time with time zone" => "TIMETZ",
        "time without time zone" => "TIME",
        "character varying" => "VARCHAR",
        "character" => "CHAR",
        "bit varying" => "VARBIT",
        other => {
            return format!("{}{}", other.to_uppercase(), arguments.to_uppercase())
                .replace(") ", ")")
        }
    };
    format!("{short}{arguments}")
}

/// The family of a column's element type.
pub fn family(column_type: &ColumnType) -> PostgresTypeFamily {
    match &column_type.kind {
        ColumnTypeKind::Postgres(postgres_type) => postgres_type.family(),
        ColumnTypeKind::Enum(_) => PostgresTypeFamily::Enum,
        ColumnTypeKind::Sqlite(_) | ColumnTypeKind::Other(_) => PostgresTypeFamily::Other,
    }
}

/// How `ALTER COLUMN ... SET DATA TYPE` converts the values from `previous` to `next`, or
/// `None` when PostgreSQL cannot convert them at all (timestamp to boolean, uuid to integer):
/// such a column is dropped and added again.
pub fn type_cast(previous: &ColumnType, next: &ColumnType) -> Option<ColumnTypeCast> {
    if previous.is_array != next.is_array {
        return None;
    }
    let previous_family = family(previous);
    let next_family = family(next);
    let integer_like = |column_type: &ColumnType| {
        column_type
            .kind
            .postgres()
            .is_some_and(|postgres_type| postgres_type.integer_rank().is_some())
    };
    use PostgresTypeFamily as Family;
    let convertible = previous_family == next_family
        || previous_family == Family::Text
        || next_family == Family::Text
        || match (previous_family, next_family) {
            (Family::Number, Family::Boolean) => integer_like(previous),
            (Family::Boolean, Family::Number) => integer_like(next),
            (Family::Json, Family::Number | Family::Boolean) => true,
            _ => false,
        };
    if !convertible {
        return None;
    }
    let assignment = previous_family == next_family && previous_family != Family::Enum
        || next_family == Family::Text;
    Some(if assignment {
        ColumnTypeCast::Assignment
    } else if previous_family == Family::Enum || next_family == Family::Enum {
        ColumnTypeCast::ThroughText
    } else {
        ColumnTypeCast::Explicit
    })
}

/// What converting existing values from `previous` to `next` risks; `None` when nothing.
pub fn type_change_risk(previous: &ColumnType, next: &ColumnType) -> Option<TypeChangeRisk> {
    use PostgresColumnType::*;
    use TypeChangeRisk::{DataLoss, MayFail};
    if previous.is_array != next.is_array {
        return Some(DataLoss);
    }
    let into_unbounded_text = next
        .kind
        .postgres()
        .is_some_and(PostgresColumnType::is_unbounded_text);
    if into_unbounded_text {
        return None;
    }
    let (Some(previous_type), Some(next_type)) = (previous.kind.postgres(), next.kind.postgres())
    else {
        // An enum or a type outside the model on either side: values may not convert.
        return Some(MayFail);
    };
    use PostgresTypeFamily as Family;
    match (previous_type.family(), next_type.family()) {
        (Family::Text, Family::Text) => {
            // A length limit that is kept or raised is safe; a lower one rejects long values.
            match (previous_type.length(), next_type.length()) {
                (_, None) => None,
                (Some(previous_length), Some(next_length)) if next_length >= previous_length => {
                    None
                }
                _ => Some(MayFail),
            }
        }
        (Family::Number, Family::Number) => match (previous_type, next_type) {
            (from, to) if from.integer_rank().is_some() && to.integer_rank().is_some() => {
                (to.integer_rank() < from.integer_rank()).then_some(MayFail)
            }
            (from, Numeric { precision_scale }) if from.integer_rank().is_some() => {
                match precision_scale {
                    None => None,
                    Some((precision, scale)) if precision - scale >= 19 => None,
                    _ => Some(MayFail),
                }
            }
            (
                Numeric {
                    precision_scale: previous_precision_scale,
                },
                Numeric {
                    precision_scale: next_precision_scale,
                },
            ) => match (previous_precision_scale, next_precision_scale) {
                (_, None) => None,
                (
                    Some((previous_precision, previous_scale)),
                    Some((next_precision, next_scale)),
                ) => {
                    if next_scale < previous_scale {
                        Some(DataLoss)
                    } else if next_precision - next_scale < previous_precision - previous_scale {
                        Some(MayFail)
                    } else {
                        None
                    }
                }
                _ => Some(DataLoss),
            },
            (Real, DoublePrecision) => None,
            (SmallInt | Integer, DoublePrecision) => None,
            _ => Some(DataLoss),
        },
        (Family::Time, Family::Time) => match (previous_type, next_type) {
            (Date, Timestamp { .. }) => None,
            (
                Timestamp {
                    precision: previous_precision,
                    ..
                },
                Timestamp {
                    precision: next_precision,
                    ..
                },
            )
            | (
                Time {
                    precision: previous_precision,
                    ..
                },
                Time {
                    precision: next_precision,
                    ..
                },
            ) => {
                (next_precision.unwrap_or(6) < previous_precision.unwrap_or(6)).then_some(DataLoss)
            }
            _ => Some(DataLoss),
        },
        (Family::Json, Family::Json) => None,
        (Family::Bit, Family::Bit) => Some(MayFail),
        (Family::Boolean, Family::Number) | (Family::Number, Family::Boolean) => None,
        _ => Some(MayFail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native(name: &str) -> ColumnType {
        ColumnType::native(name)
    }

    #[test]
    fn canonical_spellings_read_back_as_themselves() {
        for spelling in [
            "smallint",
            "integer",
            "bigint",
            "oid",
            "real",
            "double precision",
            "numeric",
            "numeric(65,30)",
            "money",
            "boolean",
            "text",
            "citext",
            "name",
            "character(1)",
            "character varying",
            "character varying(255)",
            "bit(3)",
            "bit varying",
            "bit varying(8)",
            "uuid",
            "xml",
            "inet",
            "timestamp with time zone",
            "timestamp without time zone",
            "timestamp(3) with time zone",
            "timestamp(6) without time zone",
            "time with time zone",
            "time(3) without time zone",
            "date",
            "json",
            "jsonb",
            "bytea",
        ] {
            let parsed = PostgresColumnType::from_spelling(spelling)
                .unwrap_or_else(|| panic!("{spelling} is modelled"));
            assert_eq!(parsed.spelling(), spelling);
        }
        for spelling in [
            "tsvector",
            "character",
            "numeric(10)",
            "timestamp(3)",
            "INTEGER",
            "integer ",
            "varchar(10)",
            "character varying(010)",
            "\"Role\"",
        ] {
            assert_eq!(
                PostgresColumnType::from_spelling(spelling),
                None,
                "{spelling}"
            );
        }
    }

    #[test]
    fn migrations_use_the_short_spellings() {
        let sql = |spelling: &str| PostgresColumnType::from_spelling(spelling).unwrap().sql();
        assert_eq!(sql("timestamp(3) with time zone"), "TIMESTAMPTZ(3)");
        assert_eq!(sql("timestamp without time zone"), "TIMESTAMP");
        assert_eq!(sql("character varying(255)"), "VARCHAR(255)");
        assert_eq!(sql("numeric(10,2)"), "NUMERIC(10,2)");
        assert_eq!(sql("double precision"), "DOUBLE PRECISION");
    }

    #[test]
    fn widening_changes_are_safe() {
        for (from, to) in [
            ("integer", "bigint"),
            ("numeric(10,2)", "numeric(12,2)"),
            (
                "timestamp(3) without time zone",
                "timestamp(3) with time zone",
            ),
            ("character varying(10)", "character varying(255)"),
            ("character varying(10)", "text"),
            ("json", "jsonb"),
        ] {
            assert_eq!(
                type_change_risk(&native(from), &native(to)),
                None,
                "{from} -> {to}"
            );
        }
    }

    #[test]
    fn narrowing_changes_are_flagged() {
        assert_eq!(
            type_change_risk(
                &native("character varying(255)"),
                &native("character varying(10)")
            ),
            Some(TypeChangeRisk::MayFail)
        );
        assert_eq!(
            type_change_risk(&native("double precision"), &native("integer")),
            Some(TypeChangeRisk::DataLoss)
        );
        assert_eq!(
            type_change_risk(&native("text"), &native("integer")),
            Some(TypeChangeRisk::MayFail)
        );
        assert_eq!(
            type_change_risk(&native("numeric(10,2)"), &native("numeric(10,1)")),
            Some(TypeChangeRisk::DataLoss)
        );
    }

    #[test]
    fn using_is_only_written_when_no_assignment_cast_exists() {
        assert_eq!(
            type_cast(
                &native("character varying(255)"),
                &native("character varying(10)")
            ),
            Some(ColumnTypeCast::Assignment)
        );
        assert_eq!(
            type_cast(&native("integer"), &native("text")),
            Some(ColumnTypeCast::Assignment)
        );
        assert_eq!(
            type_cast(&native("text"), &native("integer")),
            Some(ColumnTypeCast::Explicit)
        );
        assert_eq!(
            type_cast(&ColumnType::enumeration("A"), &ColumnType::enumeration("B")),
            Some(ColumnTypeCast::ThroughText)
        );
        assert_eq!(
            type_cast(&native("uuid"), &native("integer")),
            None,
            "no cast between uuid and integer"
        );
    }
}
