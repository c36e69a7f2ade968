//! `cargo run -p trials --release -- <trial> [options]`: one subcommand per reliability trial.
//! Prints the seed first (pass it back with `--seed` to replay the same choices), then the
//! figures as a summary and as JSON, then every failure; exits 1 when there was one.

use clap::{Parser, Subcommand, ValueEnum};
use planner::Provider;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use trials::concurrent_deploy::{run_concurrent_deploy, ConcurrentDeployOptions};
use trials::connection_kill::{run_connection_kill, ConnectionKillOptions};
use trials::data_history::{history_length, online_history_length};
use trials::hostile_identifiers::{run_hostile_identifiers, HostileIdentifiersOptions};
use trials::kill_deploy::{run_kill_deploy, KillDeployOptions};
use trials::online_deploy::{run_online_deploy, Interruption, OnlineDeployOptions};
use trials::{Comon, Failure};

#[derive(Debug, Parser)]
#[command(
    name = "trials",
    about = "Reliability trials that drive the real comon binary."
)]
struct CommandLine {
    /// The comon binary; default: built by cargo (same profile) into this workspace's target folder.
    #[arg(long, global = true, value_name = "PATH")]
    comon: Option<PathBuf>,
    /// The random seed; default: from the clock. Printed either way.
    #[arg(long, global = true)]
    seed: Option<u64>,
    #[command(subcommand)]
    trial: Trial,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProviderChoice {
    Sqlite,
    Postgresql,
    Both,
}

impl ProviderChoice {
    fn providers(self) -> Vec<Provider> {
        match self {
            ProviderChoice::Sqlite => vec![Provider::Sqlite],
            ProviderChoice::Postgresql => vec![Provider::Postgresql],
            ProviderChoice::Both => vec![Provider::Sqlite, Provider::Postgresql],
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InterruptionChoice {
    Kill,
    Connection,
    Both,
}

impl InterruptionChoice {
    fn interruptions(self) -> Vec<Interruption> {
        match self {
            InterruptionChoice::Kill => vec![Interruption::Kill],
            InterruptionChoice::Connection => vec![Interruption::TerminateBackend],
            InterruptionChoice::Both => vec![Interruption::Kill, Interruption::TerminateBackend],
        }
    }
}

#[derive(Debug, Subcommand)]
enum Trial {
    /// kill -9 at random moments during `migrate deploy` of the 30-migration history.
    KillDeploy {
        #[arg(long, value_enum, default_value = "both")]
        provider: ProviderChoice,
        /// Kills per provider.
        #[arg(long, default_value_t = 200)]
        kills: usize,
        /// Rows the first migration seeds into `Author` (`Book` gets four times as many).
        #[arg(long, default_value_t = 2000)]
        rows: u64,
        #[arg(long, default_value_t = history_length())]
        migrations: usize,
    },
    /// Several `migrate deploy` processes at once on one database, repeatedly.
    ConcurrentDeploy {
        #[arg(long, value_enum, default_value = "both")]
        provider: ProviderChoice,
        #[arg(long, default_value_t = 8)]
        processes: usize,
        #[arg(long, default_value_t = 20)]
        repetitions: usize,
        #[arg(long, default_value_t = 500)]
        rows: u64,
        #[arg(long, default_value_t = history_length())]
        migrations: usize,
    },
    /// pg_terminate_backend on the deploy's connection at random moments (PostgreSQL).
    ConnectionKill {
        #[arg(long, default_value_t = 100)]
        kills: usize,
        #[arg(long, default_value_t = 2000)]
        rows: u64,
        #[arg(long, default_value_t = history_length())]
        migrations: usize,
    },
    /// kill -9 or pg_terminate_backend during deploys of the online-DDL history (PostgreSQL),
    /// then the refusal, the documented repair and the consistency checks after each.
    OnlineDeploy {
        /// `kill` (SIGKILL of comon), `connection` (pg_terminate_backend) or `both`.
        #[arg(long, value_enum, default_value = "both")]
        interruption: InterruptionChoice,
        /// Interruptions per kind.
        #[arg(long, default_value_t = 100)]
        kills: usize,
        #[arg(long, default_value_t = 20000)]
        rows: u64,
        #[arg(long, default_value_t = online_history_length())]
        migrations: usize,
    },
    /// Writes seed inputs for the fuzz targets (golden cases, corpus schemas, real databases).
    FuzzSeeds {
        /// The corpus folder; one subfolder per target.
        #[arg(long, default_value = "fuzz/corpus")]
        output: PathBuf,
    },
    /// Hostile names through every statement kind, applied and converged on both providers.
    HostileIdentifiers {
        #[arg(long, value_enum, default_value = "both")]
        provider: ProviderChoice,
        /// How many of the hostile names to run (default: all).
        #[arg(long)]
        names: Option<usize>,
    },
}

/// The comon binary: `--comon`, else built with the cargo that runs this program (`cargo run`
/// sets `CARGO`), in the same profile, next to this executable.
fn comon_binary(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return Ok(path);
    }
    let executable = std::env::current_exe().map_err(|error| error.to_string())?;
    let folder = executable
        .parent()
        .ok_or("this program has no folder")?
        .to_path_buf();
    if let Ok(cargo) = std::env::var("CARGO") {
        let mut command = std::process::Command::new(cargo);
        // With `-p trials` too, Cargo resolves the same features as for `cargo run -p trials`, so
        // the shared dependencies are not rebuilt (with LTO, minutes) for each of the two.
        command.args(["build", "-p", "comon-cli", "-p", "trials", "--bin", "comon"]);
        if !cfg!(debug_assertions) {
            command.arg("--release");
        }
        eprintln!("building comon: {command:?}");
        let status = command
            .status()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        if !status.success() {
            return Err("building comon failed".to_string());
        }
    }
    let binary = folder.join(format!("comon{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        return Err(format!(
            "{} does not exist: run through `cargo run -p trials` or pass --comon PATH",
            binary.display()
        ));
    }
    Ok(binary)
}

fn print_figures<T: Serialize>(name: &str, figures: &T, failures: &[Failure]) {
    let json = serde_json::to_value(figures).unwrap_or_default();
    let mut summary = Vec::new();
    if let Some(object) = json.as_object() {
        for (key, value) in object {
            if key != "failures" {
                summary.push(format!("{key}={value}"));
            }
        }
    }
    println!("{name}: {}", summary.join(" "));
    println!("{name} json: {json}");
    for failure in failures {
        println!("FAILURE {failure}\n");
    }
}

fn main() -> ExitCode {
    let command_line = CommandLine::parse();
    let seed = command_line.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|duration| duration.as_nanos() as u64)
            .unwrap_or(0)
    });
    println!("seed: {seed} (replay with --seed {seed})");
    if let Trial::FuzzSeeds { output } = &command_line.trial {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        return if trials::fuzz_seeds::write_fuzz_seeds(&workspace, output) > 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let comon = match comon_binary(command_line.comon) {
        Ok(binary) => Comon::new(binary),
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    println!("comon: {}", comon.binary().display());
    let mut failure_count = 0;
    let result: Result<(), String> = (|| {
        match command_line.trial {
            Trial::KillDeploy {
                provider,
                kills,
                rows,
                migrations,
            } => {
                for provider in provider.providers() {
                    let options = KillDeployOptions {
                        provider,
                        kills,
                        seed,
                        seed_rows: rows,
                        history_length: migrations,
                    };
                    let figures = run_kill_deploy(&comon, &options)?;
                    failure_count += figures.failures.len();
                    print_figures("kill-deploy", &figures, &figures.failures);
                }
            }
            Trial::ConcurrentDeploy {
                provider,
                processes,
                repetitions,
                rows,
                migrations,
            } => {
                for provider in provider.providers() {
                    let options = ConcurrentDeployOptions {
                        provider,
                        processes,
                        repetitions,
                        seed_rows: rows,
                        history_length: migrations,
                    };
                    let figures = run_concurrent_deploy(&comon, &options)?;
                    failure_count += figures.failures.len();
                    print_figures("concurrent-deploy", &figures, &figures.failures);
                }
            }
            Trial::ConnectionKill {
                kills,
                rows,
                migrations,
            } => {
                let options = ConnectionKillOptions {
                    kills,
                    seed,
                    seed_rows: rows,
                    history_length: migrations,
                };
                let figures = run_connection_kill(&comon, &options)?;
                failure_count += figures.failures.len();
                print_figures("connection-kill", &figures, &figures.failures);
            }
            Trial::OnlineDeploy {
                interruption,
                kills,
                rows,
                migrations,
            } => {
                for interruption in interruption.interruptions() {
                    let options = OnlineDeployOptions {
                        interruption,
                        interruptions: kills,
                        seed,
                        seed_rows: rows,
                        history_length: migrations,
                    };
                    let figures = run_online_deploy(&comon, &options)?;
                    failure_count += figures.failures.len();
                    print_figures("online-deploy", &figures, &figures.failures);
                }
            }
            Trial::FuzzSeeds { .. } => {}
            Trial::HostileIdentifiers { provider, names } => {
                for provider in provider.providers() {
                    let options = HostileIdentifiersOptions {
                        provider,
                        seed,
                        name_limit: names,
                    };
                    let figures = run_hostile_identifiers(&comon, &options)?;
                    failure_count += figures.failures.len();
                    print_figures("hostile-identifiers", &figures, &figures.failures);
                }
            }
        }
        Ok(())
    })();
    if let Err(error) = result {
        eprintln!("the trial could not run: {error}");
        return ExitCode::FAILURE;
    }
    if failure_count > 0 {
        println!("{failure_count} failure(s)");
        ExitCode::FAILURE
    } else {
        println!("no failures");
        ExitCode::SUCCESS
    }
}
