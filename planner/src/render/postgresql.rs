//! PostgreSQL rendering.

use std::fmt::Write;

use super::{QuotedIdentifier, QuotedIdentifierList, StringLiteral};
use crate::database_schema::naming::fit_identifier;
use crate::database_schema::{
    Column, ColumnDefault, ColumnType, ColumnTypeKind, DefaultValue, ForeignKey, Index, Table,
};
use crate::plan::{MigrationStep, TableChange};
use crate::provider::Provider;
use crate::types::{postgresql, ColumnTypeCast};

pub(super) fn render_step(step: &MigrationStep) -> Vec<String> {
    match step {
        MigrationStep::RenameEnum {
            previous_name,
            next_name,
        } => {
            vec![format!(
                "ALTER TYPE {} RENAME TO {}",
                QuotedIdentifier(previous_name),
                QuotedIdentifier(next_name)
            )]
        }
        MigrationStep::RenameEnumValue {
            enum_name,
            previous_value,
            next_value,
        } => vec![format!(
            "ALTER TYPE {} RENAME VALUE {} TO {}",
            QuotedIdentifier(enum_name),
            StringLiteral(previous_value),
            StringLiteral(next_value)
        )],
        MigrationStep::CreateExtension { extension } => {
            let mut statement = format!(
                "CREATE EXTENSION IF NOT EXISTS {}",
                QuotedIdentifier(&extension.name)
            );
            if let Some(schema) = &extension.schema {
                statement.push_str(&format!(" SCHEMA {}", QuotedIdentifier(schema)));
            }
            if let Some(version) = &extension.version {
                statement.push_str(&format!(" VERSION {}", StringLiteral(version)));
            }
            vec![statement]
        }
        MigrationStep::CreateEnum { enum_definition } => vec![create_enum(
            &enum_definition.name,
            enum_definition
                .values
                .iter()
                .map(|value| value.name.as_str()),
        )],
        MigrationStep::AddEnumValues { enum_name, values } => values
            .iter()
            .map(|value| match &value.before {
                Some(before) => format!(
                    "ALTER TYPE {} ADD VALUE {} BEFORE {}",
                    QuotedIdentifier(enum_name),
                    StringLiteral(&value.value),
                    StringLiteral(before)
                ),
                None => format!(
                    "ALTER TYPE {} ADD VALUE {}",
                    QuotedIdentifier(enum_name),
                    StringLiteral(&value.value)
                ),
            })
            .collect(),
        MigrationStep::DropForeignKey {
            table,
            foreign_key_name,
        } => {
            vec![format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                QuotedIdentifier(table),
                QuotedIdentifier(foreign_key_name)
            )]
        }
        MigrationStep::DropIndex { index_name, .. } => {
            vec![format!("DROP INDEX {}", QuotedIdentifier(index_name))]
        }
        MigrationStep::RenameTable {
            previous_name,
            next_name,
        } => {
            vec![format!(
                "ALTER TABLE {} RENAME TO {}",
                QuotedIdentifier(previous_name),
                QuotedIdentifier(next_name)
            )]
        }
        MigrationStep::AlterTable { table, changes } => alter_table(table, changes),
        MigrationStep::RecreateEnum {
            enum_definition,
            previous_type_name,
            usages,
        } => {
            let name = &enum_definition.name;
            let mut statements = vec![
                format!(
                    "ALTER TYPE {} RENAME TO {}",
                    QuotedIdentifier(name),
                    QuotedIdentifier(previous_type_name)
                ),
                create_enum(
                    name,
                    enum_definition
                        .values
                        .iter()
                        .map(|value| value.name.as_str()),
                ),
            ];
            for usage in usages {
                let target = format!(
                    "{}{}",
                    QuotedIdentifier(name),
                    if usage.is_array { "[]" } else { "" }
                );
                let text = if usage.is_array { "text[]" } else { "text" };
                let column = QuotedIdentifier(&usage.column);
                let mut statement = format!(
                    "ALTER TABLE {} ALTER COLUMN {column} DROP DEFAULT, ALTER COLUMN {column} SET DATA TYPE {target} USING ({column}::{text}::{target})",
                    QuotedIdentifier(&usage.table)
                );
                if let Some(default) = &usage.default {
                    let column_type = ColumnType {
                        kind: ColumnTypeKind::Enum(name.clone()),
                        is_array: usage.is_array,
                    };
                    let _ = write!(
                        statement,
                        ", ALTER COLUMN {column} SET DEFAULT {}",
                        default_sql(default, &column_type)
                    );
                }
                statements.push(statement);
            }
            statements
        }
        MigrationStep::CreateTable { table } => vec![create_table(table)],
        MigrationStep::RebuildTables { rebuilds } => {
            // The differ never rebuilds on PostgreSQL, which alters tables in place. Rendering a
            // rebuild anyway keeps this match exhaustive and the output runnable.
            let mut statements = Vec::new();
            for rebuild in rebuilds {
                let temporary = format!("new_{}", rebuild.next.name);
                let mut next = rebuild.next.clone();
                next.name = temporary.clone();
                statements.push(create_table(&next));
                statements.push(format!(
                    "DROP TABLE {}",
                    QuotedIdentifier(&rebuild.previous_name)
                ));
                statements.push(format!(
                    "ALTER TABLE {} RENAME TO {}",
                    QuotedIdentifier(&temporary),
                    QuotedIdentifier(&rebuild.next.name)
                ));
            }
            statements
        }
        MigrationStep::DropTable { table } => {
            vec![format!("DROP TABLE {}", QuotedIdentifier(table))]
        }
        MigrationStep::DropEnum { enum_name } => {
            vec![format!("DROP TYPE {}", QuotedIdentifier(enum_name))]
        }
        MigrationStep::RenameIndex {
            previous_name,
            index,
            ..
        } => {
            vec![format!(
                "ALTER INDEX {} RENAME TO {}",
                QuotedIdentifier(previous_name),
                QuotedIdentifier(&index.name)
            )]
        }
        MigrationStep::RenameConstraint {
            table,
            previous_name,
            next_name,
        } => vec![format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
            QuotedIdentifier(table),
            QuotedIdentifier(previous_name),
            QuotedIdentifier(next_name)
        )],
        MigrationStep::RenameSequence {
            previous_name,
            next_name,
        } => {
            vec![format!(
                "ALTER SEQUENCE IF EXISTS {} RENAME TO {}",
                QuotedIdentifier(previous_name),
                QuotedIdentifier(next_name)
            )]
        }
        MigrationStep::CreateIndex { table, index } => {
            vec![create_index(table, index, IndexBuild::InTransaction)]
        }
        MigrationStep::AddForeignKey { table, foreign_key } => {
            vec![add_foreign_key(table, foreign_key)]
        }
        MigrationStep::AddForeignKeyNotValid { table, foreign_key } => {
            vec![add_foreign_key_not_valid(table, foreign_key)]
        }
        MigrationStep::AddNotNullCheck {
            table,
            column,
            check_name,
        } => vec![format!(
            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
            QuotedIdentifier(table),
            QuotedIdentifier(check_name),
            QuotedIdentifier(column)
        )],
        MigrationStep::ValidateConstraint {
            table,
            constraint_name,
        } => vec![validate_constraint(table, constraint_name)],
        // Two statements: in one `ALTER TABLE` PostgreSQL would drop the check before it
        // looked at it for `SET NOT NULL`, and scan the table after all.
        MigrationStep::SetNotNullFromCheck {
            table,
            column,
            check_name,
        } => vec![
            format!(
                "ALTER TABLE {} ALTER COLUMN {} SET NOT NULL",
                QuotedIdentifier(table),
                QuotedIdentifier(column)
            ),
            format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                QuotedIdentifier(table),
                QuotedIdentifier(check_name)
            ),
        ],
        MigrationStep::CreateIndexConcurrently { table, index } => {
            vec![create_index(table, index, IndexBuild::Concurrently)]
        }
        MigrationStep::AddForeignKeyAfterIndexBuild {
            table,
            foreign_key,
            constraint_name,
        } => vec![
            add_foreign_key_not_valid(table, foreign_key),
            validate_constraint(table, constraint_name),
        ],
    }
}

