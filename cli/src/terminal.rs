//! The driver's `Interaction` on the command line: its events become lines (and a progress bar
//! on a terminal), its questions become prompts.

use super::output::{Output, Progress};
use comon_driver::apply::RunOutcome;
use comon_driver::command_error::CommandError;
use comon_driver::commands::{Event, Interaction, Question};
use planner::RenameCandidate;
use std::time::Duration;

pub struct Terminal<'a> {
    output: &'a Output,
    /// The migrations folder as messages show it.
    migrations_directory: String,
    progress: Option<Progress>,
    /// Drift warnings of the migrations a deploy applied, shown once it ends.
    drift_warnings: Vec<String>,
    /// The line shown when the command emptied the database.
    wiped_line: &'static str,
    /// The events as data, for the `--json` documents.
    pub record: EventRecord,
}

/// What the driver's events said, as the `--json` documents show it (docs/json-output.md).
#[derive(Debug, Default)]
pub struct EventRecord {
    /// One `migration_run_json` per migration that ran (or that another runner applied meanwhile).
    pub migrations: Vec<serde_json::Value>,
    /// The plan's warnings, `{"kind", "message"}`.
    pub warnings: Vec<serde_json::Value>,
    /// The history issues that made `migrate dev` refuse, `{"code", "migration", "message"}`.
    pub history_issues: Vec<serde_json::Value>,
    pub database_wiped: bool,
    /// The migration folder `migrate dev` wrote, as messages show it.
    pub folder_written: Option<String>,
    /// The plan `migrate dev` made, for its `decisions` and `plan` in `--json`.
    pub plan: Option<planner::MigrationPlan>,
}

impl<'a> Terminal<'a> {
    pub fn new(output: &'a Output, migrations_directory: String) -> Terminal<'a> {
        Terminal {
            output,
            migrations_directory,
            progress: None,
            drift_warnings: Vec::new(),
            wiped_line: "The database was reset.",
            record: EventRecord::default(),
        }
    }

    /// Says `line` when the command empties the database.
    pub fn saying_when_wiped(self, line: &'static str) -> Terminal<'a> {
        Terminal {
            wiped_line: line,
            ..self
        }
    }
}

pub fn format_elapsed(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.2} s", elapsed.as_secs_f64())
    }
}

pub fn applied_line(name: &str, elapsed: Duration, outcome: &RunOutcome) -> String {
    let place = match outcome {
        RunOutcome::Applied {
            in_transaction: false,
            ..
        } => ", outside a transaction",
        RunOutcome::Applied {
            online_phase: true, ..
        } => ", online phase after the commit",
        _ => "",
    };
    format!(
        "Applying migration `{name}` ({}{place})",
        format_elapsed(elapsed)
    )
}

/// One migration run in a `--json` document: `{"name", "elapsedMs", "outcome", "inTransaction",
/// "onlinePhase", "earlierDrift"}`; `outcome` is `applied`, or `applied-by-another-runner` (and
/// the other fields null) when a concurrent deploy applied it first.
pub fn migration_run_json(
    name: &str,
    elapsed: Duration,
    outcome: &RunOutcome,
) -> serde_json::Value {
    match outcome {
        RunOutcome::Applied {
            in_transaction,
            online_phase,
            earlier_drift,
        } => serde_json::json!({
            "name": name,
            "elapsedMs": elapsed.as_millis() as u64,
            "outcome": "applied",
            "inTransaction": in_transaction,
            "onlinePhase": online_phase,
            "earlierDrift": earlier_drift,
        }),
        RunOutcome::AlreadyApplied => serde_json::json!({
            "name": name,
            "elapsedMs": elapsed.as_millis() as u64,
            "outcome": "applied-by-another-runner",
            "inTransaction": null,
            "onlinePhase": null,
            "earlierDrift": null,
        }),
    }
}

/// The warning about drift that was there before a run and that the run left alone.
/// `what` names the run, such as ``migration `N` `` or ``the rollback of `N` ``.
pub fn earlier_drift_warning(what: &str, outcome: &RunOutcome) -> Option<String> {
    match outcome {
        RunOutcome::Applied { earlier_drift: Some(description), .. } => Some(format!(
            "Before {what} ran, the database already differed from what the history expects (drift, see `migrate status`), in:{description}"
        )),
        _ => None,
    }
}

