//! `migrate reset`: empties the database, then applies every local migration.

use super::deploy::{deploy_pending, DeployReport};
use super::{with_migration_lock, Event, Interaction, MigrationsFolder, Question};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;

/// Asks first (unless `force`), and only then opens the database with `open`: a declined reset
/// leaves everything as it was, a missing SQLite file included. The lock is held from before
/// the wipe until the last migration is applied.
pub fn reset(
    open: impl FnOnce() -> Result<Box<dyn MigrationBackend>, CommandError>,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    force: bool,
) -> Result<DeployReport, CommandError> {
    if !force && !interaction.confirm(Question::ResetDatabase) {
        return Err(CommandError::Cancelled {
            message: "Reset cancelled.".to_string(),
        });
    }
    let mut backend = open()?;
    with_migration_lock(backend.as_mut(), interaction, |backend, interaction| {
        backend.wipe()?;
        backend.ensure_history_table()?;
        interaction.event(Event::DatabaseWiped);
        let local = folder.read(backend.provider())?;
        let report = deploy_pending(backend, &folder.location(), &local, false, interaction)?;
        Ok(report.unwrap_or_default())
    })
}
