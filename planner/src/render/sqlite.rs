//! SQLite rendering. Foreign keys live inside `CREATE TABLE`, and whatever `ALTER TABLE` cannot
//! do arrives here as a `RebuildTables` step, rendered by SQLite's documented procedure
//! (https://www.sqlite.org/lang_altertable.html#otheralter): create the new table, copy the
//! rows, drop the old table, rename the new one, re-create its indexes and the dependents
//! (triggers, partial and expression indexes) the snapshot of the old table lists.

use std::fmt::Write;

use super::{is_wrapped_in_parentheses, QuotedIdentifier, QuotedIdentifierList, StringLiteral};
use crate::database_schema::{Column, ColumnDefault, DefaultValue, Index, Table};
use crate::plan::{MigrationStep, RebuiltTable, TableChange, TableRebuild};

pub(super) fn render_step(step: &MigrationStep) -> Vec<String> {
    match step {
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
        MigrationStep::AlterTable { table, changes } => {
            let renames: Vec<(&str, &str)> = changes
                .iter()
                .filter_map(|change| match change {
                    TableChange::RenameColumn {
                        previous_name,
                        next_name,
                    } => Some((previous_name.as_str(), next_name.as_str())),
                    _ => None,
                })
                .collect();
            let mut statements = super::rename_columns(table, &renames);
            statements.extend(
                changes
                    .iter()
                    .filter(|change| !matches!(change, TableChange::RenameColumn { .. }))
                    .map(|change| alter_table_change(table, change)),
            );
            statements
        }
        MigrationStep::CreateTable { table } => vec![create_table(table, &table.name)],
        MigrationStep::RebuildTables { rebuilds } => {
            let mut statements: Vec<String> = FOREIGN_KEYS_OFF_AROUND_REBUILD
                .iter()
                .map(|pragma| pragma.to_string())
                .collect();
            statements.extend(rebuild_statements(rebuilds).statements);
            statements.extend(
                FOREIGN_KEYS_ON_AFTER_REBUILD
                    .iter()
                    .map(|pragma| pragma.to_string()),
            );
            statements
        }
        MigrationStep::DropTable { table } => {
            vec![format!("DROP TABLE {}", QuotedIdentifier(table))]
        }
        MigrationStep::RenameIndex {
            table,
            previous_name,
            index,
        } => {
            vec![
                format!("DROP INDEX {}", QuotedIdentifier(previous_name)),
                create_index(table, index),
            ]
        }
        MigrationStep::CreateIndex { table, index } => vec![create_index(table, index)],
        // SQLite has no enum types, and its foreign keys and primary keys live inside the table
        // definition: the differ plans a `RebuildTables` instead of any of these. They render to
        // the standard statements, which SQLite rejects loudly inside the migration's transaction
        // rather than silently doing something else.
        // SQLite has no extensions either: the lowering never gives a SQLite schema any.
        MigrationStep::CreateExtension { .. }
        | MigrationStep::RenameEnum { .. }
        | MigrationStep::RenameEnumValue { .. }
        | MigrationStep::CreateEnum { .. }
        | MigrationStep::AddEnumValues { .. }
        | MigrationStep::RecreateEnum { .. }
        | MigrationStep::DropEnum { .. }
        | MigrationStep::DropForeignKey { .. }
        | MigrationStep::RenameConstraint { .. }
        | MigrationStep::RenameSequence { .. }
        | MigrationStep::AddForeignKey { .. }
        // The online forms are PostgreSQL's alone: SQLite has no concurrent index builds, no
        // NOT VALID constraints, and no lock that a plain statement would hold too long.
        | MigrationStep::AddForeignKeyNotValid { .. }
        | MigrationStep::AddNotNullCheck { .. }
        | MigrationStep::ValidateConstraint { .. }
        | MigrationStep::SetNotNullFromCheck { .. }
        | MigrationStep::CreateIndexConcurrently { .. }
        | MigrationStep::AddForeignKeyAfterIndexBuild { .. } => super::postgresql::render_step(step),
    }
}

