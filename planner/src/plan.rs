//! A migration plan is data: ordered steps and warnings. SQL text comes only from rendering
//! (`crate::render`), never from the differ.

use crate::database_schema::{
    Column, ColumnDefault, Enum, Extension, ForeignKey, Index, PrimaryKey, Table, TableDependent,
};
use crate::provider::Provider;
use crate::types::{postgresql, ColumnTypeCast};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationPlan {
    pub provider: Provider,
    /// Steps in execution order (see `MigrationStep::phase`).
    pub steps: Vec<MigrationStep>,
    pub warnings: Vec<Warning>,
    /// Some table is rebuilt (SQLite's new-table, copy, drop, rename procedure).
    pub requires_rebuild: bool,
    /// Some step cannot run against the current data (see the `unexecutable` warnings).
    pub unexecutable: bool,
    /// A model or field disappeared and another of the same shape appeared, and no rename
    /// decision (`DiffOptions::renames`) says whether it is a rename. The plan drops and
    /// creates, as without a decision it must, and a caller that applies it must first have
    /// each candidate answered (see `MigrationPlan::decisions`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rename_candidates: Vec<RenameCandidate>,
}

impl MigrationPlan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every decision the plan needs before it may be applied, in a stable order: the rename
    /// candidates, then one decision per warning kind that needs consent (`data-loss`,
    /// `may-fail`, `unexecutable`), each with the warnings it stands for.
    pub fn decisions(&self) -> Vec<Decision> {
        let mut decisions: Vec<Decision> = self
            .rename_candidates
            .iter()
            .map(|candidate| Decision {
                code: candidate.decision_code(),
                message: candidate.message(),
                answers: vec![
                    format!("--rename {}", candidate.answer()),
                    format!("--no-rename {}", candidate.answer()),
                ],
                rename: Some(candidate.clone()),
                warnings: Vec::new(),
            })
            .collect();
        for kind in [
            WarningKind::DataLoss,
            WarningKind::MayFail,
            WarningKind::Unexecutable,
        ] {
            let warnings: Vec<String> = self
                .warnings
                .iter()
                .filter(|warning| warning.kind == kind)
                .map(|warning| warning.message.clone())
                .collect();
            if warnings.is_empty() {
                continue;
            }
            let (code, message, answer) = match kind {
                WarningKind::DataLoss => (
                    DecisionCode::DataLoss,
                    "The migration deletes data.",
                    "--accept-data-loss",
                ),
                WarningKind::MayFail => (
                    DecisionCode::MayFail,
                    "The migration may fail on the rows the database holds (it then rolls back).",
                    "--accept-may-fail",
                ),
                _ => (
                    DecisionCode::Unexecutable,
                    "The migration cannot run on the rows the database holds: write it with --create-only and edit its migration.sql.",
                    "--create-only",
                ),
            };
            decisions.push(Decision {
                code,
                message: message.to_string(),
                answers: vec![answer.to_string()],
                rename: None,
                warnings,
            });
        }
        decisions
    }

    /// Whether `migrate dev` must refuse to apply the plan (it may still write it with
    /// `--create-only`): a step cannot run on the rows the database holds, or a warning says
    /// the change "requires manual migration." (comon_orm's rule, kept word for word).
    pub fn requires_manual_migration(&self) -> bool {
        self.unexecutable
            || self.warnings.iter().any(|warning| {
                warning
                    .message
                    .trim_end()
                    .ends_with(MANUAL_MIGRATION_SUFFIX)
            })
    }
}

/// Whether a table or a column is a rename candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RenameKind {
    Model,
    Field,
}

/// A model (table) or field (column) of `previous` that has no counterpart in `next`, and one
/// of `next` of the same shape (the same columns; the same column type) that has none in
/// `previous`. Names are the schema's (model and field names), or the database's where the
/// side has none (an introspected schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenameCandidate {
    pub kind: RenameKind,
    /// For a field: the model it belongs to, by its name in `next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub previous: String,
    pub next: String,
}

