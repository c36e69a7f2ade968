//! `migrate reset`: empties the database, then applies every local migration.

use super::deploy::{deploy_pending, DeployReport};
use super::{
    lock_and_prepare, take_migration_lock, Event, Interaction, MigrationsFolder, Question,
};
use crate::command_error::CommandError;
use comon_database::Database;

/// Asks first (unless `force`), and only then opens the database with `open`: a declined reset
/// leaves everything as it was, a missing SQLite file included.
pub fn reset(
    open: impl FnOnce() -> Result<Database, CommandError>,
    folder: &mut dyn MigrationsFolder,
    interaction: &mut dyn Interaction,
    force: bool,
) -> Result<DeployReport, CommandError> {
    if !force && !interaction.confirm(Question::ResetDatabase) {
        return Err(CommandError::Cancelled {
            message: "Reset cancelled.".to_string(),
        });
    }
    let mut database = open()?;
    take_migration_lock(&mut database, interaction)?;
    database.wipe()?;
    lock_and_prepare(&mut database, interaction)?;
    interaction.event(Event::DatabaseWiped);
    let local = folder.read(database.provider())?;
    let report = deploy_pending(
        &mut database,
        &folder.location(),
        &local,
        false,
        interaction,
    )?;
    Ok(report.unwrap_or_default())
}
