//! The migration driver, in the manner of sqlx's migrator: take the lock, make sure the history
//! table exists, refuse while a migration is marked failed, then apply each pending migration
//! with its history row.
//!
//! `commands` holds the commands a front end calls (`migrate dev`, `deploy`, `status`, `reset`,
//! `resolve`, `rollback`, `db push`): they take the database and their inputs as data and
//! return reports. They take a `backend::MigrationBackend`, one implementation per database,
//! which holds everything that differs between databases (the migration lock, the history
//! table, the statements around a script); `apply` runs one migration with its history row on
//! any backend; the history rows are built in `history_rows`; what the files and rows mean
//! lives in `planner::migrations`.

pub mod apply;
pub mod backend;
pub mod command_error;
pub mod commands;
pub mod expected_schema;
pub mod flavour;
pub mod history_rows;
pub mod local_folders;
pub mod prisma_folders;
pub mod replayed_schema;

pub use command_error::{CommandError, EXIT_DIFFERENCE, EXIT_FAILURE, EXIT_USAGE};
