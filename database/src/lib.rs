//! Database access: the part of comon that touches real databases.
//!
//! It opens a SQLite file or a PostgreSQL server, runs the planner's introspection queries and
//! hands the rows back to the planner, and runs statements. It makes no decisions about
//! schemas: those belong to the planner, so that every runner (native, npm, browser) behaves
//! the same. The migration driver (`comon-driver`) and the `comon` command line (`comon-cli`)
//! are built on it.

// Built without any provider the crate can open nothing, and most of it is unused; that
// build exists only to keep the feature flags honest.
#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(unused))]

mod database;
pub mod database_url;
mod error;
pub mod interrupt;
mod parameters;
#[cfg(feature = "postgres")]
mod postgres;
mod script;
mod sql_text;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use database::{
    ConnectionOptions, Database, DEFAULT_LOCK_TIMEOUT, DEFAULT_LOCK_WAIT_TIMEOUT,
    DEFAULT_STATEMENT_TIMEOUT,
};
pub use database_url::DatabaseUrl;
pub use error::{describe_foreign_key_violations, ForeignKeyViolation, RunnerError};
pub use parameters::{NamedRow, NamedRows, SqlValue};
pub use planner::introspection::Row;
pub use script::{
    foreign_key_violations, run_statements_keeping_dependents, split_sql_script,
    split_sql_script_with_lines, ScriptConnection, ScriptFailure, ScriptStatement,
};
pub use sql_text::{quote_identifier, quote_string_literal};
#[cfg(feature = "sqlite")]
pub use sqlite::text_rows as sqlite_text_rows;
