//! `comon migrate dev | deploy | status | reset | resolve | rollback`.

use super::output::Progress;
use super::project::Project;
use super::Context;
use comon_database::Database;
use comon_driver::apply::{
    describe_difference, run_migration, ExpectedChange, MigrationRun, RunOutcome,
};
use comon_driver::command_error::{CommandError, EXIT_FAILURE};
use comon_driver::expected_schema::{
    apply_change, changes_overlap, parse_snapshot, schema_described_by_history, HistorySchema,
};
use comon_driver::history_table::{ensure_history_table, insert_history_row, load_history};
use comon_driver::local_folders::{read_local_migrations, write_migration_folder, LocalMigrations};
use comon_driver::lock::acquire_migration_lock;
use comon_driver::{
    apply_local_migration, apply_row_of_local_migration, deploy_pending_migrations, MigrationEvent,
};
use planner::database_schema::from_data_model::database_schema_from_data_model;
use planner::database_schema::to_prisma::render_prisma_schema;
use planner::migrations::status::LOCAL_MIGRATION_NOT_APPLIED;
use planner::migrations::{
    compute_status, migration_checksum, migration_folder_name, replay_history,
    schema_text_without_passwords, ChecksumInput, HistoryKind, HistoryRow, HistoryState,
    MigrationDraft, StatusInput, UtcTimestamp,
};
use planner::{
    plan_migration, render_plan, DatabaseSchema, DiffOptions, MigrationPlan, Provider, WarningKind,
};
use std::time::{Duration, Instant};

/// Opens the project's database for a command that changes it: the migration lock is held and
/// the history table exists in its current layout.
pub(super) fn open_for_changes(
    context: &Context,
    project: &Project,
) -> Result<Database, CommandError> {
    let mut database = project.open_database(&context.settings)?;
    lock_and_prepare(context, &mut database)?;
    Ok(database)
}

fn lock_and_prepare(context: &Context, database: &mut Database) -> Result<(), CommandError> {
    acquire_migration_lock(database, || {
        context
            .output
            .info("Waiting for another comon command to release the migration lock...")
    })?;
    ensure_history_table(database)?;
    Ok(())
}

pub(super) fn format_elapsed(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.2} s", elapsed.as_secs_f64())
    }
}

fn applied_line(name: &str, elapsed: Duration, outcome: &RunOutcome) -> String {
    let place = match outcome {
        RunOutcome::Applied {
            in_transaction: false,
            ..
        } => ", outside a transaction",
        _ => "",
    };
    format!(
        "Applying migration `{name}` ({}{place})",
        format_elapsed(elapsed)
    )
}

/// The warning about drift that was there before a run and that the run left alone.
/// `what` names the run, such as ``migration `N` `` or ``the rollback of `N` ``.
fn earlier_drift_warning(what: &str, outcome: &RunOutcome) -> Option<String> {
    match outcome {
        RunOutcome::Applied { earlier_drift: Some(description), .. } => Some(format!(
            "Before {what} ran, the database already differed from what the history expects (drift, see `migrate status`; shown as the steps that would undo it).{description}"
        )),
        _ => None,
    }
}

/// The steps from the live database to `expected`, or `None` when it matches.
fn difference_from_schema(
    database: &mut Database,
    expected: &DatabaseSchema,
) -> Result<Option<MigrationPlan>, CommandError> {
    let live = database.introspect()?;
    let plan = plan_migration(&live, expected, &DiffOptions::default())
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
    Ok((!plan.is_empty()).then_some(plan))
}

/// What the history says the database holds (see `expected_schema`).
fn history_schema(database: &mut Database) -> Result<Option<HistorySchema>, CommandError> {
    let provider = database.provider();
    schema_described_by_history(provider, &load_history(database)?)
}

