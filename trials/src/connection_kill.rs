//! Connection kills mid-deploy (PostgreSQL): `pg_terminate_backend` on the deploy's backend at a
//! random moment. The deploy must then stop with a clear error (exit 1 and an `error[...]`
//! line; no panic, no hang), the consistency check must pass, and the next deploy resumes.
//! The backend is found by `application_name`, which the trial puts in the URL.

use crate::comon::{Comon, PANIC_EXIT_CODE};
use crate::consistency::check_consistency;
use crate::data_history::DataHistory;
use crate::database::{BackendObserver, DeployAttempts, TrialDatabase};
use crate::report::{random_source, Failure};
use planner::Provider;
use serde::Serialize;
use std::time::Duration;

const ATTEMPT_LIMIT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct ConnectionKillOptions {
    pub kills: usize,
    pub seed: u64,
    pub seed_rows: u64,
    pub history_length: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ConnectionKillFigures {
    pub provider: String,
    pub seed: u64,
    pub migrations: usize,
    pub rounds: usize,
    /// Backends terminated.
    pub kills: usize,
    pub kills_mid_migration: usize,
    /// Deploys that ended with exit 1 and an `error[...]` line after their backend was killed.
    pub clear_errors: usize,
    pub deploys_finished: usize,
    pub inconsistent_states: usize,
    pub lost_rows: u64,
    pub failures: Vec<Failure>,
}

pub fn run_connection_kill(
    comon: &Comon,
    options: &ConnectionKillOptions,
) -> Result<ConnectionKillFigures, String> {
    let provider = Provider::Postgresql;
    let (folder, history) = DataHistory::generate_prefix_in_temporary_folder(
        comon,
        provider,
        options.seed_rows,
        options.history_length,
    )?;
    let mut random = random_source(options.seed, "connection-kill");
    let mut figures = ConnectionKillFigures {
        provider: provider.to_string(),
        seed: options.seed,
        migrations: history.migrations.len(),
        ..ConnectionKillFigures::default()
    };
    let total = history.migrations.len();
    let mut attempts = DeployAttempts::labelled(options.seed, "_c");
    while figures.kills < options.kills {
        figures.rounds += 1;
        let round = figures.rounds;
        let database = TrialDatabase::new(provider, folder.path());
        let mut observer = BackendObserver::new(&database);
        let mut recorded = 0;
        let mut attempts_without_kill = 0;
        loop {
            let attempt = attempts.next(round, &database, recorded, total);
            let (place, application) = (attempt.place, attempt.application_name);
            let remaining = total - recorded;
            let kill_wanted = figures.kills < options.kills;
            let delay = history.random_moment_of_deploy(remaining, &mut random);
            let mut running = comon.spawn(
                &history.project_directory,
                &attempt.url,
                &["migrate", "deploy"],
            );
            let mut terminated = 0;
            let mut mid_migration = false;
            if kill_wanted && running.wait_until(delay) == crate::comon::Waited::Reached {
                mid_migration = observer.is_in_write_transaction(&application);
                terminated = observer.terminate(&application);
            }
            let finished = running.wait(ATTEMPT_LIMIT);
            if terminated > 0 {
                figures.kills += 1;
                figures.kills_mid_migration += usize::from(mid_migration);
            }
            let clear_error = finished.code == Some(1) && finished.stderr.contains("error[");
            figures.clear_errors += usize::from(terminated > 0 && clear_error);
            if !finished.succeeded() && !clear_error || (terminated == 0 && !finished.succeeded()) {
                let summary = match finished.code {
                    Some(PANIC_EXIT_CODE) => "deploy panicked when its connection was killed",
                    _ if finished.timed_out => "deploy hung after its connection was killed",
                    _ if terminated == 0 => "deploy failed although its connection was not killed",
                    _ => "deploy ended without a clear error after its connection was killed",
                };
                figures.failures.push(Failure::new(
                    "connection-kill",
                    provider,
                    place.clone(),
                    summary,
                    finished.transcript(),
                ));
            }
            observer.wait_until_gone(&application, Duration::from_secs(60));
            let consistency = check_consistency(&database, &history);
            figures.lost_rows += consistency.lost_rows;
            if !consistency.is_consistent() {
                figures.inconsistent_states += 1;
                figures.failures.push(consistency.failure(
                    "connection-kill",
                    provider,
                    format!("{place}, backend terminated after {delay:?}"),
                    "inconsistent state after the deploy's connection was killed",
                    &finished.transcript(),
                ));
                break;
            }
            recorded = consistency.recorded;
            if finished.succeeded() && recorded == total {
                figures.deploys_finished += 1;
                break;
            }
            if terminated == 0 {
                attempts_without_kill += 1;
                // A deploy that fails by itself without a kill is reported above; stop the round
                // rather than loop on it.
                if !finished.succeeded() || attempts_without_kill > 50 {
                    break;
                }
            }
        }
    }
    Ok(figures)
}
