//! `migrate dev`: applies pending migrations, then plans the schema's changes from what the
//! history describes, writes them as a new migration folder, and applies it.

use super::decisions::{
    decisions_required, needs_consent, pending_decisions, plan_with_rename_decisions, Decisions,
};
use super::deploy::{apply_local_migration, deploy_pending};
use super::{
    difference_from_schema, history_schema, with_history_locked, Event, Interaction,
    MigrationsFolder, Question,
};
use crate::apply::{describe_difference, RunOutcome};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::expected_schema::HistorySchema;
use crate::flavour::ProjectFlavour;
use crate::local_folders::{require_complete, LocalMigrations};
use crate::prisma_folders::schema_built_by_prisma_folders;
use planner::database_schema::from_data_model::database_schema_from_data_model_in_flavour;
use planner::database_schema::to_prisma::render_prisma_schema;
use planner::migrations::status::LOCAL_MIGRATION_NOT_APPLIED;
use planner::migrations::{
    compute_status, migration_folder_name, replay_history, schema_text_without_passwords,
    HistoryReplay, MigrationDraft, StatusInput, UtcTimestamp,
};
use planner::schema_language::data_model::DataModel;
use planner::{render_plan, DatabaseSchema, DiffOptions, OnlineDdl};
use std::time::{Duration, Instant, SystemTime};

/// The schema file a command makes the database match.
pub struct TargetSchema<'a> {
    /// The file as messages show it.
    pub path: &'a str,
    /// Its text, recorded as the new migration's `after.prisma`.
    pub source: &'a str,
    /// Its validated model.
    pub data_model: &'a DataModel,
}

pub struct DevInput<'a> {
    pub schema: TargetSchema<'a>,
    /// `--name`; asked through `Interaction::migration_name` when `None` and a migration is
    /// needed.
    pub name: Option<String>,
    /// `--create-only`: write the folder, do not apply it.
    pub create_only: bool,
    /// The current time, for the folder name and `metadata.txt`.
    pub now: SystemTime,
    /// On by default: the migration written is what `migrate deploy` runs on production, so
    /// it holds the online forms; `--no-online-ddl` writes the plain ones.
    pub online_ddl: OnlineDdl,
    /// The answers given on the command line: renames, consent to data loss (see
    /// `commands/decisions.rs`).
    pub decisions: Decisions,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevReport {
    /// The schema already matches what the history describes: no migration was made.
    AlreadyInSync,
    /// `--create-only`: the folder was written and not applied.
    Created { folder_name: String },
    /// The folder was written and applied.
    Applied {
        folder_name: String,
        elapsed: Duration,
        outcome: RunOutcome,
    },
}

pub fn dev(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    input: DevInput<'_>,
) -> Result<DevReport, CommandError> {
    with_history_locked(backend, interaction, |backend, interaction| {
        dev_with_lock(backend, folder, interaction, input)
    })
}