/// Applies pending migrations and prints comon_orm's deploy summary. With
/// `quiet_when_up_to_date`, prints nothing when nothing is pending (as `migrate dev` does).
fn deploy_with_summary(
    context: &Context,
    project: &Project,
    database: &mut Database,
    local: &LocalMigrations,
    quiet_when_up_to_date: bool,
) -> Result<Vec<String>, CommandError> {
    comon_driver::local_folders::require_complete(local)?;
    let directory = project.migrations_directory.display().to_string();
    if quiet_when_up_to_date {
        let replay = replay_history(&load_history(database)?);
        let anything_pending = local
            .migrations
            .iter()
            .any(|migration| !replay.is_active(&migration.name));
        if !anything_pending && replay.failed.is_empty() {
            return Ok(Vec::new());
        }
    }
    let output = &context.output;
    output.info(&format!(
        "{} migrations found in {}",
        local.migrations.len(),
        project.migrations_directory.display()
    ));
    let mut progress: Option<Progress> = None;
    let mut drift_warnings = Vec::new();
    let report = deploy_pending_migrations(database, &directory, local, &mut |event| match event {
        MigrationEvent::Starting { name, total, .. } => {
            let bar = progress.get_or_insert_with(|| output.progress(total));
            bar.set_message(format!("Applying migration `{name}`"));
        }
        MigrationEvent::Finished {
            name,
            elapsed,
            outcome,
        } => {
            drift_warnings.extend(earlier_drift_warning(
                &format!("migration `{name}`"),
                outcome,
            ));
            let line = match outcome {
                RunOutcome::AlreadyApplied => {
                    format!("Migration `{name}` was applied by another runner meanwhile.")
                }
                applied => applied_line(name, elapsed, applied),
            };
            match &progress {
                Some(bar) => {
                    bar.print_line(|| output.success(&line));
                    bar.advance();
                }
                None => output.success(&line),
            }
        }
    });
    if let Some(bar) = &progress {
        bar.finish();
    }
    for warning in &drift_warnings {
        output.warning(warning);
    }
    let report = report?;
    for name in &report.checksum_mismatches {
        output.warning(&format!(
            "Migration {name} differs between database history and local artifacts."
        ));
    }
    if report.applied.is_empty() {
        output.success("No pending migrations to apply.");
    } else {
        output.success("All migrations have been successfully applied.");
    }
    Ok(report.applied)
}

/// The time for a new migration folder: now, or one second after the newest existing folder when
/// that one is not older (two migrations made within one second, or a clock behind a
/// colleague's), so that a new migration always sorts after every existing one.
fn new_migration_timestamp(existing_folder_names: &[&str]) -> UtcTimestamp {
    let now = time::OffsetDateTime::now_utc();
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

fn unix_milliseconds() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|duration| duration.as_millis())
        .unwrap_or(0)
}

