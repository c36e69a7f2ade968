//! Reliability trials for comon: each drives the real `comon` binary as a user would (child
//! processes, real SQLite files, real PostgreSQL databases it creates and drops) and checks
//! what the tool promises — exactly-once, atomic migrations — under kill -9, concurrency,
//! connection loss and hostile identifiers.
//!
//! The trials are a library so that the default test command runs each one small
//! (`cli/tests/reliability_trials.rs`, where Cargo provides the `comon` binary) and
//! the `trials` binary runs the same code at full size; `RELIABILITY.md` has the commands and
//! the figures.

pub mod comon;
pub mod concurrent_deploy;
pub mod connection_kill;
pub mod consistency;
pub mod data_history;
pub mod database;
pub mod fingerprint;
pub mod fuzz_seeds;
pub mod hostile_identifiers;
pub mod kill_deploy;
pub mod online_deploy;
pub mod report;
pub mod schema_text;

pub use comon::Comon;
pub use report::Failure;