fn alter_table_change(table: &str, change: &TableChange) -> String {
    let table_sql = QuotedIdentifier(table);
    match change {
        TableChange::RenameColumn {
            previous_name,
            next_name,
        } => super::rename_columns(table, &[(previous_name, next_name)]).join(";\n"),
        TableChange::AddColumn { column } => format!(
            "ALTER TABLE {table_sql} ADD COLUMN {}",
            column_definition(column, false)
        ),
        TableChange::DropColumn { name } => format!(
            "ALTER TABLE {table_sql} DROP COLUMN {}",
            QuotedIdentifier(name)
        ),
        // Never planned on SQLite (see `render_step`): the standard syntax fails loudly.
        TableChange::DropPrimaryKey { .. } => {
            format!("ALTER TABLE {table_sql} DROP CONSTRAINT PRIMARY KEY")
        }
        TableChange::AlterColumn { next, .. } => format!(
            "ALTER TABLE {table_sql} ALTER COLUMN {}",
            QuotedIdentifier(&next.name)
        ),
        TableChange::AddPrimaryKey { primary_key } => {
            format!(
                "ALTER TABLE {table_sql} ADD PRIMARY KEY {}",
                QuotedIdentifierList(&primary_key.columns)
            )
        }
    }
}

fn default_sql(default: &ColumnDefault) -> String {
    match default {
        ColumnDefault::Now => "CURRENT_TIMESTAMP".to_string(),
        ColumnDefault::Expression(expression) if is_wrapped_in_parentheses(expression) => {
            expression.trim().to_string()
        }
        // SQLite requires parentheses around a default that is not a literal.
        ColumnDefault::Expression(expression) => format!("({expression})"),
        ColumnDefault::Value(value) => value_sql(value),
    }
}

fn value_sql(value: &DefaultValue) -> String {
    match value {
        DefaultValue::String(text) => StringLiteral(text).to_string(),
        DefaultValue::Number(number) => number.clone(),
        DefaultValue::Boolean(flag) => flag.to_string(),
        // Lists are not supported on SQLite (validation rejects them); store them as JSON text.
        DefaultValue::List(items) => StringLiteral(&format!(
            "[{}]",
            items.iter().map(value_sql).collect::<Vec<_>>().join(",")
        ))
        .to_string(),
    }
}

/// `inline_primary_key` writes `PRIMARY KEY AUTOINCREMENT` on the column itself, which is the
/// only way SQLite accepts AUTOINCREMENT.
fn column_definition(column: &Column, inline_primary_key: bool) -> String {
    let Some(type_name) = column.column_type.kind.native_spelling() else {
        return format!("{} TEXT", QuotedIdentifier(&column.name));
    };
    let mut definition = format!("{} {}", QuotedIdentifier(&column.name), type_name);
    if !column.nullable {
        definition.push_str(" NOT NULL");
    }
    if inline_primary_key {
        definition.push_str(" PRIMARY KEY AUTOINCREMENT");
    }
    if let Some(default) = &column.default {
        let _ = write!(definition, " DEFAULT {}", default_sql(default));
    }
    definition
}

/// SQLite's foreign key pragmas before and after a rebuild, as `migration.sql` holds them so
/// that the `sqlite3` shell runs the rebuild safely on its own. A runner leaves them out and
/// follows `ExecutionRequirements` instead: inside its transaction `PRAGMA foreign_keys` would
/// do nothing, so it switches enforcement off before the transaction begins.
const FOREIGN_KEYS_OFF_AROUND_REBUILD: [&str; 2] =
    ["PRAGMA defer_foreign_keys=ON", "PRAGMA foreign_keys=OFF"];
const FOREIGN_KEYS_ON_AFTER_REBUILD: [&str; 2] =
    ["PRAGMA foreign_keys=ON", "PRAGMA defer_foreign_keys=OFF"];

/// The statements of a rebuild between its foreign key pragmas, with the table each rebuild
/// drops and where (`render::statements_for_runner`).
pub(super) struct RebuildStatements {
    pub(super) statements: Vec<String>,
    pub(super) rebuilt_tables: Vec<RebuiltTable>,
}

