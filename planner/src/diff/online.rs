//! The online rules for PostgreSQL tables that already exist, and the warnings for the
//! statements no online form avoids.
//!
//! A table that exists in `previous` may be in use while the migration runs, so a change to it
//! must not hold a lock that makes the application's reads and writes wait for a scan:
//! - a new index is built `CONCURRENTLY`, after the migration's transaction committed;
//! - a new foreign key is added `NOT VALID` (a brief lock, no scan) and validated after the
//!   commit, which scans under a lock that lets reads and writes go on;
//! - `SET NOT NULL` is proven by a `CHECK (column IS NOT NULL) NOT VALID` constraint that is
//!   validated after the commit, so that `SET NOT NULL` itself (PostgreSQL 12 and later) does
//!   not scan; the check is dropped afterwards.
//!
//! Tables created by the same migration are empty and unknown to the application: they keep
//! the plain statements inside the transaction.
//!
//! Some statements hold an `ACCESS EXCLUSIVE` lock while they rewrite or scan the table and
//! have no online form the planner can choose on its own; they get a `blocking` warning that
//! says what they cost and what the safer sequence is.

use crate::collections::HashSet;

use crate::database_schema::naming::fit_identifier;
use crate::database_schema::{Column, ColumnDefault, ColumnType, DatabaseSchema};
use crate::provider::Provider;
use crate::types::PostgresColumnType;

/// `(referenced table, referenced columns)` of every foreign key in `next`.
pub(crate) fn keys_referenced_by_foreign_keys(
    next: &DatabaseSchema,
) -> HashSet<(String, Vec<String>)> {
    next.tables
        .iter()
        .flat_map(|table| &table.foreign_keys)
        .map(|foreign_key| {
            (
                foreign_key.referenced_table.clone(),
                foreign_key.referenced_columns.clone(),
            )
        })
        .collect()
}

/// The name of the helper check behind an online `SET NOT NULL`. It must not be
/// `<table>_<column>_not_null`, the name PostgreSQL 18 gives the not-null constraint itself.
pub(crate) fn not_null_check_name(table: &str, column: &str) -> String {
    fit_identifier(
        format!("{table}_{column}_comon_not_null"),
        Provider::Postgresql,
    )
}

/// Whether PostgreSQL changes the column's type without rewriting the table: the cast is
/// binary-compatible and only relaxes a length, precision or scale limit (`varchar(10)` to
/// `varchar(20)`, `varchar` to `text`, `numeric(10,2)` to `numeric(12,2)`, `timestamp(3)` to
/// `timestamp(6)`). Arrays and anything else rewrite.
pub(crate) fn type_change_keeps_the_table(previous: &ColumnType, next: &ColumnType) -> bool {
    use PostgresColumnType::*;
    if previous.is_array || next.is_array {
        return false;
    }
    let (Some(previous_type), Some(next_type)) = (previous.kind.postgres(), next.kind.postgres())
    else {
        return false;
    };
    let length_not_shorter = |previous: Option<u32>, next: Option<u32>| match (previous, next) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(previous), Some(next)) => next >= previous,
    };
    match (previous_type, next_type) {
        (VarChar { length: previous }, VarChar { length: next }) => {
            length_not_shorter(*previous, *next)
        }
        (VarChar { .. }, Text) | (Text, VarChar { length: None }) => true,
        (VarBit { length: previous }, VarBit { length: next }) => {
            length_not_shorter(*previous, *next)
        }
        (
            Numeric {
                precision_scale: previous,
            },
            Numeric {
                precision_scale: next,
            },
        ) => match (previous, next) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some((previous_precision, previous_scale)), Some((next_precision, next_scale))) => {
                next_scale == previous_scale && next_precision >= previous_precision
            }
        },
        (
            Timestamp {
                precision: previous,
                with_time_zone: previous_zone,
            },
            Timestamp {
                precision: next,
                with_time_zone: next_zone,
            },
        ) => previous_zone == next_zone && length_not_shorter(*previous, *next),
        _ => false,
    }
}

/// Functions whose value differs from row to row: as the default of a new column, PostgreSQL
/// must compute and write one for every existing row, which rewrites the table. (`now()` and
/// `CURRENT_TIMESTAMP` are stable, computed once: no rewrite.)
const VOLATILE_FUNCTIONS: &[&str] = &[
    "gen_random_uuid(",
    "uuid_generate_v1",
    "uuid_generate_v4(",
    "uuidv4(",
    "uuidv7(",
    "random(",
    "clock_timestamp(",
    "timeofday(",
    "nextval(",
    "gen_random_bytes(",
];

/// The volatile expression a new column is filled with, if any: a volatile default, or an
/// identity (each row gets its own value).
pub(crate) fn volatile_fill_of_new_column(column: &Column) -> Option<String> {
    if column.auto_increment {
        return Some(match column.serial {
            true => "a serial sequence".to_string(),
            false => "GENERATED BY DEFAULT AS IDENTITY".to_string(),
        });
    }
    match &column.default {
        Some(ColumnDefault::Expression(expression)) => {
            is_volatile_expression(expression).then(|| expression.clone())
        }
        _ => None,
    }
}

