//! What a column type change does to existing values, per provider: whether a conversion
//! exists at all, whether it needs an explicit `USING` cast, and what it risks.

use crate::database_schema::{ColumnType, ColumnTypeKind};
use crate::plan::WarningKind;
use crate::provider::Provider;

/// The broad family of a PostgreSQL type. Within a family, and into the text family,
/// PostgreSQL has assignment casts, so `ALTER COLUMN ... TYPE` needs no `USING`.
pub(crate) fn postgres_type_family(column_type: &ColumnType) -> &'static str {
    let ColumnTypeKind::Native(name) = &column_type.kind else {
        return "enum";
    };
    match base_name(name) {
        "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision" | "money"
        | "oid" => "number",
        "text" | "character varying" | "character" | "citext" | "name" => "text",
        "boolean" => "boolean",
        "timestamp" | "date" | "time" => "time",
        "json" | "jsonb" => "json",
        "bytea" => "bytes",
        "uuid" => "uuid",
        "bit" | "bit varying" => "bit",
        _ => "other",
    }
}

/// The type name without its modifiers: `timestamp(3) with time zone` gives `timestamp`.
fn base_name(name: &str) -> &str {
    let before_modifiers = name.split('(').next().unwrap_or("").trim();
    let before_zone = before_modifiers
        .split(" with")
        .next()
        .unwrap_or(before_modifiers)
        .trim();
    before_zone
}

/// The numbers in a type's parentheses: `numeric(10,2)` gives `[10, 2]`.
fn modifiers(name: &str) -> Vec<u32> {
    let Some(open) = name.find('(') else {
        return Vec::new();
    };
    let Some(close) = name[open..].find(')') else {
        return Vec::new();
    };
    name[open + 1..open + close]
        .split(',')
        .filter_map(|part| part.trim().parse().ok())
        .collect()
}

/// Whether PostgreSQL can convert the values at all (directly, or through text for enums).
pub(crate) fn postgres_can_cast(previous: &ColumnType, next: &ColumnType) -> bool {
    if previous.is_array != next.is_array {
        return false;
    }
    let previous_family = postgres_type_family(previous);
    let next_family = postgres_type_family(next);
    if previous_family == next_family || previous_family == "text" || next_family == "text" {
        return true;
    }
    let integer_like = |column_type: &ColumnType| matches!(&column_type.kind, ColumnTypeKind::Native(name) if matches!(name.as_str(), "integer" | "bigint" | "smallint"));
    match (previous_family, next_family) {
        ("number", "boolean") => integer_like(previous),
        ("boolean", "number") => integer_like(next),
        ("json", "number" | "boolean") => true,
        _ => false,
    }
}

/// Whether `ALTER COLUMN ... TYPE` needs an explicit `USING` cast. Without one PostgreSQL uses
/// its assignment cast, which rejects values that do not fit (a `varchar(10)` too long, an
/// integer out of range) instead of silently cutting them as an explicit cast would.
pub(crate) fn postgres_needs_using(previous: &ColumnType, next: &ColumnType) -> bool {
    let previous_family = postgres_type_family(previous);
    let next_family = postgres_type_family(next);
    !(previous_family == next_family && previous_family != "enum" || next_family == "text")
}

/// What converting existing values risks: nothing (`None`), rejected values that make the
/// migration fail (`MayFail`), or values that change (`DataLoss`: rounding, lost precision).
pub(crate) fn type_change_risk(
    previous: &ColumnType,
    next: &ColumnType,
    provider: Provider,
) -> Option<WarningKind> {
    match provider {
        Provider::Postgresql => postgres_type_change_risk(previous, next),
        Provider::Sqlite => sqlite_type_change_risk(previous, next),
    }
}

