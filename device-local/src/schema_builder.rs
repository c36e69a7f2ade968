//! The schema builder of an upgrade step: create, alter, rename and drop tables, create and
//! drop indexes, in code. Every operation becomes one of the planner's `MigrationStep`s and is
//! rendered by the planner's SQLite renderer, so the SQL an app's upgrade runs is the SQL the
//! rest of comon writes for the same change. Only `execute` takes SQL text as it is.

use planner::database_schema::{
    Column, ColumnDefault, ColumnType, DefaultValue, ForeignKey, Index, IndexColumn, PrimaryKey,
    ReferentialAction, Table,
};
use planner::plan::TableChange;
use planner::render::render_step;
use planner::{MigrationStep, Provider};

/// A column of a table being created or altered. SQLite type names are upper-cased, as the
/// planner spells them (`INTEGER`, `TEXT`, `REAL`, `BLOB`, `NUMERIC`, `DATETIME`).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDefinition {
    column: Column,
}

impl ColumnDefinition {
    /// A `NOT NULL` column. Adding one to a table that has rows needs a default.
    pub fn required(name: &str, type_name: &str) -> ColumnDefinition {
        ColumnDefinition::with_nullability(name, type_name, false)
    }

    /// A column that accepts NULL.
    pub fn optional(name: &str, type_name: &str) -> ColumnDefinition {
        ColumnDefinition::with_nullability(name, type_name, true)
    }

    fn with_nullability(name: &str, type_name: &str, nullable: bool) -> ColumnDefinition {
        ColumnDefinition {
            column: Column {
                name: name.to_string(),
                field_name: None,
                schema_type: None,
                column_type: ColumnType::native(&type_name.trim().to_ascii_uppercase()),
                nullable,
                default: None,
                auto_increment: false,
                serial: false,
            },
        }
    }

    /// `INTEGER PRIMARY KEY AUTOINCREMENT`, when this column is the table's whole primary key.
    pub fn auto_increment(mut self) -> ColumnDefinition {
        self.column.auto_increment = true;
        self
    }

    pub fn default_text(mut self, text: &str) -> ColumnDefinition {
        self.column.default = Some(ColumnDefault::Value(DefaultValue::String(text.to_string())));
        self
    }

    /// A numeric default as written, such as `0` or `1.5`.
    pub fn default_number(mut self, number: &str) -> ColumnDefinition {
        self.column.default = Some(ColumnDefault::Value(DefaultValue::Number(
            number.to_string(),
        )));
        self
    }

    pub fn default_boolean(mut self, flag: bool) -> ColumnDefinition {
        self.column.default = Some(ColumnDefault::Value(DefaultValue::Boolean(flag)));
        self
    }

    pub fn default_current_timestamp(mut self) -> ColumnDefinition {
        self.column.default = Some(ColumnDefault::Now);
        self
    }

    /// A default expression kept verbatim; the renderer puts it in parentheses.
    pub fn default_expression(mut self, expression: &str) -> ColumnDefinition {
        self.column.default = Some(ColumnDefault::Expression(expression.to_string()));
        self
    }

    pub fn into_column(self) -> Column {
        self.column
    }
}

impl From<Column> for ColumnDefinition {
    fn from(column: Column) -> ColumnDefinition {
        ColumnDefinition { column }
    }
}

/// A foreign key of a table being created. Both actions default to `NO ACTION`, SQLite's own
/// default.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyDefinition {
    foreign_key: ForeignKey,
}

impl ForeignKeyDefinition {
    pub fn new(
        columns: &[&str],
        referenced_table: &str,
        referenced_columns: &[&str],
    ) -> ForeignKeyDefinition {
        ForeignKeyDefinition {
            foreign_key: ForeignKey {
                name: None,
                columns: owned_names(columns),
                referenced_table: referenced_table.to_string(),
                referenced_columns: owned_names(referenced_columns),
                on_delete: ReferentialAction::NoAction,
                on_update: ReferentialAction::NoAction,
                not_validated: false,
            },
        }
    }

    pub fn on_delete(mut self, action: ReferentialAction) -> ForeignKeyDefinition {
        self.foreign_key.on_delete = action;
        self
    }

    pub fn on_update(mut self, action: ReferentialAction) -> ForeignKeyDefinition {
        self.foreign_key.on_update = action;
        self
    }
}

