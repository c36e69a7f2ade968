//! kill -9 during `comon migrate deploy`: a fresh database, then `migrate deploy` started again
//! and again and SIGKILLed at a random moment — a random delay within the deploy's expected
//! duration, or at once or a little after it printed the j-th `Applying migration` line — each
//! kill followed by the consistency check, until a deploy finishes by itself; then `migrate
//! status` must report no issue. Rounds repeat until the requested number of kills is reached.

use crate::comon::{Comon, Waited, PANIC_EXIT_CODE};
use crate::consistency::check_consistency;
use crate::data_history::DataHistory;
use crate::database::{BackendObserver, DeployAttempts, TrialDatabase};
use crate::report::{random_source, Failure};
use planner::Provider;
use rand::RngExt;
use serde::Serialize;
use std::time::Duration;

/// One deploy attempt may take this long before it counts as hung.
const ATTEMPT_LIMIT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct KillDeployOptions {
    pub provider: Provider,
    pub kills: usize,
    pub seed: u64,
    pub seed_rows: u64,
    /// How many of the 30 migrations to use (the short test uses fewer).
    pub history_length: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct KillDeployFigures {
    pub provider: String,
    pub seed: u64,
    pub migrations: usize,
    pub seed_rows: u64,
    pub rounds: usize,
    pub kills: usize,
    /// Kills that landed while a migration's transaction had written something (SQLite: a hot
    /// journal was left; PostgreSQL: the backend had a transaction id).
    pub kills_mid_migration: usize,
    /// Kills right after an `Applying migration` line.
    pub kills_after_applied_line: usize,
    /// Deploys that finished before their kill came.
    pub deploys_finished: usize,
    pub inconsistent_states: usize,
    pub lost_rows: u64,
    pub failures: Vec<Failure>,
}

pub fn run_kill_deploy(
    comon: &Comon,
    options: &KillDeployOptions,
) -> Result<KillDeployFigures, String> {
    let provider = options.provider;
    let (folder, history) = DataHistory::generate_prefix_in_temporary_folder(
        comon,
        provider,
        options.seed_rows,
        options.history_length,
    )?;
    let mut random = random_source(options.seed, &format!("kill-deploy-{provider}"));
    let mut figures = KillDeployFigures {
        provider: provider.to_string(),
        seed: options.seed,
        migrations: history.migrations.len(),
        seed_rows: options.seed_rows,
        ..KillDeployFigures::default()
    };
    let total = history.migrations.len();
    let mut attempts = DeployAttempts::labelled(options.seed, "_k");
    while figures.kills < options.kills {
        figures.rounds += 1;
        let round = figures.rounds;
        let database = TrialDatabase::new(provider, folder.path());
        let mut observer =
            (provider == Provider::Postgresql).then(|| BackendObserver::new(&database));
        let mut recorded = 0;
        loop {
            let attempt = attempts.next(round, &database, recorded, total);
            let (place, application) = (attempt.place, attempt.application_name);
            let remaining = total - recorded;
            let kill_wanted = figures.kills < options.kills;
            // Half the kills after the j-th applied line, half at a random moment within the
            // time the remaining migrations should take.
            let after_line = kill_wanted && random.random_bool(0.5);
            let line_number = random.random_range(1..=remaining.max(1));
            let delay = history.random_moment_of_deploy(remaining, &mut random);
            // After a line: at once (between two migrations) or a little later (inside the next).
            let average_migration_micros =
                (history.full_deploy_time.as_micros() as u64 / total.max(1) as u64).max(1);
            let delay_after_line = if random.random_bool(0.5) {
                Duration::ZERO
            } else {
                Duration::from_micros(random.random_range(0..=2 * average_migration_micros))
            };
            let mut running = comon.spawn(
                &history.project_directory,
                &attempt.url,
                &["migrate", "deploy"],
            );
            let waited = if !kill_wanted {
                Waited::Exited
            } else if after_line {
                match running.wait_for_lines("Applying migration `", line_number, ATTEMPT_LIMIT) {
                    Waited::Reached => running.wait_until(running.elapsed() + delay_after_line),
                    Waited::Exited => Waited::Exited,
                }
            } else {
                running.wait_until(delay)
            };
            if waited == Waited::Exited {
                let finished = running.wait(ATTEMPT_LIMIT);
                if finished.succeeded() {
                    figures.deploys_finished += usize::from(kill_wanted);
                    let consistency = check_consistency(&database, &history);
                    if consistency.recorded != total || !consistency.is_consistent() {
                        figures.inconsistent_states += 1;
                        figures.lost_rows += consistency.lost_rows;
                        figures.failures.push(consistency.failure(
                            "kill-deploy",
                            provider,
                            place,
                            "a deploy that exited 0 left the database incomplete or inconsistent",
                            &finished.transcript(),
                        ));
                    }
                    let status = comon.run(
                        &history.project_directory,
                        &database.url(),
                        &["migrate", "status"],
                        ATTEMPT_LIMIT,
                    );
                    if !status.succeeded() || !status.stdout.contains("Issues: 0") {
                        figures.failures.push(Failure::new(
                            "kill-deploy",
                            provider,
                            format!("round {round}, after the last deploy"),
                            "`migrate status` reports issues after the deploy finished",
                            status.transcript(),
                        ));
                    }
                } else {
                    let summary = match finished.code {
                        Some(PANIC_EXIT_CODE) => "deploy panicked when resuming after a kill",
                        _ if finished.timed_out => "deploy hung when resuming after a kill",
                        _ => "deploy failed when resuming after a kill",
                    };
                    figures.failures.push(Failure::new(
                        "kill-deploy",
                        provider,
                        place,
                        summary,
                        finished.transcript(),
                    ));
                }
                break;
            }
            let mid_migration = match observer.as_mut() {
                Some(observer) => observer.is_in_write_transaction(&application),
                None => false,
            };
            let killed = running.kill();
            let mid_migration = mid_migration || database.has_hot_journal();
            if let Some(observer) = observer.as_mut() {
                if !observer.wait_until_gone(&application, Duration::from_secs(60)) {
                    figures.failures.push(Failure::new(
                        "kill-deploy",
                        provider,
                        place.clone(),
                        "the killed deploy's backend was still there a minute later",
                        killed.transcript(),
                    ));
                }
            }
            figures.kills += 1;
            figures.kills_mid_migration += usize::from(mid_migration);
            figures.kills_after_applied_line += usize::from(after_line);
            let consistency = check_consistency(&database, &history);
            figures.lost_rows += consistency.lost_rows;
            if !consistency.is_consistent() {
                figures.inconsistent_states += 1;
                let moment = if after_line {
                    format!("{delay_after_line:?} after applied line {line_number}")
                } else {
                    format!("after {delay:?}")
                };
                figures.failures.push(consistency.failure(
                    "kill-deploy",
                    provider,
                    format!("{place}, killed {moment}"),
                    "inconsistent state after kill -9",
                    &format!("output of the killed deploy:\n{}", killed.transcript()),
                ));
                break;
            }
            recorded = consistency.recorded;
        }
    }
    Ok(figures)
}
