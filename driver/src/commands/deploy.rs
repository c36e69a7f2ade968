//! `migrate deploy`: applies every local migration that is not active, in name order, as
//! committed. `migrate dev` and `migrate reset` run the same loop.

use super::{with_history_locked, Event, Interaction, MigrationsFolder};
use crate::apply::{
    failed_migration_error, run_migration, ExpectedChange, MigrationRun, RunOutcome,
};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::history_rows::apply_row;
use crate::local_folders::{require_complete, LocalMigrations};
use comon_database::ScriptStatement;
use planner::migrations::artifacts::MIGRATION_SQL_FILE;
use planner::migrations::{
    database_schema_from_snapshot, invalid_indexes, replay_history, statements_of_rendering,
    InvalidIndex, LocalMigration, INVALID_INDEX,
};
use planner::{plan_migration, render_plan, DiffOptions, Provider};
use std::time::Instant;

/// What a deploy did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeployReport {
    pub local_migration_count: usize,
    pub applied: Vec<String>,
    /// Active migrations whose local folder no longer matches the recorded checksum.
    pub checksum_mismatches: Vec<String>,
}

/// What `migrate deploy` may be asked besides applying.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeployOptions {
    /// `--deny-lint-errors`: refuse, before anything runs, when the linter
    /// (`planner::lint`) finds an error in a pending migration.
    pub deny_lint_errors: bool,
}

/// The code of the refusal of `DeployOptions::deny_lint_errors`.
pub const LINT_ERRORS: &str = "lint-errors";

/// `migrate deploy` on an open database: lock, history table, then every pending migration.
pub fn deploy(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
) -> Result<DeployReport, CommandError> {
    deploy_with_options(backend, folder, interaction, DeployOptions::default())
}

/// `deploy`, with the options.
pub fn deploy_with_options(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    options: DeployOptions,
) -> Result<DeployReport, CommandError> {
    with_history_locked(backend, interaction, |backend, interaction| {
        let local = folder.read(backend.provider())?;
        refuse_invalid_indexes(backend)?;
        if options.deny_lint_errors {
            refuse_lint_errors(backend, &local)?;
        }
        let report = deploy_pending(backend, &folder.location(), &local, false, interaction)?;
        Ok(report.unwrap_or_default())
    })
}

/// Lints the whole folder in order (so that each migration is read with the schema the ones
/// before it built) and refuses when a migration that is not active has an error finding.
fn refuse_lint_errors(
    backend: &mut dyn MigrationBackend,
    local: &LocalMigrations,
) -> Result<(), CommandError> {
    let replay = replay_history(&backend.load_history()?);
    let findings = planner::lint::lint_migrations(
        backend.provider(),
        local
            .migrations
            .iter()
            .map(|migration| (migration.name.as_str(), migration.migration_sql.as_str())),
        &planner::lint::LintOptions::default(),
    );
    let errors: Vec<String> = findings
        .iter()
        .filter(|finding| {
            finding.severity == planner::lint::Severity::Error && !replay.is_active(&finding.origin)
        })
        .map(ToString::to_string)
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    Err(CommandError::refused(
        LINT_ERRORS,
        format!(
            "migrate deploy did not start (--deny-lint-errors): the linter found {} error(s) in pending migrations, and nothing was applied.\n{}\nFix the migrations (see `comon migrate lint`), or deploy without --deny-lint-errors.",
            errors.len(),
            errors.join("\n")
        ),
    ))
}

/// An INVALID index (a concurrent build that failed or was interrupted) is refused before
/// anything runs, with the repair: the history describes a working index there, and the next
/// migration's check would take the broken one for drift of its own.
fn refuse_invalid_indexes(backend: &mut dyn MigrationBackend) -> Result<(), CommandError> {
    let invalid = invalid_indexes(&backend.introspect()?);
    if invalid.is_empty() {
        return Ok(());
    }
    let repairs: Vec<String> = invalid.iter().map(InvalidIndex::repair).collect();
    Err(CommandError::refused(
        INVALID_INDEX,
        format!(
            "migrate deploy did not start: {} Then run `migrate deploy` again.",
            repairs.join(" ")
        ),
    ))
}

