//! Upgrade steps: what moves a local database from one version to the next. A step is data
//! plus, for a table rebuild, the app's copy callback; the upgrader decides when it runs.

use super::error::DeviceLocalError;
use super::schema_builder::{SchemaBuilder, TableDefinition};
use comon_database::quote_identifier;
use planner::migrations::database_schema_from_snapshot;
use planner::{
    plan_migration, render_plan, DatabaseSchema, DiffOptions, MigrationPlan, Provider, WarningKind,
};
use rusqlite::Connection;
use std::fmt;

/// What a rebuild's copy callback works with: the connection inside the upgrade's transaction,
/// the table as it was (`source_table`) and the new, empty table (`target_table`).
pub struct RebuildCopy<'a> {
    pub(crate) connection: &'a Connection,
    pub(crate) source_table: &'a str,
    pub(crate) target_table: &'a str,
}

impl RebuildCopy<'_> {
    /// The connection, inside the upgrade's transaction. Everything done through it is rolled
    /// back with the rest of the upgrade if anything fails.
    pub fn connection(&self) -> &Connection {
        self.connection
    }

    /// The table being rebuilt, still holding every row.
    pub fn source_table(&self) -> &str {
        self.source_table
    }

    /// The new table (`new_<table>`), empty, in the replacement's shape.
    pub fn target_table(&self) -> &str {
        self.target_table
    }

    /// `INSERT INTO target (...) SELECT ... FROM source` for `(target column, source SQL
    /// expression)` pairs; a source column is written quoted, as `"title"`, and any other
    /// expression of the source row works too, such as `CASE WHEN "done" THEN 'done' ELSE
    /// 'todo' END`. Returns the number of rows copied.
    pub fn copy_with_expressions(&self, columns: &[(&str, &str)]) -> rusqlite::Result<usize> {
        let target_columns: Vec<String> = columns
            .iter()
            .map(|(target, _)| quote_identifier(target))
            .collect();
        let source_expressions: Vec<&str> =
            columns.iter().map(|(_, expression)| *expression).collect();
        let statement = format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            quote_identifier(self.target_table),
            target_columns.join(", "),
            source_expressions.join(", "),
            quote_identifier(self.source_table)
        );
        self.connection.execute(&statement, [])
    }

    /// Copies columns of the same name: `copy_columns(&["id", "title"])`.
    pub fn copy_columns(&self, columns: &[&str]) -> rusqlite::Result<usize> {
        let quoted: Vec<String> = columns
            .iter()
            .map(|column| quote_identifier(column))
            .collect();
        let pairs: Vec<(&str, &str)> = columns
            .iter()
            .zip(&quoted)
            .map(|(column, source)| (*column, source.as_str()))
            .collect();
        self.copy_with_expressions(&pairs)
    }
}