/// Whether a default expression calls one of the volatile functions, so that a new column
/// with it as its default is filled row by row (the linter reads `migration.sql` with it too).
pub(crate) fn is_volatile_expression(expression: &str) -> bool {
    let lowered = expression.to_ascii_lowercase().replace(' ', "");
    VOLATILE_FUNCTIONS
        .iter()
        .any(|function| lowered.contains(function))
}

pub(crate) fn type_change_warning(
    model: &str,
    field: &str,
    from: &str,
    to: &str,
    table: &str,
) -> String {
    format!(
        "Field {model}.{field} changes type from {from} to {to}, which has no binary-compatible cast: PostgreSQL rewrites the table {table} under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column."
    )
}

pub(crate) fn volatile_default_warning(
    model: &str,
    field: &str,
    fill: &str,
    table: &str,
) -> String {
    format!(
        "The new field {model}.{field} is filled by {fill}, which gives every row its own value: PostgreSQL rewrites the table {table} under an ACCESS EXCLUSIVE lock to fill the existing rows, so every read and write of it waits until the rewrite ends. On a busy table, add the column without it (nullable), set the default for new rows, backfill the existing rows in batches, then make the field required."
    )
}

pub(crate) fn new_primary_key_warning(table: &str, columns: &[String]) -> String {
    format!(
        "The table {table} gets a new primary key ({}): PostgreSQL builds its unique index and checks the columns for NULLs under an ACCESS EXCLUSIVE lock, so every read and write of the table waits while the whole table is scanned. On a busy table, build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then add the key with ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.",
        columns.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native(spelling: &str) -> ColumnType {
        use PostgresColumnType::*;
        let (precision, with_time_zone) = (Some(3), false);
        ColumnType::postgres(match spelling {
            "varchar(10)" => VarChar { length: Some(10) },
            "varchar(20)" => VarChar { length: Some(20) },
            "varchar" => VarChar { length: None },
            "text" => Text,
            "integer" => Integer,
            "bigint" => BigInt,
            "uuid" => Uuid,
            "numeric(10,2)" => Numeric {
                precision_scale: Some((10, 2)),
            },
            "numeric(12,2)" => Numeric {
                precision_scale: Some((12, 2)),
            },
            "numeric(12,3)" => Numeric {
                precision_scale: Some((12, 3)),
            },
            "numeric" => Numeric {
                precision_scale: None,
            },
            "timestamp(3)" => Timestamp {
                precision,
                with_time_zone,
            },
            "timestamp(6)" => Timestamp {
                precision: Some(6),
                with_time_zone,
            },
            "timestamptz(3)" => Timestamp {
                precision,
                with_time_zone: true,
            },
            other => panic!("no test type {other}"),
        })
    }

    #[test]
    fn relaxing_a_limit_keeps_the_table_and_anything_else_rewrites_it() {
        for (previous, next) in [
            ("varchar(10)", "varchar(20)"),
            ("varchar(10)", "varchar"),
            ("varchar(10)", "text"),
            ("text", "varchar"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric"),
            ("timestamp(3)", "timestamp(6)"),
        ] {
            assert!(
                type_change_keeps_the_table(&native(previous), &native(next)),
                "{previous} -> {next}"
            );
        }
        for (previous, next) in [
            ("varchar(20)", "varchar(10)"),
            ("text", "varchar(10)"),
            ("integer", "bigint"),
            ("numeric(10,2)", "numeric(12,3)"),
            ("timestamp(3)", "timestamptz(3)"),
            ("timestamp(6)", "timestamp(3)"),
            ("text", "integer"),
        ] {
            assert!(
                !type_change_keeps_the_table(&native(previous), &native(next)),
                "{previous} -> {next}"
            );
        }
    }

    #[test]
    fn volatile_defaults_and_identities_fill_every_row() {
        let column = |default: Option<ColumnDefault>, auto_increment: bool| Column {
            name: "value".to_string(),
            field_name: None,
            schema_type: None,
            column_type: native("uuid"),
            nullable: false,
            default,
            auto_increment,
            serial: false,
        };
        let expression = |text: &str| Some(ColumnDefault::Expression(text.to_string()));
        assert!(
            volatile_fill_of_new_column(&column(expression("gen_random_uuid()"), false)).is_some()
        );
        assert!(
            volatile_fill_of_new_column(&column(expression("(random() * 10)"), false)).is_some()
        );
        assert!(volatile_fill_of_new_column(&column(None, true)).is_some());
        assert!(volatile_fill_of_new_column(&column(expression("now()"), false)).is_none());
        assert!(volatile_fill_of_new_column(&column(Some(ColumnDefault::Now), false)).is_none());
        assert!(volatile_fill_of_new_column(&column(None, false)).is_none());
    }
}