pub fn dev(context: &Context, name: Option<&str>, create_only: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut database = open_for_changes(context, &project)?;
    let provider = database.provider();
    let local = read_local_migrations(&project.migrations_directory, provider)?;
    deploy_with_summary(context, &project, &mut database, &local, true).map_err(|error| {
        advise_on_failed_folder(error, "A pending migration folder does not apply")
    })?;

    let replay = replay_history(&load_history(&mut database)?);
    let latest_snapshot = history_schema(&mut database)?;
    if let Some(HistorySchema {
        latest_name,
        schema,
        ..
    }) = &latest_snapshot
    {
        if let Some(difference) = difference_from_schema(&mut database, schema)? {
            return Err(CommandError::refused(
                "drift",
                format!(
                    "Drift detected between the live database and the latest recorded migration `{latest_name}`. The database differs by:{}\nRun `migrate reset` to realign the database before creating a new migration.",
                    describe_difference(&difference)
                ),
            ));
        }
    }
    let status = compute_status(&StatusInput {
        replay: &replay,
        local_migrations: &local.migrations,
        invalid_local_migrations: &local.invalid,
        migrations_directory: &project.migrations_directory.display().to_string(),
        drift_since: None,
    });
    let blocking: Vec<_> = status
        .issues
        .iter()
        .filter(|issue| issue.code != LOCAL_MIGRATION_NOT_APPLIED)
        .collect();
    if !blocking.is_empty() {
        for issue in &blocking {
            output.error(&issue.code, &issue.message);
        }
        return Err(CommandError::refused(
            "history-drift",
            "Migration history drift detected. Resolve it or run migrate reset before migrate dev.",
        ));
    }

    let target = database_schema_from_data_model(&project.data_model);
    let live = database.introspect()?;
    if replay.active.is_empty() && (!live.tables.is_empty() || !live.enums.is_empty()) {
        // A first migration planned from these tables would be a delta that no empty database
        // can replay (and `migrate reset` would then wipe the database and fail).
        let schema_path = project.schema_path.display();
        return Err(CommandError::refused(
            "baseline-required",
            format!(
                "The database already has tables ({}) but no migration history, so a first migration made now would only hold the difference and could never be replayed on an empty database. Baseline it first: write the whole schema as the first migration with `comon migrate diff --from-empty --to-schema {schema_path} --script` into {}/<yyyymmddHHMMSS>_baseline/migration.sql (with before.prisma empty and after.prisma a copy of the schema that matches the database), mark it as already applied here with `comon migrate resolve --applied <that folder>`, then run `migrate dev` again.",
                live.tables.iter().map(|table| table.name.as_str()).collect::<Vec<_>>().join(", "),
                project.migrations_directory.display()
            ),
        ));
    }
    // Planning from the recorded snapshot rather than the introspected database keeps the
    // schema-side names, so that a changed @map or @@map is planned as a rename.
    let (previous, before_schema_text) = match &latest_snapshot {
        Some(described) => (described.schema.clone(), described.text.clone()),
        None => (live.clone(), render_prisma_schema(&live)),
    };
    let row_counts = Some(database.row_counts()?);
    let plan = plan_migration(&previous, &target, &DiffOptions { row_counts })
        .map_err(|error| CommandError::refused("provider-mismatch", error.to_string()))?;
    if plan.is_empty() {
        output.success("Already in sync, no schema changes detected.");
        return Ok(0);
    }

    let name = match name {
        Some(name) => name.to_string(),
        None => output.prompt_required(
            "Migration name",
            "Missing migration name. Pass --name <migration> when stdin is not interactive.",
        )?,
    };
    let existing_folder_names: Vec<&str> = local
        .migrations
        .iter()
        .map(|migration| migration.name.as_str())
        .chain(local.invalid.iter().map(|invalid| invalid.name.as_str()))
        .collect();
    let generated_at = new_migration_timestamp(&existing_folder_names);
    let folder_name = migration_folder_name(&generated_at, &name)
        .map_err(|error| CommandError::usage(error.message))?;
    for warning in &plan.warnings {
        output.warning(&warning.message);
    }
    if plan.requires_manual_migration() && !create_only {
        return Err(CommandError::refused(
            "manual-migration-required",
            format!(
                "This migration cannot be applied as generated. Run `comon migrate dev --create-only --name {name}`, edit its migration.sql (for example to backfill existing rows), then run `comon migrate dev` to apply it."
            ),
        ));
    }
    let needs_confirmation = plan
        .warnings
        .iter()
        .any(|warning| warning.kind != WarningKind::Rebuild);
    if needs_confirmation
        && !create_only
        && !output.confirm("Apply this migration despite warnings?")
    {
        return Err(CommandError::Cancelled {
            message: "Migration creation cancelled.".to_string(),
        });
    }

    let rendered = render_plan(&plan);
    let draft = MigrationDraft {
        name: folder_name.clone(),
        generated_at,
        provider,
        // A literal datasource URL's password stays out of the committed files.
        before_schema: schema_text_without_passwords(&before_schema_text),
        after_schema: schema_text_without_passwords(&project.schema_source),
        migration_sql: rendered.sql,
        statement_count: rendered.statements.len(),
        warnings: plan
            .warnings
            .iter()
            .map(|warning| warning.message.clone())
            .collect(),
        rebuild_required: plan.requires_rebuild,
    };
    let folder = write_migration_folder(&project.migrations_directory, &draft)?;
    output.success(&format!("Migration draft written: {}", folder.display()));
    if create_only {
        output.info("Review (and edit) its migration.sql, then run `comon migrate dev` or `comon migrate deploy` to apply it.");
        return Ok(0);
    }
    let written = read_local_migrations(&project.migrations_directory, provider)?;
    comon_driver::local_folders::require_complete(&written)?;
    let migration = written.find(&folder_name).ok_or_else(|| {
        CommandError::refused(
            "migration-not-found",
            format!(
                "Migration {folder_name} was not found in {}.",
                project.migrations_directory.display()
            ),
        )
    })?;
    let started = Instant::now();
    let outcome = apply_local_migration(
        &mut database,
        &project.migrations_directory.display().to_string(),
        migration,
    )
    .map_err(|error| {
        advise_on_failed_folder(error, &format!("The folder {} was kept", folder.display()))
    })?;
    output.success(&applied_line(&folder_name, started.elapsed(), &outcome));
    if let Some(warning) = earlier_drift_warning(&format!("migration `{folder_name}`"), &outcome) {
        output.warning(&warning);
    }
    output.success("Your database is now in sync with your schema.");
    Ok(0)
}

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

pub fn deploy(context: &Context) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    let mut database = open_for_changes(context, &project)?;
    let local = read_local_migrations(&project.migrations_directory, database.provider())?;
    deploy_with_summary(context, &project, &mut database, &local, false)?;
    Ok(0)
}