impl RenameCandidate {
    /// What `--rename` and `--no-rename` take for this candidate: `Old=New` or
    /// `Model.old=new`.
    pub fn answer(&self) -> String {
        match &self.model {
            Some(model) => format!("{model}.{}={}", self.previous, self.next),
            None => format!("{}={}", self.previous, self.next),
        }
    }

    pub fn decision_code(&self) -> DecisionCode {
        match self.kind {
            RenameKind::Model => DecisionCode::RenameModel,
            RenameKind::Field => DecisionCode::RenameField,
        }
    }

    pub fn message(&self) -> String {
        match (&self.kind, &self.model) {
            (RenameKind::Field, Some(model)) => format!(
                "Field {model}.{} was removed and field {model}.{} of the same type was added: is it a rename?",
                self.previous, self.next
            ),
            _ => format!(
                "Model {} was removed and model {} with the same columns was added: is it a rename?",
                self.previous, self.next
            ),
        }
    }
}

/// The stable code of a decision a plan needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionCode {
    /// Is a removed model and an added one a rename (`--rename Old=New`) or not
    /// (`--no-rename Old=New`)?
    RenameModel,
    /// The same for a field (`--rename Model.old=new`, `--no-rename Model.old=new`).
    RenameField,
    /// The plan deletes data: `--accept-data-loss`.
    DataLoss,
    /// The plan may fail on the data (then rolls back): `--accept-may-fail`.
    MayFail,
    /// The plan cannot run on the data: only `--create-only` writes it, to be edited.
    Unexecutable,
}

impl DecisionCode {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionCode::RenameModel => "rename-model",
            DecisionCode::RenameField => "rename-field",
            DecisionCode::DataLoss => "data-loss",
            DecisionCode::MayFail => "may-fail",
            DecisionCode::Unexecutable => "unexecutable",
        }
    }
}

/// One decision a plan needs, with the flags that answer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub code: DecisionCode,
    pub message: String,
    /// The command-line flags that answer it, such as `--rename User=Account`.
    pub answers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rename: Option<RenameCandidate>,
    /// The messages of the warnings a consent decision stands for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// How a migration must be run, as data every runner follows in the same way (the native
/// runner, device-local upgrades, a JS runner over `plan()`): whether in one transaction, with
/// SQLite's foreign key enforcement off around it and checked before the commit, and which
/// tables it rebuilds. `crate::migrations::script` derives it from a script's statements, the
/// one place that reads SQL text, and for steps (a plan's) from the steps themselves
/// (`migration_script_of_steps`), which reads none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRequirements {
    pub transaction: TransactionRequirement,
    /// SQLite: `PRAGMA foreign_keys = OFF` before the transaction begins (inside a transaction
    /// the pragma does nothing) and back on after it ends, as SQLite's table rebuild procedure
    /// requires. The script's own foreign key pragmas are left out of its statements.
    pub sqlite_foreign_keys_off: bool,
    /// SQLite: `PRAGMA foreign_key_check` after the statements; a violation rolls back.
    pub foreign_key_check_before_commit: bool,
    /// Tables the script rebuilds. Dropping a table drops its triggers, partial and expression
    /// indexes; a script rendered from an introspected snapshot re-creates them itself, one
    /// rendered from schema text cannot know them. So the runner reads them from the live
    /// database just before the statement that drops the table, and after the statements
    /// re-creates those that do not exist again.
    pub rebuilt_tables: Vec<RebuiltTable>,
    /// Online DDL (PostgreSQL): the statements from this position on run after the statements
    /// before it committed, outside any transaction, one by one, each committed on its own
    /// (`CREATE INDEX CONCURRENTLY` cannot run in a transaction, and `VALIDATE CONSTRAINT` takes
    /// its weaker lock only when the stronger lock of `ADD CONSTRAINT` is no longer held). A
    /// `-- comon:after-commit` line in `migration.sql` marks where they start. `None`: every
    /// statement runs as `transaction` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_commit_from: Option<usize>,
    /// What must run before a statement of the online phase runs again after a lock timeout:
    /// a `CREATE INDEX CONCURRENTLY` cut short while it waited for older transactions leaves
    /// an INVALID index of its name behind, which is dropped first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before_retry: Vec<RetryPreparation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryPreparation {
    /// The position, in the script's statements, of the statement that may run again.
    pub statement: usize,
    pub sql: String,
}

