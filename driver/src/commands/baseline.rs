//! `migrate baseline`: adopts a database that has tables but no migration history. It writes
//! the whole schema, planned from an empty database, as the first migration folder and records
//! that folder as applied without running it, so that the history replays on an empty database
//! and `migrate dev` can plan the next change from it.

use super::dev::{new_migration_timestamp, TargetSchema};
use super::{difference_from_schema, with_history_locked, Event, Interaction, MigrationsFolder};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::flavour::ProjectFlavour;
use crate::history_rows::apply_row;
use crate::local_folders::{require_complete, LocalMigrations};
use crate::prisma_folders::schema_built_by_prisma_folders;
use planner::database_schema::from_data_model::database_schema_from_data_model_in_flavour;
use planner::database_schema::to_prisma::render_prisma_schema;
use planner::migrations::drift::{describe_differences, DifferenceSides};
use planner::migrations::{migration_folder_name, schema_text_without_passwords, MigrationDraft};
use planner::{plan_migration, render_plan, DatabaseSchema, DiffOptions, OnlineDdl};
use std::time::SystemTime;

/// The name of the baseline folder when none is given: `<UTC yyyymmddHHMMSS>_baseline`.
pub const DEFAULT_BASELINE_NAME: &str = "baseline";

pub struct BaselineInput<'a> {
    /// The schema the database must already match; the baseline records it.
    pub schema: TargetSchema<'a>,
    /// `--name`, by default `baseline`.
    pub name: String,
    /// The current time, for the folder name and `metadata.txt`.
    pub now: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineReport {
    pub folder_name: String,
    /// The folder as messages show it.
    pub folder_path: String,
    pub statement_count: usize,
    /// The tables the baseline describes, in the schema's order.
    pub table_names: Vec<String>,
    /// In a Prisma project whose folder already holds migrations: the folders recorded as
    /// applied, in order (no folder was written then; `folder_name` is the last of them).
    pub existing_folders_recorded: Vec<String>,
}

/// The words the drift refusal uses for its two sides.
const DATABASE_AND_SCHEMA: DifferenceSides<'static> = DifferenceSides {
    previous: "the database",
    next: "the schema",
};

pub fn baseline(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    input: BaselineInput<'_>,
) -> Result<BaselineReport, CommandError> {
    with_history_locked(backend, interaction, |backend, interaction| {
        baseline_with_lock(backend, folder, interaction, input)
    })
}

fn baseline_with_lock(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    input: BaselineInput<'_>,
) -> Result<BaselineReport, CommandError> {
    let provider = backend.provider();
    let migrations_directory = folder.location();
    let history = backend.load_history()?;
    if !history.is_empty() {
        return Err(CommandError::refused(
            "baseline-history-exists",
            format!(
                "The database already has a migration history (its first row is `{}`): a baseline is only for a database that has none. Run `comon migrate status` to see how the history and {migrations_directory} compare.",
                history[0].name
            ),
        ));
    }
    let local = folder.read(provider)?;
    let prisma = folder.flavour() == ProjectFlavour::Prisma;
    if prisma && !local.migrations.is_empty() && local.invalid.is_empty() {
        return record_existing_prisma_folders(backend, folder, interaction, &local);
    }
    let existing: Vec<&str> = local
        .migrations
        .iter()
        .map(|migration| migration.name.as_str())
        .chain(local.invalid.iter().map(|invalid| invalid.name.as_str()))
        .collect();
    if let Some(first) = existing.first() {
        return Err(CommandError::refused(
            "baseline-migrations-exist",
            format!(
                "{migrations_directory} already holds migrations ({}): a baseline must be the first one. If the database already holds what `{first}` creates, record it without running it: `comon migrate resolve --applied {first}`, then `comon migrate deploy` applies the rest.",
                existing.join(", ")
            ),
        ));
    }

    let target = database_schema_from_data_model_in_flavour(
        input.schema.data_model,
        folder.flavour().planner_flavour(),
    );
    let live = backend.introspect()?;
    if live.tables.is_empty() && live.enums.is_empty() {
        return Err(CommandError::refused(
            "baseline-empty-database",
            "The database has no tables, so there is nothing to baseline. Run `comon migrate dev` to create and apply the first migration.",
        ));
    }
    // A baseline is recorded as applied without running it: it must describe the database
    // exactly, or every later migration would be planned from a schema the database lacks.
    let drift = plan_migration(&live, &target, &DiffOptions::default())
        .map_err(|error| CommandError::refused("provider-mismatch", error.to_string()))?;
    if !drift.is_empty() {
        let schema_path = input.schema.path;
        let differences: String = describe_differences(&live, &drift, DATABASE_AND_SCHEMA)
            .iter()
            .map(|difference| format!("\n  - {difference}"))
            .collect();
        return Err(CommandError::refused(
            "baseline-drift",
            format!(
                "The database does not match {schema_path}, so a baseline of the schema would not describe it. The database differs:{differences}\nChange {schema_path} to match the database (`comon db pull` writes the database's schema into it), then run `comon migrate baseline` again. Nothing was written or recorded."
            ),
        ));
    }

    // A Prisma folder's script runs as one multi-statement script: plain DDL only (from an
    // empty database there is nothing to build online anyway).
    let options = DiffOptions {
        online_ddl: match prisma {
            true => OnlineDdl::Off,
            false => OnlineDdl::On,
        },
        ..DiffOptions::default()
    };
    let from_empty = plan_migration(&DatabaseSchema::empty(provider), &target, &options)
        .map_err(|error| CommandError::refused("provider-mismatch", error.to_string()))?;
    let rendered = render_plan(&from_empty);
    let generated_at = new_migration_timestamp(input.now, &[]);
    let folder_name = migration_folder_name(&generated_at, &input.name)
        .map_err(|error| CommandError::usage(error.message))?;
    let draft = MigrationDraft {
        name: folder_name.clone(),
        generated_at,
        provider,
        // What `migrate dev` writes as the previous side of a first migration on an empty
        // database, so that a baseline folder reads like any first migration.
        before_schema: render_prisma_schema(&DatabaseSchema::empty(provider)),
        // A literal datasource URL's password stays out of the committed files.
        after_schema: schema_text_without_passwords(input.schema.source),
        migration_sql: rendered.sql,
        statement_count: rendered.statements.len(),
        warnings: from_empty
            .warnings
            .iter()
            .map(|warning| warning.message.clone())
            .collect(),
        rebuild_required: from_empty.requires_rebuild,
    };
    let folder_path = folder.write(&draft)?;
    // `prisma migrate resolve --applied`, the second half of Prisma's baseline procedure,
    // records no applied steps; comon_orm's row counts the statements.
    let recorded_statements = match prisma {
        true => 0,
        false => draft.statement_count,
    };
    record_as_applied(backend, folder, &folder_name, recorded_statements).map_err(|error| {
        error.with_advice(&format!(
            "The folder {folder_path} was written but not recorded as applied: run `comon migrate resolve --applied {folder_name}` once the cause is fixed."
        ))
    })?;
    Ok(BaselineReport {
        folder_name,
        folder_path,
        statement_count: draft.statement_count,
        table_names: target
            .tables
            .iter()
            .map(|table| table.name.clone())
            .collect(),
        existing_folders_recorded: Vec::new(),
    })
}