/// A table to create, or the shape a rebuilt table takes. Index names are given explicitly
/// because SQLite index names are global to the database file.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDefinition {
    table: Table,
}

impl TableDefinition {
    pub fn new(name: &str) -> TableDefinition {
        TableDefinition {
            table: Table {
                name: name.to_string(),
                model_name: None,
                columns: Vec::new(),
                primary_key: None,
                indexes: Vec::new(),
                foreign_keys: Vec::new(),
            },
        }
    }

    pub fn column(mut self, column: ColumnDefinition) -> TableDefinition {
        self.table.columns.push(column.column);
        self
    }

    pub fn primary_key(mut self, columns: &[&str]) -> TableDefinition {
        self.table.primary_key = Some(PrimaryKey {
            name: None,
            columns: owned_names(columns),
        });
        self
    }

    pub fn index(mut self, name: &str, columns: &[&str]) -> TableDefinition {
        self.table
            .indexes
            .push(index_definition(name, columns, false));
        self
    }

    pub fn unique_index(mut self, name: &str, columns: &[&str]) -> TableDefinition {
        self.table
            .indexes
            .push(index_definition(name, columns, true));
        self
    }

    pub fn foreign_key(mut self, foreign_key: ForeignKeyDefinition) -> TableDefinition {
        self.table.foreign_keys.push(foreign_key.foreign_key);
        self
    }

    pub fn name(&self) -> &str {
        &self.table.name
    }

    pub fn as_table(&self) -> &Table {
        &self.table
    }

    pub fn into_table(self) -> Table {
        self.table
    }
}

impl From<Table> for TableDefinition {
    fn from(table: Table) -> TableDefinition {
        TableDefinition { table }
    }
}

/// The changes to one table inside `SchemaBuilder::alter_table`, run in the order they are
/// written.
#[derive(Debug, Default)]
pub struct AlterTableBuilder {
    changes: Vec<TableChange>,
}

impl AlterTableBuilder {
    pub fn add_column(&mut self, column: ColumnDefinition) -> &mut AlterTableBuilder {
        self.changes.push(TableChange::AddColumn {
            column: column.column,
        });
        self
    }

    pub fn rename_column(
        &mut self,
        previous_name: &str,
        next_name: &str,
    ) -> &mut AlterTableBuilder {
        self.changes.push(TableChange::RenameColumn {
            previous_name: previous_name.to_string(),
            next_name: next_name.to_string(),
        });
        self
    }

    /// SQLite refuses to drop a column that is part of a key, an index or a foreign key;
    /// rebuild the table instead.
    pub fn drop_column(&mut self, name: &str) -> &mut AlterTableBuilder {
        self.changes.push(TableChange::DropColumn {
            name: name.to_string(),
        });
        self
    }
}

/// One operation of a schema-builder step: a planner step, or a statement given as text.
#[derive(Debug, Clone, PartialEq)]
enum SchemaOperation {
    Planned(MigrationStep),
    Statement(String),
}

/// What a schema-builder step does, in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaBuilder {
    operations: Vec<SchemaOperation>,
}

impl SchemaBuilder {
    pub fn new() -> SchemaBuilder {
        SchemaBuilder::default()
    }

    /// `CREATE TABLE`, then its indexes.
    pub fn create_table(&mut self, table: TableDefinition) -> &mut SchemaBuilder {
        let table = table.table;
        let indexes = table.indexes.clone();
        let table_name = table.name.clone();
        self.operations
            .push(SchemaOperation::Planned(MigrationStep::CreateTable {
                table,
            }));
        for index in indexes {
            self.operations
                .push(SchemaOperation::Planned(MigrationStep::CreateIndex {
                    table: table_name.clone(),
                    index,
                }));
        }
        self
    }

    /// One `ALTER TABLE` per change, in the order the closure lists them. (A single planner
    /// `AlterTable` step would run renames first, which is right for a plan computed from a
    /// target shape but not for changes written by hand in a given order.)
    pub fn alter_table(
        &mut self,
        table: &str,
        build: impl FnOnce(&mut AlterTableBuilder),
    ) -> &mut SchemaBuilder {
        let mut builder = AlterTableBuilder::default();
        build(&mut builder);
        for change in builder.changes {
            self.operations
                .push(SchemaOperation::Planned(MigrationStep::AlterTable {
                    table: table.to_string(),
                    changes: vec![change],
                }));
        }
        self
    }