fn add_foreign_key_not_valid(table: &str, foreign_key: &ForeignKey) -> String {
    format!("{} NOT VALID", add_foreign_key(table, foreign_key))
}

fn validate_constraint(table: &str, constraint_name: &str) -> String {
    format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        QuotedIdentifier(table),
        QuotedIdentifier(constraint_name)
    )
}

/// How an index is built: inside the migration's transaction (a new table, or online DDL
/// off), or `CONCURRENTLY` after it committed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IndexBuild {
    InTransaction,
    Concurrently,
}

fn create_enum<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> String {
    let values: Vec<String> = values
        .map(|value| StringLiteral(value).to_string())
        .collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        QuotedIdentifier(name),
        values.join(", ")
    )
}

pub(super) fn type_sql(column_type: &ColumnType) -> String {
    let base = match &column_type.kind {
        ColumnTypeKind::Enum(name) => QuotedIdentifier(name).to_string(),
        ColumnTypeKind::Postgres(postgres_type) => postgres_type.sql(),
        // A type outside PostgreSQL's model is written as its spelling says.
        other => postgresql::migration_spelling(&other.native_spelling().unwrap_or_default()),
    };
    if column_type.is_array {
        format!("{base}[]")
    } else {
        base
    }
}

pub(super) fn default_sql(default: &ColumnDefault, column_type: &ColumnType) -> String {
    match default {
        ColumnDefault::Now => "CURRENT_TIMESTAMP".to_string(),
        ColumnDefault::Expression(expression) => expression.clone(),
        ColumnDefault::Value(DefaultValue::List(items)) => {
            let element_type = ColumnType {
                kind: column_type.kind.clone(),
                is_array: false,
            };
            let items: Vec<String> = items.iter().map(value_sql).collect();
            format!("ARRAY[{}]::{}[]", items.join(", "), type_sql(&element_type))
        }
        // PostgreSQL's `time` input refuses the `T` of an ISO 8601 timestamp, which every other
        // date and time type takes: a DateTime literal on a time column gets a space instead.
        ColumnDefault::Value(DefaultValue::String(text)) if is_time_of_day_type(column_type) => {
            StringLiteral(&time_input_spelling(text)).to_string()
        }
        ColumnDefault::Value(value) => value_sql(value),
    }
}

