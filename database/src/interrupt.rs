//! Stopping on SIGINT, SIGTERM and SIGHUP without leaving work behind on the server.
//!
//! Without this, Ctrl-C kills the process while PostgreSQL goes on running its statement (and
//! holding its locks) until the statement ends on its own. Here a signal is received on a
//! thread of its own (signal-hook), which records it and cancels what is running: the running
//! PostgreSQL query through the client's cancel token, the running SQLite statement through
//! its interrupt handle. The main thread then sees the statement fail, rolls the transaction
//! back, refuses to start anything new (see `refuse_after_interrupt`), and the command ends with
//! `error[interrupted]` and exit code 128 + the signal's number (130 for SIGINT).
//!
//! When nothing could be running (no database open, or the command waits for an answer at a
//! prompt) the process exits at once; a second signal always does. Closing the connection is
//! enough then: the server rolls an open transaction back and releases session locks.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::Mutex;

/// The number of the first signal received, or 0.
static RECEIVED_SIGNAL: AtomicI32 = AtomicI32::new(0);
/// Whether the main thread is waiting for the user at a prompt.
static PROMPTING: AtomicBool = AtomicBool::new(false);
static NEXT_REGISTRATION: AtomicU64 = AtomicU64::new(0);
/// What can be cancelled right now: one entry per open database connection.
static CANCEL_TARGETS: Mutex<Vec<(u64, CancelTarget)>> = Mutex::new(Vec::new());

pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGTERM: i32 = 15;

/// A way to stop what one connection is running, from another thread.
#[derive(Clone)]
pub(crate) enum CancelTarget {
    #[cfg(feature = "postgres")]
    Postgresql(postgres::CancelToken),
    #[cfg(feature = "sqlite")]
    Sqlite(std::sync::Arc<rusqlite::InterruptHandle>),
}

/// Keeps a connection's cancel target registered; dropping it (with the connection) removes it.
pub(crate) struct Registration(u64);

impl Drop for Registration {
    fn drop(&mut self) {
        if let Ok(mut targets) = CANCEL_TARGETS.lock() {
            targets.retain(|(id, _)| *id != self.0);
        }
    }
}

pub(crate) fn register(target: CancelTarget) -> Registration {
    let id = NEXT_REGISTRATION.fetch_add(1, Ordering::SeqCst);
    if let Ok(mut targets) = CANCEL_TARGETS.lock() {
        targets.push((id, target));
    }
    Registration(id)
}

/// The signal that asked the process to stop, if one did.
pub fn requested() -> Option<i32> {
    match RECEIVED_SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGHUP => "SIGHUP",
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// The exit code of a process stopped by `signal`, by the shell's convention.
pub fn exit_code_for(signal: i32) -> i32 {
    128 + signal
}

/// Records `signal` and cancels whatever every open connection is running. The signal thread
/// calls this; tests call it to simulate a signal.
pub fn request(signal: i32) {
    if RECEIVED_SIGNAL
        .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return;
    }
    let targets: Vec<CancelTarget> = match CANCEL_TARGETS.lock() {
        Ok(targets) => targets.iter().map(|(_, target)| target.clone()).collect(),
        Err(_) => Vec::new(),
    };
    for target in targets {
        match target {
            // A cancel request on a connection that is not running a query is ignored by the
            // server; the main thread's next statement is refused instead.
            #[cfg(feature = "postgres")]
            CancelTarget::Postgresql(token) => {
                let _ = token.cancel_query(postgres::NoTls);
            }
            #[cfg(feature = "sqlite")]
            CancelTarget::Sqlite(handle) => handle.interrupt(),
        }
    }
}

/// Whether nothing is open that a signal would have to cancel.
fn nothing_to_cancel() -> bool {
    CANCEL_TARGETS
        .lock()
        .map(|targets| targets.is_empty())
        .unwrap_or(true)
}