fn dev_with_lock(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    input: DevInput<'_>,
) -> Result<DevReport, CommandError> {
    let provider = backend.provider();
    let migrations_directory = folder.location();
    let local = folder.read(provider)?;
    deploy_pending(backend, &migrations_directory, &local, true, interaction).map_err(|error| {
        advise_on_failed_folder(error, "A pending migration folder does not apply")
    })?;

    let replay = replay_history(&backend.load_history()?);
    // A Prisma folder has no snapshots: what its history describes is what its SQL builds,
    // checked against the database once the folder and the history agree (below).
    let prisma = folder.flavour() == ProjectFlavour::Prisma;
    let latest_snapshot = match prisma {
        true => None,
        false => history_schema(backend)?,
    };
    if let Some(HistorySchema {
        latest_name,
        schema,
        ..
    }) = &latest_snapshot
    {
        refuse_drift(backend, latest_name, schema, Some(&migrations_directory))?;
    }
    let status = compute_status(&StatusInput {
        replay: &replay,
        local_migrations: &local.migrations,
        invalid_local_migrations: &local.invalid,
        migrations_directory: &migrations_directory,
        drift_since: None,
        drift_differences: &[],
    });
    let blocking: Vec<_> = status
        .issues
        .iter()
        .filter(|issue| issue.code != LOCAL_MIGRATION_NOT_APPLIED)
        .cloned()
        .collect();
    if !blocking.is_empty() {
        interaction.event(Event::HistoryIssues(&blocking));
        return Err(CommandError::refused(
            "history-drift",
            "Migration history drift detected. Resolve it or run migrate reset before migrate dev.",
        ));
    }

    let prisma_previous = match prisma {
        true => schema_of_applied_prisma_folders(backend, interaction, &local, &replay)?,
        false => None,
    };

    let target = database_schema_from_data_model_in_flavour(
        input.schema.data_model,
        folder.flavour().planner_flavour(),
    );
    let live = backend.introspect()?;
    if replay.active.is_empty() && (!live.tables.is_empty() || !live.enums.is_empty()) {
        // A first migration planned from these tables would be a delta that no empty database
        // can replay (and `migrate reset` would then wipe the database and fail).
        let schema_path = input.schema.path;
        return Err(CommandError::refused(
            "baseline-required",
            format!(
                "The database already has tables ({}) but no migration history, so a first migration made now would only hold the difference and could never be replayed on an empty database. Baseline it first: `comon migrate baseline` checks that the database matches {schema_path}, writes the whole schema as the first migration in {migrations_directory} and records it as already applied here; then run `migrate dev` again.",
                live.tables.iter().map(|table| table.name.as_str()).collect::<Vec<_>>().join(", "),
            ),
        ));
    }
    // Planning from the recorded snapshot rather than the introspected database keeps the
    // schema-side names, so that a changed @map or @@map is planned as a rename.
    let (previous, before_schema_text) = match (&latest_snapshot, prisma_previous) {
        (Some(described), _) => (described.schema.clone(), described.text.clone()),
        (None, Some(built)) => {
            let text = render_prisma_schema(&built);
            (built, text)
        }
        (None, None) => (live.clone(), render_prisma_schema(&live)),
    };
    let row_counts = Some(backend.row_counts()?);
    // Prisma runs a migration's script as one multi-statement script, where an online phase
    // after the commit (CREATE INDEX CONCURRENTLY, say) cannot run: a Prisma folder holds the
    // plain DDL.
    let online_ddl = match prisma {
        true => OnlineDdl::Off,
        false => input.online_ddl,
    };
    let options = DiffOptions {
        row_counts,
        online_ddl,
        renames: input.decisions.renames.clone(),
    };
    let plan = plan_with_rename_decisions(&previous, &target, options, interaction)?;
    // With --create-only an empty plan still writes a migration, for hand-written SQL (as
    // `prisma migrate dev --create-only` writes an empty one).
    if plan.is_empty() && !input.create_only {
        return Ok(DevReport::AlreadyInSync);
    }
    interaction.event(Event::MigrationPlanned { plan: &plan });
    // Everything nobody can answer now is reported at once, before a name is asked for, so
    // that CI or an agent answers it all in the next run.
    let pending = pending_decisions(
        &plan,
        &input.decisions,
        input.create_only,
        interaction.can_confirm(),
    );
    if !pending.is_empty() {
        return Err(decisions_required(pending, &plan));
    }

    let name = match input.name {
        Some(name) => name,
        None => interaction.migration_name()?,
    };
    let existing_folder_names: Vec<&str> = local
        .migrations
        .iter()
        .map(|migration| migration.name.as_str())
        .chain(local.invalid.iter().map(|invalid| invalid.name.as_str()))
        .collect();
    let generated_at = new_migration_timestamp(input.now, &existing_folder_names);
    let folder_name = migration_folder_name(&generated_at, &name)
        .map_err(|error| CommandError::usage(error.message))?;
    interaction.event(Event::PlanWarnings(&plan.warnings));
    if plan.requires_manual_migration() && !input.create_only {
        return Err(CommandError::refused(
            "manual-migration-required",
            format!(
                "This migration cannot be applied as generated. Run `comon migrate dev --create-only --name {name}`, edit its migration.sql (for example to backfill existing rows), then run `comon migrate dev` to apply it."
            ),
        ));
    }
    let needs_confirmation = needs_consent(&plan, &input.decisions);
    if needs_confirmation
        && !input.create_only
        && !interaction.confirm(Question::ApplyMigrationDespiteWarnings)
    {
        return Err(CommandError::Cancelled {
            message: "Migration creation cancelled.".to_string(),
        });
    }

    let rendered = render_plan(&plan);
    if prisma && rendered.after_commit_from.is_some() {
        return Err(CommandError::refused(
            "prisma-script-needs-phases",
            "The plan has a part that must run after its transaction commits, which a Prisma migration script cannot hold. Nothing was written.",
        ));
    }
    let draft = MigrationDraft {
        name: folder_name.clone(),
        generated_at,
        provider,
        // A literal datasource URL's password stays out of the committed files.
        before_schema: schema_text_without_passwords(&before_schema_text),
        after_schema: schema_text_without_passwords(input.schema.source),
        migration_sql: if plan.is_empty() {
            EMPTY_MIGRATION_SQL.to_string()
        } else {
            rendered.sql
        },
        statement_count: rendered.statements.len(),
        warnings: plan
            .warnings
            .iter()
            .map(|warning| warning.message.clone())
            .collect(),
        rebuild_required: plan.requires_rebuild,
    };
    let folder_path = folder.write(&draft)?;
    interaction.event(Event::MigrationFolderWritten { path: &folder_path });
    if input.create_only {
        return Ok(DevReport::Created { folder_name });
    }
    // What runs is the folder as written and read back, exactly as `migrate deploy` would
    // read it.
    let written = folder.read(provider)?;
    require_complete(&written)?;
    let migration = written.find(&folder_name).ok_or_else(|| {
        CommandError::refused(
            "migration-not-found",
            format!("Migration {folder_name} was not found in {migrations_directory}."),
        )
    })?;
    let started = Instant::now();
    let outcome =
        apply_local_migration(backend, &migrations_directory, migration).map_err(|error| {
            advise_on_failed_folder(error, &format!("The folder {folder_path} was kept"))
        })?;
    Ok(DevReport::Applied {
        folder_name,
        elapsed: started.elapsed(),
        outcome,
    })
}