impl ExecutionRequirements {
    /// What to run before `statement` runs again after a lock timeout, if anything.
    pub fn before_retry_of(&self, statement: usize) -> Option<&str> {
        self.before_retry
            .iter()
            .find(|preparation| preparation.statement == statement)
            .map(|preparation| preparation.sql.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionRequirement {
    /// The statements and the history row run in one transaction: all or nothing.
    Required,
    /// A statement cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`,
    /// `VACUUM`, ...): the statements run one by one, as written.
    Forbidden,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuiltTable {
    /// The table's name when the rebuild drops it and after the rebuild.
    pub table: String,
    /// The position, in the script's statements, of the statement that drops the old table.
    pub dropped_by_statement: usize,
}

/// The line of `migration.sql` after which the statements run after the commit, outside a
/// transaction, one by one (`ExecutionRequirements::after_commit_from`). Like sqlx's
/// `-- no-transaction`, it is a comment, so that the file still runs in `psql` as it is.
pub const AFTER_COMMIT_MARKER: &str = "-- comon:after-commit";

/// The sentence `migration.sql` shows under `AFTER_COMMIT_MARKER`, for the reviewer.
pub const AFTER_COMMIT_EXPLANATION: &str = "-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.";

/// The ending of comon_orm's warnings for changes it cannot make without a person.
pub const MANUAL_MIGRATION_SUFFIX: &str = "requires manual migration.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// Rows or values are deleted: dropped tables, columns, enum values, narrowing type changes.
    DataLoss,
    /// The step cannot succeed on the data the database holds (the caller gave row counts).
    Unexecutable,
    /// The step fails if the data does not fit (duplicates for a new unique index, NULLs for a
    /// new NOT NULL), or row counts were not given so it cannot be known.
    MayFail,
    /// A SQLite table is rebuilt: copied into a new table, which takes time on big tables.
    Rebuild,
    /// PostgreSQL: a statement holds an `ACCESS EXCLUSIVE` lock on a table that may have rows
    /// while it rewrites or scans the whole table, so every read and write of the table waits
    /// until it is done (a type change without a binary-compatible cast, a volatile default on
    /// a new column, a new primary key). The message says what it costs and the safer sequence.
    Blocking,
}

impl WarningKind {
    /// Whether the warning says the migration may lose data or fail, so that applying it needs
    /// consent. A rebuild or a blocking statement costs time and locks, and is only told.
    pub fn needs_consent(self) -> bool {
        match self {
            WarningKind::DataLoss | WarningKind::Unexecutable | WarningKind::MayFail => true,
            WarningKind::Rebuild | WarningKind::Blocking => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::DataLoss => "data-loss",
            WarningKind::Unexecutable => "unexecutable",
            WarningKind::MayFail => "may-fail",
            WarningKind::Rebuild => "rebuild",
            WarningKind::Blocking => "blocking",
        }
    }
}

/// One change to the database. Every variant can be rendered on the provider it was planned
/// for: the differ only emits what that provider can run, so rendering is an exhaustive match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum MigrationStep {
    /// `CREATE EXTENSION IF NOT EXISTS` (PostgreSQL), for the datasource's `extensions`.
    CreateExtension {
        extension: Extension,
    },
    RenameEnum {
        previous_name: String,
        next_name: String,
    },
    RenameEnumValue {
        enum_name: String,
        previous_value: String,
        next_value: String,
    },
    CreateEnum {
        enum_definition: Enum,
    },
    /// `ALTER TYPE ... ADD VALUE`, each value placed before its successor in the next order.
    AddEnumValues {
        enum_name: String,
        values: Vec<AddedEnumValue>,
    },
    /// On PostgreSQL, before anything that the constraint would block. `table` is the name the
    /// table has before the migration.
    DropForeignKey {
        table: String,
        foreign_key_name: String,
    },
    DropIndex {
        table: String,
        index_name: String,
    },
    RenameTable {
        previous_name: String,
        next_name: String,
    },
    AlterTable {
        table: String,
        changes: Vec<TableChange>,
    },
    /// Removing (or reordering) enum values: rename the old type to `previous_type_name`,
    /// create the new one, convert the columns that keep using it (by their names before the
    /// migration). A later `DropEnum` drops the old type.
    RecreateEnum {
        enum_definition: Enum,
        previous_type_name: String,
        usages: Vec<EnumUsage>,
    },
    CreateTable {
        table: Table,
    },
    /// SQLite: rebuild tables by the documented procedure (new table, copy, drop, rename).
    RebuildTables {
        rebuilds: Vec<TableRebuild>,
    },
    DropTable {
        table: String,
    },
    DropEnum {
        enum_name: String,
    },
    /// PostgreSQL renames in place; SQLite has no `ALTER INDEX`, so it drops and re-creates.
    RenameIndex {
        table: String,
        previous_name: String,
        index: Index,
    },
    /// A primary key or foreign key constraint renamed (PostgreSQL only).
    RenameConstraint {
        table: String,
        previous_name: String,
        next_name: String,
    },
    /// The sequence behind an identity column, renamed after its table or column so that it
    /// has the name building from empty gives (PostgreSQL only; skipped if it has another name).
    RenameSequence {
        previous_name: String,
        next_name: String,
    },
    CreateIndex {
        table: String,
        index: Index,
    },
    AddForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    /// Online DDL: a foreign key on a table that already exists, added `NOT VALID` (only new
    /// and changed rows are checked, so the brief `SHARE ROW EXCLUSIVE` lock does not wait for
    /// a scan); a `ValidateConstraint` after the commit checks the existing rows.
    AddForeignKeyNotValid {
        table: String,
        foreign_key: ForeignKey,
    },
    /// Online DDL: the first half of `SET NOT NULL` on an existing column, a
    /// `CHECK (column IS NOT NULL) NOT VALID` constraint named `check_name`; it is validated
    /// after the commit, then `SetNotNullFromCheck` uses it.
    AddNotNullCheck {
        table: String,
        column: String,
        check_name: String,
    },
    /// Online DDL, after the commit: `VALIDATE CONSTRAINT` scans the rows under a
    /// `SHARE UPDATE EXCLUSIVE` lock, which lets reads and writes go on.
    ValidateConstraint {
        table: String,
        constraint_name: String,
    },
    /// Online DDL, after the commit: `SET NOT NULL`, which PostgreSQL 12 and later proves from
    /// the validated check without scanning the table, then the check is dropped.
    SetNotNullFromCheck {
        table: String,
        column: String,
        check_name: String,
    },
    /// Online DDL, after the commit: `CREATE [UNIQUE] INDEX CONCURRENTLY` on a table that
    /// already exists, which lets reads and writes go on while it builds. A failed build leaves
    /// an INVALID index (`Index::invalid`), which `migrate status` and `deploy` report.
    CreateIndexConcurrently {
        table: String,
        index: Index,
    },
    /// Online DDL, after the commit: a foreign key that references a unique index the same
    /// migration builds with `CreateIndexConcurrently` (PostgreSQL refuses a foreign key
    /// whose referenced columns have no unique index yet), so it comes after the build: added
    /// `NOT VALID`, then `VALIDATE CONSTRAINT`, each on its own.
    AddForeignKeyAfterIndexBuild {
        table: String,
        foreign_key: ForeignKey,
        constraint_name: String,
    },
}

impl MigrationStep {
    /// Execution order. Order matters:
    /// renames of types come first, so later steps can use the next names; an enum that loses
    /// values is re-created before tables change, so that new columns and defaults already
    /// use the new type (its old type is dropped with the other enums, after the tables and
    /// columns still using it are gone); foreign keys and indexes are dropped before the
    /// tables and columns they depend on change; tables are dropped before renames, so a
    /// table can take a dropped table's name; indexes are renamed before new ones could
    /// take their names; foreign keys are added last, when every table they reference exists.
    pub fn phase(&self) -> u8 {
        match self {
            // Phase 0 with the enum renames: the differ pushes extensions first, and the sort
            // is stable.
            MigrationStep::CreateExtension { .. } | MigrationStep::RenameEnum { .. } => 0,
            MigrationStep::RenameEnumValue { .. } => 1,
            MigrationStep::CreateEnum { .. } => 2,
            MigrationStep::AddEnumValues { .. } => 3,
            MigrationStep::RecreateEnum { .. } => 4,
            MigrationStep::DropForeignKey { .. } => 5,
            MigrationStep::DropIndex { .. } => 6,
            MigrationStep::DropTable { .. } => 7,
            MigrationStep::RenameTable { .. } => 8,
            MigrationStep::AlterTable { .. } => 9,
            MigrationStep::CreateTable { .. } => 10,
            MigrationStep::RebuildTables { .. } => 11,
            MigrationStep::DropEnum { .. } => 12,
            MigrationStep::RenameIndex { .. } => 13,
            MigrationStep::RenameConstraint { .. } | MigrationStep::RenameSequence { .. } => 14,
            MigrationStep::CreateIndex { .. } => 15,
            MigrationStep::AddForeignKey { .. } | MigrationStep::AddForeignKeyNotValid { .. } => 16,
            MigrationStep::AddNotNullCheck { .. } => 17,
            MigrationStep::ValidateConstraint { .. } => 18,
            MigrationStep::SetNotNullFromCheck { .. } => 19,
            MigrationStep::CreateIndexConcurrently { .. } => 20,
            MigrationStep::AddForeignKeyAfterIndexBuild { .. } => 21,
        }
    }

    /// Whether the step belongs to the online phase that runs after the migration's
    /// transaction committed (see `ExecutionRequirements::after_commit_from`). These steps
    /// have the last phases, so in a plan they always come after every other step.
    pub fn runs_after_commit(&self) -> bool {
        matches!(
            self,
            MigrationStep::ValidateConstraint { .. }
                | MigrationStep::SetNotNullFromCheck { .. }
                | MigrationStep::CreateIndexConcurrently { .. }
                | MigrationStep::AddForeignKeyAfterIndexBuild { .. }
        )
    }

    /// A short description for summaries, such as `CreateTable User`.
    pub fn summary(&self) -> String {
        match self {
            MigrationStep::RenameEnum {
                previous_name,
                next_name,
            } => format!("RenameEnum {previous_name} -> {next_name}"),
            MigrationStep::RenameEnumValue {
                enum_name,
                previous_value,
                next_value,
            } => {
                format!("RenameEnumValue {enum_name}.{previous_value} -> {next_value}")
            }
            MigrationStep::CreateExtension { extension } => {
                format!("CreateExtension {}", extension.name)
            }
            MigrationStep::CreateEnum { enum_definition } => {
                format!("CreateEnum {}", enum_definition.name)
            }
            MigrationStep::AddEnumValues { enum_name, values } => format!(
                "AddEnumValues {enum_name} ({})",
                values
                    .iter()
                    .map(|value| value.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            MigrationStep::DropForeignKey {
                table,
                foreign_key_name,
            } => format!("DropForeignKey {table}.{foreign_key_name}"),
            MigrationStep::DropIndex { index_name, .. } => format!("DropIndex {index_name}"),
            MigrationStep::RenameTable {
                previous_name,
                next_name,
            } => format!("RenameTable {previous_name} -> {next_name}"),
            MigrationStep::AlterTable { table, changes } => {
                format!("AlterTable {table} ({} changes)", changes.len())
            }
            MigrationStep::RecreateEnum {
                enum_definition, ..
            } => format!("RecreateEnum {}", enum_definition.name),
            MigrationStep::CreateTable { table } => format!("CreateTable {}", table.name),
            MigrationStep::RebuildTables { rebuilds } => format!(
                "RebuildTables {}",
                rebuilds
                    .iter()
                    .map(|rebuild| rebuild.next.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            MigrationStep::DropTable { table } => format!("DropTable {table}"),
            MigrationStep::DropEnum { enum_name } => format!("DropEnum {enum_name}"),
            MigrationStep::RenameIndex {
                previous_name,
                index,
                ..
            } => format!("RenameIndex {previous_name} -> {}", index.name),
            MigrationStep::RenameConstraint {
                table,
                previous_name,
                next_name,
            } => {
                format!("RenameConstraint {table}.{previous_name} -> {next_name}")
            }
            MigrationStep::RenameSequence {
                previous_name,
                next_name,
            } => format!("RenameSequence {previous_name} -> {next_name}"),
            MigrationStep::CreateIndex { index, .. } => format!("CreateIndex {}", index.name),
            MigrationStep::AddForeignKey { table, foreign_key } => {
                format!(
                    "AddForeignKey {table}.{}",
                    foreign_key
                        .name
                        .as_deref()
                        .unwrap_or(&foreign_key.columns.join("_"))
                )
            }
            MigrationStep::AddForeignKeyNotValid { table, foreign_key } => {
                format!(
                    "AddForeignKeyNotValid {table}.{}",
                    foreign_key
                        .name
                        .as_deref()
                        .unwrap_or(&foreign_key.columns.join("_"))
                )
            }
            MigrationStep::AddNotNullCheck {
                table, check_name, ..
            } => format!("AddNotNullCheck {table}.{check_name}"),
            MigrationStep::ValidateConstraint {
                table,
                constraint_name,
            } => format!("ValidateConstraint {table}.{constraint_name}"),
            MigrationStep::SetNotNullFromCheck { table, column, .. } => {
                format!("SetNotNullFromCheck {table}.{column}")
            }
            MigrationStep::CreateIndexConcurrently { index, .. } => {
                format!("CreateIndexConcurrently {}", index.name)
            }
            MigrationStep::AddForeignKeyAfterIndexBuild {
                table,
                constraint_name,
                ..
            } => format!("AddForeignKeyAfterIndexBuild {table}.{constraint_name}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddedEnumValue {
    pub value: String,
    /// The existing value it goes before; `None` appends it.
    pub before: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnumUsage {
    /// The table and column names before the migration: the step runs before renames.
    pub table: String,
    pub column: String,
    pub is_array: bool,
    /// The column's default in the next schema, dropped before the conversion and set after.
    pub default: Option<ColumnDefault>,
}

/// A change inside one table, in the order they are listed in `AlterTable::changes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind",
    from = "TableChangeRecord"
)]
pub enum TableChange {
    RenameColumn {
        previous_name: String,
        next_name: String,
    },
    DropPrimaryKey {
        name: Option<String>,
    },
    DropColumn {
        name: String,
    },
    AddColumn {
        column: Column,
    },
    AlterColumn {
        previous: Column,
        next: Column,
        changes: ColumnChanges,
        /// How PostgreSQL converts the values when the type changes, decided by the differ;
        /// `None` when the type does not change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        type_cast: Option<ColumnTypeCast>,
    },
    AddPrimaryKey {
        primary_key: PrimaryKey,
    },
}

/// `TableChange` as it is read: steps written before the type cast was recorded, or built by
/// hand, may leave `typeCast` out of an `alterColumn`, which then gets the cast the differ
/// would have recorded.
#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
enum TableChangeRecord {
    RenameColumn {
        previous_name: String,
        next_name: String,
    },
    DropPrimaryKey {
        name: Option<String>,
    },
    DropColumn {
        name: String,
    },
    AddColumn {
        column: Column,
    },
    AlterColumn {
        previous: Column,
        next: Column,
        changes: ColumnChanges,
        #[serde(default)]
        type_cast: Option<ColumnTypeCast>,
    },
    AddPrimaryKey {
        primary_key: PrimaryKey,
    },
}

impl From<TableChangeRecord> for TableChange {
    fn from(record: TableChangeRecord) -> TableChange {
        match record {
            TableChangeRecord::RenameColumn {
                previous_name,
                next_name,
            } => TableChange::RenameColumn {
                previous_name,
                next_name,
            },
            TableChangeRecord::DropPrimaryKey { name } => TableChange::DropPrimaryKey { name },
            TableChangeRecord::DropColumn { name } => TableChange::DropColumn { name },
            TableChangeRecord::AddColumn { column } => TableChange::AddColumn { column },
            TableChangeRecord::AlterColumn {
                previous,
                next,
                changes,
                type_cast,
            } => {
                let type_cast = match type_cast {
                    Some(type_cast) => Some(type_cast),
                    None if changes.column_type => Some(
                        postgresql::type_cast(&previous.column_type, &next.column_type)
                            .unwrap_or(ColumnTypeCast::Explicit),
                    ),
                    None => None,
                };
                TableChange::AlterColumn {
                    previous,
                    next,
                    changes,
                    type_cast,
                }
            }
            TableChangeRecord::AddPrimaryKey { primary_key } => {
                TableChange::AddPrimaryKey { primary_key }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnChanges {
    pub column_type: bool,
    pub nullability: bool,
    pub default: bool,
    pub auto_increment: bool,
}

impl ColumnChanges {
    pub fn any(&self) -> bool {
        self.column_type || self.nullability || self.default || self.auto_increment
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRebuild {
    /// The table as it is before, under its previous name.
    pub previous_name: String,
    pub next: Table,
    /// `(next column, previous column)` pairs whose values are copied.
    pub copied_columns: Vec<(String, String)>,
    /// The previous table's triggers, partial and expression indexes (from an introspected
    /// `previous`), re-created after the rename: dropping the old table dropped them. Empty
    /// when `previous` came from schema text, or when the table is also renamed in this
    /// migration (their text names the table by its old name; the runners re-create those
    /// from the live database, see `ExecutionRequirements::rebuilt_tables`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recreated_dependents: Vec<TableDependent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn altered_column(previous_type: &str, next_type: &str) -> (Column, Column) {
        let column = |type_name: &str| Column {
            name: "value".to_string(),
            field_name: Some("value".to_string()),
            schema_type: None,
            column_type: crate::database_schema::ColumnType::native(type_name),
            nullable: false,
            default: None,
            auto_increment: false,
            serial: false,
        };
        (column(previous_type), column(next_type))
    }

    #[test]
    fn an_alter_column_read_without_its_cast_gets_the_one_the_differ_records() {
        let (previous, next) = altered_column("text", "integer");
        let recorded = TableChange::AlterColumn {
            previous,
            next,
            changes: ColumnChanges {
                column_type: true,
                ..ColumnChanges::default()
            },
            type_cast: Some(ColumnTypeCast::Explicit),
        };
        let mut json = serde_json::to_value(&recorded).unwrap();
        assert_eq!(json["typeCast"], "explicit");
        json.as_object_mut().unwrap().remove("typeCast");
        let read: TableChange = serde_json::from_value(json).unwrap();
        assert_eq!(read, recorded);
    }

    #[test]
    fn an_alter_column_without_a_type_change_has_no_cast() {
        let (previous, next) = altered_column("text", "text");
        let change = TableChange::AlterColumn {
            previous,
            next,
            changes: ColumnChanges {
                nullability: true,
                ..ColumnChanges::default()
            },
            type_cast: None,
        };
        let json = serde_json::to_value(&change).unwrap();
        assert!(json.get("typeCast").is_none());
        assert_eq!(serde_json::from_value::<TableChange>(json).unwrap(), change);
    }
}
