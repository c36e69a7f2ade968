//! `migrate status`: compares the migrations folder, the history table and the live schema.

use super::{difference_from_schema, history_schema, MigrationsFolder};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use planner::migrations::drift::Difference;
use planner::migrations::{
    compute_status, invalid_indexes, replay_history, InvalidIndex, MigrationStatus, StatusInput,
};

/// Status only reads: no lock, and an old history table is read as it is, not upgraded. The
/// caller opens the database without creating a missing SQLite file.
pub fn status(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
) -> Result<MigrationStatus, CommandError> {
    let local = folder.read(backend.provider())?;
    let (replay, drift, invalid_indexes) = read_in_one_snapshot(backend, |backend| {
        let replay = replay_history(&backend.load_history()?);
        let drift = drift_since(backend)?;
        let invalid_indexes = invalid_indexes(&backend.introspect()?);
        Ok((replay, drift, invalid_indexes))
    })?;
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
    Ok(status)
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
