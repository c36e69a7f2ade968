//! `migrate status`: compares the migrations folder, the history table and the live schema.

use super::{history_schema, MigrationsFolder};
use crate::apply::{describing_options, LiveDifference};
use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::expected_schema::parse_snapshot;
use crate::local_folders::LocalMigrations;
use crate::replayed_schema::{
    schema_built_by_migrations, MigrationScriptText, ScratchServer, SCRATCH_UNAVAILABLE_CODE,
};
use planner::migrations::drift::Difference;
use planner::migrations::{
    compute_status, invalid_indexes, replay_history, HistoryReplay, InvalidIndex, MigrationStatus,
    StatusInput, StatusIssue,
};
use planner::{plan_migration, DatabaseSchema};

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
    /// When the schema the folders build had to be replayed into a scratch database (the
    /// interpreter could not follow a statement): the sentence that says so and why.
    pub schema_replayed: Option<String>,
    /// comon_orm folders whose `migration.sql` does not build their `after.prisma`
    /// (`SCRIPT_DIFFERS_FROM_SNAPSHOT_CODE`) or could not be checked
    /// (`SCRIPT_NOT_CHECKED_CODE`). Warnings, not issues: `status.is_clean()` ignores them.
    pub script_findings: Vec<StatusIssue>,
}

/// What `status` finds, and why drift was not checked when it was not.
pub fn status_report(
    backend: &mut dyn MigrationBackend,
    folder: &mut dyn MigrationsFolder,
) -> Result<StatusReport, CommandError> {
    let local = folder.read(backend.provider())?;
    let (replay, drift, invalid_indexes) = read_in_one_snapshot(backend, |backend| {
        let replay = replay_history(&backend.load_history()?);
        // One introspection serves the drift check and the invalid indexes.
        let live = backend.introspect()?;
        let drift = match local.migrations.first() {
            Some(first) if !first.has_snapshots() => {
                drift_from_prisma_folders(backend, &live, &local, &replay)?
            }
            _ => Ok((drift_since(backend, &live)?, None)),
        };
        let invalid_indexes = invalid_indexes(&live);
        Ok((replay, drift, invalid_indexes))
    })?;
    let script_findings = script_findings(backend, &local, &replay)?;
    let (drift, drift_not_checked, schema_replayed) = match drift {
        Ok((drift, notice)) => (drift, None, notice),
        Err(reason) => (None, Some(reason), None),
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
        schema_replayed,
        script_findings,
    })
}

/// The latest migration (or rollback) of the history and what differs, in words, when the live
/// schema differs from what the history describes. A snapshot that cannot be read is not drift:
/// status reports what it can.
fn drift_since(
    backend: &mut dyn MigrationBackend,
    live: &DatabaseSchema,
) -> Result<Option<(String, Vec<Difference>)>, CommandError> {
    let described = match history_schema(backend) {
        Ok(Some(described)) => described,
        Ok(None) => return Ok(None),
        Err(CommandError::Runner(error)) => return Err(CommandError::Runner(error)),
        Err(_) => return Ok(None),
    };
    match difference_from_live(live, &described.schema) {
        Ok(Some(difference)) => Ok(Some((described.latest_name, difference.in_words()))),
        Ok(None) => Ok(None),
        Err(CommandError::Runner(error)) => Err(CommandError::Runner(error)),
        Err(_) => Ok(None),
    }
}

/// Drift in a Prisma project, whose folders have no `after.prisma`: the schema the active
/// migrations' `migration.sql` files build, in the order they were applied
/// (`replayed_schema::schema_built_by_migrations`: the interpreter, or a replay into a scratch
/// database when it cannot follow a statement), against the live database. When that schema
/// cannot be known (a folder of an active migration is gone, a script cannot be split, the
/// scratch database cannot be created), the inner `Err` says why and there is no drift check:
/// a guess would be worse than no answer. The `Ok` side also carries the replay notice.
type PrismaDrift = Result<(Option<(String, Vec<Difference>)>, Option<String>), String>;

fn drift_from_prisma_folders(
    backend: &mut dyn MigrationBackend,
    live: &DatabaseSchema,
    local: &LocalMigrations,
    replay: &HistoryReplay,
) -> Result<PrismaDrift, CommandError> {
    let Some(latest) = replay.active.last() else {
        return Ok(Ok((None, None)));
    };
    let mut scripts = Vec::with_capacity(replay.active.len());
    for active in &replay.active {
        match local.find(&active.name) {
            Some(migration) => scripts.push(MigrationScriptText {
                origin: active.name.as_str(),
                sql: migration.migration_sql.as_str(),
            }),
            None => {
                return Ok(Err(format!(
                    "the folder of the active migration {} is gone",
                    active.name
                )))
            }
        }
    }
    let provider = backend.provider();
    let scratch = ScratchServer::for_database(backend.database());
    let built = match schema_built_by_migrations(
        provider,
        &DatabaseSchema::empty(provider),
        &scripts,
        &scratch,
    ) {
        Ok(built) => built,
        Err(CommandError::Runner(error)) => return Err(CommandError::Runner(error)),
        Err(other) => return Ok(Err(format!("{}: {other}", other.code()))),
    };
    let notice = built.replay_notice();
    match difference_from_live(live, &built.schema) {
        Ok(Some(difference)) => Ok(Ok((
            Some((latest.name.clone(), difference.in_words())),
            notice,
        ))),
        Ok(None) => Ok(Ok((None, notice))),
        Err(CommandError::Runner(error)) => Err(CommandError::Runner(error)),
        Err(other) => Ok(Err(other.to_string())),
    }
}