fn postgres_type_change_risk(previous: &ColumnType, next: &ColumnType) -> Option<WarningKind> {
    if previous.is_array != next.is_array {
        return Some(WarningKind::DataLoss);
    }
    let (ColumnTypeKind::Native(previous_name), ColumnTypeKind::Native(next_name)) =
        (&previous.kind, &next.kind)
    else {
        let into_unbounded_text =
            matches!(&next.kind, ColumnTypeKind::Native(name) if is_unbounded_text(name));
        return if into_unbounded_text {
            None
        } else {
            Some(WarningKind::MayFail)
        };
    };
    if is_unbounded_text(next_name) {
        return None;
    }
    let previous_base = base_name(previous_name);
    let next_base = base_name(next_name);
    let previous_modifiers = modifiers(previous_name);
    let next_modifiers = modifiers(next_name);
    match (postgres_type_family(previous), postgres_type_family(next)) {
        ("text", "text") => {
            // A length limit that is kept or raised is safe; a lower one rejects long values.
            let previous_length = previous_modifiers.first().copied();
            let next_length = next_modifiers.first().copied();
            match (previous_length, next_length) {
                (_, None) => None,
                (Some(previous_length), Some(next_length)) if next_length >= previous_length => {
                    None
                }
                _ => Some(WarningKind::MayFail),
            }
        }
        ("number", "number") => {
            let rank = |base: &str| match base {
                "smallint" => 1,
                "integer" => 2,
                "bigint" => 3,
                _ => 0,
            };
            match (previous_base, next_base) {
                (from, to) if rank(from) > 0 && rank(to) > 0 => {
                    (rank(to) < rank(from)).then_some(WarningKind::MayFail)
                }
                (from, "numeric") if rank(from) > 0 => match next_modifiers.as_slice() {
                    [] => None,
                    [precision, scale] if precision - scale >= 19 => None,
                    _ => Some(WarningKind::MayFail),
                },
                ("numeric", "numeric") => {
                    match (previous_modifiers.as_slice(), next_modifiers.as_slice()) {
                        (_, []) => None,
                        ([previous_precision, previous_scale], [next_precision, next_scale]) => {
                            if next_scale < previous_scale {
                                Some(WarningKind::DataLoss)
                            } else if next_precision - next_scale
                                < previous_precision - previous_scale
                            {
                                Some(WarningKind::MayFail)
                            } else {
                                None
                            }
                        }
                        _ => Some(WarningKind::DataLoss),
                    }
                }
                ("real", "double precision") => None,
                ("smallint" | "integer", "double precision") => None,
                (_, to) if rank(to) > 0 => Some(WarningKind::DataLoss),
                _ => Some(WarningKind::DataLoss),
            }
        }
        ("time", "time") => match (previous_base, next_base) {
            ("date", "timestamp") => None,
            ("timestamp", "timestamp") | ("time", "time") => {
                let previous_precision = previous_modifiers.first().copied().unwrap_or(6);
                let next_precision = next_modifiers.first().copied().unwrap_or(6);
                (next_precision < previous_precision).then_some(WarningKind::DataLoss)
            }
            _ => Some(WarningKind::DataLoss),
        },
        ("json", "json") => None,
        ("bit", "bit") => Some(WarningKind::MayFail),
        ("boolean", "number") | ("number", "boolean") => None,
        _ => Some(WarningKind::MayFail),
    }
}

fn is_unbounded_text(name: &str) -> bool {
    matches!(name, "text" | "character varying" | "citext")
}

/// SQLite converts values by type affinity while copying them into the rebuilt table and
/// never rejects one, but numbers stored as text (or the reverse) change meaning.
fn sqlite_type_change_risk(previous: &ColumnType, next: &ColumnType) -> Option<WarningKind> {
    let (ColumnTypeKind::Native(previous_name), ColumnTypeKind::Native(next_name)) =
        (&previous.kind, &next.kind)
    else {
        return Some(WarningKind::DataLoss);
    };
    let previous_upper = previous_name.to_uppercase();
    let next_upper = next_name.to_uppercase();
    let safe = next_upper == "TEXT"
        || matches!(
            (previous_upper.as_str(), next_upper.as_str()),
            (
                "INTEGER" | "BOOLEAN",
                "REAL" | "NUMERIC" | "INTEGER" | "BIGINT"
            ) | ("REAL", "NUMERIC")
                | ("BOOLEAN", "BOOLEAN")
        );
    (!safe).then_some(WarningKind::DataLoss)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native(name: &str) -> ColumnType {
        ColumnType::native(name)
    }

    #[test]
    fn widening_postgresql_changes_are_safe() {
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
                type_change_risk(&native(from), &native(to), Provider::Postgresql),
                None,
                "{from} -> {to}"
            );
        }
    }

    #[test]
    fn narrowing_postgresql_changes_are_flagged() {
        assert_eq!(
            type_change_risk(
                &native("character varying(255)"),
                &native("character varying(10)"),
                Provider::Postgresql
            ),
            Some(WarningKind::MayFail)
        );
        assert_eq!(
            type_change_risk(
                &native("double precision"),
                &native("integer"),
                Provider::Postgresql
            ),
            Some(WarningKind::DataLoss)
        );
        assert_eq!(
            type_change_risk(&native("text"), &native("integer"), Provider::Postgresql),
            Some(WarningKind::MayFail)
        );
        assert_eq!(
            type_change_risk(
                &native("numeric(10,2)"),
                &native("numeric(10,1)"),
                Provider::Postgresql
            ),
            Some(WarningKind::DataLoss)
        );
    }

    #[test]
    fn using_is_only_written_when_no_assignment_cast_exists() {
        assert!(!postgres_needs_using(
            &native("character varying(255)"),
            &native("character varying(10)")
        ));
        assert!(!postgres_needs_using(&native("integer"), &native("text")));
        assert!(postgres_needs_using(&native("text"), &native("integer")));
        assert!(postgres_needs_using(
            &ColumnType::enumeration("A"),
            &ColumnType::enumeration("B")
        ));
    }
}