/// The app's copy callback of a table rebuild.
pub type CopyRows = Box<dyn Fn(&RebuildCopy<'_>) -> rusqlite::Result<()>>;

pub(crate) enum StepAction {
    /// Statements from the schema builder, already rendered.
    Statements(Vec<String>),
    /// Statement texts as the app wrote them; each may hold several statements.
    RawSql(Vec<String>),
    RebuildTable {
        replacement: TableDefinition,
        copy_rows: CopyRows,
    },
    SchemaDiff {
        previous: String,
        next: String,
        warnings: WarningPolicy,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WarningPolicy {
    Refuse,
    Allow,
}

/// One step of a local upgrade: from `from_version` to `to_version`, under a name that errors
/// and reports show. Steps are chained by their from-version.
pub struct UpgradeStep {
    pub(crate) from_version: u32,
    pub(crate) to_version: u32,
    pub(crate) name: String,
    pub(crate) action: StepAction,
}

impl UpgradeStep {
    /// A step written with the schema builder.
    pub fn schema(
        from_version: u32,
        to_version: u32,
        name: &str,
        build: impl FnOnce(&mut SchemaBuilder),
    ) -> UpgradeStep {
        let mut builder = SchemaBuilder::new();
        build(&mut builder);
        UpgradeStep::new(
            from_version,
            to_version,
            name,
            StepAction::Statements(builder.statements()),
        )
    }

    /// A step of SQL text. Each text may hold several statements separated by `;`.
    pub fn sql<Text: Into<String>>(
        from_version: u32,
        to_version: u32,
        name: &str,
        statements: impl IntoIterator<Item = Text>,
    ) -> UpgradeStep {
        let texts = statements.into_iter().map(Into::into).collect();
        UpgradeStep::new(from_version, to_version, name, StepAction::RawSql(texts))
    }

    /// Rebuilds `replacement.name()` into the replacement's shape by SQLite's documented
    /// procedure (https://www.sqlite.org/lang_altertable.html#otheralter): create
    /// `new_<table>`, let `copy_rows` fill it, check that every row arrived, drop the old table,
    /// rename the new one, create the replacement's indexes and re-create the old table's
    /// triggers. Foreign key enforcement is off during the upgrade and checked after it.
    pub fn rebuild_table(
        from_version: u32,
        to_version: u32,
        name: &str,
        replacement: TableDefinition,
        copy_rows: impl Fn(&RebuildCopy<'_>) -> rusqlite::Result<()> + 'static,
    ) -> UpgradeStep {
        UpgradeStep::new(
            from_version,
            to_version,
            name,
            StepAction::RebuildTable {
                replacement,
                copy_rows: Box::new(copy_rows),
            },
        )
    }

    /// The planner's migration from the `previous` to the `next` schema (schema.prisma texts;
    /// a text without a `datasource` block is read as SQLite, an empty text is the empty
    /// database). A plan with warnings (data loss, a change that may fail) is refused; SQLite
    /// table rebuilds are not warnings here, since they keep every row.
    pub fn schema_diff(
        from_version: u32,
        to_version: u32,
        name: &str,
        previous: &str,
        next: &str,
    ) -> UpgradeStep {
        UpgradeStep::schema_diff_with_policy(
            from_version,
            to_version,
            name,
            previous,
            next,
            WarningPolicy::Refuse,
        )
    }

    /// `schema_diff`, with the plan's warnings reviewed and accepted.
    pub fn schema_diff_allowing_warnings(
        from_version: u32,
        to_version: u32,
        name: &str,
        previous: &str,
        next: &str,
    ) -> UpgradeStep {
        UpgradeStep::schema_diff_with_policy(
            from_version,
            to_version,
            name,
            previous,
            next,
            WarningPolicy::Allow,
        )
    }

    fn schema_diff_with_policy(
        from_version: u32,
        to_version: u32,
        name: &str,
        previous: &str,
        next: &str,
        warnings: WarningPolicy,
    ) -> UpgradeStep {
        let action = StepAction::SchemaDiff {
            previous: previous.to_string(),
            next: next.to_string(),
            warnings,
        };
        UpgradeStep::new(from_version, to_version, name, action)
    }

    fn new(from_version: u32, to_version: u32, name: &str, action: StepAction) -> UpgradeStep {
        UpgradeStep {
            from_version,
            to_version,
            name: name.to_string(),
            action,
        }
    }

    pub fn from_version(&self) -> u32 {
        self.from_version
    }

    pub fn to_version(&self) -> u32 {
        self.to_version
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The statements a step runs, planned and rendered, without touching any database. A table
    /// rebuild has none here: its work is the app's copy callback. Apps call this (through
    /// `LocalDatabaseUpgrader::check_steps`) in their own tests, so that a refused schema diff
    /// shows up on the developer's machine rather than on a device.
    pub fn planned_statements(&self) -> Result<Vec<String>, DeviceLocalError> {
        match &self.action {
            StepAction::Statements(statements) => Ok(statements.clone()),
            StepAction::RawSql(texts) => {
                let mut statements = Vec::new();
                for text in texts {
                    let split = comon_database::split_sql_script(Provider::Sqlite, text).map_err(
                        |error| DeviceLocalError::StepFailed {
                            step: self.name.clone(),
                            statement: text.clone(),
                            message: error.to_string(),
                        },
                    )?;
                    statements.extend(split);
                }
                Ok(statements)
            }
            StepAction::RebuildTable { .. } => Ok(Vec::new()),
            StepAction::SchemaDiff {
                previous,
                next,
                warnings,
            } => Ok(render_plan(&self.plan_schema_diff(previous, next, *warnings)?).statements),
        }
    }

    pub(crate) fn plan_schema_diff(
        &self,
        previous: &str,
        next: &str,
        policy: WarningPolicy,
    ) -> Result<MigrationPlan, DeviceLocalError> {
        let previous_schema = self.sqlite_schema("previous", previous)?;
        let next_schema = self.sqlite_schema("next", next)?;
        // No row counts: the same step must give the same plan on every device, whatever rows
        // each one holds, so a step that could fail on some data is refused everywhere alike.
        let plan = plan_migration(&previous_schema, &next_schema, &DiffOptions::default())
            .map_err(|error| DeviceLocalError::InvalidStepSchema {
                step: self.name.clone(),
                side: "next",
                message: error.to_string(),
            })?;
        let blocking_warnings: Vec<_> = plan
            .warnings
            .iter()
            .filter(|warning| warning.kind != WarningKind::Rebuild)
            .cloned()
            .collect();
        if policy == WarningPolicy::Refuse && !blocking_warnings.is_empty() {
            return Err(DeviceLocalError::SchemaDiffHasWarnings {
                step: self.name.clone(),
                warnings: blocking_warnings,
            });
        }
        Ok(plan)
    }

    fn sqlite_schema(
        &self,
        side: &'static str,
        text: &str,
    ) -> Result<DatabaseSchema, DeviceLocalError> {
        let invalid = |message: String| DeviceLocalError::InvalidStepSchema {
            step: self.name.clone(),
            side,
            message,
        };
        let schema = database_schema_from_snapshot(Provider::Sqlite, text)
            .map_err(|errors| invalid(errors.to_string()))?;
        if schema.provider != Provider::Sqlite {
            return Err(invalid(format!(
                "its datasource is {}, but a local database is SQLite",
                schema.provider.as_str()
            )));
        }
        Ok(schema)
    }
}

impl fmt::Debug for UpgradeStep {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.action {
            StepAction::Statements(_) => "schema",
            StepAction::RawSql(_) => "sql",
            StepAction::RebuildTable { .. } => "rebuild-table",
            StepAction::SchemaDiff { .. } => "schema-diff",
        };
        formatter
            .debug_struct("UpgradeStep")
            .field("from_version", &self.from_version)
            .field("to_version", &self.to_version)
            .field("name", &self.name)
            .field("kind", &kind)
            .finish()
    }
}