/// The latest migration (or rollback) of the history when the live schema differs from what the
/// history describes. A snapshot that cannot be read is not drift: status reports what it can.
fn drift_since(database: &mut Database) -> Result<Option<String>, CommandError> {
    let described = match history_schema(database) {
        Ok(Some(described)) => described,
        Ok(None) => return Ok(None),
        Err(CommandError::Runner(error)) => return Err(CommandError::Runner(error)),
        Err(_) => return Ok(None),
    };
    match difference_from_schema(database, &described.schema) {
        Ok(Some(_)) => Ok(Some(described.latest_name)),
        Ok(None) => Ok(None),
        Err(CommandError::Runner(error)) => Err(CommandError::Runner(error)),
        Err(_) => Ok(None),
    }
}

/// Runs `read` in one read-only snapshot of the database, so that the history and the catalog
/// it reads are of the same moment even while another runner commits migrations. PostgreSQL: a
/// `REPEATABLE READ READ ONLY` transaction. SQLite: a deferred transaction, whose first read
/// takes the snapshot (WAL) or a shared lock that writers wait for (other journal modes).
fn read_in_one_snapshot<T>(
    database: &mut Database,
    read: impl FnOnce(&mut Database) -> Result<T, CommandError>,
) -> Result<T, CommandError> {
    let begin = match database.provider() {
        Provider::Postgresql => "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY",
        Provider::Sqlite => "BEGIN",
    };
    database.execute_batch(begin)?;
    let result = read(database);
    // Nothing was written; ending the transaction only lets writers go on sooner.
    let _ = database.execute_batch("ROLLBACK");
    result
}

pub fn status(context: &Context, json: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    // Status only reads: no lock, an old history table is read as it is, not upgraded, and a
    // SQLite file that does not exist is an error rather than created.
    let mut database = project.open_existing_database(&context.settings)?;
    let local = read_local_migrations(&project.migrations_directory, database.provider())?;
    let (replay, drift) = read_in_one_snapshot(&mut database, |database| {
        let replay = replay_history(&load_history(database)?);
        let drift = drift_since(database)?;
        Ok((replay, drift))
    })?;
    let status = compute_status(&StatusInput {
        replay: &replay,
        local_migrations: &local.migrations,
        invalid_local_migrations: &local.invalid,
        migrations_directory: &project.migrations_directory.display().to_string(),
        drift_since: drift.as_deref(),
    });
    if json {
        let text = serde_json::to_string_pretty(&status).unwrap_or_default();
        output.data(&format!("{text}\n"));
    } else {
        output.info(&format!(
            "Active migrations: {}",
            status.active_migration_count
        ));
        output.info(&format!(
            "Local migrations: {}",
            status.local_migration_count
        ));
        output.info(&format!("Issues: {}", status.issues.len()));
        for issue in &status.issues {
            output.warning(&format!("{} | {}", issue.code, issue.message));
        }
    }
    Ok(if status.is_clean() { 0 } else { EXIT_FAILURE })
}

pub fn reset(context: &Context, force: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    if !force
        && !output.confirm("Are you sure you want to reset your database? All data will be lost.")
    {
        return Err(CommandError::Cancelled {
            message: "Reset cancelled.".to_string(),
        });
    }
    let mut database = project.open_database(&context.settings)?;
    acquire_migration_lock(&mut database, || {
        output.info("Waiting for another comon command to release the migration lock...")
    })?;
    database.wipe()?;
    lock_and_prepare(context, &mut database)?;
    output.success("Database reset successful.");
    let local = read_local_migrations(&project.migrations_directory, database.provider())?;
    deploy_with_summary(context, &project, &mut database, &local, false)?;
    Ok(0)
}