pub(super) fn rebuild_statements(rebuilds: &[TableRebuild]) -> RebuildStatements {
    // legacy_alter_table keeps SQLite from re-checking views and triggers that name the
    // rebuilt table while it is briefly gone (between DROP and RENAME); nothing refers to the
    // temporary name, so there is nothing for the modern rename to rewrite.
    let mut statements = vec!["PRAGMA legacy_alter_table=ON".to_string()];
    let mut rebuilt_tables = Vec::with_capacity(rebuilds.len());
    for rebuild in rebuilds {
        let next = &rebuild.next;
        let temporary = format!("new_{}", next.name);
        statements.push(create_table(next, &temporary));
        if !rebuild.copied_columns.is_empty() {
            let next_columns: Vec<String> = rebuild
                .copied_columns
                .iter()
                .map(|(next_column, _)| next_column.clone())
                .collect();
            let previous_columns: Vec<String> = rebuild
                .copied_columns
                .iter()
                .map(|(_, previous_column)| QuotedIdentifier(previous_column).to_string())
                .collect();
            statements.push(format!(
                "INSERT INTO {} {} SELECT {} FROM {}",
                QuotedIdentifier(&temporary),
                QuotedIdentifierList(&next_columns),
                previous_columns.join(", "),
                QuotedIdentifier(&rebuild.previous_name)
            ));
        }
        rebuilt_tables.push(RebuiltTable {
            table: rebuild.previous_name.clone(),
            dropped_by_statement: statements.len(),
        });
        statements.push(format!(
            "DROP TABLE {}",
            QuotedIdentifier(&rebuild.previous_name)
        ));
        statements.push(format!(
            "ALTER TABLE {} RENAME TO {}",
            QuotedIdentifier(&temporary),
            QuotedIdentifier(&next.name)
        ));
        // The table's own unique constraints came back with `CREATE TABLE`.
        for index in next
            .indexes
            .iter()
            .filter(|index| !index.is_sqlite_table_constraint())
        {
            statements.push(create_index(&next.name, index));
        }
        // Triggers, partial and expression indexes went with the old table.
        statements.extend(
            rebuild
                .recreated_dependents
                .iter()
                .map(|dependent| dependent.sql.clone()),
        );
    }
    statements.push("PRAGMA legacy_alter_table=OFF".to_string());
    RebuildStatements {
        statements,
        rebuilt_tables,
    }
}

fn create_table(table: &Table, name: &str) -> String {
    let autoincrement_column = table
        .primary_key
        .as_ref()
        .filter(|key| key.columns.len() == 1)
        .and_then(|key| {
            table
                .columns
                .iter()
                .find(|column| column.name == key.columns[0] && column.auto_increment)
        })
        .map(|column| column.name.as_str());
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            format!(
                "    {}",
                column_definition(column, Some(column.name.as_str()) == autoincrement_column)
            )
        })
        .collect();
    if let Some(key) = &table.primary_key {
        if autoincrement_column.is_none() {
            lines.push(format!(
                "    PRIMARY KEY {}",
                QuotedIdentifierList(&key.columns)
            ));
        }
    }
    // A unique index SQLite made for an inline `UNIQUE` of a table (`sqlite_autoindex_*`) is
    // written back as that constraint, the only way to get such an index.
    for index in table
        .indexes
        .iter()
        .filter(|index| index.is_sqlite_table_constraint())
    {
        lines.push(format!("    UNIQUE ({})", index_columns(index)));
    }
    for foreign_key in &table.foreign_keys {
        lines.push(format!(
            "    FOREIGN KEY {} REFERENCES {}{} ON DELETE {} ON UPDATE {}",
            QuotedIdentifierList(&foreign_key.columns),
            QuotedIdentifier(&foreign_key.referenced_table),
            QuotedIdentifierList(&foreign_key.referenced_columns),
            foreign_key.on_delete.sql(),
            foreign_key.on_update.sql()
        ));
    }
    format!(
        "CREATE TABLE {} (\n{}\n)",
        QuotedIdentifier(name),
        lines.join(",\n")
    )
}

fn index_columns(index: &Index) -> String {
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|column| {
            format!(
                "{}{}",
                QuotedIdentifier(&column.name),
                if column.descending { " DESC" } else { "" }
            )
        })
        .collect();
    columns.join(", ")
}

fn create_index(table: &str, index: &Index) -> String {
    // SQLite refuses to create an index named `sqlite_*`. The differ never asks for one (such
    // a constraint changes with its table), but a step built elsewhere might: it gets the name
    // a `@unique` on those columns has, which the differ treats as the same index.
    let name = if index.is_sqlite_table_constraint() {
        let columns: Vec<&str> = index
            .columns
            .iter()
            .map(|column| column.name.as_str())
            .collect();
        crate::database_schema::naming::unique_index_name(
            table,
            &columns,
            crate::provider::Provider::Sqlite,
        )
    } else {
        index.name.clone()
    };
    format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        QuotedIdentifier(&name),
        QuotedIdentifier(table),
        index_columns(index)
    )
}