impl Interaction for Terminal<'_> {
    fn event(&mut self, event: Event<'_>) {
        let output = self.output;
        match event {
            Event::WaitingForMigrationLock => {
                output.info("Waiting for another comon command to release the migration lock...")
            }
            Event::DeployStarting {
                local_migration_count,
            } => output.info(&format!(
                "{local_migration_count} migrations found in {}",
                self.migrations_directory
            )),
            Event::MigrationStarting { name, total, .. } => {
                let bar = self.progress.get_or_insert_with(|| output.progress(total));
                bar.set_message(format!("Applying migration `{name}`"));
            }
            Event::MigrationFinished {
                name,
                elapsed,
                outcome,
            } => {
                self.record
                    .migrations
                    .push(migration_run_json(name, elapsed, outcome));
                self.drift_warnings.extend(earlier_drift_warning(
                    &format!("migration `{name}`"),
                    outcome,
                ));
                let line = match outcome {
                    RunOutcome::AlreadyApplied => {
                        format!("Migration `{name}` was applied by another runner meanwhile.")
                    }
                    applied => applied_line(name, elapsed, applied),
                };
                match &self.progress {
                    Some(bar) => {
                        bar.print_line(|| output.success(&line));
                        bar.advance();
                    }
                    None => output.success(&line),
                }
            }
            Event::DeployFinished(result) => {
                if let Some(bar) = self.progress.take() {
                    bar.finish();
                }
                for warning in std::mem::take(&mut self.drift_warnings) {
                    output.warning(&warning);
                }
                if let Ok(report) = result {
                    for name in &report.checksum_mismatches {
                        output.warning(&format!(
                            "Migration {name} differs between database history and local artifacts."
                        ));
                    }
                    if report.applied.is_empty() {
                        output.success("No pending migrations to apply.");
                    } else {
                        output.success("All migrations have been successfully applied.");
                    }
                }
            }
            Event::HistoryIssues(issues) => {
                self.record.history_issues.extend(
                    issues
                        .iter()
                        .map(|issue| serde_json::to_value(issue).unwrap_or_default()),
                );
                for issue in issues {
                    output.error(&issue.code, &issue.message);
                }
            }
            Event::PlanWarnings(warnings) => {
                self.record.warnings.extend(
                    warnings
                        .iter()
                        .map(|warning| serde_json::to_value(warning).unwrap_or_default()),
                );
                for warning in warnings {
                    output.warning(&warning.message);
                }
            }
            Event::DatabaseWiped => {
                self.record.database_wiped = true;
                output.success(self.wiped_line)
            }
            Event::SchemaReplayed { notice } => {
                output.info(&format!("The schema the migrations build: {notice}."))
            }
            Event::MigrationFolderWritten { path } => {
                self.record.folder_written = Some(path.to_string());
                output.success(&format!("Migration draft written: {path}"))
            }
            // The plan is shown as its warnings and the folder it becomes.
            Event::MigrationPlanned { plan } => self.record.plan = Some(plan.clone()),
        }
    }

    fn confirm(&mut self, question: Question) -> bool {
        self.output.confirm(match question {
            Question::ResetDatabase => {
                "Are you sure you want to reset your database? All data will be lost."
            }
            Question::ApplyMigrationDespiteWarnings => "Apply this migration despite warnings?",
            Question::PushDespiteDataLoss => "Apply these changes despite data loss?",
        })
    }

    fn can_confirm(&self) -> bool {
        self.output.can_confirm()
    }

    /// Asked on a terminal only, and answered only by `y` or `n`: `--yes` and an empty line
    /// do not answer whether data is renamed or dropped.
    fn decide_rename(&mut self, candidate: &RenameCandidate) -> Option<bool> {
        self.output.ask_yes_or_no(&candidate.message())
    }

    fn migration_name(&mut self) -> Result<String, CommandError> {
        self.output.prompt_required(
            "Migration name",
            "Missing migration name. Pass --name <migration> when stdin is not interactive.",
        )
    }
}
