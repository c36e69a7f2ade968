//! Interruptions of PostgreSQL's online phase: the online history (concurrent index builds on
//! tables that hold rows, foreign keys `NOT VALID` then `VALIDATE CONSTRAINT`, `SET NOT NULL`
//! through a validated check, plain migrations with backfills in between) is deployed again and
//! again, and each deploy is interrupted — SIGKILLed, or its backend terminated with
//! `pg_terminate_backend` — at a random moment: within the deploy's expected duration, a little
//! after its j-th `Applying migration` line, or while the trial sees it run an online statement.
//!
//! After every interruption:
//! - the history records a prefix of the migrations, each `finished`, except that the last may
//!   be `started` when it has an online phase (its transaction committed; the online phase was
//!   cut short). A `finished` row always has every statement's effect: the catalog, read with
//!   constraint validity and INVALID indexes (`strict_catalog`), equals the reference's after
//!   the same migrations;
//! - the data equals the reference's after the same migrations (no row lost or doubled);
//! - an INVALID index left behind belongs to the interrupted migration;
//! - when the last row is `started`, the next `migrate deploy` refuses with a clear code:
//!   `invalid-index` naming each INVALID index, or `failed-migration` naming the migration.
//!   The trial then follows the documented repair (docs/production-postgresql.md, "Repairing an
//!   invalid index"): `DROP INDEX CONCURRENTLY` of each INVALID index through `db execute`, the
//!   migration's online statements again, one by one (those that had run fail harmlessly with
//!   "already exists" or "does not exist", as in psql), then `migrate resolve --applied`; the
//!   catalog must then be the reference's;
//! - a deploy that finishes leaves the catalog of a build of the whole history from empty, all
//!   the data, and `migrate status` with `Issues: 0`.

use crate::comon::{Comon, Finished, Running, Waited, PANIC_EXIT_CODE};
use crate::consistency::read_history;
use crate::data_history::DataHistory;
use crate::database::{BackendObserver, DeployAttempts, TrialDatabase};
use crate::fingerprint::{catalog_difference_lines, fingerprint, strict_catalog};
use crate::report::{random_source, Failure};
use comon_database::quote_identifier;
use planner::Provider;
use rand::RngExt;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

const ATTEMPT_LIMIT: Duration = Duration::from_secs(300);

/// How a deploy is interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interruption {
    /// SIGKILL of the `comon` process.
    Kill,
    /// `pg_terminate_backend` on the deploy's backend: the process sees its connection die.
    TerminateBackend,
}

#[derive(Debug, Clone)]
pub struct OnlineDeployOptions {
    pub interruption: Interruption,
    pub interruptions: usize,
    pub seed: u64,
    pub seed_rows: u64,
    /// How many of the online history's migrations to use.
    pub history_length: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OnlineDeployFigures {
    pub interruption: String,
    pub seed: u64,
    pub migrations: usize,
    /// Migrations of the history with an online phase.
    pub online_migrations: usize,
    pub seed_rows: u64,
    pub rounds: usize,
    /// Deploys interrupted.
    pub interruptions: usize,
    /// Interruptions that left the last history row `started`: they landed in an online phase.
    pub landed_in_online_phase: usize,
    /// Interruptions at a moment the deploy's backend ran a concurrent index build or a
    /// constraint validation.
    pub during_online_statement: usize,
    /// Interruptions while a transaction had written something (the backend had a transaction
    /// id): inside a migration's transactional part.
    pub mid_transaction: usize,
    /// INVALID indexes found after an interruption.
    pub invalid_indexes_left: usize,
    /// Deploys after an interruption that refused with `invalid-index`, each index named.
    pub refusals_invalid_index: usize,
    /// Deploys that refused with `failed-migration` naming the interrupted migration.
    pub refusals_failed_migration: usize,
    /// Interrupted migrations repaired as documented and resolved as applied.
    pub repairs: usize,
    /// Connection kills: the `error[code]` the interrupted deploy ended with, counted.
    pub error_codes: BTreeMap<String, usize>,
    pub deploys_finished: usize,
    pub inconsistent_states: usize,
    pub lost_rows: u64,
    pub failures: Vec<Failure>,
}

/// What the database holds after an interruption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Examined {
    /// `recorded` migrations, each `finished` with all its effects, and the data they make.
    Consistent { recorded: usize },
    /// The migration at `position` (0-based) is `started`: its transaction committed, its
    /// online phase was cut short; the ones before it are consistent.
    OnlinePhaseInterrupted { position: usize },
}

