//! The differ: `previous` and `next` database schemas in, a plan (steps + warnings) out.
//!
//! Everything is matched through hash maps, never by comparing every pair, so planning time
//! grows linearly with the schema. Tables, columns and enums are matched first by their schema
//! identity (`model_name`, `field_name`, `prisma_name`), then by database name: a changed
//! `@@map`/`@map` on an unchanged model or field is therefore a rename, never a drop and create.

mod defaults;
mod enums;
pub(crate) mod online;
mod renames;
mod tables;

use crate::collections::{HashMap, HashSet};

use crate::database_schema::{DatabaseSchema, Table};
use crate::error::SchemaError;
use crate::plan::{MigrationPlan, MigrationStep, Warning, WarningKind};
use crate::provider::Provider;

pub use defaults::defaults_are_equal;

/// What the caller knows about the database the plan will run on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// Rows per table (by the table's name in `previous`). With counts, a step that cannot run
    /// on a table with rows is flagged `unexecutable`, and warnings about empty tables are
    /// dropped; without them, such steps get a `may-fail` warning.
    pub row_counts: Option<std::collections::HashMap<String, u64>>,
    /// Whether changes to PostgreSQL tables that already exist use the online forms (on by
    /// default): indexes built `CONCURRENTLY`, foreign keys added `NOT VALID` and validated,
    /// `SET NOT NULL` proven by a validated check, the slow parts after the migration's
    /// transaction committed. Off is for databases nobody else uses (dev, CI), where the
    /// plain forms are shorter and all of the migration stays in one transaction.
    pub online_ddl: OnlineDdl,
    /// Answers to rename candidates (`MigrationPlan::rename_candidates`): a model or field of
    /// `previous` that `next` does not have is the named one of `next` (`renamed`), or is
    /// not (the candidate is then not reported again). A decision whose pair is done already
    /// (both sides have the new name and not the old one, as after the migration that made
    /// it) answers nothing and is accepted, so that a job can pass the same answers on every
    /// run. Any other decision that names no such pair is the error
    /// `rename-decision-unmatched`, so that a typo never goes unnoticed.
    pub renames: Vec<RenameDecision>,
}

/// One answer to a rename candidate: `Old=New` for a model, `Model.old=new` for a field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenameDecision {
    /// For a field: its model, by its name in `previous` or in `next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub previous: String,
    pub next: String,
    /// `true`: it is a rename; `false`: it is not (drop and create).
    pub renamed: bool,
}

impl RenameDecision {
    /// Reads `Old=New` (a model) or `Model.old=new` (a field), as `--rename` and
    /// `--no-rename` take them; the error has the code `invalid-rename-decision`.
    pub fn parse(text: &str, renamed: bool) -> Result<RenameDecision, SchemaError> {
        let invalid = || {
            SchemaError::new(
                "invalid-rename-decision",
                format!("`{text}` is not a rename decision: write `OldModel=NewModel` for a model or `Model.oldField=newField` for a field."),
                None,
            )
        };
        let (left, next) = text.split_once('=').ok_or_else(invalid)?;
        let (model, previous) = match left.split_once('.') {
            Some((model, previous)) => (Some(model.trim().to_string()), previous.trim()),
            None => (None, left.trim()),
        };
        let next = next.trim();
        let is_name = |name: &str| {
            !name.is_empty() && !name.contains(['.', '=']) && !name.contains(char::is_whitespace)
        };
        if !is_name(previous)
            || !is_name(next)
            || model.as_deref().is_some_and(|model| !is_name(model))
        {
            return Err(invalid());
        }
        Ok(RenameDecision {
            model,
            previous: previous.to_string(),
            next: next.to_string(),
            renamed,
        })
    }

    /// The decision as `--rename` or `--no-rename` spells it.
    pub fn flag(&self) -> String {
        let pair = match &self.model {
            Some(model) => format!("{model}.{}={}", self.previous, self.next),
            None => format!("{}={}", self.previous, self.next),
        };
        match self.renamed {
            true => format!("--rename {pair}"),
            false => format!("--no-rename {pair}"),
        }
    }
}

/// See `DiffOptions::online_ddl`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnlineDdl {
    #[default]
    On,
    Off,
}

