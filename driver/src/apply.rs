//! Running one migration together with its history row: the driver loop's single step.
//!
//! A migration whose statements can all run in a transaction runs in one, with its history row
//! (and on SQLite the foreign key check, on PostgreSQL the comparison with the expected schema)
//! before the commit: it happens entirely or not at all. A migration holding a statement that
//! cannot run in a transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`, ...) runs statement by
//! statement instead, after a `started` history row; it ends `finished`, or `failed` with the
//! database's message, which blocks `migrate deploy` until `migrate resolve`. A migration with
//! an online phase (the statements after `-- comon:after-commit`) runs its transactional part
//! with a `started` row, commits, runs the online phase statement by statement, then checks and
//! ends `finished` (or `failed`). A transaction that `lock_timeout` cancelled runs again from
//! its start, as the connection's `LockRetries` allow.

use crate::backend::MigrationBackend;
use crate::command_error::{CommandError, FailedStatement};
use comon_database::RunnerError;
use comon_database::{ScriptFailure, ScriptStatement};
use planner::migrations::drift::{describe_differences, Difference, DifferenceSides};
use planner::migrations::{
    analyze_migration_statements, replay_history, HistoryRow, HistoryState, MigrationScript,
    ScriptError, ScriptTarget,
};
use planner::plan::TransactionRequirement;
use planner::{plan_migration, DatabaseSchema, DiffOptions, MigrationPlan, OnlineDdl};

/// One migration to run.
pub struct MigrationRun<'a> {
    pub statements: Vec<ScriptStatement>,
    /// The history row to write; its `state` is set here.
    pub row: HistoryRow,
    /// What messages call this run: `Migration <folder>`, `Rollback of <folder>`.
    pub subject: String,
    /// The file the statements were read from, as messages show it
    /// (`prisma/migrations/<folder>/migration.sql`); `None` for planned statements.
    pub script_path: Option<String>,
    /// The schemas the database should have before and after the run, for the check before
    /// the commit.
    pub expected: Option<ExpectedChange>,
    /// Skip the run when this migration is already active once the write lock is held: another
    /// runner applied it meanwhile.
    pub skip_if_active: Option<&'a str>,
}

/// What a run is meant to change: the database is expected at `previous` before it (drift from
/// it that the run leaves alone is reported, not fatal) and at `next` after it, for everything
/// the run changes.
pub struct ExpectedChange {
    pub previous: DatabaseSchema,
    pub next: DatabaseSchema,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// `earlier_drift` describes differences from `previous` that were there before the run:
    /// those it left as they were, and those that are gone because it changed their objects.
    Applied {
        in_transaction: bool,
        /// Statements ran after the transaction committed, one by one (online DDL).
        online_phase: bool,
        earlier_drift: Option<String>,
    },
    AlreadyApplied,
}

