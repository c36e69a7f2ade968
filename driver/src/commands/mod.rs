//! The commands, as a front end calls them: `migrate dev`, `deploy`, `status`, `reset`,
//! `resolve`, `rollback`, `baseline` and `db push`. Each takes the database, the inputs as data (schema
//! text, the migrations folder, the time, options) and returns a report. The front end prints
//! reports and answers questions through `Interaction`; the migrations folder is read and
//! written through `MigrationsFolder` (on disk: `local_folders::DiskMigrationsFolder`). Nothing
//! here prints, prompts, reads the clock or the environment.

mod baseline;
mod decisions;
mod deploy;
mod dev;
mod push;
mod reset;
mod resolve;
mod rollback;
mod status;

pub use baseline::{baseline, BaselineInput, BaselineReport, DEFAULT_BASELINE_NAME};
pub use decisions::Decisions;
pub use deploy::{deploy, deploy_with_options, DeployOptions, DeployReport, LINT_ERRORS};
pub use dev::{dev, DevInput, DevReport, TargetSchema};
pub use push::{push, PushInput, PushReport};
pub use reset::reset;
pub use resolve::{resolve, ResolveReport, ResolveRequest};
pub use rollback::{rollback, RollbackReport, RollbackRequest};
pub use status::{
    status, status_report, StatusReport, SCRIPT_DIFFERS_FROM_SNAPSHOT_CODE, SCRIPT_NOT_CHECKED_CODE,
};

use crate::apply::RunOutcome;
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::expected_schema::{schema_described_by_history, HistorySchema};
use crate::flavour::ProjectFlavour;
use crate::local_folders::LocalMigrations;
use planner::migrations::{MigrationDraft, StatusIssue};
use planner::{plan_migration, DatabaseSchema, MigrationPlan, Provider, RenameCandidate, Warning};
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
    /// `migrate reset` or `db push --force-reset` emptied the backend.
    DatabaseWiped,
    /// The schema a Prisma project's folders build was found by replaying them into a scratch
    /// database (the interpreter cannot follow one of their statements): the notice says which
    /// folder, line and statement, and that the scratch database is gone.
    SchemaReplayed { notice: &'a str },
    /// `migrate dev` wrote its migration folder, at `path` as messages show it.
    MigrationFolderWritten { path: &'a str },
    /// `migrate dev` planned the migration (its rename decisions settled), before it asks for
    /// consent or writes anything: a front end that reports the plan as data keeps it.
    MigrationPlanned { plan: &'a MigrationPlan },
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
    /// Whether `confirm` asks someone (a terminal, or `--yes` answering): when not, a question
    /// that needs consent becomes a decision the command reports (`decisions-required`).
    fn can_confirm(&self) -> bool {
        true
    }
    /// Is this rename candidate a rename? `None` when nobody can be asked; the candidate is
    /// then reported as a decision to make. Never answered by `--yes`: a rename is not guessed.
    fn decide_rename(&mut self, _candidate: &RenameCandidate) -> Option<bool> {
        None
    }
}

/// The migrations folder of a project.
pub trait MigrationsFolder {
    /// The folder as messages show it.
    fn location(&self) -> String;
    fn read(&mut self, provider: Provider) -> Result<LocalMigrations, CommandError>;
    /// Writes the draft as a new migration folder, and returns its path as messages show it.
    fn write(&mut self, draft: &MigrationDraft) -> Result<String, CommandError>;
    /// The kind of project the folder belongs to, which decides the type mapping of the
    /// migrations written into it and what their previous schema is read from.
    fn flavour(&self) -> ProjectFlavour {
        ProjectFlavour::ComonOrm
    }
}

/// Runs `work` holding the migration lock, with the history table brought to its current
/// layout first: what every command that changes migrations does.
fn with_history_locked<T>(
    backend: &mut dyn MigrationBackend,
    interaction: &mut dyn Interaction,
    work: impl FnOnce(&mut dyn MigrationBackend, &mut dyn Interaction) -> Result<T, CommandError>,
) -> Result<T, CommandError> {
    with_migration_lock(backend, interaction, |backend, interaction| {
        backend.ensure_history_table()?;
        work(backend, interaction)
    })
}

/// Runs `work` holding the migration lock, and gives the lock back however it ends. When a
/// signal stopped it, what it left open is cleaned up too.
fn with_migration_lock<T>(
    backend: &mut dyn MigrationBackend,
    interaction: &mut dyn Interaction,
    work: impl FnOnce(&mut dyn MigrationBackend, &mut dyn Interaction) -> Result<T, CommandError>,
) -> Result<T, CommandError> {
    backend.lock(&mut || interaction.event(Event::WaitingForMigrationLock))?;
    let result = work(backend, interaction);
    let released = match comon_database::interrupt::requested() {
        Some(_) => backend.clean_up_after_interrupt(),
        None => backend.unlock(),
    };
    match result {
        Ok(value) => {
            released?;
            Ok(value)
        }
        // The command's error is the useful one.
        Err(error) => Err(error),
    }
}

/// The steps from the live database to `expected`, or `None` when it matches.
fn difference_from_schema(
    backend: &mut dyn MigrationBackend,
    expected: &DatabaseSchema,
) -> Result<Option<crate::apply::LiveDifference>, CommandError> {
    let live = backend.introspect()?;
    let plan = plan_migration(&live, expected, &crate::apply::describing_options())
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
    Ok((!plan.is_empty()).then_some(crate::apply::LiveDifference { live, plan }))
}

/// What the history says the database holds (see `expected_schema`).
fn history_schema(
    backend: &mut dyn MigrationBackend,
) -> Result<Option<HistorySchema>, CommandError> {
    let provider = backend.provider();
    schema_described_by_history(provider, &backend.load_history()?)
}

/// Milliseconds since the Unix epoch, for the default names of rollback rows.
fn unix_milliseconds(now: std::time::SystemTime) -> u128 {
    now.duration_since(std::time::UNIX_EPOCH)
        .map(|duration| duration.as_millis())
        .unwrap_or(0)
}