/// Plans the migration from `previous` to `next`.
pub fn diff(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    options: &DiffOptions,
) -> Result<MigrationPlan, SchemaError> {
    if previous.provider != next.provider {
        return Err(SchemaError::new(
            "provider-mismatch",
            format!(
                "Cannot plan from a {} schema to a {} schema.",
                previous.provider, next.provider
            ),
            None,
        ));
    }
    let mut differ = Differ {
        provider: next.provider,
        options,
        steps: Vec::new(),
        warnings: Vec::new(),
        unexecutable: false,
        requires_rebuild: false,
        table_rebuilds: Vec::new(),
        previous_schema: previous,
        rename_decision_used: vec![false; options.renames.len()],
        rename_candidates: Vec::new(),
        swapped_join_tables: HashSet::default(),
        rename_shapes_use_schema_types: renames::carries_schema_types(previous)
            && renames::carries_schema_types(next),
    };
    // Extensions first: the types and functions they bring may be used by what follows. One a
    // schema requests and `previous` lacks is created (IF NOT EXISTS); one `next` does not name
    // is left alone, since it may serve more than this schema, and one only found installed in
    // `next` (a database) is no step either.
    for extension in next
        .extensions
        .iter()
        .filter(|extension| extension.requested)
    {
        if !previous
            .extensions
            .iter()
            .any(|installed| installed.name == extension.name)
        {
            differ.steps.push(MigrationStep::CreateExtension {
                extension: extension.clone(),
            });
        }
    }
    let enum_pairing = enums::diff_enums(&mut differ, previous, next);
    tables::diff_tables(&mut differ, previous, next, &enum_pairing);
    let Differ {
        provider,
        mut steps,
        warnings,
        unexecutable,
        requires_rebuild,
        table_rebuilds,
        rename_decision_used,
        rename_candidates,
        ..
    } = differ;
    if let Some(unmatched) = options
        .renames
        .iter()
        .zip(&rename_decision_used)
        .find(|(decision, used)| !**used && !renames::decision_is_done(previous, next, decision))
        .map(|(decision, _)| decision)
    {
        let what = match &unmatched.model {
            Some(model) => format!(
                "no field {model}.{} is removed while a field {model}.{} is added",
                unmatched.previous, unmatched.next
            ),
            None => format!(
                "no model {} is removed while a model {} is added",
                unmatched.previous, unmatched.next
            ),
        };
        return Err(SchemaError::new(
            "rename-decision-unmatched",
            format!("The decision `{}` answers nothing: {what} in this change (or another decision already paired one of them).", unmatched.flag()),
            None,
        ));
    }
    // All rebuilds share one step, so the foreign key pragmas wrap them once.
    if !table_rebuilds.is_empty() {
        steps.push(MigrationStep::RebuildTables {
            rebuilds: table_rebuilds,
        });
    }
    // A stable sort keeps the differ's order inside each phase, which is deterministic.
    steps.sort_by_key(MigrationStep::phase);
    Ok(MigrationPlan {
        provider,
        steps,
        warnings,
        requires_rebuild,
        unexecutable,
        rename_candidates,
    })
}

pub(crate) struct Differ<'options> {
    pub provider: Provider,
    pub options: &'options DiffOptions,
    pub steps: Vec<MigrationStep>,
    pub warnings: Vec<Warning>,
    pub unexecutable: bool,
    pub requires_rebuild: bool,
    pub table_rebuilds: Vec<crate::plan::TableRebuild>,
    /// For what belongs to the previous tables outside the tables themselves (their dependents).
    pub previous_schema: &'options DatabaseSchema,
    /// Which of `options.renames` paired something (or declined a pair that was there).
    pub rename_decision_used: Vec<bool>,
    pub rename_candidates: Vec<crate::plan::RenameCandidate>,
    /// Previous join tables of implicit many-to-many relations whose columns `A` and `B` swap,
    /// because a model rename changed which model name sorts first (see `renames.rs`).
    pub swapped_join_tables: HashSet<String>,
    /// Whether rename candidates compare schema types (`Column::schema_type`): only when
    /// both sides come from schema text.
    pub rename_shapes_use_schema_types: bool,
}