/// The steps from the live schema (read once per status) to `expected`, or `None` when it
/// matches.
fn difference_from_live(
    live: &DatabaseSchema,
    expected: &DatabaseSchema,
) -> Result<Option<LiveDifference>, CommandError> {
    let plan = plan_migration(live, expected, &describing_options())
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
    Ok((!plan.is_empty()).then(|| LiveDifference {
        live: live.clone(),
        plan,
    }))
}

/// The code of a comon_orm folder whose `migration.sql` does not build its `after.prisma`.
pub const SCRIPT_DIFFERS_FROM_SNAPSHOT_CODE: &str = "migration-sql-differs-from-snapshot";
/// The code of a comon_orm folder whose `migration.sql` could not be checked at all.
pub const SCRIPT_NOT_CHECKED_CODE: &str = "migration-sql-not-checked";

/// For each comon_orm folder (with snapshots) whose `migration.sql` is not a placeholder: the
/// schema the script builds on top of its `before.prisma` (the interpreter, or a replay), which
/// must equal its `after.prisma`. A hand edit that adds, drops or changes something the
/// snapshot does not say is a finding naming the folder and the first differences. Findings
/// are warnings of `migrate status`, not issues: a front end makes them issues on request.
///
/// The check runs the migration SQL interpreter only, never the folder's SQL: `status` is a
/// read, and a replay into a scratch database would run whatever the interpreter cannot follow
/// (a function call, a `pg_sleep(600)`, a long data migration) on every call. A pending folder
/// the interpreter cannot follow is a `SCRIPT_NOT_CHECKED_CODE` finding that says why; `deploy`
/// still compares what it builds with its `after.prisma` after applying it, and rolls it back
/// when they differ. An applied folder the interpreter cannot follow is left to the drift
/// check, which compares the database with the snapshots.
fn script_findings(
    backend: &mut dyn MigrationBackend,
    local: &LocalMigrations,
    history: &HistoryReplay,
) -> Result<Vec<StatusIssue>, CommandError> {
    let provider = backend.provider();
    let mut findings = Vec::new();
    // A folder's before.prisma is, as a rule, the one before's after.prisma: each snapshot text
    // is read once.
    let mut previous_after: Option<(&str, DatabaseSchema)> = None;
    for migration in &local.migrations {
        if !migration.has_snapshots() || migration.is_placeholder() {
            continue;
        }
        let finding = |code: &str, message: String| StatusIssue {
            code: code.to_string(),
            migration: Some(migration.name.clone()),
            message,
        };
        let before = match previous_after.take() {
            Some((text, schema)) if text == migration.before_schema => Ok(schema),
            _ => parse_snapshot(
                provider,
                &format!("{}/before.prisma", migration.name),
                &migration.before_schema,
            ),
        };
        let snapshots = before.and_then(|before| {
            parse_snapshot(
                provider,
                &format!("{}/after.prisma", migration.name),
                &migration.after_schema,
            )
            .map(|after| (before, after))
        });
        let (before, after) = match snapshots {
            Ok(snapshots) => snapshots,
            Err(error) => {
                findings.push(finding(SCRIPT_NOT_CHECKED_CODE, error.to_string()));
                continue;
            }
        };
        let script = MigrationScriptText {
            origin: migration.name.as_str(),
            sql: migration.migration_sql.as_str(),
        };
        let built = match schema_built_by_migrations(
            provider,
            &before,
            &[script],
            &ScratchServer::InterpreterOnly,
        ) {
            Ok(built) => built,
            Err(CommandError::Runner(error)) => return Err(CommandError::Runner(error)),
            Err(other) if other.code() == SCRATCH_UNAVAILABLE_CODE => {
                if !history.is_active(&migration.name) {
                    findings.push(finding(
                        SCRIPT_NOT_CHECKED_CODE,
                        format!(
                            "{}/migration.sql was not checked against its after.prisma: {} `migrate status` does not run migration SQL; `migrate deploy` compares what the folder builds with its after.prisma after applying it, and rolls it back when they differ.",
                            migration.name,
                            other
                        ),
                    ));
                }
                continue;
            }
            Err(other) => {
                findings.push(finding(
                    SCRIPT_NOT_CHECKED_CODE,
                    format!(
                        "{}/migration.sql could not be checked against its after.prisma ({}: {other})",
                        migration.name,
                        other.code()
                    ),
                ));
                continue;
            }
        };
        let plan = plan_migration(&built.schema, &after, &describing_options())
            .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
        let differs = !plan.is_empty();
        previous_after = Some((migration.after_schema.as_str(), after));
        if differs {
            let differences: Vec<String> = plan
                .steps
                .iter()
                .map(|step| step.summary())
                .take(5)
                .collect();
            findings.push(finding(
                SCRIPT_DIFFERS_FROM_SNAPSHOT_CODE,
                format!(
                    "{}/migration.sql does not build its after.prisma ({} step{} from what it builds to after.prisma: {}{})",
                    migration.name,
                    plan.steps.len(),
                    if plan.steps.len() == 1 { "" } else { "s" },
                    differences.join("; "),
                    if plan.steps.len() > differences.len() { "; ..." } else { "" }
                ),
            ));
        }
    }
    Ok(findings)
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
