//! Running one migration together with its history row: the driver loop's single step.
//!
//! A migration whose statements can all run in a transaction runs in one, with its history row
//! (and on SQLite the foreign key check, on PostgreSQL the comparison with the expected schema)
//! before the commit: it happens entirely or not at all. A migration holding a statement that
//! cannot run in a transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`, ...) runs statement by
//! statement instead, after a `started` history row; it ends `finished`, or `failed` with the
//! database's message, which blocks `migrate deploy` until `migrate resolve`.

use super::history_table::{insert_history_row, load_history, update_history_state};
use super::transaction_rules::must_run_outside_transaction;
use crate::command_error::CommandError;
use crate::error::RunnerError;
use crate::Database;
use planner::migrations::{database_schema_from_snapshot, replay_history, HistoryRow, HistoryState};
use planner::{plan_migration, render_plan, DiffOptions, MigrationPlan, Provider};

/// One migration to run.
pub struct MigrationRun<'a> {
    pub statements: Vec<String>,
    /// The history row to write; its `state` is set here.
    pub row: HistoryRow,
    /// PostgreSQL only: the schema snapshot the database must match before the commit.
    pub expected_schema: Option<&'a str>,
    /// Skip the run when this migration is already active once the write lock is held: another
    /// runner applied it meanwhile.
    pub skip_if_active: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    Applied { in_transaction: bool },
    AlreadyApplied,
}

/// `server_version_num` on PostgreSQL; `None` on SQLite.
fn server_version_number(database: &mut Database) -> Result<Option<u32>, RunnerError> {
    if database.provider() != Provider::Postgresql {
        return Ok(None);
    }
    let rows = database.query_rows("SHOW server_version_num")?;
    Ok(rows.first().and_then(|row| row.first()).cloned().flatten().and_then(|text| text.trim().parse().ok()))
}

/// Runs one statement, naming its position in the migration when it fails.
fn execute_statement(database: &mut Database, position: usize, statement: &str) -> Result<(), RunnerError> {
    database.execute_batch(statement).map_err(|error| match error {
        RunnerError::StatementFailed { statement, message, .. } => {
            RunnerError::StatementFailed { statement, position: Some(position), message }
        }
        other => other,
    })
}

/// Whether the history (read now, inside the caller's lock) already has `name` active, or
/// refuses because it failed.
fn already_active(database: &mut Database, name: &str) -> Result<bool, CommandError> {
    let replay = replay_history(&load_history(database)?);
    if replay.failed_row(name).is_some() {
        return Err(failed_migration_error(name));
    }
    Ok(replay.is_active(name))
}

pub fn failed_migration_error(name: &str) -> CommandError {
    CommandError::refused(
        "failed-migration",
        format!(
            "Migration {name} failed earlier and blocks further migrations. Repair the database, then run `migrate resolve --applied {name}` or `migrate resolve --rolled-back {name}`."
        ),
    )
}

/// The steps that would take the live database to `expected`, or `None` when it matches.
pub fn difference_from_snapshot(
    database: &mut Database,
    expected_snapshot: &str,
) -> Result<Option<MigrationPlan>, CommandError> {
    let provider = database.provider();
    let expected = database_schema_from_snapshot(provider, expected_snapshot).map_err(|errors| {
        CommandError::refused("invalid-snapshot", format!("A recorded schema snapshot cannot be read: {errors}"))
    })?;
    let live = database.introspect()?;
    let plan = plan_migration(&live, &expected, &DiffOptions::default())
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
    Ok((!plan.is_empty()).then_some(plan))
}

/// The steps and SQL of a difference, indented, for messages.
pub fn describe_difference(plan: &MigrationPlan) -> String {
    let mut description = String::new();
    for step in &plan.steps {
        description.push_str(&format!("\n  - {}", step.summary()));
    }
    for statement in render_plan(plan).statements {
        description.push_str(&format!("\n    {};", statement.replace('\n', "\n    ")));
    }
    description
}