/// Applies pending migrations between a `DeployStarting` and a `DeployFinished` event. With
/// `quiet_when_up_to_date` (as `migrate dev` runs it) nothing happens, and no event comes, when
/// nothing is pending or failed: `None`. The caller holds the lock and has ensured the history
/// table.
pub(super) fn deploy_pending(
    backend: &mut dyn MigrationBackend,
    migrations_directory: &str,
    local: &LocalMigrations,
    quiet_when_up_to_date: bool,
    interaction: &mut dyn Interaction,
) -> Result<Option<DeployReport>, CommandError> {
    require_complete(local)?;
    let history = backend.load_history()?;
    if history.is_empty() {
        refuse_unrecorded_tables(backend, migrations_directory, local)?;
    }
    if quiet_when_up_to_date {
        let replay = replay_history(&history);
        let anything_pending = local
            .migrations
            .iter()
            .any(|migration| !replay.is_active(&migration.name));
        if !anything_pending && replay.failed.is_empty() {
            return Ok(None);
        }
    }
    interaction.event(Event::DeployStarting {
        local_migration_count: local.migrations.len(),
    });
    let result = deploy_pending_migrations(backend, migrations_directory, local, interaction);
    interaction.event(Event::DeployFinished(result.as_ref()));
    result.map(Some)
}

fn deploy_pending_migrations(
    backend: &mut dyn MigrationBackend,
    migrations_directory: &str,
    local: &LocalMigrations,
    interaction: &mut dyn Interaction,
) -> Result<DeployReport, CommandError> {
    require_complete(local)?;
    let replay = replay_history(&backend.load_history()?);
    if let Some(failed) = replay.failed.first() {
        return Err(failed_migration_error(failed));
    }
    let mut report = DeployReport {
        local_migration_count: local.migrations.len(),
        ..DeployReport::default()
    };
    for active in &replay.active {
        let local_checksum = local
            .find(&active.name)
            .map(|migration| migration.checksum.as_str());
        if let (Some(recorded), Some(local_checksum)) = (active.checksum.as_deref(), local_checksum)
        {
            if recorded != local_checksum {
                report.checksum_mismatches.push(active.name.clone());
            }
        }
    }
    let pending: Vec<&LocalMigration> = local
        .migrations
        .iter()
        .filter(|migration| !replay.is_active(&migration.name))
        .collect();
    for (position, migration) in pending.iter().enumerate() {
        interaction.event(Event::MigrationStarting {
            name: &migration.name,
            position,
            total: pending.len(),
        });
        let started = Instant::now();
        let outcome = apply_local_migration(backend, migrations_directory, migration)?;
        interaction.event(Event::MigrationFinished {
            name: &migration.name,
            elapsed: started.elapsed(),
            outcome: &outcome,
        });
        if outcome != RunOutcome::AlreadyApplied {
            report.applied.push(migration.name.clone());
        }
    }
    Ok(report)
}

/// Refuses to run migrations onto a database that has tables but no history rows: the first
/// migration would fail halfway on a table that exists, or, worse, succeed on a database whose
/// other tables no migration describes. Nothing has run when this refuses.
fn refuse_unrecorded_tables(
    backend: &mut dyn MigrationBackend,
    migrations_directory: &str,
    local: &LocalMigrations,
) -> Result<(), CommandError> {
    let Some(first) = local.migrations.first() else {
        return Ok(());
    };
    let live = backend.introspect()?;
    if live.tables.is_empty() && live.enums.is_empty() {
        return Ok(());
    }
    let mut names: Vec<&str> = live
        .tables
        .iter()
        .map(|table| table.name.as_str())
        .collect();
    names.extend(
        live.enums
            .iter()
            .map(|enumeration| enumeration.name.as_str()),
    );
    // A Prisma project's folders applied by hand are recorded all at once by `baseline`.
    let prisma_advice = match first.from_prisma_folder {
        true => format!(" In a Prisma Migrate project whose database is what all of the folders in {migrations_directory} build, `comon migrate baseline` records each of them as applied."),
        false => String::new(),
    };
    let first = &first.name;
    Err(CommandError::refused(
        "deploy-onto-unrecorded-database",
        format!(
            "The database already has tables ({}) but no migration history, so the migrations in {migrations_directory} cannot be applied to it: nothing was applied. If the database already holds what `{first}` creates, record it without running it with `comon migrate resolve --applied {first}`, then run `comon migrate deploy` again. A database that was built without migrations is adopted with `comon migrate baseline`, from a project whose migrations folder is still empty, on a database that matches the schema.{prisma_advice}",
            names.join(", ")
        ),
    ))
}

