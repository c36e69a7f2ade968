//! The migration lock: one `comon` command at a time changes a database's schema and history.
//!
//! PostgreSQL: a session-level advisory lock, held from the start of the command until it ends
//! (or its connection closes, should the process die). SQLite has no session lock worth having:
//! each migration runs in a `BEGIN IMMEDIATE` transaction, which takes the write lock before it
//! reads the history, so two runners cannot both decide to apply the same migration.

use comon_database::Database;
use comon_database::RunnerError;
use planner::Provider;

/// The advisory lock key: the bytes of `comon_or` as a big-endian integer. Advisory locks are
/// per database, so different databases on one server never wait for each other.
pub const MIGRATION_LOCK_KEY: i64 = 0x636f_6d6f_6e5f_6f72;

/// Takes the lock, waiting while another runner holds it (for at most the connection's
/// `lock_wait_timeout`); `on_wait` is called once if the lock is busy, so that the user knows
/// why nothing happens.
pub fn acquire_migration_lock(
    database: &mut Database,
    on_wait: impl FnOnce(),
) -> Result<(), RunnerError> {
    if database.provider() != Provider::Postgresql {
        return Ok(());
    }
    let acquired = database.query_rows(&format!(
        "SELECT pg_try_advisory_lock({MIGRATION_LOCK_KEY})::text"
    ))?;
    if acquired
        .first()
        .and_then(|row| row.first())
        .cloned()
        .flatten()
        .as_deref()
        == Some("true")
    {
        return Ok(());
    }
    on_wait();
    database.wait_for_advisory_lock(MIGRATION_LOCK_KEY)
}

/// Gives the lock back. Closing the connection does the same; this only makes it sooner.
pub fn release_migration_lock(database: &mut Database) -> Result<(), RunnerError> {
    if database.provider() != Provider::Postgresql {
        return Ok(());
    }
    database
        .query_rows(&format!(
            "SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})::text"
        ))
        .map(|_| ())
}