pub fn run_migration(database: &mut Database, run: MigrationRun<'_>) -> Result<RunOutcome, CommandError> {
    let server_version = server_version_number(database)?;
    let provider = database.provider();
    let in_transaction =
        !run.statements.iter().any(|statement| must_run_outside_transaction(provider, statement, server_version));
    if in_transaction {
        run_in_transaction(database, run)
    } else {
        run_outside_transaction(database, run)
    }
}

fn run_in_transaction(database: &mut Database, run: MigrationRun<'_>) -> Result<RunOutcome, CommandError> {
    let sqlite = database.provider() == Provider::Sqlite;
    if sqlite {
        // Outside the transaction, where the pragma takes effect: SQLite's table rebuild
        // procedure needs foreign keys off; the check before the commit replaces them.
        database.execute_batch("PRAGMA foreign_keys = OFF")?;
    }
    let result = run_statements_and_commit(database, &run, sqlite);
    if !matches!(result, Ok(RunOutcome::Applied { .. })) {
        // The error being returned is the useful one; ROLLBACK outside a transaction is harmless.
        let _ = database.execute_batch("ROLLBACK");
    }
    if sqlite {
        let restored = database.execute_batch("PRAGMA foreign_keys = ON");
        if result.is_ok() {
            restored?;
        }
    }
    result
}

fn run_statements_and_commit(
    database: &mut Database,
    run: &MigrationRun<'_>,
    sqlite: bool,
) -> Result<RunOutcome, CommandError> {
    database.execute_batch(if sqlite { "BEGIN IMMEDIATE" } else { "BEGIN" })?;
    if let Some(name) = run.skip_if_active {
        if already_active(database, name)? {
            return Ok(RunOutcome::AlreadyApplied);
        }
    }
    database.run_migration_statements(&run.statements)?;
    let mut row = run.row.clone();
    row.state = HistoryState::Finished;
    insert_history_row(database, &row)?;
    // On SQLite run_migration_statements has checked the foreign keys; PostgreSQL checks them
    // itself, so what is left there is comparing the result with the migration's snapshot.
    if let (false, Some(expected)) = (sqlite, run.expected_schema) {
        if let Some(difference) = difference_from_snapshot(database, expected)? {
            return Err(CommandError::refused(
                "verification-failed",
                format!(
                    "Migration {} was rolled back: after its statements ran, the database does not match its schema snapshot. It still differs by:{}",
                    run.row.name,
                    describe_difference(&difference)
                ),
            ));
        }
    }
    database.execute_batch("COMMIT")?;
    Ok(RunOutcome::Applied { in_transaction: true })
}

fn run_outside_transaction(database: &mut Database, run: MigrationRun<'_>) -> Result<RunOutcome, CommandError> {
    let sqlite = database.provider() == Provider::Sqlite;
    let mut started = run.row.clone();
    started.state = HistoryState::Started;
    // Claim the migration with a `started` row, in a short write transaction so that a second
    // runner sees the claim.
    database.execute_batch(if sqlite { "BEGIN IMMEDIATE" } else { "BEGIN" })?;
    let claimed = (|| -> Result<Option<i64>, CommandError> {
        if let Some(name) = run.skip_if_active {
            if already_active(database, name)? {
                return Ok(None);
            }
        }
        Ok(Some(insert_history_row(database, &started)?))
    })();
    let id = match claimed {
        Ok(Some(id)) => {
            database.execute_batch("COMMIT")?;
            id
        }
        Ok(None) => {
            let _ = database.execute_batch("ROLLBACK");
            return Ok(RunOutcome::AlreadyApplied);
        }
        Err(error) => {
            let _ = database.execute_batch("ROLLBACK");
            return Err(error);
        }
    };
    for (position, statement) in run.statements.iter().enumerate() {
        if let Err(error) = execute_statement(database, position, statement) {
            let message = match &error {
                RunnerError::StatementFailed { message, .. } => {
                    format!("statement {} failed: {}", position + 1, message.lines().next().unwrap_or(""))
                }
                other => other.to_string(),
            };
            update_history_state(database, id, HistoryState::Failed, Some(&message))?;
            return Err(error.into());
        }
    }
    update_history_state(database, id, HistoryState::Finished, None)?;
    Ok(RunOutcome::Applied { in_transaction: false })
}
