//! The commands, as a front end calls them: `migrate dev`, `deploy`, `status`, `reset`,
//! `resolve`, `rollback` and `db push`. Each takes the database, the inputs as data (schema
//! text, the migrations folder, the time, options) and returns a report. The front end prints
//! reports and answers questions through `Interaction`; the migrations folder is read and
//! written through `MigrationsFolder` (on disk: `local_folders::DiskMigrationsFolder`). Nothing
//! here prints, prompts, reads the clock or the environment.

mod deploy;
mod dev;
mod push;
mod reset;
mod resolve;
mod rollback;
mod status;

pub use deploy::{deploy, DeployReport};
pub use dev::{dev, DevInput, DevReport, TargetSchema};
pub use push::{push, PushInput, PushReport};
pub use reset::reset;
pub use resolve::{resolve, ResolveReport, ResolveRequest};
pub use rollback::{rollback, RollbackReport, RollbackRequest};
pub use status::status;

use crate::apply::RunOutcome;
use crate::command_error::CommandError;
use crate::expected_schema::{schema_described_by_history, HistorySchema};
use crate::history_table::{ensure_history_table, load_history};
use crate::local_folders::LocalMigrations;
use crate::lock::acquire_migration_lock;
use comon_database::Database;
use planner::migrations::{MigrationDraft, StatusIssue};
use planner::{plan_migration, DatabaseSchema, MigrationPlan, Provider, Warning};
use std::time::Duration;

/// What a command tells its front end while it works, for what must be shown before the
/// command goes on (a question follows, or a later step may fail).
pub enum Event<'a> {
    /// Another command holds the migration lock: the command waits for it.
    WaitingForMigrationLock,
    /// Pending migrations are about to be applied (`deploy`, `reset`, and `dev` when something
    /// is pending).
    DeployStarting { local_migration_count: usize },
    MigrationStarting {
        name: &'a str,
        position: usize,
        total: usize,
    },
    MigrationFinished {
        name: &'a str,
        elapsed: Duration,
        outcome: &'a RunOutcome,
    },
    /// The deploy that `DeployStarting` announced ended, successfully or not.
    DeployFinished(Result<&'a DeployReport, &'a CommandError>),
    /// `migrate dev` refuses because of these issues between the folder and the history.
    HistoryIssues(&'a [StatusIssue]),
    /// The warnings of the plan `migrate dev` or `db push` is about to write or apply.
    PlanWarnings(&'a [Warning]),
    /// `migrate reset` or `db push --force-reset` emptied the database.
    DatabaseWiped,
    /// `migrate dev` wrote its migration folder, at `path` as messages show it.
    MigrationFolderWritten { path: &'a str },
}

/// A yes/no question a command asks before it goes on. No is the safe answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// `migrate reset`: every row goes.
    ResetDatabase,
    /// `migrate dev`: the new migration's plan has warnings.
    ApplyMigrationDespiteWarnings,
    /// `db push`: the changes lose data.
    PushDespiteDataLoss,
}

/// The front end: shows events and answers questions.
pub trait Interaction {
    fn event(&mut self, event: Event<'_>);
    fn confirm(&mut self, question: Question) -> bool;
    /// The name of the new migration, when `migrate dev` was not given one.
    fn migration_name(&mut self) -> Result<String, CommandError>;
}

/// The migrations folder of a project.
pub trait MigrationsFolder {
    /// The folder as messages show it.
    fn location(&self) -> String;
    fn read(&mut self, provider: Provider) -> Result<LocalMigrations, CommandError>;
    /// Writes the draft as a new migration folder, and returns its path as messages show it.
    fn write(&mut self, draft: &MigrationDraft) -> Result<String, CommandError>;
}

/// Takes the migration lock and brings the history table to its current layout: what every
/// command that changes migrations does first.
fn lock_and_prepare(
    database: &mut Database,
    interaction: &mut dyn Interaction,
) -> Result<(), CommandError> {
    take_migration_lock(database, interaction)?;
    ensure_history_table(database)?;
    Ok(())
}

fn take_migration_lock(
    database: &mut Database,
    interaction: &mut dyn Interaction,
) -> Result<(), CommandError> {
    acquire_migration_lock(database, || {
        interaction.event(Event::WaitingForMigrationLock)
    })?;
    Ok(())
}

/// The steps from the live database to `expected`, or `None` when it matches.
fn difference_from_schema(
    database: &mut Database,
    expected: &DatabaseSchema,
) -> Result<Option<MigrationPlan>, CommandError> {
    let live = database.introspect()?;
    let plan = plan_migration(&live, expected, &crate::apply::describing_options())
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
    Ok((!plan.is_empty()).then_some(plan))
}

/// What the history says the database holds (see `expected_schema`).
fn history_schema(database: &mut Database) -> Result<Option<HistorySchema>, CommandError> {
    let provider = database.provider();
    schema_described_by_history(provider, &load_history(database)?)
}

/// Milliseconds since the Unix epoch, for the default names of rollback rows.
fn unix_milliseconds(now: std::time::SystemTime) -> u128 {
    now.duration_since(std::time::UNIX_EPOCH)
        .map(|duration| duration.as_millis())
        .unwrap_or(0)
}
