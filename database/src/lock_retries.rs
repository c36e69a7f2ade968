//! Bounded retries after PostgreSQL's `lock_timeout` cancelled a migration statement
//! (SQLSTATE 55P03, `lock_not_available`).
//!
//! A statement that cannot get its lock within `lock_timeout` is cancelled so that it does not
//! stay queued in front of the application's own queries. Often the lock is free a moment
//! later (a long transaction ended), so the runner waits and tries again, a bounded number of
//! times with a growing pause, and says so on a line of its own. Only what can safely run again
//! is retried: one statement of the online phase, which runs on its own outside a transaction,
//! or the whole transactional part, from its start, after its rollback.

use std::sync::Arc;
use std::time::Duration;

/// How many times, and after which pauses, a statement cancelled by `lock_timeout` runs again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockRetries {
    /// Runs after the first; 0 never retries.
    pub retries: u32,
    /// The pause before the first retry; each later pause doubles, up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

/// The default number of retries: with the default `lock_timeout` of 10 s and pauses of 1, 2
/// and 4 s, a statement gives up after about 47 s of waiting in all.
pub const DEFAULT_LOCK_RETRIES: u32 = 3;
pub const DEFAULT_FIRST_LOCK_RETRY_BACKOFF: Duration = Duration::from_secs(1);
pub const DEFAULT_MAX_LOCK_RETRY_BACKOFF: Duration = Duration::from_secs(30);

impl Default for LockRetries {
    fn default() -> LockRetries {
        LockRetries {
            retries: DEFAULT_LOCK_RETRIES,
            first_backoff: DEFAULT_FIRST_LOCK_RETRY_BACKOFF,
            max_backoff: DEFAULT_MAX_LOCK_RETRY_BACKOFF,
        }
    }
}

impl LockRetries {
    /// The pause before retry number `retry` (1-based), or `None` when no retry is left.
    pub fn backoff(&self, retry: u32) -> Option<Duration> {
        if retry == 0 || retry > self.retries {
            return None;
        }
        let doubled = self
            .first_backoff
            .checked_mul(1u32.checked_shl(retry - 1).unwrap_or(u32::MAX))
            .unwrap_or(self.max_backoff);
        Some(doubled.min(self.max_backoff))
    }
}

/// What the waiting line says: which work waits, which retry comes, and after how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRetryNotice {
    /// The statement's first line, or what part of the migration runs again.
    pub what: String,
    pub retry: u32,
    pub retries: u32,
    pub backoff: Duration,
    pub lock_timeout: Duration,
}

impl std::fmt::Display for LockRetryNotice {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "Waiting for a lock another connection holds: {} could not get it within {} ms (lock_timeout); retry {} of {} in {} ms.",
            self.what,
            self.lock_timeout.as_millis(),
            self.retry,
            self.retries,
            self.backoff.as_millis()
        )
    }
}

/// Called with each notice before the pause, so that the user learns why nothing happens.
pub type LockRetryCallback = Arc<dyn Fn(&LockRetryNotice) + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_limit_and_stop_after_the_last_retry() {
        let retries = LockRetries {
            retries: 6,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
        };
        let pauses: Vec<Option<u64>> = (0..=7)
            .map(|retry| retries.backoff(retry).map(|pause| pause.as_secs()))
            .collect();
        assert_eq!(
            pauses,
            vec![
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(10),
                Some(10),
                None
            ]
        );
        let none = LockRetries {
            retries: 0,
            ..LockRetries::default()
        };
        assert_eq!(none.backoff(1), None);
    }
}