/// The statements of a local migration, as written. `migration.sql` runs exactly as
/// committed, split by the planner's script splitter. A comon_orm placeholder (`-- Schema
/// rebuild required ...`) has no statements: as comon_orm does, the live database is planned to
/// `after.prisma` instead. Their number is the history row's statement count; what running
/// them requires is the planner's analysis, which `apply::run_migration` makes once.
pub fn statements_of_local_migration(
    backend: &mut dyn MigrationBackend,
    local: &LocalMigration,
) -> Result<Vec<ScriptStatement>, CommandError> {
    let provider = backend.provider();
    if let Some(generated_for) = local.metadata_provider() {
        if generated_for != provider {
            return Err(CommandError::refused(
                "provider-mismatch",
                format!("Migration {} was generated for {generated_for}, but the database is {provider}.", local.name),
            ));
        }
    }
    if !local.is_placeholder() {
        return Ok(comon_database::split_sql_script_with_lines(
            provider,
            &local.migration_sql,
        )?);
    }
    let expected =
        database_schema_from_snapshot(provider, &local.after_schema).map_err(|errors| {
            CommandError::refused(
                "invalid-snapshot",
                format!("after.prisma of {} cannot be read: {errors}", local.name),
            )
        })?;
    let live = backend.introspect()?;
    let row_counts = Some(backend.row_counts()?);
    let options = DiffOptions {
        row_counts,
        ..DiffOptions::default()
    };
    let plan = plan_migration(&live, &expected, &options)
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
    Ok(statements_of_rendering(render_plan(&plan)))
}

/// The schema a snapshot of `local` describes; the folder reader has checked it parses.
fn snapshot_schema(
    provider: Provider,
    local: &LocalMigration,
    file: &str,
    text: &str,
) -> Result<planner::DatabaseSchema, CommandError> {
    database_schema_from_snapshot(provider, text).map_err(|errors| {
        CommandError::refused(
            "invalid-snapshot",
            format!("{file} of {} cannot be read: {errors}", local.name),
        )
    })
}

/// Applies one local migration with its history row, unless it turns out to be active already.
/// `migrations_directory` is the folder as messages show it.
pub(super) fn apply_local_migration(
    backend: &mut dyn MigrationBackend,
    migrations_directory: &str,
    local: &LocalMigration,
) -> Result<RunOutcome, CommandError> {
    let provider = backend.provider();
    let statements = statements_of_local_migration(backend, local)?;
    let row = apply_row(provider, local, statements.len());
    // A Prisma folder has no snapshots: its SQL runs as committed, as `prisma migrate deploy`
    // runs it, with nothing to check the result against.
    let expected = match local.has_snapshots() {
        true => Some(ExpectedChange {
            previous: snapshot_schema(provider, local, "before.prisma", &local.before_schema)?,
            next: snapshot_schema(provider, local, "after.prisma", &local.after_schema)?,
        }),
        false => None,
    };
    let script_path = (!local.is_placeholder())
        .then(|| format!("{migrations_directory}/{}/{MIGRATION_SQL_FILE}", local.name));
    run_migration(
        backend,
        MigrationRun {
            statements,
            row,
            subject: format!("Migration {}", local.name),
            script_path,
            expected,
            skip_if_active: Some(&local.name),
        },
    )
}