fn is_time_of_day_type(column_type: &ColumnType) -> bool {
    column_type
        .kind
        .postgres()
        .is_some_and(|postgres_type| postgres_type.is_time_of_day())
}

/// `1970-01-01T12:30:00Z` as `1970-01-01 12:30:00Z`; any other text unchanged.
fn time_input_spelling(text: &str) -> String {
    let bytes = text.as_bytes();
    let looks_like_timestamp = bytes.len() > 11
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[..10]
            .iter()
            .enumerate()
            .all(|(position, byte)| position == 4 || position == 7 || byte.is_ascii_digit());
    if looks_like_timestamp {
        format!("{} {}", &text[..10], &text[11..])
    } else {
        text.to_string()
    }
}

fn value_sql(value: &DefaultValue) -> String {
    match value {
        DefaultValue::String(text) => StringLiteral(text).to_string(),
        DefaultValue::Number(number) => number.clone(),
        DefaultValue::Boolean(flag) => flag.to_string(),
        DefaultValue::List(items) => format!(
            "ARRAY[{}]",
            items.iter().map(value_sql).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn column_definition(column: &Column) -> String {
    let serial_type = column
        .serial
        .then(|| serial_type_sql(&column.column_type))
        .flatten();
    let mut definition = format!(
        "{} {}",
        QuotedIdentifier(&column.name),
        serial_type.map_or_else(|| type_sql(&column.column_type), str::to_string)
    );
    if !column.nullable {
        definition.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        let _ = write!(
            definition,
            " DEFAULT {}",
            default_sql(default, &column.column_type)
        );
    }
    if column.auto_increment && serial_type.is_none() {
        definition.push_str(" GENERATED BY DEFAULT AS IDENTITY");
    }
    definition
}

/// `SMALLSERIAL`, `SERIAL` or `BIGSERIAL` for a serial column of that integer type (Prisma's
/// `autoincrement()`); `None` for another type, which becomes an identity column instead.
fn serial_type_sql(column_type: &ColumnType) -> Option<&'static str> {
    Some(match serial_sequence_type(column_type)? {
        "smallint" => "SMALLSERIAL",
        "integer" => "SERIAL",
        _ => "BIGSERIAL",
    })
}

/// The type of the sequence a serial column of this type gets, `None` for a type that cannot
/// be serial.
fn serial_sequence_type(column_type: &ColumnType) -> Option<&'static str> {
    if column_type.is_array {
        return None;
    }
    match column_type.kind.postgres()? {
        postgresql::PostgresColumnType::SmallInt => Some("smallint"),
        postgresql::PostgresColumnType::Integer => Some("integer"),
        postgresql::PostgresColumnType::BigInt => Some("bigint"),
        _ => None,
    }
}

/// The name PostgreSQL gives a serial column's sequence, `<table>_<column>_seq`, shortened as
/// the sequence rename after a table rename shortens it.
fn serial_sequence_name(table: &str, column: &str) -> String {
    fit_identifier(format!("{table}_{column}_seq"), Provider::Postgresql)
}

fn create_table(table: &Table) -> String {
    let mut body = table
        .columns
        .iter()
        .map(|column| format!("    {}", column_definition(column)))
        .collect::<Vec<_>>()
        .join(",\n");
    if let Some(key) = &table.primary_key {
        let name = key.name.clone().unwrap_or_else(|| {
            fit_identifier(format!("{}_pkey", table.name), Provider::Postgresql)
        });
        if !body.is_empty() {
            // A blank line sets the table's constraints apart from its columns.
            body.push_str(",\n\n");
        }
        let _ = write!(
            body,
            "    CONSTRAINT {} PRIMARY KEY {}",
            QuotedIdentifier(&name),
            QuotedIdentifierList(&key.columns)
        );
    }
    format!(
        "CREATE TABLE {} (\n{body}\n)",
        QuotedIdentifier(&table.name)
    )
}

fn create_index(table: &str, index: &Index, build: IndexBuild) -> String {
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|column| {
            let mut text = QuotedIdentifier(&column.name).to_string();
            if let Some(operator_class) = &column.operator_class {
                text.push(' ');
                text.push_str(operator_class);
            }
            if column.descending {
                text.push_str(" DESC");
            }
            text
        })
        .collect();
    let using = match &index.algorithm {
        Some(algorithm) if algorithm != "btree" => format!(" USING {}", algorithm.to_uppercase()),
        _ => String::new(),
    };
    format!(
        "CREATE {}INDEX {}{} ON {}{using} ({})",
        if index.unique { "UNIQUE " } else { "" },
        if build == IndexBuild::Concurrently {
            "CONCURRENTLY "
        } else {
            ""
        },
        QuotedIdentifier(&index.name),
        QuotedIdentifier(table),
        columns.join(", ")
    )
}

