//! `migrate status`: compares the migrations folder, the history table and the live schema.

use super::{difference_from_schema, history_schema, MigrationsFolder};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::local_folders::LocalMigrations;
use planner::migration_sql::{interpret_migrations, SkippedEffect};
use planner::migrations::drift::Difference;
use planner::migrations::{
    compute_status, invalid_indexes, replay_history, HistoryReplay, InvalidIndex, MigrationStatus,
    StatusInput,
};

/// Status only reads: no lock, and an old history table is read as it is, not upgraded. The
/// caller opens the database without creating a missing SQLite file.
pub fn status(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
) -> Result<MigrationStatus, CommandError> {
    Ok(status_report(backend, folder)?.status)
}

/// `migrate status` with what it could not check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReport {
    pub status: MigrationStatus,
    /// Why drift was not checked, when it was not (a Prisma project whose folders do not say
    /// what schema they build): a sentence naming the folder.
    pub drift_not_checked: Option<String>,
}

/// What `status` finds, and why drift was not checked when it was not.
pub fn status_report(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
) -> Result<StatusReport, CommandError> {
    let local = folder.read(backend.provider())?;
    let (replay, drift, invalid_indexes) = read_in_one_snapshot(backend, |backend| {
        let replay = replay_history(&backend.load_history()?);
        let drift = match local.migrations.first() {
            Some(first) if !first.has_snapshots() => {
                drift_from_prisma_folders(backend, &local, &replay)?
            }
            _ => Ok(drift_since(backend)?),
        };
        let invalid_indexes = invalid_indexes(&backend.introspect()?);
        Ok((replay, drift, invalid_indexes))
    })?;
    let (drift, drift_not_checked) = match drift {
        Ok(drift) => (drift, None),
        Err(reason) => (None, Some(reason)),
    };
    let (drift_since, drift_differences) = match drift {
        Some((latest_name, differences)) => (Some(latest_name), differences),
        None => (None, Vec::new()),
    };
    let mut status = compute_status(&StatusInput {
        replay: &replay,
        local_migrations: &local.migrations,
        invalid_local_migrations: &local.invalid,
        migrations_directory: &folder.location(),
        drift_since: drift_since.as_deref(),
        drift_differences: &drift_differences,
    });
    // An INVALID index left by a failed concurrent build is never silently taken for the
    // index the schema wants: it is an issue of its own, with the repair.
    status
        .issues
        .extend(invalid_indexes.iter().map(InvalidIndex::status_issue));
    Ok(StatusReport {
        status,
        drift_not_checked,
    })
}

/// The latest migration (or rollback) of the history and what differs, in words, when the live
/// schema differs from what the history describes. A snapshot that cannot be read is not drift:
/// status reports what it can.
fn drift_since(
    backend: &mut dyn MigrationBackend,
) -> Result<Option<(String, Vec<Difference>)>, CommandError> {
    let described = match history_schema(backend) {
        Ok(Some(described)) => described,
        Ok(None) => return Ok(None),
        Err(CommandError::Runner(error)) => return Err(CommandError::Runner(error)),
        Err(_) => return Ok(None),
    };
    match difference_from_schema(backend, &described.schema) {
        Ok(Some(difference)) => Ok(Some((described.latest_name, difference.in_words()))),
        Ok(None) => Ok(None),
        Err(CommandError::Runner(error)) => Err(CommandError::Runner(error)),
        Err(_) => Ok(None),
    }
}

/// Drift in a Prisma project, whose folders have no `after.prisma`: the schema the active
/// migrations' `migration.sql` files build, in the order they were applied, read by the
/// planner's migration SQL interpreter, against the live database. When that schema cannot be
/// known (a folder of an active migration is gone, a script does not parse, or a statement may
/// change the schema in a way the interpreter does not follow), the inner `Err` says why and
/// there is no drift check: a guess would be worse than no answer.
type PrismaDrift = Result<Option<(String, Vec<Difference>)>, String>;

fn drift_from_prisma_folders(
    backend: &mut dyn MigrationBackend,
    local: &LocalMigrations,
    replay: &HistoryReplay,
) -> Result<PrismaDrift, CommandError> {
    let Some(latest) = replay.active.last() else {
        return Ok(Ok(None));
    };
    let mut scripts = Vec::with_capacity(replay.active.len());
    for active in &replay.active {
        match local.find(&active.name) {
            Some(migration) => {
                scripts.push((active.name.as_str(), migration.migration_sql.as_str()))
            }
            None => {
                return Ok(Err(format!(
                    "the folder of the active migration {} is gone",
                    active.name
                )))
            }
        }
    }
    let interpreted = match interpret_migrations(backend.provider(), scripts) {
        Ok(interpreted) => interpreted,
        Err(error) => {
            return Ok(Err(format!(
                "{}{}: {}",
                error.origin,
                error
                    .line
                    .map(|line| format!(" line {line}"))
                    .unwrap_or_default(),
                error.message
            )))
        }
    };
    let not_followed = interpreted.iter().find_map(|migration| {
        migration
            .skipped
            .iter()
            .find(|skipped| skipped.effect == SkippedEffect::MayChangeSchema)
    });
    if let Some(skipped) = not_followed {
        return Ok(Err(format!(
            "{} line {}: {}",
            skipped.origin, skipped.line, skipped.reason
        )));
    }
    let Some(expected) = interpreted.last() else {
        return Ok(Ok(None));
    };
    match difference_from_schema(backend, &expected.schema) {
        Ok(Some(difference)) => Ok(Ok(Some((latest.name.clone(), difference.in_words())))),
        Ok(None) => Ok(Ok(None)),
        Err(CommandError::Runner(error)) => Err(CommandError::Runner(error)),
        Err(other) => Ok(Err(other.to_string())),
    }
}

/// Runs `read` in one read-only snapshot of the database (`begin_read_snapshot`), so that the
/// history and the catalog it reads are of the same moment even while another runner commits
/// migrations.
fn read_in_one_snapshot<T>(
    backend: &mut dyn MigrationBackend,
    read: impl FnOnce(&mut dyn MigrationBackend) -> Result<T, CommandError>,
) -> Result<T, CommandError> {
    backend.begin_read_snapshot()?;
    let result = read(backend);
    // Nothing was written; ending the transaction only lets writers go on sooner.
    let _ = backend.roll_back();
    result
}