/// The error of a failed statement: which run, which statement (position, line, first line),
/// the database's message, and what became of the rest.
fn failed_statement(
    subject: &str,
    script_path: Option<&str>,
    statements: &[ScriptStatement],
    position: usize,
    message: String,
    consequence: &str,
) -> CommandError {
    let statement = &statements[position];
    let file_name = script_path.map(|path| {
        std::path::Path::new(path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    CommandError::StatementFailed {
        failure: Box::new(FailedStatement {
            subject: subject.to_string(),
            file_name,
            position: position + 1,
            count: statements.len(),
            line: statement.line,
            first_line: statement.first_line().to_string(),
            message,
            consequence: consequence.to_string(),
        }),
    }
}

/// Turns a failure of `run_script_statements` into an error that names the statement, when it
/// is a statement's error (the work around the statements, such as re-creating what a rebuild
/// dropped or the foreign key check, is not).
fn statement_error(
    failure: ScriptFailure,
    subject: &str,
    script_path: Option<&str>,
    statements: &[ScriptStatement],
    consequence: &str,
) -> CommandError {
    match (failure.position, failure.error) {
        (Some(position), RunnerError::StatementFailed { message, .. })
            if position < statements.len() =>
        {
            failed_statement(
                subject,
                script_path,
                statements,
                position,
                message,
                consequence,
            )
        }
        // An interruption keeps its own error, so that the process exits as a signal ends it
        // (130 for SIGINT); its message already says what became of the migration.
        (_, interrupted @ RunnerError::Interrupted { .. }) => CommandError::Runner(interrupted),
        // The work around the statements (foreign keys, the dependents a rebuild puts back),
        // and other failures of a statement (a lock or statement timeout): the same error,
        // saying which run it is about.
        (_, other) => CommandError::refused(other.code(), format!("{subject}: {other}")),
    }
}

/// The planner's analysis of what running `statements` requires: done once per run, and
/// followed from here on without reading the statements' text again. A refusal (transaction
/// control the run cannot allow) keeps the planner's code and message.
fn analyze(
    backend: &mut dyn MigrationBackend,
    origin: &str,
    statements: Vec<ScriptStatement>,
    always_in_transaction: bool,
) -> Result<MigrationScript, CommandError> {
    // The server's version matters only to decide whether a statement keeps the script out
    // of a transaction.
    let server_version_number = match always_in_transaction {
        true => None,
        false => backend.server_version_number()?,
    };
    let target = ScriptTarget {
        server_version_number,
        always_in_transaction,
    };
    analyze_migration_statements(backend.provider(), origin, statements, &target)
        .map_err(|error: ScriptError| CommandError::refused(error.code(), error.to_string()))
}

const TRANSACTION_ENDED_EARLY: &str = "transaction-ended-early";

fn transaction_ended_early(subject: &str, error: &RunnerError, consequence: &str) -> CommandError {
    let message = match error {
        RunnerError::StatementFailed { message, .. } => message.clone(),
        other => other.to_string(),
    };
    CommandError::refused(
        TRANSACTION_ENDED_EARLY,
        format!(
            "{subject} ended the transaction comon ran it in (comon's savepoint is gone: {message}), so part of it may have been committed on its own. {consequence}"
        ),
    )
}

/// Runs a `db execute` script in one transaction: wrapping `BEGIN; ... COMMIT;` pairs are
/// dropped, other transaction control is refused before anything runs, and on SQLite foreign
/// keys are checked before the commit. Statements after a `-- comon:after-commit` line run
/// after the commit, each on its own, as in a migration.
pub fn run_script(
    backend: &mut dyn MigrationBackend,
    script_path: &str,
    statements: Vec<ScriptStatement>,
) -> Result<(), CommandError> {
    let script = analyze(backend, script_path, statements, true)?;
    backend.prepare_for_script(&script.requirements)?;
    let result = (|| -> Result<(), CommandError> {
        backend.begin_guarded_transaction()?;
        backend.run_script_statements(&script).map_err(|failure| {
            statement_error(
                failure,
                script_path,
                None,
                &script.statements,
                "Nothing of the script was applied: it was rolled back.",
            )
        })?;
        backend.release_guard().map_err(|error| {
            transaction_ended_early(
                script_path,
                &error,
                "Check what the database holds before running it again.",
            )
        })?;
        backend.commit()?;
        Ok(())
    })();
    if result.is_err() {
        // The error being returned is the useful one; ROLLBACK outside a transaction is harmless.
        let _ = backend.roll_back();
    }
    let restored = backend.restore_after_script(&script.requirements);
    if result.is_ok() {
        restored?;
    }
    result?;
    // A `-- comon:after-commit` line: the statements after it run now, each on its own.
    backend
        .run_after_commit_statements(&script)
        .map_err(|failure| {
            statement_error(
                failure,
                script_path,
                None,
                &script.statements,
                "The statements above the `-- comon:after-commit` line were committed; this one failed on its own and those after it did not run.",
            )
        })
}

/// Whether the history (read now, inside the caller's lock) already has `name` active, or
/// refuses because it failed.
fn already_active(backend: &mut dyn MigrationBackend, name: &str) -> Result<bool, CommandError> {
    let replay = replay_history(&backend.load_history()?);
    if let Some(failed) = replay.failed_row(name) {
        return Err(failed_migration_error(failed));
    }
    Ok(replay.is_active(name))
}

/// The refusal of a migration whose latest row is `failed`, or `started`: a run that never
/// ended (killed, or its connection lost), which says what may be half done.
pub fn failed_migration_error(row: &HistoryRow) -> CommandError {
    let name = &row.name;
    let message = match row.state {
        HistoryState::Started => format!(
            "Migration {name} was interrupted before it finished (its history row is `started`: the process was killed or lost its connection) and blocks further migrations. What it ran stays applied: with an online phase, every statement above the `-- comon:after-commit` line, and the statements after it up to the one that was cut short. Repair the database (drop each INVALID index `comon migrate status` names with `DROP INDEX CONCURRENTLY`, run the statements that did not finish; one that already ran fails with \"already exists\" or \"does not exist\"), then run `migrate resolve --applied {name}`, or undo what it did and run `migrate resolve --rolled-back {name}`."
        ),
        _ => format!(
            "Migration {name} failed earlier and blocks further migrations. Repair the database, then run `migrate resolve --applied {name}` or `migrate resolve --rolled-back {name}`."
        ),
    };
    CommandError::refused("failed-migration", message)
}

/// The planner options for a difference that is described, not run: the plain statements say
/// what differs more plainly than their online forms.
pub fn describing_options() -> DiffOptions {
    DiffOptions {
        online_ddl: OnlineDdl::Off,
        ..DiffOptions::default()
    }
}

/// The live database (the previous side) and the plan that would take it to what the history
/// expects.
pub struct LiveDifference {
    pub live: DatabaseSchema,
    pub plan: MigrationPlan,
}

impl LiveDifference {
    /// What differs, in words.
    pub fn in_words(&self) -> Vec<Difference> {
        describe_differences(&self.live, &self.plan, DATABASE_AND_MIGRATIONS)
    }
}

/// The sides of every difference the driver reports: the live database against what the
/// migrations describe.
const DATABASE_AND_MIGRATIONS: DifferenceSides<'static> = DifferenceSides {
    previous: "the database",
    next: "the migrations",
};

/// A difference in words, one indented line per object, for messages: what a person needs to
/// decide what to do. The SQL that would undo it is what `migrate diff --from-database
/// --to-migrations <folder> --script` prints, and messages say so where it helps.
pub fn describe_difference(live: &DatabaseSchema, plan: &MigrationPlan) -> String {
    describe_differences(live, plan, DATABASE_AND_MIGRATIONS)
        .iter()
        .map(|difference| format!("\n  - {difference}"))
        .collect()
}

/// Runs one migration as the planner's analysis of its statements says: in one transaction
/// with its history row, or, when a statement cannot run in one, statement by statement after
/// a `started` row.
pub fn run_migration(
    backend: &mut dyn MigrationBackend,
    mut run: MigrationRun<'_>,
) -> Result<RunOutcome, CommandError> {
    let origin = run
        .script_path
        .clone()
        .unwrap_or_else(|| run.subject.clone());
    let statements = std::mem::take(&mut run.statements);
    let script = analyze(backend, &origin, statements, false)?;
    if script.requirements.transaction == TransactionRequirement::Forbidden {
        return run_outside_transaction(backend, &script, run);
    }
    let phase = match script.after_commit_statements().is_empty() {
        true => TransactionPhase::Whole,
        false => TransactionPhase::BeforeOnlinePhase,
    };
    // After a rollback nothing of the transaction is left: it can run again from its start.
    let mut retry = 0;
    let committed = loop {
        match run_in_transaction(backend, &script, &run, phase) {
            Err(error)
                if error.code() == "lock-timeout"
                    && backend.wait_before_lock_retry(retry + 1, &run.subject) =>
            {
                retry += 1;
            }
            result => break result?,
        }
    };
    match committed {
        Committed::AlreadyApplied => Ok(RunOutcome::AlreadyApplied),
        Committed::Whole { earlier_drift } => Ok(RunOutcome::Applied {
            in_transaction: true,
            online_phase: false,
            earlier_drift,
        }),
        Committed::BeforeOnlinePhase {
            history_id,
            live_before,
        } => run_online_phase(backend, &script, &run, history_id, live_before),
    }
}

/// What the transaction of a run covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransactionPhase {
    /// Every statement, the check against the expected schema and a `finished` history row.
    Whole,
    /// The statements before the online phase and a `started` row; the check comes after the
    /// online phase, which needs the commit first.
    BeforeOnlinePhase,
}

/// What a committed transaction leaves for the rest of the run.
enum Committed {
    AlreadyApplied,
    Whole {
        earlier_drift: Option<String>,
    },
    BeforeOnlinePhase {
        history_id: i64,
        live_before: Option<DatabaseSchema>,
    },
}

fn run_in_transaction(
    backend: &mut dyn MigrationBackend,
    script: &MigrationScript,
    run: &MigrationRun<'_>,
    phase: TransactionPhase,
) -> Result<Committed, CommandError> {
    backend.prepare_for_script(&script.requirements)?;
    let mut result = run_statements_and_commit(backend, script, run, phase);
    if !matches!(
        result,
        Ok(Committed::Whole { .. } | Committed::BeforeOnlinePhase { .. })
    ) {
        // The error being returned is the useful one; ROLLBACK outside a transaction is harmless.
        let _ = backend.roll_back();
    }
    if let Err(error) = &result {
        if error.code() == TRANSACTION_ENDED_EARLY {
            // What was committed on its own is unknown: record the migration as failed, so that
            // deploys stop and say so until someone looks and runs `migrate resolve`.
            let mut failed = run.row.clone();
            failed.state = HistoryState::Failed;
            failed.failure_message = Some(error.to_string());
            if let Err(record_error) = backend.insert_history_row(&failed) {
                result = Err(CommandError::refused(
                    TRANSACTION_ENDED_EARLY,
                    format!("{error}\nRecording it as failed did not work either: {record_error}"),
                ));
            }
        }
    }
    let restored = backend.restore_after_script(&script.requirements);
    if result.is_ok() {
        restored?;
    }
    result
}

fn run_statements_and_commit(
    backend: &mut dyn MigrationBackend,
    script: &MigrationScript,
    run: &MigrationRun<'_>,
    phase: TransactionPhase,
) -> Result<Committed, CommandError> {
    backend.begin_guarded_transaction()?;
    if let Some(name) = run.skip_if_active {
        if already_active(backend, name)? {
            return Ok(Committed::AlreadyApplied);
        }
    }
    let live_before = match &run.expected {
        Some(_) => Some(backend.introspect()?),
        None => None,
    };
    backend.run_script_statements(script).map_err(|failure| {
        statement_error(
            failure,
            &run.subject,
            run.script_path.as_deref(),
            &script.statements,
            "It was rolled back: nothing of it was applied, and it is not recorded.",
        )
    })?;
    backend.release_guard().map_err(|error| {
        transaction_ended_early(
            &run.subject,
            &error,
            &format!(
                "It is recorded as failed. Check the database, then run `migrate resolve --applied {name}` or `migrate resolve --rolled-back {name}`.",
                name = run.row.name
            ),
        )
    })?;
    if phase == TransactionPhase::BeforeOnlinePhase {
        let mut row = run.row.clone();
        row.state = HistoryState::Started;
        let history_id = backend.insert_history_row(&row)?;
        backend.commit()?;
        return Ok(Committed::BeforeOnlinePhase {
            history_id,
            live_before,
        });
    }
    let earlier_drift = match (&run.expected, &live_before) {
        (Some(expected), Some(live_before)) => {
            check_against_expected(backend, run, expected, live_before)?
        }
        _ => None,
    };
    let mut row = run.row.clone();
    row.state = HistoryState::Finished;
    backend.insert_history_row(&row)?;
    backend.commit()?;
    Ok(Committed::Whole { earlier_drift })
}

/// The online phase of a run whose transactional part committed with a `started` row: its
/// statements one by one (`run_after_commit_statements`), then the check against the expected
/// schema, then the row is `finished`. A failure cannot be rolled back any more: the row becomes
/// `failed` with the database's message, which blocks `migrate deploy` until the database is
/// repaired and `migrate resolve` says so; a failed concurrent build has its INVALID index
/// dropped again, and when nothing committed before it the migration changed nothing and is
/// not recorded.
fn run_online_phase(
    backend: &mut dyn MigrationBackend,
    script: &MigrationScript,
    run: &MigrationRun<'_>,
    history_id: i64,
    live_before: Option<DatabaseSchema>,
) -> Result<RunOutcome, CommandError> {
    let name = &run.row.name;
    let resolve = format!(
        "then run `migrate resolve --applied {name}` (or repair it back and `migrate resolve --rolled-back {name}`)"
    );
    if let Err(failure) = backend.run_after_commit_statements(script) {
        let Some(position) = failure.position else {
            return Err(failure.error.into());
        };
        if let RunnerError::ConnectionLost { .. } = &failure.error {
            // Nothing can be read or recorded without the connection: the row stays `started`,
            // which the next deploy refuses to pass, and whether the statement completed is
            // for a person to check.
            return Err(CommandError::refused(
                failure.error.code(),
                format!(
                    "{}: {} Its statements above the `-- comon:after-commit` line were committed with a `started` history row, which stays and blocks `migrate deploy` (failed-migration). Once the database answers, drop each INVALID index `comon migrate status` names, run this statement and the ones after it again, {resolve}.",
                    run.subject, failure.error
                ),
            ));
        }
        let message = match &failure.error {
            RunnerError::StatementFailed { message, .. } => message.clone(),
            other => other.to_string(),
        };
        let invalid = invalid_index_repairs(backend);
        let nothing_applied = script.transactional_statements().is_empty()
            && position == script.after_commit_position()
            && invalid.is_empty();
        if nothing_applied {
            backend.delete_history_row(history_id)?;
            return Err(failed_statement(
                &run.subject,
                run.script_path.as_deref(),
                &script.statements,
                position,
                message,
                "Nothing of it was applied (a failed concurrent index build is dropped again), and it is not recorded.",
            ));
        }
        let recorded = format!(
            "statement {} (online phase) failed: {}",
            position + 1,
            message.lines().next().unwrap_or("")
        );
        backend.update_history_state(history_id, HistoryState::Failed, Some(&recorded))?;
        let consequence = format!(
            "It failed in the online phase, which runs after the migration's transaction committed: the statements before this one stay applied, and the migration is recorded as failed, which blocks `migrate deploy`.{invalid} Run this statement and the ones after it by hand (psql runs each on its own), {resolve}."
        );
        return Err(failed_statement(
            &run.subject,
            run.script_path.as_deref(),
            &script.statements,
            position,
            message,
            &consequence,
        ));
    }
    let mut earlier_drift = None;
    if let (Some(expected), Some(live_before)) = (&run.expected, &live_before) {
        let (caused, drift) = differences_after_run(backend, expected, live_before)?;
        if !caused.plan.steps.is_empty() {
            backend.update_history_state(
                history_id,
                HistoryState::Failed,
                Some("the database does not match the schema snapshot after the online phase"),
            )?;
            return Err(CommandError::refused(
                "verification-failed",
                format!(
                    "{} ran, online phase included, but afterwards the database does not match its schema snapshot; it is recorded as failed. It still differs by:{}\nRepair the database, {resolve}.",
                    run.subject,
                    describe_difference(&caused.live, &caused.plan)
                ),
            ));
        }
        earlier_drift = drift;
    }
    backend.update_history_state(history_id, HistoryState::Finished, None)?;
    Ok(RunOutcome::Applied {
        in_transaction: true,
        online_phase: true,
        earlier_drift,
    })
}

/// ` The index ... is INVALID ...` with the repair, for each INVALID index the live database
/// now has; empty when there is none or the database cannot say.
fn invalid_index_repairs(backend: &mut dyn MigrationBackend) -> String {
    let Ok(live) = backend.introspect() else {
        return String::new();
    };
    planner::migrations::invalid_indexes(&live)
        .iter()
        .map(|invalid| format!(" {}", invalid.repair()))
        .collect()
}

/// The check before the commit. What the run changed must match `next`; differences from
/// `previous` that existed before the run and that it left exactly as they were (a hand-made
/// index, say) are drift it did not cause: they come back as a description, not an error.
fn check_against_expected(
    backend: &mut dyn MigrationBackend,
    run: &MigrationRun<'_>,
    expected: &ExpectedChange,
    live_before: &DatabaseSchema,
) -> Result<Option<String>, CommandError> {
    let (caused, earlier_drift) = differences_after_run(backend, expected, live_before)?;
    if !caused.plan.steps.is_empty() {
        return Err(CommandError::refused(
            "verification-failed",
            format!(
                "{} was rolled back: after its statements ran, the database does not match its schema snapshot. It still differs by:{}",
                run.subject,
                describe_difference(&caused.live, &caused.plan)
            ),
        ));
    }
    Ok(earlier_drift)
}

/// What the run left different from `next` that was not there before it (`caused`), and the
/// description of the drift from before the run, as `check_against_expected` reports it.
fn differences_after_run(
    backend: &mut dyn MigrationBackend,
    expected: &ExpectedChange,
    live_before: &DatabaseSchema,
) -> Result<(LiveDifference, Option<String>), CommandError> {
    let planning_error =
        |error: planner::SchemaError| CommandError::refused("invalid-snapshot", error.to_string());
    let live_after = backend.introspect()?;
    let drift_before = plan_migration(live_before, &expected.previous, &describing_options())
        .map_err(planning_error)?;
    let mut caused = plan_migration(&live_after, &expected.next, &describing_options())
        .map_err(planning_error)?;
    let mut left_alone = caused.clone();
    caused
        .steps
        .retain(|step| !drift_before.steps.contains(step));
    left_alone
        .steps
        .retain(|step| drift_before.steps.contains(step));
    // Drift the run did not leave alone: it changed those objects (a rebuilt table, a dropped
    // one), so what was made by hand there may be gone. Said, so that nothing disappears unseen.
    let mut changed = drift_before.clone();
    changed
        .steps
        .retain(|step| !left_alone.steps.contains(step));
    let mut description = String::new();
    if !left_alone.steps.is_empty() {
        description.push_str(&format!(
            "\nLeft as they were:{}",
            describe_difference(live_before, &left_alone)
        ));
    }
    if !changed.steps.is_empty() {
        description.push_str(&format!(
            "\nGone, because it changed those objects (what was made by hand there is lost):{}",
            describe_difference(live_before, &changed)
        ));
    }
    Ok((
        LiveDifference {
            live: live_after,
            plan: caused,
        },
        (!description.is_empty()).then_some(description),
    ))
}

fn run_outside_transaction(
    backend: &mut dyn MigrationBackend,
    script: &MigrationScript,
    run: MigrationRun<'_>,
) -> Result<RunOutcome, CommandError> {
    let mut started = run.row.clone();
    started.state = HistoryState::Started;
    // Claim the migration with a `started` row, in a short write transaction so that a second
    // runner sees the claim.
    backend.begin_write_transaction()?;
    let claimed = (|| -> Result<Option<i64>, CommandError> {
        if let Some(name) = run.skip_if_active {
            if already_active(backend, name)? {
                return Ok(None);
            }
        }
        Ok(Some(backend.insert_history_row(&started)?))
    })();
    let id = match claimed {
        Ok(Some(id)) => {
            backend.commit()?;
            id
        }
        Ok(None) => {
            let _ = backend.roll_back();
            return Ok(RunOutcome::AlreadyApplied);
        }
        Err(error) => {
            let _ = backend.roll_back();
            return Err(error);
        }
    };
    if let Err(failure) = backend.run_script_statements(script) {
        // Such a script has no work around its statements, so every failure is a statement's.
        if let Some(position) = failure.position {
            let message = match &failure.error {
                RunnerError::StatementFailed { message, .. } => message.clone(),
                other => other.to_string(),
            };
            let recorded = format!(
                "statement {} failed: {}",
                position + 1,
                message.lines().next().unwrap_or("")
            );
            backend.update_history_state(id, HistoryState::Failed, Some(&recorded))?;
            let consequence = format!(
                "It ran outside a transaction: the statements before this one stay applied, and the migration is recorded as failed, which blocks `migrate deploy`. Repair the database, then run `migrate resolve --applied {name}` or `migrate resolve --rolled-back {name}`.",
                name = run.row.name
            );
            return Err(failed_statement(
                &run.subject,
                run.script_path.as_deref(),
                &script.statements,
                position,
                message,
                &consequence,
            ));
        }
        return Err(failure.error.into());
    }
    backend.update_history_state(id, HistoryState::Finished, None)?;
    Ok(RunOutcome::Applied {
        in_transaction: false,
        online_phase: false,
        earlier_drift: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner::migrations::{HistoryKind, HISTORY_TABLE_NAME};

    fn row(name: &str) -> HistoryRow {
        HistoryRow {
            id: None,
            name: name.to_string(),
            applied_at: String::new(),
            statement_count: 1,
            kind: HistoryKind::Apply,
            target_name: None,
            provider: Some("sqlite".to_string()),
            checksum: Some("0".repeat(64)),
            before_schema: None,
            after_schema: None,
            warnings: Vec::new(),
            rebuild_required: false,
            state: HistoryState::Finished,
            failure_message: None,
        }
    }

    /// A script that ends comon's transaction in a way the text analysis does not see (here the
    /// statements are handed over without it) is caught by the savepoint, recorded as failed,
    /// and reported with its own code.
    fn guard_catches_an_ended_transaction(url: &str) {
        let mut backend =
            crate::backend::backend_for(comon_database::Database::open(url).expect("database"));
        backend.ensure_history_table().expect("history table");
        let sqlite = backend.provider() == planner::Provider::Sqlite;
        let script = MigrationScript {
            statements: [
                "CREATE TABLE a (x INTEGER)",
                "COMMIT",
                "CREATE TABLE b (x INTEGER)",
            ]
            .into_iter()
            .map(|text| ScriptStatement::planned(text.to_string()))
            .collect(),
            requirements: planner::plan::ExecutionRequirements {
                transaction: TransactionRequirement::Required,
                sqlite_foreign_keys_off: sqlite,
                foreign_key_check_before_commit: sqlite,
                rebuilt_tables: Vec::new(),
                after_commit_from: None,
                before_retry: Vec::new(),
            },
        };
        let run = MigrationRun {
            statements: Vec::new(),
            row: row("1_guard"),
            subject: "Migration 1_guard".to_string(),
            script_path: None,
            expected: None,
            skip_if_active: None,
        };
        let error = run_in_transaction(backend.as_mut(), &script, &run, TransactionPhase::Whole)
            .err()
            .expect("the guard catches the ended transaction");
        assert_eq!(error.code(), TRANSACTION_ENDED_EARLY, "{error}");
        assert!(
            error
                .to_string()
                .contains("migrate resolve --applied 1_guard"),
            "{error}"
        );
        let states = backend
            .database()
            .query_rows(&format!("SELECT name, state FROM \"{HISTORY_TABLE_NAME}\""))
            .expect("history rows");
        assert_eq!(
            states,
            vec![vec![
                Some("1_guard".to_string()),
                Some("failed".to_string())
            ]]
        );
    }

    #[test]
    fn the_guard_savepoint_catches_a_transaction_ended_behind_comons_back_on_sqlite() {
        let folder = tempfile::tempdir().expect("folder");
        guard_catches_an_ended_transaction(&format!(
            "file:{}",
            folder.path().join("guard.db").display()
        ));
    }

    #[test]
    fn the_guard_savepoint_catches_a_transaction_ended_behind_comons_back_on_postgresql() {
        // Only the URL comes from the test support crate: it links its own copy of this crate.
        let database = ::tests::TemporaryPostgresDatabase::new();
        guard_catches_an_ended_transaction(database.url());
    }
}