fn add_foreign_key(table: &str, foreign_key: &ForeignKey) -> String {
    let name = foreign_key.name.clone().unwrap_or_else(|| {
        fit_identifier(
            format!("{table}_{}_fkey", foreign_key.columns.join("_")),
            Provider::Postgresql,
        )
    });
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY {} REFERENCES {}{} ON DELETE {} ON UPDATE {}",
        QuotedIdentifier(table),
        QuotedIdentifier(&name),
        QuotedIdentifierList(&foreign_key.columns),
        QuotedIdentifier(&foreign_key.referenced_table),
        QuotedIdentifierList(&foreign_key.referenced_columns),
        foreign_key.on_delete.sql(),
        foreign_key.on_update.sql()
    )
}

/// Renders a table's changes in an order PostgreSQL accepts: identities are dropped before
/// a type change (an identity column must stay an integer), dropped columns go before renames
/// (a column may be renamed to a dropped one's name), renames that take each other's names go
/// through temporary names, and identities are added last, with their sequence moved past the
/// values the column already holds.
fn alter_table(table: &str, changes: &[TableChange]) -> Vec<String> {
    let table_sql = QuotedIdentifier(table);
    let mut statements = Vec::new();
    let mut drops: Vec<String> = Vec::new();
    let mut actions: Vec<String> = Vec::new();
    let mut renames: Vec<(&str, &str)> = Vec::new();
    let mut identity_additions: Vec<String> = Vec::new();
    for change in changes {
        match change {
            TableChange::RenameColumn {
                previous_name,
                next_name,
            } => renames.push((previous_name, next_name)),
            TableChange::DropPrimaryKey { name } => {
                let name = name.clone().unwrap_or_else(|| {
                    fit_identifier(format!("{table}_pkey"), Provider::Postgresql)
                });
                drops.push(format!("DROP CONSTRAINT {}", QuotedIdentifier(&name)));
            }
            TableChange::DropColumn { name } => {
                drops.push(format!("DROP COLUMN {}", QuotedIdentifier(name)))
            }
            TableChange::AddColumn { column } => {
                actions.push(format!("ADD COLUMN {}", column_definition(column)))
            }
            TableChange::AlterColumn {
                previous,
                next,
                changes,
                type_cast,
            } => {
                if changes.auto_increment && previous.auto_increment {
                    if previous.serial {
                        // A serial column is no identity: its sequence goes with its default.
                        statements.push(format!(
                            "ALTER TABLE {table_sql} ALTER COLUMN {} DROP DEFAULT",
                            QuotedIdentifier(&previous.name)
                        ));
                        statements.push(format!(
                            "DROP SEQUENCE {}",
                            QuotedIdentifier(&serial_sequence_name(table, &previous.name))
                        ));
                    } else {
                        statements.push(format!(
                            "ALTER TABLE {table_sql} ALTER COLUMN {} DROP IDENTITY",
                            QuotedIdentifier(&previous.name)
                        ));
                    }
                }
                let column = QuotedIdentifier(&next.name);
                let type_or_default_changes = changes.column_type || changes.default;
                if previous.default.is_some() && type_or_default_changes {
                    actions.push(format!("ALTER COLUMN {column} DROP DEFAULT"));
                }
                if changes.column_type {
                    let target = type_sql(&next.column_type);
                    actions.push(match type_cast.unwrap_or(ColumnTypeCast::Explicit) {
                        ColumnTypeCast::Assignment => {
                            format!("ALTER COLUMN {column} SET DATA TYPE {target}")
                        }
                        ColumnTypeCast::Explicit => format!(
                            "ALTER COLUMN {column} SET DATA TYPE {target} USING ({column}::{target})"
                        ),
                        ColumnTypeCast::ThroughText => format!(
                            "ALTER COLUMN {column} SET DATA TYPE {target} USING ({column}::{}::{target})",
                            if previous.column_type.is_array { "text[]" } else { "text" }
                        ),
                    });
                }
                if changes.nullability {
                    actions.push(format!(
                        "ALTER COLUMN {column} {} NOT NULL",
                        if next.nullable { "DROP" } else { "SET" }
                    ));
                }
                if let Some(default) = &next.default {
                    if type_or_default_changes {
                        actions.push(format!(
                            "ALTER COLUMN {column} SET DEFAULT {}",
                            default_sql(default, &next.column_type)
                        ));
                    }
                }
                let serial_sequence_type = next
                    .serial
                    .then(|| serial_sequence_type(&next.column_type))
                    .flatten();
                if changes.auto_increment && next.auto_increment {
                    match serial_sequence_type {
                        // What `SERIAL` makes: a sequence of the column's type that the column
                        // owns, and its `nextval` as the default.
                        Some(sequence_type) => {
                            let sequence = QuotedIdentifier(&serial_sequence_name(table, &next.name))
                                .to_string();
                            identity_additions.push(format!(
                                "CREATE SEQUENCE {sequence} AS {sequence_type} OWNED BY {table_sql}.{column}"
                            ));
                            identity_additions.push(format!(
                                "ALTER TABLE {table_sql} ALTER COLUMN {column} SET DEFAULT nextval({}::regclass)",
                                StringLiteral(&sequence)
                            ));
                        }
                        None => identity_additions.push(format!("ALTER TABLE {table_sql} ALTER COLUMN {column} ADD GENERATED BY DEFAULT AS IDENTITY")),
                    }
                    identity_additions.push(format!(
                        "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(MAX({column}), 0) + 1, false) FROM {table_sql}",
                        StringLiteral(&table_sql.to_string()),
                        StringLiteral(&next.name)
                    ));
                } else if let (true, true, Some(sequence_type)) =
                    (changes.column_type, previous.serial, serial_sequence_type)
                {
                    // PostgreSQL changes an identity's sequence with its column, but not a
                    // serial column's: `BIGSERIAL` from empty has a `bigint` sequence.
                    identity_additions.push(format!(
                        "ALTER SEQUENCE {} AS {sequence_type}",
                        QuotedIdentifier(&serial_sequence_name(table, &next.name))
                    ));
                }
            }
            TableChange::AddPrimaryKey { primary_key } => {
                let name = primary_key.name.clone().unwrap_or_else(|| {
                    fit_identifier(format!("{table}_pkey"), Provider::Postgresql)
                });
                actions.push(format!(
                    "ADD CONSTRAINT {} PRIMARY KEY {}",
                    QuotedIdentifier(&name),
                    QuotedIdentifierList(&primary_key.columns)
                ));
            }
        }
    }
    if !drops.is_empty() {
        statements.push(format!("ALTER TABLE {table_sql} {}", drops.join(",\n    ")));
    }
    statements.extend(super::rename_columns(table, &renames));
    if !actions.is_empty() {
        statements.push(format!(
            "ALTER TABLE {table_sql} {}",
            actions.join(",\n    ")
        ));
    }
    statements.extend(identity_additions);
    statements
}