    pub fn rename_table(&mut self, previous_name: &str, next_name: &str) -> &mut SchemaBuilder {
        self.operations
            .push(SchemaOperation::Planned(MigrationStep::RenameTable {
                previous_name: previous_name.to_string(),
                next_name: next_name.to_string(),
            }));
        self
    }

    pub fn drop_table(&mut self, name: &str) -> &mut SchemaBuilder {
        self.operations
            .push(SchemaOperation::Planned(MigrationStep::DropTable {
                table: name.to_string(),
            }));
        self
    }

    pub fn create_index(
        &mut self,
        table: &str,
        name: &str,
        columns: &[&str],
    ) -> &mut SchemaBuilder {
        self.push_create_index(table, index_definition(name, columns, false))
    }

    pub fn create_unique_index(
        &mut self,
        table: &str,
        name: &str,
        columns: &[&str],
    ) -> &mut SchemaBuilder {
        self.push_create_index(table, index_definition(name, columns, true))
    }

    fn push_create_index(&mut self, table: &str, index: Index) -> &mut SchemaBuilder {
        self.operations
            .push(SchemaOperation::Planned(MigrationStep::CreateIndex {
                table: table.to_string(),
                index,
            }));
        self
    }

    pub fn drop_index(&mut self, table: &str, name: &str) -> &mut SchemaBuilder {
        self.operations
            .push(SchemaOperation::Planned(MigrationStep::DropIndex {
                table: table.to_string(),
                index_name: name.to_string(),
            }));
        self
    }

    /// A statement run as written, for what the builder has no operation for (a trigger, a
    /// view, an `UPDATE` that fills a new column).
    pub fn execute(&mut self, statement: &str) -> &mut SchemaBuilder {
        self.operations
            .push(SchemaOperation::Statement(statement.to_string()));
        self
    }

    /// The statements this builder runs, rendered by the planner's SQLite renderer.
    pub fn statements(&self) -> Vec<String> {
        self.operations
            .iter()
            .flat_map(|operation| match operation {
                SchemaOperation::Planned(step) => render_step(step, Provider::Sqlite),
                SchemaOperation::Statement(statement) => vec![statement.clone()],
            })
            .collect()
    }
}

fn owned_names(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

fn index_definition(name: &str, columns: &[&str], unique: bool) -> Index {
    Index {
        name: name.to_string(),
        columns: columns
            .iter()
            .map(|column| IndexColumn {
                name: column.to_string(),
                descending: false,
                operator_class: None,
            })
            .collect(),
        unique,
        algorithm: None,
        invalid: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builder_renders_through_the_planner_in_the_order_written() {
        let mut schema = SchemaBuilder::new();
        schema
            .create_table(
                TableDefinition::new("todos")
                    .column(ColumnDefinition::required("id", "integer").auto_increment())
                    .column(ColumnDefinition::required("title", "TEXT"))
                    .primary_key(&["id"])
                    .index("todos_title_idx", &["title"]),
            )
            .alter_table("todos", |table| {
                table.add_column(
                    ColumnDefinition::required("done", "BOOLEAN").default_boolean(false),
                );
                table.drop_column("title");
            })
            .execute("UPDATE todos SET done = true");
        assert_eq!(
            schema.statements(),
            vec![
                "CREATE TABLE \"todos\" (\n    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \"title\" TEXT NOT NULL\n)",
                "CREATE INDEX \"todos_title_idx\" ON \"todos\" (\"title\")",
                "ALTER TABLE \"todos\" ADD COLUMN \"done\" BOOLEAN NOT NULL DEFAULT false",
                "ALTER TABLE \"todos\" DROP COLUMN \"title\"",
                "UPDATE todos SET done = true",
            ]
        );
    }

    #[test]
    fn a_drop_then_a_rename_onto_the_dropped_name_keeps_its_order() {
        let mut schema = SchemaBuilder::new();
        schema.alter_table("notes", |table| {
            table.drop_column("body");
            table.rename_column("text", "body");
        });
        assert_eq!(
            schema.statements(),
            vec![
                "ALTER TABLE \"notes\" DROP COLUMN \"body\"",
                "ALTER TABLE \"notes\" RENAME COLUMN \"text\" TO \"body\"",
            ]
        );
    }
}