impl Differ<'_> {
    /// Whether changes to tables that already exist take their online forms.
    pub fn online_ddl(&self) -> bool {
        self.provider == Provider::Postgresql && self.options.online_ddl == OnlineDdl::On
    }

    pub fn warn(&mut self, kind: WarningKind, message: String) {
        if kind == WarningKind::Unexecutable {
            self.unexecutable = true;
        }
        if kind == WarningKind::Rebuild {
            self.requires_rebuild = true;
        }
        self.warnings.push(Warning { kind, message });
    }

    /// `Some(count)` when the caller gave row counts.
    pub fn row_count(&self, previous_table: &str) -> Option<u64> {
        self.options
            .row_counts
            .as_ref()
            .map(|counts| counts.get(previous_table).copied().unwrap_or(0))
    }

    /// Whether a table may hold rows: unknown counts mean it may.
    pub fn may_have_rows(&self, previous_table: &str) -> bool {
        self.row_count(previous_table).is_none_or(|count| count > 0)
    }

    /// Warns about a step that fails when the table has rows: unexecutable when the caller
    /// says it has rows, a `may-fail` warning when nobody knows, nothing when it is empty.
    pub fn warn_if_rows(&mut self, previous_table: &str, message: String) {
        match self.row_count(previous_table) {
            Some(0) => {}
            Some(_) => self.warn(WarningKind::Unexecutable, message),
            None => self.warn(WarningKind::MayFail, message),
        }
    }
}

/// Pairs items of `previous` and `next`: first by identity (both `Some` and equal), then the
/// rest by name. Returns the pairs as indexes, and the unpaired indexes of each side.
pub(crate) fn pair_items<T>(
    previous: &[T],
    next: &[T],
    identity: impl Fn(&T) -> Option<&str>,
    name: impl Fn(&T) -> &str,
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut pairs = Vec::new();
    let mut previous_taken = vec![false; previous.len()];
    let mut next_taken = vec![false; next.len()];
    let previous_by_identity: HashMap<&str, usize> = previous
        .iter()
        .enumerate()
        .filter_map(|(position, item)| identity(item).map(|key| (key, position)))
        .collect();
    for (next_position, item) in next.iter().enumerate() {
        if let Some(key) = identity(item) {
            if let Some(&previous_position) = previous_by_identity.get(key) {
                if !previous_taken[previous_position] {
                    previous_taken[previous_position] = true;
                    next_taken[next_position] = true;
                    pairs.push((previous_position, next_position));
                }
            }
        }
    }
    let previous_by_name: HashMap<&str, usize> = previous
        .iter()
        .enumerate()
        .filter(|(position, _)| !previous_taken[*position])
        .map(|(position, item)| (name(item), position))
        .collect();
    for (next_position, item) in next.iter().enumerate() {
        if next_taken[next_position] {
            continue;
        }
        if let Some(&previous_position) = previous_by_name.get(name(item)) {
            if !previous_taken[previous_position] {
                previous_taken[previous_position] = true;
                next_taken[next_position] = true;
                pairs.push((previous_position, next_position));
            }
        }
    }
    pairs.sort_by_key(|(_, next_position)| *next_position);
    let previous_only = (0..previous.len())
        .filter(|position| !previous_taken[*position])
        .collect();
    let next_only = (0..next.len())
        .filter(|position| !next_taken[*position])
        .collect();
    (pairs, previous_only, next_only)
}

/// How the tables of the two sides correspond, for mapping names in keys and constraints.
pub(crate) struct TablePairing<'schemas> {
    pub pairs: Vec<(&'schemas Table, &'schemas Table)>,
    /// Previous table name to next table name.
    pub next_table_name: HashMap<&'schemas str, &'schemas str>,
    /// Previous table name to (previous column name to next column name).
    pub next_column_name: HashMap<&'schemas str, HashMap<&'schemas str, &'schemas str>>,
    /// Next tables whose primary key changes, so foreign keys pointing at them are re-created.
    pub tables_with_changed_primary_key: HashSet<&'schemas str>,
    /// `(next table, next column)` whose type changes.
    pub columns_with_changed_type: HashSet<(&'schemas str, &'schemas str)>,
}
