//! The native runner: the part of comon that touches real databases.
//!
//! It opens a SQLite file or a PostgreSQL server, runs the planner's introspection queries and
//! hands the rows back to the planner, and applies migrations atomically. It makes no
//! decisions about schemas: those belong to the planner, so that every runner (native, npm,
//! browser) behaves the same.
//!
//! `migrate` is the migration driver (history table, lock, applying a migration with its
//! history row); `cli` is the `comon` command line built on it.

// Built without any provider the runner can open nothing, and most of it is unused; that
// build exists only to keep the feature flags honest.
#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(unused))]

pub mod cli;
mod command_error;
mod database;
pub mod database_url;
#[cfg(feature = "sqlite")]
pub mod device_local;
mod error;
pub mod interrupt;
pub mod migrate;
#[cfg(feature = "postgres")]
mod postgres;
mod script;
mod sql_text;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use command_error::{CommandError, EXIT_DIFFERENCE, EXIT_FAILURE, EXIT_USAGE};
pub use database::{
    ConnectionOptions, Database, DEFAULT_LOCK_TIMEOUT, DEFAULT_LOCK_WAIT_TIMEOUT,
    DEFAULT_STATEMENT_TIMEOUT,
};
pub use database_url::DatabaseUrl;
pub use error::{ForeignKeyViolation, RunnerError};
pub use planner::introspection::Row;
pub use script::{split_sql_script, split_sql_script_with_lines, ScriptStatement};
pub use sql_text::{quote_identifier, quote_string_literal};