/// The result of `examine`: the state and the seed rows missing, or the problems found.
pub struct Examination {
    pub state: Result<Examined, Vec<String>>,
    pub lost_rows: u64,
    pub invalid_indexes: Vec<String>,
}

/// The names of the INVALID indexes of the database's schema.
pub fn invalid_index_names(database: &mut comon_database::Database) -> Vec<String> {
    database
        .query_rows(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_namespace n ON n.oid = i.relnamespace \
             WHERE n.nspname = current_schema() AND NOT x.indisvalid ORDER BY 1",
        )
        .map(|rows| {
            rows.into_iter()
                .filter_map(|row| row.into_iter().next().flatten())
                .collect()
        })
        .unwrap_or_default()
}

/// The checks after an interruption (see the module's documentation).
pub fn examine(trial_database: &TrialDatabase, history: &DataHistory) -> Examination {
    let mut database = trial_database.open();
    let mut problems = Vec::new();
    let mut examination = Examination {
        state: Err(Vec::new()),
        lost_rows: 0,
        invalid_indexes: invalid_index_names(&mut database),
    };
    let entries = match read_history(&mut database) {
        Ok(entries) => entries,
        Err(error) => {
            examination.state = Err(vec![format!("the history cannot be read: {error}")]);
            return examination;
        }
    };
    // The history as a replay reads it: names in the order they first appear, each with the
    // state of its latest row (`migrate resolve --applied` adds a `finished` row after a
    // `started` one).
    let mut names: Vec<String> = Vec::new();
    let mut latest_state: BTreeMap<String, String> = BTreeMap::new();
    for entry in &entries {
        if entry.kind != "apply" {
            problems.push(format!(
                "history row {} is kind={} state={}",
                entry.name, entry.kind, entry.state
            ));
        }
        if !names.contains(&entry.name) {
            names.push(entry.name.clone());
        }
        latest_state.insert(entry.name.clone(), entry.state.clone());
    }
    let expected_prefix: Vec<String> = history
        .migrations
        .iter()
        .take(names.len())
        .map(|migration| migration.name.clone())
        .collect();
    if names != expected_prefix {
        problems.push(format!(
            "the history is not a prefix of the local migrations: {names:?}"
        ));
    }
    let recorded = names.len().min(history.migrations.len());
    let mut interrupted = None;
    for (position, name) in names.iter().enumerate().take(recorded) {
        let state = latest_state.get(name).map(String::as_str).unwrap_or("");
        let has_online_phase = !history.migrations[position].online_statements.is_empty();
        match state {
            "finished" => {}
            "started" if position + 1 == recorded && has_online_phase => {
                interrupted = Some(position);
            }
            other => problems.push(format!(
                "history row {name} is {other}{}",
                if has_online_phase {
                    ""
                } else {
                    " although it has no online phase"
                }
            )),
        }
    }
    // The data: a `started` migration's transaction committed, and online migrations write no
    // rows, so the data is that of `recorded` migrations either way.
    match fingerprint(&mut database) {
        Ok(actual) => {
            let expected = &history.fingerprints[recorded];
            if &actual != expected {
                problems.push(format!(
                    "the data is not what {recorded} recorded migrations make of the seed:\n{}",
                    actual.difference(expected)
                ));
            }
            if recorded >= 1 {
                for (table, expected_rows) in [
                    ("Author", history.seed_rows),
                    ("Book", 4 * history.seed_rows),
                ] {
                    examination.lost_rows +=
                        expected_rows.saturating_sub(actual.rows_of(table).unwrap_or(0));
                }
            }
        }
        Err(error) => problems.push(format!("the data cannot be read: {error}")),
    }
    match interrupted {
        None => match strict_catalog(&mut database) {
            Ok(catalog) if catalog == history.catalogs[recorded] => {}
            Ok(catalog) => problems.push(format!(
                "the catalog is not the reference's after {recorded} migrations (+ here only, - there only):\n{}",
                catalog_difference_lines(&catalog, &history.catalogs[recorded])
            )),
            Err(error) => problems.push(error),
        },
        Some(position) => {
            let statements = &history.migrations[position].online_statements;
            for index in &examination.invalid_indexes {
                let quoted = quote_identifier(index);
                if !statements.iter().any(|statement| {
                    statement.starts_with("CREATE") && statement.contains(&quoted)
                }) {
                    problems.push(format!(
                        "the INVALID index {quoted} is not built by the interrupted migration {}",
                        names[position]
                    ));
                }
            }
        }
    }
    examination.state = match (problems.is_empty(), interrupted) {
        (false, _) => Err(problems),
        (true, None) => Ok(Examined::Consistent { recorded }),
        (true, Some(position)) => Ok(Examined::OnlinePhaseInterrupted { position }),
    };
    examination
}

