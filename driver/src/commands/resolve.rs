//! `migrate resolve`: records a migration as applied or rolled back without running SQL, after
//! someone repaired the database by hand.

use super::{unix_milliseconds, with_history_locked, Interaction, MigrationsFolder};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::history_rows::{apply_row, resolved_rollback_row};
use planner::migrations::replay_history;
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveRequest {
    /// `--applied <migration>`: the local folder's migration is in the backend.
    Applied(String),
    /// `--rolled-back <migration>`: the active or failed migration is not.
    RolledBack(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveReport {
    MarkedApplied { name: String },
    AlreadyApplied { name: String },
    MarkedRolledBack { name: String },
    AlreadyRolledBack { name: String },
}

/// `now` names the row of a rollback: `<migration>_resolve_rollback_<unix ms>`.
pub fn resolve(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    request: ResolveRequest,
    now: SystemTime,
) -> Result<ResolveReport, CommandError> {
    with_history_locked(backend, interaction, |backend, _| {
        resolve_with_lock(backend, folder, request, now)
    })
}

fn resolve_with_lock(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
    request: ResolveRequest,
    now: SystemTime,
) -> Result<ResolveReport, CommandError> {
    let provider = backend.provider();
    let replay = replay_history(&backend.load_history()?);
    let name = match request {
        ResolveRequest::Applied(name) => {
            let local = folder.read(provider)?;
            if let Some(invalid) = local.invalid.iter().find(|invalid| invalid.name == name) {
                // Recording a folder that cannot be read would record snapshots nobody can check.
                return Err(CommandError::refused(
                    "invalid-local-artifacts",
                    invalid.message(),
                ));
            }
            let migration = local.find(&name).ok_or_else(|| {
                CommandError::refused(
                    "migration-not-found",
                    format!("Migration {name} was not found in {}.", folder.location()),
                )
            })?;
            if replay.is_active(&name) {
                return Ok(ResolveReport::AlreadyApplied { name });
            }
            let statement_count = match migration.metadata_statement_count() {
                Some(count) => count as usize,
                None if migration.is_placeholder() => 0,
                // Prisma records a migration resolved as applied with no applied steps.
                None if !migration.has_snapshots() => 0,
                None => comon_database::split_sql_script(provider, &migration.migration_sql)?.len(),
            };
            backend.insert_history_row(&apply_row(provider, migration, statement_count))?;
            return Ok(ResolveReport::MarkedApplied { name });
        }
        ResolveRequest::RolledBack(name) => name,
    };
    let Some(target) = replay
        .active_row(&name)
        .or_else(|| replay.failed_row(&name))
    else {
        return Ok(ResolveReport::AlreadyRolledBack { name });
    };
    let row_name = format!("{name}_resolve_rollback_{}", unix_milliseconds(now));
    backend.insert_history_row(&resolved_rollback_row(provider, target, row_name))?;
    Ok(ResolveReport::MarkedRolledBack { name })
}