/// Refuses with `drift` when the live database differs from `expected`, what the history up
/// to `latest_name` describes. `migrations_directory`, when given, is named in the advice to
/// print the SQL that undoes the drift.
fn refuse_drift(
    backend: &mut dyn MigrationBackend,
    latest_name: &str,
    expected: &DatabaseSchema,
    migrations_directory: Option<&str>,
) -> Result<(), CommandError> {
    let Some(difference) = difference_from_schema(backend, expected)? else {
        return Ok(());
    };
    let undo = migrations_directory
        .map(|directory| format!(" (`migrate diff --from-database --to-migrations {directory} --script` prints the SQL that would undo the drift)"))
        .unwrap_or_default();
    Err(CommandError::refused(
        "drift",
        format!(
            "Drift detected between the live database and the latest recorded migration `{latest_name}`. The database differs:{}\nRun `migrate reset` to realign the database before creating a new migration{undo}.",
            describe_difference(&difference.live, &difference.plan)
        ),
    ))
}

/// In a Prisma project: the schema the applied migrations' folders build (`None` when none is
/// applied), once the live database is checked against it, with the same refusal as a
/// comon_orm project's drift. Folders the interpreter cannot follow are replayed into a scratch
/// database (and the front end told so); a schema that is still not known is refused naming the
/// folder and line: a next migration planned from a guess could be wrong.
fn schema_of_applied_prisma_folders(
    backend: &mut dyn MigrationBackend,
    interaction: &mut dyn Interaction,
    local: &LocalMigrations,
    replay: &HistoryReplay,
) -> Result<Option<DatabaseSchema>, CommandError> {
    let Some(latest) = replay.active.last() else {
        return Ok(None);
    };
    let built = schema_built_by_prisma_folders(
        backend,
        local,
        replay.active.iter().map(|row| row.name.as_str()),
    )
    .map_err(|unknown| {
        unknown.refusal("dev").with_advice(
            "Make this change with `prisma migrate dev` for now: comon's `migrate deploy` and `migrate status` keep working on the folder it writes.",
        )
    })?;
    // `migrate diff --to-migrations` does not read Prisma folders, so the advice leaves it out.
    if let Some(notice) = built.replay_notice() {
        interaction.event(Event::SchemaReplayed { notice: &notice });
    }
    refuse_drift(backend, &latest.name, &built.schema, None)?;
    Ok(Some(built.schema))
}