/// Runs `wait_for_answer` (reading a prompt's answer) so that a signal meanwhile ends the
/// process at once: no statement runs while a prompt waits, so there is nothing to roll back.
pub fn while_prompting<T>(wait_for_answer: impl FnOnce() -> T) -> T {
    PROMPTING.store(true, Ordering::SeqCst);
    let answer = wait_for_answer();
    PROMPTING.store(false, Ordering::SeqCst);
    answer
}

/// The name prefix of the scratch databases comon creates on a PostgreSQL server to replay
/// migrations into (`comon_driver::replayed_schema`). Dropping one is cleanup: it must still
/// run after a signal, so that no scratch database is left behind.
pub const SCRATCH_DATABASE_PREFIX: &str = "comon_scratch_";

/// Whether `sql` only cleans up after an interruption: a rollback, marking a history row
/// failed, switching foreign keys back on, giving a lock back. Everything else is refused once a
/// signal arrived, so that no new statement starts.
pub(crate) fn is_cleanup(sql: &str) -> bool {
    let normalized = sql.trim_start().to_ascii_uppercase();
    normalized.starts_with("ROLLBACK")
        || normalized.starts_with("PRAGMA FOREIGN_KEYS = ON")
        || normalized.starts_with(&format!(
            "UPDATE \"{}\"",
            planner::migrations::HISTORY_TABLE_NAME.to_ascii_uppercase()
        ))
        || normalized.starts_with(&format!(
            "UPDATE \"{}\"",
            planner::migrations::prisma::PRISMA_HISTORY_TABLE_NAME.to_ascii_uppercase()
        ))
        || normalized.contains("PG_ADVISORY_UNLOCK")
        || normalized.starts_with(&format!(
            "DROP DATABASE IF EXISTS \"{}",
            SCRATCH_DATABASE_PREFIX.to_ascii_uppercase()
        ))
}

/// `Err(Interrupted)` when a signal arrived and `sql` is not cleanup.
pub(crate) fn refuse_after_interrupt(sql: &str) -> Result<(), crate::RunnerError> {
    match requested() {
        Some(signal) if !is_cleanup(sql) => Err(crate::RunnerError::Interrupted { signal }),
        _ => Ok(()),
    }
}

/// Receives SIGINT, SIGTERM and SIGHUP on a thread of its own for the rest of the process. For
/// the `comon` binary only: a library must not take its host's signals.
#[cfg(unix)]
pub fn install_signal_handlers() {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        // Without the handler a signal ends the process as it always did; the server then
        // rolls back when it notices the closed connection.
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if requested().is_some() || PROMPTING.load(Ordering::SeqCst) || nothing_to_cancel() {
                if PROMPTING.load(Ordering::SeqCst) {
                    eprintln_ignoring_errors("");
                }
                std::process::exit(exit_code_for(requested().unwrap_or(signal)));
            }
            request(signal);
        }
    });
}

#[cfg(not(unix))]
pub fn install_signal_handlers() {}

fn eprintln_ignoring_errors(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleanup_statements_are_told_from_new_work() {
        assert!(is_cleanup("ROLLBACK"));
        assert!(is_cleanup("  rollback"));
        assert!(is_cleanup(
            "UPDATE \"_comon_orm_migrations\" SET state = 'failed' WHERE id = 3"
        ));
        assert!(is_cleanup("PRAGMA foreign_keys = ON"));
        assert!(is_cleanup("SELECT pg_advisory_unlock(1)::text"));
        assert!(is_cleanup(
            "DROP DATABASE IF EXISTS \"comon_scratch_0123abcd\" WITH (FORCE)"
        ));
        assert!(!is_cleanup("DROP DATABASE IF EXISTS \"production\""));
        assert!(!is_cleanup("COMMIT"));
        assert!(!is_cleanup("CREATE TABLE a (id INTEGER)"));
        assert!(!is_cleanup(
            "INSERT INTO \"_comon_orm_migrations\" (name) VALUES ('x')"
        ));
    }

    #[test]
    fn signals_have_names_and_exit_codes() {
        assert_eq!(signal_name(SIGINT), "SIGINT");
        assert_eq!(exit_code_for(SIGINT), 130);
        assert_eq!(exit_code_for(SIGTERM), 143);
    }
}
