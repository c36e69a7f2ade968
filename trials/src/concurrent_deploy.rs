//! Concurrent deploys: `processes` runs of `comon migrate deploy` started at once on the same
//! fresh database, `repetitions` times. Every process must exit 0 (one that waited prints the
//! lock-wait line; one that lost a race prints "applied by another runner"), the history must
//! record each migration exactly once, the `Applying migration` lines of all processes together
//! must name each migration once, and the data must be exactly what one deploy makes (a
//! backfill run twice would show).

use crate::comon::Comon;
use crate::consistency::check_consistency;
use crate::data_history::DataHistory;
use crate::database::TrialDatabase;
use crate::report::Failure;
use planner::Provider;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

const DEPLOY_LIMIT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone)]
pub struct ConcurrentDeployOptions {
    pub provider: Provider,
    pub processes: usize,
    pub repetitions: usize,
    pub seed_rows: u64,
    pub history_length: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ConcurrentDeployFigures {
    pub provider: String,
    pub migrations: usize,
    pub processes: usize,
    pub repetitions: usize,
    pub deploys: usize,
    pub deploys_exited_zero: usize,
    /// Processes that printed the lock-wait line (PostgreSQL).
    pub deploys_that_waited_for_the_lock: usize,
    /// Processes that found a migration applied by another runner once they held the lock.
    pub deploys_that_saw_another_runner: usize,
    /// Migrations applied more than once, or not at all, over all repetitions.
    pub migrations_not_applied_exactly_once: usize,
    pub inconsistent_states: usize,
    pub failures: Vec<Failure>,
}

pub fn run_concurrent_deploy(
    comon: &Comon,
    options: &ConcurrentDeployOptions,
) -> Result<ConcurrentDeployFigures, String> {
    let provider = options.provider;
    let (folder, history) = DataHistory::generate_prefix_in_temporary_folder(
        comon,
        provider,
        options.seed_rows,
        options.history_length,
    )?;
    let mut figures = ConcurrentDeployFigures {
        provider: provider.to_string(),
        migrations: history.migrations.len(),
        processes: options.processes,
        repetitions: options.repetitions,
        ..ConcurrentDeployFigures::default()
    };
    for repetition in 1..=options.repetitions {
        let database = TrialDatabase::new(provider, folder.path());
        let url = database.url();
        let running: Vec<_> = (0..options.processes)
            .map(|_| comon.spawn(&history.project_directory, &url, &["migrate", "deploy"]))
            .collect();
        let finished: Vec<_> = running
            .into_iter()
            .map(|process| process.wait(DEPLOY_LIMIT))
            .collect();
        figures.deploys += finished.len();
        let mut applied_by_lines: BTreeMap<String, usize> = BTreeMap::new();
        for (process, run) in finished.iter().enumerate() {
            for line in run.stdout.lines() {
                if let Some(rest) = line.strip_prefix("Applying migration `") {
                    let name = rest.split('`').next().unwrap_or_default().to_string();
                    *applied_by_lines.entry(name).or_default() += 1;
                }
            }
            figures.deploys_that_waited_for_the_lock +=
                usize::from(run.stdout.contains("Waiting for another comon command"));
            figures.deploys_that_saw_another_runner += usize::from(
                run.stdout
                    .contains("was applied by another runner meanwhile"),
            );
            if run.succeeded() {
                figures.deploys_exited_zero += 1;
            } else {
                figures.failures.push(Failure::new(
                    "concurrent-deploy",
                    provider,
                    format!("repetition {repetition}, process {}", process + 1),
                    "a concurrent deploy did not exit 0",
                    run.transcript(),
                ));
            }
        }
        let wrong_counts: Vec<String> = history
            .migrations
            .iter()
            .filter_map(|migration| {
                let count = applied_by_lines.get(&migration.name).copied().unwrap_or(0);
                (count != 1).then(|| format!("{} applied {count} times", migration.name))
            })
            .collect();
        figures.migrations_not_applied_exactly_once += wrong_counts.len();
        // Only when every process ended well must every migration have been applied: a failed
        // process is reported above, and the ones left are then applied by nobody.
        let all_exited_zero = finished.iter().all(|run| run.succeeded());
        if !wrong_counts.is_empty() && all_exited_zero {
            figures.failures.push(Failure::new(
                "concurrent-deploy",
                provider,
                format!("repetition {repetition}"),
                "the processes' output does not apply each migration exactly once",
                wrong_counts.join("\n"),
            ));
        }
        let consistency = check_consistency(&database, &history);
        if !consistency.is_consistent()
            || (all_exited_zero && consistency.recorded != history.migrations.len())
        {
            figures.inconsistent_states += 1;
            figures.failures.push(Failure::new(
                "concurrent-deploy",
                provider,
                format!("repetition {repetition}"),
                format!(
                    "inconsistent state after {} concurrent deploys ({} recorded)",
                    options.processes, consistency.recorded
                ),
                consistency.problems.join("\n"),
            ));
        }
    }
    Ok(figures)
}