/// The `migration.sql` of a migration created with nothing to plan, as Prisma writes it.
pub const EMPTY_MIGRATION_SQL: &str = "-- This is an empty migration.\n";

/// Says what to do with a migration folder that does not apply, when the error is about its
/// contents (a statement, the check after apply, transaction control, foreign keys).
fn advise_on_failed_folder(error: CommandError, what_happened: &str) -> CommandError {
    const ABOUT_THE_FOLDER: &[&str] = &[
        "statement-failed",
        "verification-failed",
        "foreign-key-violation",
        "transaction-control-statement",
    ];
    if !ABOUT_THE_FOLDER.contains(&error.code()) {
        return error;
    }
    error.with_advice(&format!(
        "{what_happened}: edit its migration.sql and run `comon migrate dev` again, or delete the folder if the change is not wanted (and it was not applied to any other database)."
    ))
}

/// The time for a new migration folder: `now`, or one second after the newest existing folder
/// when that one is not older (two migrations made within one second, or a clock behind a
/// colleague's), so that a new migration always sorts after every existing one.
pub(super) fn new_migration_timestamp(
    now: SystemTime,
    existing_folder_names: &[&str],
) -> UtcTimestamp {
    let now = time::OffsetDateTime::from(now);
    let folder_time_format =
        time::macros::format_description!("[year][month][day][hour][minute][second]");
    let newest_existing = existing_folder_names
        .iter()
        .filter_map(|name| name.get(..14))
        .filter_map(|prefix| time::PrimitiveDateTime::parse(prefix, &folder_time_format).ok())
        .max()
        .map(time::PrimitiveDateTime::assume_utc);
    let now = match newest_existing {
        Some(newest) if newest.replace_nanosecond(0).ok() >= now.replace_nanosecond(0).ok() => {
            newest + time::Duration::seconds(1)
        }
        _ => now,
    };
    UtcTimestamp {
        year: now.year(),
        month: u8::from(now.month()),
        day: now.day(),
        hour: now.hour(),
        minute: now.minute(),
        second: now.second(),
        microsecond: now.microsecond(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds_since_epoch: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds_since_epoch)
    }

    #[test]
    fn a_new_folder_sorts_after_a_folder_from_the_same_second_or_the_future() {
        // 2026-12-03 08:00:00 UTC.
        let now = at(1_796_284_800);
        let fresh = new_migration_timestamp(now, &["20261203075959_earlier"]);
        assert_eq!((fresh.hour, fresh.minute, fresh.second), (8, 0, 0));
        let same_second = new_migration_timestamp(now, &["20261203080000_same"]);
        assert_eq!(
            (same_second.hour, same_second.minute, same_second.second),
            (8, 0, 1)
        );
        let future = new_migration_timestamp(now, &["20261203090000_ahead", "x"]);
        assert_eq!((future.hour, future.minute, future.second), (9, 0, 1));
    }
}