/// The code of the first `error[code]` line of `stderr`.
fn error_code(stderr: &str) -> Option<String> {
    let start = stderr.find("error[")? + "error[".len();
    let end = stderr[start..].find(']')?;
    Some(stderr[start..start + end].to_string())
}

/// Runs `statement` on its own, outside a transaction, as `psql` would: a `db execute` file with
/// the `-- comon:after-commit` line above it.
fn execute_on_its_own(
    comon: &Comon,
    history: &DataHistory,
    url: &str,
    folder: &Path,
    statement: &str,
) -> Finished {
    let path = folder.join("repair.sql");
    std::fs::write(&path, format!("-- comon:after-commit\n{statement};\n"))
        .expect("repair script written");
    let path = path.to_string_lossy().into_owned();
    comon.run(
        &history.project_directory,
        url,
        &["db", "execute", "--file", &path],
        ATTEMPT_LIMIT,
    )
}

/// The refusal and the documented repair of a migration whose online phase was cut short (see
/// the module's documentation). `Err` says what went wrong, with the output.
fn refuse_then_repair(
    comon: &Comon,
    database: &TrialDatabase,
    history: &DataHistory,
    folder: &Path,
    position: usize,
    figures: &mut OnlineDeployFigures,
) -> Result<(), String> {
    let url = database.url();
    let name = &history.migrations[position].name;
    let deploy = || -> Result<Finished, String> {
        let finished = comon.run(
            &history.project_directory,
            &url,
            &["migrate", "deploy"],
            ATTEMPT_LIMIT,
        );
        if finished.code != Some(1) {
            return Err(format!(
                "`migrate deploy` after the interruption did not refuse (exit 1):\n{}",
                finished.transcript()
            ));
        }
        Ok(finished)
    };
    let invalid = invalid_index_names(&mut database.open());
    let mut refused = deploy()?;
    if !invalid.is_empty() {
        let named = invalid
            .iter()
            .all(|index| refused.stderr.contains(&quote_identifier(index)));
        if error_code(&refused.stderr).as_deref() != Some("invalid-index") || !named {
            return Err(format!(
                "`migrate deploy` with the INVALID index(es) {invalid:?} did not refuse with error[invalid-index] naming each:\n{}",
                refused.transcript()
            ));
        }
        figures.refusals_invalid_index += 1;
        for index in &invalid {
            let statement = format!("DROP INDEX CONCURRENTLY {}", quote_identifier(index));
            let dropped = execute_on_its_own(comon, history, &url, folder, &statement);
            if !dropped.succeeded() {
                return Err(format!(
                    "the documented repair `{statement}` failed:\n{}",
                    dropped.transcript()
                ));
            }
        }
        refused = deploy()?;
    }
    if error_code(&refused.stderr).as_deref() != Some("failed-migration")
        || !refused.stderr.contains(name.as_str())
        || !refused
            .stderr
            .contains("was interrupted before it finished")
    {
        return Err(format!(
            "`migrate deploy` did not refuse with error[failed-migration] naming {name} as interrupted:\n{}",
            refused.transcript()
        ));
    }
    figures.refusals_failed_migration += 1;
    let mut repair_log = String::new();
    for statement in &history.migrations[position].online_statements {
        let statement = statement.trim_end_matches(';');
        let run = execute_on_its_own(comon, history, &url, folder, statement);
        let already_done =
            run.stderr.contains("already exists") || run.stderr.contains("does not exist");
        repair_log.push_str(&format!("repair `{statement}`:\n{}\n", run.transcript()));
        let harmless = run.succeeded() || run.code == Some(1) && already_done;
        if !harmless {
            return Err(format!(
                "running the online statement `{statement}` again failed:\n{}",
                run.transcript()
            ));
        }
    }
    let resolved = comon.run(
        &history.project_directory,
        &url,
        &["migrate", "resolve", "--applied", name],
        ATTEMPT_LIMIT,
    );
    if !resolved.succeeded() {
        return Err(format!(
            "`migrate resolve --applied {name}` failed:\n{}",
            resolved.transcript()
        ));
    }
    let examination = examine(database, history);
    match examination.state {
        Ok(Examined::Consistent { recorded }) if recorded == position + 1 => {
            figures.repairs += 1;
            Ok(())
        }
        Ok(other) => Err(format!(
            "after the repair the database is {other:?}\n{repair_log}"
        )),
        Err(problems) => Err(format!(
            "after the repair and `migrate resolve --applied {name}`:\n{}\n{repair_log}",
            problems.join("\n")
        )),
    }
}

