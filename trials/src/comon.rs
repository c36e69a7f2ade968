//! Running the real `comon` binary as a user would: a child process in a project folder, the
//! database URL in `DATABASE_URL`, no terminal (stdin closed, so nothing prompts), and its
//! output read line by line while it runs, so that a trial can kill it at a chosen moment.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The exit code Rust gives a process whose main thread panicked.
pub const PANIC_EXIT_CODE: i32 = 101;

/// The `comon` binary a trial drives.
#[derive(Debug, Clone)]
pub struct Comon {
    binary: PathBuf,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The exit code; `None` when a signal ended the process (the trial's SIGKILL).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// The run did not end within its time limit and was killed.
    pub timed_out: bool,
}

impl Finished {
    pub fn succeeded(&self) -> bool {
        self.code == Some(0)
    }

    /// Both streams, for failure reports.
    pub fn transcript(&self) -> String {
        let code = match self.code {
            Some(code) => code.to_string(),
            None => "killed by a signal".to_string(),
        };
        format!(
            "exit: {code}{}\nstdout:\n{}stderr:\n{}",
            if self.timed_out { " (timed out)" } else { "" },
            self.stdout,
            self.stderr
        )
    }

    /// The number of `Applying migration` lines: migrations this run applied.
    pub fn applied_line_count(&self) -> usize {
        self.stdout
            .lines()
            .filter(|line| line.starts_with("Applying migration `"))
            .count()
    }
}

impl Comon {
    pub fn new(binary: impl Into<PathBuf>) -> Comon {
        Comon {
            binary: binary.into(),
        }
    }

    pub fn binary(&self) -> &Path {
        &self.binary
    }

    fn command(&self, directory: &Path, database_url: &str, arguments: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .current_dir(directory)
            .args(arguments)
            .env("DATABASE_URL", database_url)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs to the end (or kills it after `limit`).
    pub fn run(
        &self,
        directory: &Path,
        database_url: &str,
        arguments: &[&str],
        limit: Duration,
    ) -> Finished {
        self.spawn(directory, database_url, arguments).wait(limit)
    }

    pub fn spawn(&self, directory: &Path, database_url: &str, arguments: &[&str]) -> Running {
        let started = Instant::now();
        let mut child = self
            .command(directory, database_url, arguments)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", self.binary.display()));
        let (sender, lines) = channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stdout_reader = std::thread::spawn(move || {
            let mut collected = String::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                collected.push_str(&line);
                collected.push('\n');
                // The receiver may be gone once the trial stopped listening; the text is kept.
                let _ = sender.send(line);
            }
            collected
        });
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let stderr_reader = std::thread::spawn(move || {
            let mut collected = Vec::new();
            let _ = stderr.read_to_end(&mut collected);
            String::from_utf8_lossy(&collected).into_owned()
        });
        Running {
            child,
            lines,
            stdout_reader,
            stderr_reader,
            started,
            timed_out: false,
        }
    }
}

/// A `comon` process that is still running.
pub struct Running {
    child: Child,
    lines: Receiver<String>,
    stdout_reader: JoinHandle<String>,
    stderr_reader: JoinHandle<String>,
    started: Instant,
    timed_out: bool,
}

/// What happened while a trial waited for a moment to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    /// The moment came and the process is still running.
    Reached,
    /// The process ended first.
    Exited,
}

impl Running {
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    pub fn has_exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Waits until `delay` after the start, polling every millisecond so that the moment is
    /// precise and an early exit is noticed.
    pub fn wait_until(&mut self, delay: Duration) -> Waited {
        loop {
            if self.has_exited() {
                return Waited::Exited;
            }
            let elapsed = self.started.elapsed();
            if elapsed >= delay {
                return Waited::Reached;
            }
            std::thread::sleep((delay - elapsed).min(Duration::from_millis(1)));
        }
    }

    /// Waits until stdout has shown `count` lines that start with `prefix` (counting from the
    /// start of the run), or until the process ends, or until `limit`.
    pub fn wait_for_lines(&mut self, prefix: &str, count: usize, limit: Duration) -> Waited {
        let mut seen = 0;
        let deadline = self.started + limit;
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Waited::Exited;
            }
            match self
                .lines
                .recv_timeout((deadline - now).min(Duration::from_millis(50)))
            {
                Ok(line) => {
                    if line.starts_with(prefix) {
                        seen += 1;
                        if seen >= count {
                            return Waited::Reached;
                        }
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if self.has_exited() {
                        // Lines may still be in the pipe: drain them before saying so.
                        while let Ok(line) = self.lines.try_recv() {
                            if line.starts_with(prefix) {
                                seen += 1;
                            }
                        }
                        return if seen >= count {
                            Waited::Reached
                        } else {
                            Waited::Exited
                        };
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Waited::Exited,
            }
        }
    }

    /// SIGKILL (on Unix `Child::kill` sends SIGKILL), then collects the output.
    pub fn kill(mut self) -> Finished {
        let _ = self.child.kill();
        self.collect()
    }

    /// Waits for the end, killing the process after `limit` (measured from its start).
    pub fn wait(mut self, limit: Duration) -> Finished {
        if self.wait_until(limit) == Waited::Reached {
            self.timed_out = true;
            let _ = self.child.kill();
        }
        self.collect()
    }

    fn collect(mut self) -> Finished {
        let status: Option<ExitStatus> = self.child.wait().ok();
        let elapsed = self.started.elapsed();
        let stdout = self.stdout_reader.join().unwrap_or_default();
        let stderr = self.stderr_reader.join().unwrap_or_default();
        Finished {
            code: status.and_then(|status| status.code()),
            stdout,
            stderr,
            elapsed,
            timed_out: self.timed_out,
        }
    }
}
