//! The migration driver, in the manner of sqlx's migrator: take the lock, make sure the history
//! table exists, refuse while a migration is marked failed, then apply each pending migration
//! with its history row. Database differences live in `history_table`, `lock` and `apply`;
//! what the files and rows mean lives in `planner::migrations`.

pub mod apply;
pub mod command_error;
pub mod expected_schema;
pub mod history_table;
pub mod local_folders;
pub mod lock;

pub use command_error::{CommandError, EXIT_DIFFERENCE, EXIT_FAILURE, EXIT_USAGE};

use apply::{failed_migration_error, run_migration, ExpectedChange, MigrationRun, RunOutcome};
use comon_database::Database;
use comon_database::ScriptStatement;
use history_table::load_history;
use local_folders::LocalMigrations;
use planner::migrations::{
    database_schema_from_snapshot, replay_history, HistoryKind, HistoryRow, HistoryState,
    LocalMigration,
};
use planner::{plan_migration, render_plan, DiffOptions, Provider};
use std::time::{Duration, Instant};

/// What the driver tells its caller while it works, so that the command line can show lines
/// and a progress bar without the driver printing anything.
pub enum MigrationEvent<'a> {
    Starting {
        name: &'a str,
        position: usize,
        total: usize,
    },
    Finished {
        name: &'a str,
        elapsed: Duration,
        outcome: &'a RunOutcome,
    },
}

/// What `deploy_pending_migrations` did.
#[derive(Debug, Default)]
pub struct DeployReport {
    pub local_migration_count: usize,
    pub applied: Vec<String>,
    /// Active migrations whose local folder no longer matches the recorded checksum.
    pub checksum_mismatches: Vec<String>,
}

/// The statements of a local migration, as written. `migration.sql` runs exactly as
/// committed, split by sqlparser's tokenizer. A comon_orm placeholder (`-- Schema rebuild
/// required ...`) has no statements: as comon_orm does, the live database is planned to
/// `after.prisma` instead. Their number is the history row's statement count; what running
/// them requires is the planner's analysis, which `apply::run_migration` makes once.
pub fn statements_of_local_migration(
    database: &mut Database,
    local: &LocalMigration,
) -> Result<Vec<ScriptStatement>, CommandError> {
    let provider = database.provider();
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
    let live = database.introspect()?;
    let row_counts = Some(database.row_counts()?);
    let plan = plan_migration(&live, &expected, &DiffOptions { row_counts })
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
    Ok(render_plan(&plan)
        .statements
        .into_iter()
        .map(ScriptStatement::planned)
        .collect())
}

/// The apply row of a local migration, before the database gives it an id and a time.
pub fn apply_row_of_local_migration(
    provider: Provider,
    local: &LocalMigration,
    statement_count: usize,
) -> HistoryRow {
    HistoryRow {
        id: None,
        name: local.name.clone(),
        applied_at: String::new(),
        statement_count: statement_count as i64,
        kind: HistoryKind::Apply,
        target_name: None,
        provider: Some(provider.as_str().to_string()),
        checksum: Some(local.checksum.clone()),
        before_schema: Some(local.before_schema.clone()),
        after_schema: Some(local.after_schema.clone()),
        warnings: local.warnings.clone(),
        rebuild_required: local.rebuild_required,
        state: HistoryState::Finished,
        failure_message: None,
    }
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
pub fn apply_local_migration(
    database: &mut Database,
    migrations_directory: &str,
    local: &LocalMigration,
) -> Result<RunOutcome, CommandError> {
    let provider = database.provider();
    let statements = statements_of_local_migration(database, local)?;
    let row = apply_row_of_local_migration(provider, local, statements.len());
    let expected = ExpectedChange {
        previous: snapshot_schema(provider, local, "before.prisma", &local.before_schema)?,
        next: snapshot_schema(provider, local, "after.prisma", &local.after_schema)?,
    };
    let script_path = (!local.is_placeholder()).then(|| {
        format!(
            "{}/{}/{}",
            migrations_directory,
            local.name,
            planner::migrations::artifacts::MIGRATION_SQL_FILE
        )
    });
    run_migration(
        database,
        MigrationRun {
            statements,
            row,
            subject: format!("Migration {}", local.name),
            script_path,
            expected: Some(expected),
            skip_if_active: Some(&local.name),
        },
    )
}

/// Applies every local migration that is not active, in name order. The caller holds the
/// migration lock and has ensured the history table.
pub fn deploy_pending_migrations(
    database: &mut Database,
    migrations_directory: &str,
    local: &LocalMigrations,
    on_event: &mut dyn FnMut(MigrationEvent<'_>),
) -> Result<DeployReport, CommandError> {
    local_folders::require_complete(local)?;
    let replay = replay_history(&load_history(database)?);
    if let Some(failed) = replay.failed.first() {
        return Err(failed_migration_error(&failed.name));
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
        on_event(MigrationEvent::Starting {
            name: &migration.name,
            position,
            total: pending.len(),
        });
        let started = Instant::now();
        let outcome = apply_local_migration(database, migrations_directory, migration)?;
        on_event(MigrationEvent::Finished {
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