pub fn resolve(
    context: &Context,
    applied: Option<&str>,
    rolled_back: Option<&str>,
) -> Result<i32, CommandError> {
    let (name, mark_applied) = match (applied, rolled_back) {
        (Some(name), None) => (name, true),
        (None, Some(name)) => (name, false),
        _ => {
            return Err(CommandError::usage(
                "Pass exactly one of --applied <migration> or --rolled-back <migration>.",
            ))
        }
    };
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut database = open_for_changes(context, &project)?;
    let provider = database.provider();
    let replay = replay_history(&load_history(&mut database)?);
    if mark_applied {
        let local = read_local_migrations(&project.migrations_directory, provider)?;
        if let Some(invalid) = local.invalid.iter().find(|invalid| invalid.name == name) {
            // Recording a folder that cannot be read would record snapshots nobody can check.
            return Err(CommandError::refused(
                "invalid-local-artifacts",
                invalid.message(),
            ));
        }
        let migration = local.find(name).ok_or_else(|| {
            CommandError::refused(
                "migration-not-found",
                format!(
                    "Migration {name} was not found in {}.",
                    project.migrations_directory.display()
                ),
            )
        })?;
        if replay.is_active(name) {
            output.info(&format!("Migration {name} was already marked as applied."));
            return Ok(0);
        }
        let statement_count = match migration.metadata_statement_count() {
            Some(count) => count as usize,
            None if migration.is_placeholder() => 0,
            None => comon_database::split_sql_script(provider, &migration.migration_sql)?.len(),
        };
        let row = apply_row_of_local_migration(provider, migration, statement_count);
        insert_history_row(&mut database, &row)?;
        output.success(&format!("Migration {name} has been marked as applied."));
        return Ok(0);
    }
    let Some(target) = replay
        .active_row(name)
        .or_else(|| replay.failed_row(name))
        .cloned()
    else {
        output.info(&format!(
            "Migration {name} was already marked as rolled back."
        ));
        return Ok(0);
    };
    let row_name = format!("{name}_resolve_rollback_{}", unix_milliseconds());
    let row = HistoryRow {
        id: None,
        name: row_name.clone(),
        applied_at: String::new(),
        statement_count: 0,
        kind: HistoryKind::Rollback,
        target_name: Some(name.to_string()),
        provider: Some(provider.as_str().to_string()),
        checksum: Some(target.checksum.clone().unwrap_or(row_name)),
        before_schema: target
            .after_schema
            .clone()
            .or_else(|| target.before_schema.clone()),
        after_schema: target
            .before_schema
            .clone()
            .or_else(|| target.after_schema.clone()),
        warnings: Vec::new(),
        rebuild_required: false,
        state: HistoryState::Finished,
        failure_message: None,
    };
    insert_history_row(&mut database, &row)?;
    output.success(&format!("Migration {name} has been marked as rolled back."));
    Ok(0)
}

