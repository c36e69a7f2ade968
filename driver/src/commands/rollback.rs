//! `migrate rollback`: takes the latest (or the named) active migration back to its
//! `before.prisma`, with a plan from its `after` to its `before`, and records the rollback.

use super::{
    history_schema, unix_milliseconds, with_history_locked, Interaction, MigrationsFolder,
};
use crate::apply::{
    failed_migration_error, run_migration, ExpectedChange, MigrationRun, RunOutcome,
};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::expected_schema::{apply_change, changes_overlap, parse_snapshot};
use crate::history_rows::{rollback_row, PlannedRollback};
use planner::migrations::{
    migration_checksum, replay_history, statements_of_rendering, ChecksumInput,
};
use planner::{plan_migration, render_plan, DiffOptions};
use std::time::SystemTime;

pub struct RollbackRequest {
    /// `--name`: the migration to roll back; the latest active one when `None`.
    pub name: Option<String>,
    /// `--rollback-name`: the history row's name; `<migration>_rollback_<unix ms>` when `None`.
    pub rollback_name: Option<String>,
    /// `--allow-warnings`: roll back even when the reverse plan warns (such as of data loss).
    pub allow_warnings: bool,
    /// The current time, for the default row name.
    pub now: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollbackReport {
    pub target_name: String,
    pub statement_count: usize,
    pub warnings: Vec<String>,
    pub outcome: RunOutcome,
    /// The rolled-back migration's folder is still in the migrations folder, so `migrate
    /// deploy` would apply it again.
    pub local_folder_remains: bool,
}

pub fn rollback(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    request: RollbackRequest,
) -> Result<RollbackReport, CommandError> {
    with_history_locked(backend, interaction, |backend, _| {
        rollback_with_lock(backend, folder, request)
    })
}

fn rollback_with_lock(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    request: RollbackRequest,
) -> Result<RollbackReport, CommandError> {
    let provider = backend.provider();
    let replay = replay_history(&backend.load_history()?);
    if let Some(failed) = replay.failed.first() {
        return Err(failed_migration_error(failed));
    }
    let target = match &request.name {
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
    let local = folder.read(provider)?;
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
    let described_now = match history_schema(backend)? {
        Some(described) => described.schema,
        None => after.clone(),
    };
    let described_after = apply_change(&described_now, &after, &before);
    let row_counts = Some(backend.row_counts()?);
    let options = DiffOptions {
        row_counts,
        ..DiffOptions::default()
    };
    let plan = plan_migration(&after, &before, &options)
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
        .filter(|warning| warning.kind.needs_consent())
        .map(|warning| warning.message.as_str())
        .collect();
    if plan.unexecutable || (!blocking_warnings.is_empty() && !request.allow_warnings) {
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
    let row_name = request.rollback_name.clone().unwrap_or_else(|| {
        format!(
            "{}_rollback_{}",
            target.name,
            unix_milliseconds(request.now)
        )
    });
    let checksum = migration_checksum(&ChecksumInput {
        provider: provider.as_str(),
        before_schema: &after_text,
        after_schema: &before_text,
        migration_sql: &rendered.sql,
        warnings: &warnings,
        requires_rebuild: plan.requires_rebuild,
    });
    let statement_count = rendered.statements.len();
    let row = rollback_row(
        provider,
        PlannedRollback {
            row_name,
            target_name: &target.name,
            target_before_schema: &before_text,
            target_after_schema: &after_text,
            checksum,
            statement_count,
            warnings: warnings.clone(),
            rebuild_required: plan.requires_rebuild,
        },
    );
    let outcome = run_migration(
        backend,
        MigrationRun {
            statements: statements_of_rendering(rendered),
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
    Ok(RollbackReport {
        target_name: target.name.clone(),
        statement_count,
        warnings,
        outcome,
        local_folder_remains: local_migration.is_some(),
    })
}
