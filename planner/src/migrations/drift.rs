//! A difference between two schemas told in words, for people: which tables, columns, keys,
//! indexes, foreign keys and enums one side has and the other lacks or has otherwise. `migrate
//! status` shows drift this way (the SQL that would undo it only on request).
//!
//! It reads the plan the differ made from `previous` to `next`, so that it reports exactly the
//! differences the differ sees (defaults compared by what the column stores, types by their
//! canonical spelling), and `previous` only to describe the SQLite tables a rebuild replaces.

use crate::database_schema::{Column, ColumnDefault, DatabaseSchema, Table};
use crate::plan::{MigrationPlan, MigrationStep, TableChange};
use crate::types::ColumnType;
use crate::values::DefaultValue;
use serde::Serialize;

/// What the two sides of a difference are called in the sentences, such as "the database" and
/// "the migrations".
#[derive(Debug, Clone, Copy)]
pub struct DifferenceSides<'a> {
    pub previous: &'a str,
    pub next: &'a str,
}

/// One difference: the object (`table "User"`, `column "User"."email"`) and what differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    pub object: String,
    pub description: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}: {}", self.object, self.description)
    }
}

/// The differences `plan` (planned from `previous` to `next`) makes, one per object, in the
/// plan's order.
pub fn describe_differences(
    previous: &DatabaseSchema,
    plan: &MigrationPlan,
    sides: DifferenceSides<'_>,
) -> Vec<Difference> {
    let mut differences = Vec::new();
    let only_in_previous = format!("in {} only", sides.previous);
    let only_in_next = format!("missing from {}", sides.previous);
    let mut add = |object: String, description: String| {
        differences.push(Difference {
            object,
            description,
        })
    };
    // Constraints the plan adds `NOT VALID` itself: their validation is the second half of
    // that difference, not one of its own.
    let added_by_the_plan: Vec<(&str, String)> = plan
        .steps
        .iter()
        .filter_map(|step| match step {
            MigrationStep::AddForeignKeyNotValid { table, foreign_key } => {
                Some((table.as_str(), foreign_key.name.clone().unwrap_or_default()))
            }
            MigrationStep::AddNotNullCheck {
                table, check_name, ..
            } => Some((table.as_str(), check_name.clone())),
            _ => None,
        })
        .collect();
    for step in &plan.steps {
        match step {
            MigrationStep::RenameEnum {
                previous_name,
                next_name,
            } => add(
                enum_object(previous_name),
                format!("named {} in {}", quoted(next_name), sides.next),
            ),
            MigrationStep::RenameEnumValue {
                enum_name,
                previous_value,
                next_value,
            } => add(
                format!(
                    "value {} of {}",
                    quoted(previous_value),
                    enum_object(enum_name)
                ),
                format!("named {} in {}", quoted(next_value), sides.next),
            ),
            MigrationStep::CreateExtension { extension } => add(
                format!("extension {}", quoted(&extension.name)),
                only_in_next.clone(),
            ),
            MigrationStep::CreateEnum { enum_definition } => {
                add(enum_object(&enum_definition.name), only_in_next.clone())
            }
            MigrationStep::AddEnumValues { enum_name, values } => add(
                enum_object(enum_name),
                format!(
                    "{} {} {}",
                    plural(values.len(), "value", "values"),
                    quoted_list(values.iter().map(|value| value.value.as_str())),
                    only_in_next
                ),
            ),
            MigrationStep::RecreateEnum {
                enum_definition, ..
            } => {
                let previous_values: Vec<&str> = previous
                    .enums
                    .iter()
                    .find(|candidate| candidate.name == enum_definition.name)
                    .map(|found| {
                        found
                            .values
                            .iter()
                            .map(|value| value.name.as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                let next_values: Vec<&str> = enum_definition
                    .values
                    .iter()
                    .map(|value| value.name.as_str())
                    .collect();
                let removed: Vec<&str> = previous_values
                    .iter()
                    .copied()
                    .filter(|value| !next_values.contains(value))
                    .collect();
                let description = if removed.is_empty() {
                    format!(
                        "its values are in another order in {} ({})",
                        sides.next,
                        quoted_list(next_values.iter().copied())
                    )
                } else {
                    format!(
                        "{} {} {}",
                        plural(removed.len(), "value", "values"),
                        quoted_list(removed.iter().copied()),
                        only_in_previous
                    )
                };
                add(enum_object(&enum_definition.name), description)
            }
            MigrationStep::DropEnum { enum_name } => {
                add(enum_object(enum_name), only_in_previous.clone())
            }
            MigrationStep::DropForeignKey {
                table,
                foreign_key_name,
            } => add(
                format!(
                    "foreign key {} on {}",
                    quoted(foreign_key_name),
                    table_object(table)
                ),
                only_in_previous.clone(),
            ),
            MigrationStep::AddForeignKey { table, foreign_key }
            | MigrationStep::AddForeignKeyNotValid { table, foreign_key }
            | MigrationStep::AddForeignKeyAfterIndexBuild {
                table, foreign_key, ..
            } => add(
                format!(
                    "foreign key {} on {}",
                    quoted(
                        &foreign_key
                            .name
                            .clone()
                            .unwrap_or_else(|| foreign_key.columns.join(", "))
                    ),
                    table_object(table)
                ),
                format!(
                    "{} ({}, referencing {} ({}))",
                    only_in_next,
                    foreign_key.columns.join(", "),
                    quoted(&foreign_key.referenced_table),
                    foreign_key.referenced_columns.join(", ")
                ),
            ),
            // The online form of a column made required: the check says the difference; the
            // validation and `SET NOT NULL` that follow it are the same difference.
            MigrationStep::AddNotNullCheck { table, column, .. } => add(
                column_object(table, column),
                format!("nullable in {}, NOT NULL in {}", sides.previous, sides.next),
            ),
            // A constraint `previous` has `NOT VALID` (`ForeignKey::not_validated`): a migration
            // failed or was interrupted between adding it and validating it.
            MigrationStep::ValidateConstraint {
                table,
                constraint_name,
            } if !added_by_the_plan
                .iter()
                .any(|(added_table, added_name)| added_table == table && added_name == constraint_name) =>
            {
                add(
                    format!(
                        "foreign key {} on {}",
                        quoted(constraint_name),
                        table_object(table)
                    ),
                    format!(
                        "NOT VALID in {}: it was added but never validated, so its existing rows were not checked (a migration failed or was interrupted before its VALIDATE CONSTRAINT). Repair: ALTER TABLE {} VALIDATE CONSTRAINT {};",
                        sides.previous,
                        quoted(table),
                        quoted(constraint_name)
                    ),
                )
            }
            MigrationStep::ValidateConstraint { .. }
            | MigrationStep::SetNotNullFromCheck { .. } => {}
            MigrationStep::DropIndex { table, index_name } => add(
                format!("index {} on {}", quoted(index_name), table_object(table)),
                only_in_previous.clone(),
            ),
            MigrationStep::CreateIndex { table, index }
            | MigrationStep::CreateIndexConcurrently { table, index } => add(
                format!(
                    "{} {} on {}",
                    if index.unique {
                        "unique index"
                    } else {
                        "index"
                    },
                    quoted(&index.name),
                    table_object(table)
                ),
                format!(
                    "{} ({})",
                    only_in_next,
                    index
                        .columns
                        .iter()
                        .map(|column| column.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            MigrationStep::RenameIndex {
                table,
                previous_name,
                index,
            } => add(
                format!("index {} on {}", quoted(previous_name), table_object(table)),
                format!("named {} in {}", quoted(&index.name), sides.next),
            ),
            MigrationStep::RenameConstraint {
                table,
                previous_name,
                next_name,
            } => add(
                format!(
                    "constraint {} on {}",
                    quoted(previous_name),
                    table_object(table)
                ),
                format!("named {} in {}", quoted(next_name), sides.next),
            ),
            MigrationStep::RenameSequence {
                previous_name,
                next_name,
            } => add(
                format!("sequence {}", quoted(previous_name)),
                format!("named {} in {}", quoted(next_name), sides.next),
            ),
            MigrationStep::RenameTable {
                previous_name,
                next_name,
            } => add(
                table_object(previous_name),
                format!("named {} in {}", quoted(next_name), sides.next),
            ),
            MigrationStep::CreateTable { table } => add(
                table_object(&table.name),
                format!(
                    "{} ({})",
                    only_in_next,
                    plural(table.columns.len(), "column", "columns")
                ),
            ),
            MigrationStep::DropTable { table } => {
                add(table_object(table), only_in_previous.clone())
            }
            MigrationStep::AlterTable { table, changes } => {
                for change in changes {
                    let (object, description) = describe_table_change(
                        table,
                        change,
                        sides,
                        &only_in_previous,
                        &only_in_next,
                    );
                    add(object, description);
                }
            }
            MigrationStep::RebuildTables { rebuilds } => {
                for rebuild in rebuilds {
                    let previous_table = previous
                        .tables
                        .iter()
                        .find(|table| table.name == rebuild.previous_name);
                    for (object, description) in describe_rebuilt_table(
                        previous_table,
                        &rebuild.next,
                        sides,
                        &only_in_previous,
                        &only_in_next,
                    ) {
                        add(object, description);
                    }
                }
            }
        }
    }
    differences
}

fn describe_table_change(
    table: &str,
    change: &TableChange,
    sides: DifferenceSides<'_>,
    only_in_previous: &str,
    only_in_next: &str,
) -> (String, String) {
    match change {
        TableChange::RenameColumn {
            previous_name,
            next_name,
        } => (
            column_object(table, previous_name),
            format!("named {} in {}", quoted(next_name), sides.next),
        ),
        TableChange::DropPrimaryKey { .. } => (
            format!("primary key of {}", table_object(table)),
            only_in_previous.to_string(),
        ),
        TableChange::AddPrimaryKey { primary_key } => (
            format!("primary key of {}", table_object(table)),
            format!("{} ({})", only_in_next, primary_key.columns.join(", ")),
        ),
        TableChange::DropColumn { name } => {
            (column_object(table, name), only_in_previous.to_string())
        }
        TableChange::AddColumn { column } => (
            column_object(table, &column.name),
            format!("{} ({})", only_in_next, column_words(column)),
        ),
        TableChange::AlterColumn { previous, next, .. } => (
            column_object(table, &previous.name),
            column_differences(previous, next, sides).join("; "),
        ),
    }
}

/// A SQLite rebuild replaces a whole table; the differences are those between its previous and
/// next definition, column by column.
fn describe_rebuilt_table(
    previous: Option<&Table>,
    next: &Table,
    sides: DifferenceSides<'_>,
    only_in_previous: &str,
    only_in_next: &str,
) -> Vec<(String, String)> {
    let Some(previous) = previous else {
        return vec![(
            table_object(&next.name),
            format!("differs from {} and is rebuilt", sides.next),
        )];
    };
    let mut differences = Vec::new();
    for previous_column in &previous.columns {
        match next
            .columns
            .iter()
            .find(|column| column.name == previous_column.name)
        {
            None => differences.push((
                column_object(&next.name, &previous_column.name),
                only_in_previous.to_string(),
            )),
            Some(next_column) => {
                let words = column_differences(previous_column, next_column, sides);
                if !words.is_empty() {
                    differences.push((
                        column_object(&next.name, &previous_column.name),
                        words.join("; "),
                    ));
                }
            }
        }
    }
    for next_column in &next.columns {
        if !previous
            .columns
            .iter()
            .any(|column| column.name == next_column.name)
        {
            differences.push((
                column_object(&next.name, &next_column.name),
                format!("{} ({})", only_in_next, column_words(next_column)),
            ));
        }
    }
    let previous_key = previous.primary_key.as_ref().map(|key| &key.columns);
    let next_key = next.primary_key.as_ref().map(|key| &key.columns);
    if previous_key != next_key {
        differences.push((
            format!("primary key of {}", table_object(&next.name)),
            format!(
                "({}) in {}, ({}) in {}",
                previous_key
                    .map(|columns| columns.join(", "))
                    .unwrap_or_default(),
                sides.previous,
                next_key
                    .map(|columns| columns.join(", "))
                    .unwrap_or_default(),
                sides.next
            ),
        ));
    }
    if previous.foreign_keys.len() != next.foreign_keys.len()
        || previous
            .foreign_keys
            .iter()
            .any(|key| !next.foreign_keys.contains(key))
    {
        differences.push((
            format!("foreign keys of {}", table_object(&next.name)),
            format!("differ between {} and {}", sides.previous, sides.next),
        ));
    }
    if differences.is_empty() {
        differences.push((
            table_object(&next.name),
            format!(
                "its definition differs from {} (a constraint inside CREATE TABLE)",
                sides.next
            ),
        ));
    }
    differences
}

/// What differs between two versions of one column, each as "type X in previous, Y in next".
fn column_differences(previous: &Column, next: &Column, sides: DifferenceSides<'_>) -> Vec<String> {
    let mut words = Vec::new();
    let previous_type = type_words(&previous.column_type);
    let next_type = type_words(&next.column_type);
    if previous_type != next_type {
        words.push(format!(
            "type {previous_type} in {}, {next_type} in {}",
            sides.previous, sides.next
        ));
    }
    if previous.nullable != next.nullable {
        let state = |nullable: bool| if nullable { "nullable" } else { "NOT NULL" };
        words.push(format!(
            "{} in {}, {} in {}",
            state(previous.nullable),
            sides.previous,
            state(next.nullable),
            sides.next
        ));
    }
    let previous_default = default_words(previous.default.as_ref());
    let next_default = default_words(next.default.as_ref());
    if previous_default != next_default || words.is_empty() && previous.default != next.default {
        words.push(format!(
            "default {previous_default} in {}, {next_default} in {}",
            sides.previous, sides.next
        ));
    }
    if previous.auto_increment != next.auto_increment {
        let state = |on: bool| {
            if on {
                "autoincrement"
            } else {
                "no autoincrement"
            }
        };
        words.push(format!(
            "{} in {}, {} in {}",
            state(previous.auto_increment),
            sides.previous,
            state(next.auto_increment),
            sides.next
        ));
    }
    words
}

fn column_words(column: &Column) -> String {
    let mut words = type_words(&column.column_type);
    if !column.nullable {
        words.push_str(" NOT NULL");
    }
    if let Some(default) = &column.default {
        words.push_str(" default ");
        words.push_str(&default_words(Some(default)));
    }
    words
}

fn type_words(column_type: &ColumnType) -> String {
    let name = column_type
        .kind
        .native_spelling()
        .unwrap_or_else(|| match &column_type.kind {
            crate::types::ColumnTypeKind::Enum(name) => quoted(name),
            _ => String::new(),
        });
    if column_type.is_array {
        format!("{name}[]")
    } else {
        name
    }
}

fn default_words(default: Option<&ColumnDefault>) -> String {
    match default {
        None => "none".to_string(),
        Some(ColumnDefault::Now) => "now()".to_string(),
        Some(ColumnDefault::Expression(expression)) => format!("({expression})"),
        Some(ColumnDefault::Value(value)) => value_words(value),
    }
}

fn value_words(value: &DefaultValue) -> String {
    match value {
        DefaultValue::String(text) => format!("'{}'", text.replace('\'', "''")),
        DefaultValue::Number(number) => number.clone(),
        DefaultValue::Boolean(boolean) => boolean.to_string(),
        DefaultValue::List(values) => format!(
            "[{}]",
            values
                .iter()
                .map(value_words)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(quoted).collect::<Vec<_>>().join(", ")
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn table_object(table: &str) -> String {
    format!("table {}", quoted(table))
}

fn column_object(table: &str, column: &str) -> String {
    format!("column {}.{}", quoted(table), quoted(column))
}

fn enum_object(name: &str) -> String {
    format!("enum {}", quoted(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, DiffOptions};
    use crate::provider::Provider;

    const SIDES: DifferenceSides<'static> = DifferenceSides {
        previous: "the database",
        next: "the migrations",
    };

    fn schema(provider: Provider, source: &str) -> DatabaseSchema {
        crate::migrations::database_schema_from_snapshot(provider, source).expect("a valid schema")
    }

    fn differences(provider: &str, previous_models: &str, next_models: &str) -> Vec<String> {
        let header =
            format!("datasource db {{\n  provider = \"{provider}\"\n  url = \"file:x\"\n}}\n");
        let provider = if provider == "sqlite" {
            Provider::Sqlite
        } else {
            Provider::Postgresql
        };
        let previous = schema(provider, &format!("{header}{previous_models}"));
        let next = schema(provider, &format!("{header}{next_models}"));
        let plan = diff(&previous, &next, &DiffOptions::default()).expect("a plan");
        describe_differences(&previous, &plan, SIDES)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn tables_columns_and_indexes_are_told_in_words_on_postgresql() {
        let found = differences(
            "postgresql",
            "model User {\n  id Int @id\n  name String\n  age Int\n}\nmodel Audit {\n  id Int @id\n}\n",
            "model User {\n  id Int @id\n  name String?\n  email String @unique\n}\nmodel Post {\n  id Int @id\n}\n",
        );
        let expected = [
            "table \"Audit\": in the database only",
            "column \"User\".\"age\": in the database only",
            "column \"User\".\"email\": missing from the database (text NOT NULL)",
            "column \"User\".\"name\": NOT NULL in the database, nullable in the migrations",
            "table \"Post\": missing from the database (1 column)",
            "unique index \"User_email_key\" on table \"User\": missing from the database (email)",
        ];
        for line in expected {
            assert!(
                found.iter().any(|found| found == line),
                "missing {line:?} in {found:#?}"
            );
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn a_sqlite_rebuild_is_told_column_by_column() {
        let found = differences(
            "sqlite",
            "model User {\n  id Int @id\n  name String\n  age Int\n}\n",
            "model User {\n  id Int @id\n  name String @default(\"x\")\n}\n",
        );
        assert_eq!(
            found,
            [
                "column \"User\".\"name\": default none in the database, 'x' in the migrations",
                "column \"User\".\"age\": in the database only",
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn enum_values_removed_or_added_are_named() {
        let found = differences(
            "postgresql",
            "enum Role {\n  A\n  B\n}\nmodel User {\n  id Int @id\n  role Role\n}\n",
            "enum Role {\n  A\n  C\n}\nmodel User {\n  id Int @id\n  role Role\n}\n",
        );
        assert!(
            found
                .iter()
                .any(|line| line == "enum \"Role\": 1 value \"B\" in the database only"),
            "{found:#?}"
        );
    }
}