/// A Prisma project whose folders were applied by hand (their SQL run without
/// `_prisma_migrations` rows, as `prisma db execute` or psql leave it): when the database is
/// exactly what the folders build, each folder is recorded as applied, in order, as
/// `prisma migrate resolve --applied` records it, which is Prisma's own way out of this case.
/// A database that differs, or folders whose schema is not known, are refused with nothing
/// recorded.
fn record_existing_prisma_folders(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    local: &LocalMigrations,
) -> Result<BaselineReport, CommandError> {
    let provider = backend.provider();
    let names: Vec<&str> = local
        .migrations
        .iter()
        .map(|migration| migration.name.as_str())
        .collect();
    let built = schema_built_by_prisma_folders(backend, local, names.iter().copied())
        .map_err(|unknown| {
            unknown.refusal("baseline").with_advice(&format!(
                "To record the folders without comon checking them, run `comon migrate resolve --applied <folder>` for each, oldest first ({} first).",
                names[0]
            ))
        })?;
    if let Some(notice) = built.replay_notice() {
        interaction.event(Event::SchemaReplayed { notice: &notice });
    }
    let built = built.schema;
    if let Some(difference) = difference_from_schema(backend, &built)? {
        let differences: String = describe_differences(
            &difference.live,
            &difference.plan,
            DifferenceSides {
                previous: "the database",
                next: "what the migrations build",
            },
        )
        .iter()
        .map(|difference| format!("\n  - {difference}"))
        .collect();
        return Err(CommandError::refused(
            "baseline-drift",
            format!(
                "The database is not what the {} migrations in {} build, so they cannot be recorded as applied. The database differs:{differences}\nApply the missing changes (or `comon migrate resolve --applied <folder>` the folders it does hold, oldest first, then `comon migrate deploy`). Nothing was recorded.",
                names.len(),
                folder.location()
            ),
        ));
    }
    for migration in &local.migrations {
        backend.insert_history_row(&apply_row(provider, migration, 0))?;
    }
    let last = names[names.len() - 1].to_string();
    Ok(BaselineReport {
        folder_name: last,
        folder_path: folder.location(),
        statement_count: 0,
        table_names: built
            .tables
            .iter()
            .map(|table| table.name.clone())
            .collect(),
        existing_folders_recorded: names.iter().map(|name| name.to_string()).collect(),
    })
}

/// Records the folder as written and read back, exactly as `migrate resolve --applied` would
/// record it: its snapshots and checksum, no SQL run.
fn record_as_applied(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    folder_name: &str,
    statement_count: usize,
) -> Result<(), CommandError> {
    let provider = backend.provider();
    let written = folder.read(provider)?;
    require_complete(&written)?;
    let migration = written.find(folder_name).ok_or_else(|| {
        CommandError::refused(
            "migration-not-found",
            format!(
                "Migration {folder_name} was not found in {}.",
                folder.location()
            ),
        )
    })?;
    backend.insert_history_row(&apply_row(provider, migration, statement_count))?;
    Ok(())
}
