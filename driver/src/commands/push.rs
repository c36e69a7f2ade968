//! `db push`: makes the database match the schema without migration history.

use super::{with_migration_lock, Event, Interaction, Question};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use planner::database_schema::from_data_model::database_schema_from_data_model_in_flavour;
use planner::schema_language::data_model::DataModel;
use planner::{plan_migration, DiffOptions, Flavour, OnlineDdl, WarningKind};

pub struct PushInput<'a> {
    pub data_model: &'a DataModel,
    /// The project's type mapping (`ProjectFlavour::planner_flavour`): a Prisma project is
    /// pushed with Prisma's column types and join tables, so that its migrations and
    /// `migrate diff` see no drift afterwards.
    pub flavour: Flavour,
    /// `--accept-data-loss`: apply changes that lose data without asking.
    pub accept_data_loss: bool,
    /// `--force-reset`: empty the database first.
    pub force_reset: bool,
    /// `--no-online-ddl` turns the online forms off (see `DiffOptions::online_ddl`).
    pub online_ddl: OnlineDdl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushReport {
    AlreadyInSync,
    Applied,
}

pub fn push(
    backend: &mut dyn MigrationBackend,
    interaction: &mut dyn Interaction,
    input: PushInput<'_>,
) -> Result<PushReport, CommandError> {
    with_migration_lock(backend, interaction, |backend, interaction| {
        push_with_lock(backend, interaction, input)
    })
}

fn push_with_lock(
    backend: &mut dyn MigrationBackend,
    interaction: &mut dyn Interaction,
    input: PushInput<'_>,
) -> Result<PushReport, CommandError> {
    if input.force_reset {
        // Only the URL's schema (PostgreSQL) or the file's content (SQLite), as `migrate reset`.
        backend.wipe()?;
        interaction.event(Event::DatabaseWiped);
    }
    let target = database_schema_from_data_model_in_flavour(input.data_model, input.flavour);
    let live = backend.introspect()?;
    let row_counts = Some(backend.row_counts()?);
    let options = DiffOptions {
        row_counts,
        online_ddl: input.online_ddl,
        ..DiffOptions::default()
    };
    let plan = plan_migration(&live, &target, &options)
        .map_err(|error| CommandError::refused("provider-mismatch", error.to_string()))?;
    if plan.is_empty() {
        return Ok(PushReport::AlreadyInSync);
    }
    interaction.event(Event::PlanWarnings(&plan.warnings));
    if plan.unexecutable {
        return Err(CommandError::refused(
            "push-unexecutable",
            "The changes cannot be applied to the data the database holds. Use --force-reset to drop all data, or create a migration and edit it.",
        ));
    }
    let loses_data = plan
        .warnings
        .iter()
        .any(|warning| warning.kind == WarningKind::DataLoss);
    if loses_data && !input.accept_data_loss && !interaction.confirm(Question::PushDespiteDataLoss)
    {
        return Err(CommandError::refused(
            "data-loss",
            "The changes lose data. Use the --accept-data-loss flag to apply them anyway.",
        ));
    }
    backend.apply_plan(&plan)?;
    Ok(PushReport::Applied)
}