pub fn rollback(
    context: &Context,
    name: Option<&str>,
    rollback_name: Option<&str>,
    allow_warnings: bool,
) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut database = open_for_changes(context, &project)?;
    let provider = database.provider();
    let replay = replay_history(&load_history(&mut database)?);
    if let Some(failed) = replay.failed.first() {
        return Err(comon_driver::apply::failed_migration_error(&failed.name));
    }
    let target = match name {
        None => replay.latest_active().ok_or_else(|| {
            CommandError::refused(
                "nothing-to-roll-back",
                "No applied migrations available to roll back.",
            )
        })?,
        Some(name) => replay.active_row(name).ok_or_else(|| {
            CommandError::refused(
                "migration-not-applied",
                format!("Migration is not currently applied: {name}"),
            )
        })?,
    }
    .clone();
    let local = read_local_migrations(&project.migrations_directory, provider)?;
    let local_migration = local.find(&target.name);
    let missing_snapshot = || {
        CommandError::refused(
            "missing-rollback-snapshot",
            format!(
                "Rollback snapshot not found on disk and not stored in database history for {}.",
                target.name
            ),
        )
    };
    let before_text = local_migration
        .map(|migration| migration.before_schema.clone())
        .or_else(|| target.before_schema.clone())
        .ok_or_else(missing_snapshot)?;
    let after_text = local_migration
        .map(|migration| migration.after_schema.clone())
        .or_else(|| target.after_schema.clone())
        .ok_or_else(missing_snapshot)?;
    let before = parse_snapshot(
        provider,
        &format!("before.prisma of {}", target.name),
        &before_text,
    )?;
    let after = parse_snapshot(
        provider,
        &format!("after.prisma of {}", target.name),
        &after_text,
    )?;

    // Exactly this migration's change is undone: the plan goes from its `after` to its `before`
    // (which keeps schema-side names, so renames stay renames), whatever else the database
    // holds. That is only sound when no later active migration touches or refers to what it
    // changed.
    let position = replay
        .active
        .iter()
        .position(|row| row.name == target.name)
        .unwrap_or(replay.active.len());
    let mut blocking_migrations = Vec::new();
    for later in &replay.active[position + 1..] {
        let overlaps = match (&later.before_schema, &later.after_schema) {
            (Some(later_before), Some(later_after)) => {
                let later_before = parse_snapshot(
                    provider,
                    &format!("before_schema of {}", later.name),
                    later_before,
                )?;
                let later_after = parse_snapshot(
                    provider,
                    &format!("after_schema of {}", later.name),
                    later_after,
                )?;
                changes_overlap((&before, &after), (&later_before, &later_after))
            }
            // Without snapshots nobody can tell what it touched.
            _ => true,
        };
        if overlaps {
            blocking_migrations.push(later.name.clone());
        }
    }
    if !blocking_migrations.is_empty() {
        return Err(CommandError::refused(
            "rollback-depends-on-later-migrations",
            format!(
                "Migration {} cannot be rolled back on its own: later active migrations change or refer to what it changed: {}. Roll those back first (latest first), or write a forward fix instead.",
                target.name,
                blocking_migrations.join(", ")
            ),
        ));
    }
    // The database as the history describes it now, and as it will describe it afterwards.
    let described_now = match history_schema(&mut database)? {
        Some(described) => described.schema,
        None => after.clone(),
    };
    let described_after = apply_change(&described_now, &after, &before);
    let row_counts = Some(database.row_counts()?);
    let plan = plan_migration(&after, &before, &DiffOptions { row_counts })
        .map_err(|error| CommandError::refused("provider-mismatch", error.to_string()))?;
    let warnings: Vec<String> = plan
        .warnings
        .iter()
        .map(|warning| warning.message.clone())
        .collect();
    // A SQLite table rebuild is reported, not refused: it loses nothing.
    let blocking_warnings: Vec<&str> = plan
        .warnings
        .iter()
        .filter(|warning| warning.kind != WarningKind::Rebuild)
        .map(|warning| warning.message.as_str())
        .collect();
    if plan.unexecutable || (!blocking_warnings.is_empty() && !allow_warnings) {
        let advice = if plan.unexecutable {
            "It cannot run on the data the database holds; write a forward fix instead."
        } else {
            "Pass --allow-warnings to roll back anyway, or write a forward fix instead."
        };
        return Err(CommandError::refused(
            "rollback-warnings",
            format!(
                "Rollback plan contains warnings: {}\n{advice}",
                blocking_warnings.join(" | ")
            ),
        ));
    }
    let rendered = render_plan(&plan);
    let row_name = rollback_name
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}_rollback_{}", target.name, unix_milliseconds()));
    let checksum = migration_checksum(&ChecksumInput {
        provider: provider.as_str(),
        before_schema: &after_text,
        after_schema: &before_text,
        migration_sql: &rendered.sql,
        warnings: &warnings,
        requires_rebuild: plan.requires_rebuild,
    });
    let row = HistoryRow {
        id: None,
        name: row_name,
        applied_at: String::new(),
        statement_count: rendered.statements.len() as i64,
        kind: HistoryKind::Rollback,
        target_name: Some(target.name.clone()),
        provider: Some(provider.as_str().to_string()),
        checksum: Some(checksum),
        before_schema: Some(after_text.clone()),
        after_schema: Some(before_text.clone()),
        warnings: warnings.clone(),
        rebuild_required: plan.requires_rebuild,
        state: HistoryState::Finished,
        failure_message: None,
    };
    let statement_count = rendered.statements.len();
    let outcome = run_migration(
        &mut database,
        MigrationRun {
            statements: rendered
                .statements
                .into_iter()
                .map(comon_database::ScriptStatement::planned)
                .collect(),
            row,
            subject: format!("Rollback of {}", target.name),
            script_path: None,
            expected: Some(ExpectedChange {
                previous: described_now,
                next: described_after,
            }),
            skip_if_active: None,
        },
    )?;
    output.success("Rolled back: true");
    if let Some(warning) =
        earlier_drift_warning(&format!("the rollback of `{}`", target.name), &outcome)
    {
        output.warning(&warning);
    }
    output.info(&format!("Target migration: {}", target.name));
    output.info(&format!("Statements: {statement_count}"));
    output.info(&format!("Warnings: {}", warnings.len()));
    for warning in &warnings {
        output.warning(warning);
    }
    output.warning("Rollback exists, but production usually wants a forward fix rather than a blind revert: prefer a new migration that undoes the change.");
    if local_migration.is_some() {
        output.info(&format!(
            "The folder {} is still in {}: `migrate deploy` applies it again. Delete or change it if the change should not come back.",
            target.name,
            project.migrations_directory.display()
        ));
    }
    Ok(0)
}