/// How the trial picks the moment of an interruption.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// A random delay within the time the remaining migrations should take.
    Random(Duration),
    /// A random delay after the j-th `Applying migration` line.
    AfterLine { line: usize, delay: Duration },
    /// A random delay after the trial saw the backend run an online statement.
    DuringOnlineStatement { delay: Duration },
}

/// Waits for `moment`; `Reached` when the deploy is still running then.
fn wait_for_moment(
    running: &mut Running,
    observer: &mut BackendObserver,
    application: &str,
    moment: Moment,
    expected: Duration,
) -> Waited {
    match moment {
        Moment::Random(delay) => running.wait_until(delay),
        Moment::AfterLine { line, delay } => {
            match running.wait_for_lines("Applying migration `", line, ATTEMPT_LIMIT) {
                Waited::Reached => running.wait_until(running.elapsed() + delay),
                Waited::Exited => Waited::Exited,
            }
        }
        Moment::DuringOnlineStatement { delay } => {
            // Watch for twice the expected time (the machine is shared), then interrupt anyway.
            let deadline = Instant::now() + 2 * expected + Duration::from_millis(200);
            while Instant::now() < deadline {
                if running.has_exited() {
                    return Waited::Exited;
                }
                if observer.is_running_online_statement(application) {
                    return running.wait_until(running.elapsed() + delay);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            if running.has_exited() {
                Waited::Exited
            } else {
                Waited::Reached
            }
        }
    }
}

pub fn run_online_deploy(
    comon: &Comon,
    options: &OnlineDeployOptions,
) -> Result<OnlineDeployFigures, String> {
    let provider = Provider::Postgresql;
    let trial = match options.interruption {
        Interruption::Kill => "online-kill-deploy",
        Interruption::TerminateBackend => "online-connection-kill",
    };
    let (folder, history) = DataHistory::generate_online_in_temporary_folder(
        comon,
        options.seed_rows,
        options.history_length,
    )?;
    let mut random = random_source(options.seed, trial);
    let total = history.migrations.len();
    let mut figures = OnlineDeployFigures {
        interruption: trial.to_string(),
        seed: options.seed,
        migrations: total,
        online_migrations: history
            .migrations
            .iter()
            .filter(|migration| !migration.online_statements.is_empty())
            .count(),
        seed_rows: options.seed_rows,
        ..OnlineDeployFigures::default()
    };
    if history.catalog_built_from_empty != history.catalogs[total] {
        return Err(format!(
            "the reference built one migration at a time and the one built by one deploy differ:\n{}",
            catalog_difference_lines(&history.catalogs[total], &history.catalog_built_from_empty)
        ));
    }
    let average_migration_micros =
        (history.full_deploy_time.as_micros() as u64 / total.max(1) as u64).max(1);
    let label = match options.interruption {
        Interruption::Kill => "_ok",
        Interruption::TerminateBackend => "_oc",
    };
    let mut attempts = DeployAttempts::labelled(options.seed, label);
    while figures.interruptions < options.interruptions {
        figures.rounds += 1;
        let round = figures.rounds;
        let database = TrialDatabase::new(provider, folder.path());
        let mut observer = BackendObserver::new(&database);
        let mut recorded = 0;
        let mut attempts_without_interruption = 0;
        loop {
            let attempt = attempts.next(round, &database, recorded, total);
            let (place, application) = (attempt.place, attempt.application_name);
            let remaining = total - recorded;
            let interruption_wanted = figures.interruptions < options.interruptions;
            let expected = history.full_deploy_time * remaining as u32 / total.max(1) as u32;
            let moment = match random.random_range(0..3) {
                0 => Moment::Random(history.random_moment_of_deploy(remaining, &mut random)),
                1 => Moment::AfterLine {
                    line: random.random_range(1..=remaining.max(1)),
                    delay: Duration::from_micros(
                        random.random_range(0..=2 * average_migration_micros),
                    ),
                },
                _ => Moment::DuringOnlineStatement {
                    delay: Duration::from_micros(random.random_range(0..=20_000)),
                },
            };
            let mut running = comon.spawn(
                &history.project_directory,
                &attempt.url,
                &["migrate", "deploy"],
            );
            let waited = match interruption_wanted {
                true => {
                    wait_for_moment(&mut running, &mut observer, &application, moment, expected)
                }
                false => Waited::Exited,
            };
            // Either the deploy was interrupted (its output), or it goes on to its end.
            let mut interrupted = None;
            let mut still_running = Some(running);
            if waited == Waited::Reached {
                let during_online_statement = observer.is_running_online_statement(&application);
                let mid_transaction = observer.is_in_write_transaction(&application);
                let running = still_running.take().expect("the deploy is running");
                let finished = match options.interruption {
                    Interruption::Kill => Some(running.kill()),
                    Interruption::TerminateBackend => {
                        if observer.terminate(&application) > 0 {
                            Some(running.wait(ATTEMPT_LIMIT))
                        } else {
                            // No backend to terminate (between connections, or it just ended):
                            // the deploy goes on as if not interrupted.
                            still_running = Some(running);
                            None
                        }
                    }
                };
                if let Some(finished) = finished {
                    figures.interruptions += 1;
                    figures.during_online_statement += usize::from(during_online_statement);
                    figures.mid_transaction += usize::from(mid_transaction);
                    interrupted = Some((finished, format!("{moment:?}")));
                }
            }
            if let Some(running) = still_running {
                let finished = running.wait(ATTEMPT_LIMIT);
                if !finished.succeeded() {
                    let summary = match finished.code {
                        Some(PANIC_EXIT_CODE) => "deploy panicked when resuming",
                        _ if finished.timed_out => "deploy hung when resuming",
                        _ => "deploy failed when resuming, without an interruption",
                    };
                    figures.failures.push(Failure::new(
                        trial,
                        provider,
                        place,
                        summary,
                        finished.transcript(),
                    ));
                    break;
                }
                let examination = examine(&database, &history);
                figures.lost_rows += examination.lost_rows;
                let mut problems = match examination.state {
                    Ok(Examined::Consistent { recorded }) if recorded == total => Vec::new(),
                    Ok(other) => vec![format!("a deploy that exited 0 left {other:?}")],
                    Err(problems) => problems,
                };
                match strict_catalog(&mut database.open()) {
                    Ok(catalog) if catalog == history.catalog_built_from_empty => {}
                    Ok(catalog) => problems.push(format!(
                        "the catalog is not that of a build from empty (+ here only, - there only):\n{}",
                        catalog_difference_lines(&catalog, &history.catalog_built_from_empty)
                    )),
                    Err(error) => problems.push(error),
                }
                if !problems.is_empty() {
                    figures.inconsistent_states += 1;
                    figures.failures.push(Failure::new(
                        trial,
                        provider,
                        place,
                        "a deploy that exited 0 left the database incomplete or inconsistent",
                        format!("{}\n{}", problems.join("\n"), finished.transcript()),
                    ));
                    break;
                }
                let status = comon.run(
                    &history.project_directory,
                    &database.url(),
                    &["migrate", "status"],
                    ATTEMPT_LIMIT,
                );
                if !status.succeeded() || !status.stdout.contains("Issues: 0") {
                    figures.failures.push(Failure::new(
                        trial,
                        provider,
                        format!("round {round}, after the last deploy"),
                        "`migrate status` reports issues after the deploy finished",
                        status.transcript(),
                    ));
                }
                if interruption_wanted {
                    figures.deploys_finished += 1;
                }
                attempts_without_interruption += 1;
                if interruption_wanted && attempts_without_interruption > 50 {
                    return Err("50 deploys in a row finished before their interruption".into());
                }
                break;
            }
            let Some((finished, moment)) = interrupted else {
                continue;
            };
            attempts_without_interruption = 0;
            if !observer.wait_until_gone(&application, Duration::from_secs(60)) {
                figures.failures.push(Failure::new(
                    trial,
                    provider,
                    place.clone(),
                    "the interrupted deploy's backend was still there a minute later",
                    finished.transcript(),
                ));
            }
            if options.interruption == Interruption::TerminateBackend {
                let code = error_code(&finished.stderr);
                *figures
                    .error_codes
                    .entry(code.clone().unwrap_or_else(|| "none".to_string()))
                    .or_default() += 1;
                if finished.code != Some(1) || code.is_none() {
                    let summary = match finished.code {
                        Some(PANIC_EXIT_CODE) => "deploy panicked when its connection was killed",
                        _ if finished.timed_out => "deploy hung after its connection was killed",
                        _ => "deploy ended without a clear error after its connection was killed",
                    };
                    figures.failures.push(Failure::new(
                        trial,
                        provider,
                        place.clone(),
                        summary,
                        finished.transcript(),
                    ));
                }
            }
            let examination = examine(&database, &history);
            figures.lost_rows += examination.lost_rows;
            figures.invalid_indexes_left += examination.invalid_indexes.len();
            match examination.state {
                Ok(Examined::Consistent { recorded: now }) => recorded = now,
                Ok(Examined::OnlinePhaseInterrupted { position }) => {
                    figures.landed_in_online_phase += 1;
                    if let Err(problem) = refuse_then_repair(
                        comon,
                        &database,
                        &history,
                        folder.path(),
                        position,
                        &mut figures,
                    ) {
                        figures.inconsistent_states += 1;
                        figures.failures.push(Failure::new(
                            trial,
                            provider,
                            format!("{place}, interrupted at {moment}"),
                            "the refusal or the documented repair after an interrupted online phase went wrong",
                            format!("{problem}\noutput of the interrupted deploy:\n{}", finished.transcript()),
                        ));
                        break;
                    }
                    recorded = position + 1;
                }
                Err(problems) => {
                    figures.inconsistent_states += 1;
                    figures.failures.push(Failure::new(
                        trial,
                        provider,
                        format!("{place}, interrupted at {moment}"),
                        "inconsistent state after the interruption",
                        format!(
                            "{}\noutput of the interrupted deploy:\n{}",
                            problems.join("\n"),
                            finished.transcript()
                        ),
                    ));
                    break;
                }
            }
        }
    }
    Ok(figures)
}
