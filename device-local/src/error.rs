//! Errors of the device-local upgrader and cache bootstrap. Every variant has a stable
//! kebab-case `code()` that apps can match on (to decide between "ask the user to update the
//! app" and "report a bug", say); the message is for people. The first three messages are the
//! reference system's, word for word.

use comon_database::{
    describe_foreign_key_violations, ForeignKeyViolation, RunnerError, ScriptFailure,
};
use planner::migrations::ScriptError;
use planner::Warning;

#[derive(Debug, thiserror::Error)]
pub enum DeviceLocalError {
    /// The database was written by a newer build of the app: the user went back to an older
    /// version. Nothing was changed.
    #[error("Local database version {database_version} is newer than app version {app_version}.")]
    DatabaseNewerThanApp {
        database_version: i64,
        app_version: u32,
    },

    /// No upgrade step starts at a version the chain reaches. Nothing was changed.
    #[error("Missing migration for version {version}.")]
    MissingStep { version: u32 },

    /// Two upgrade steps start at the same version, so the chain is ambiguous.
    #[error("Duplicate migration starting at version {version}.")]
    DuplicateStep { version: u32 },

    /// A step must move the version forward.
    #[error("Upgrade step `{step}` has invalid version step {from_version} -> {to_version}.")]
    InvalidStepVersions {
        step: String,
        from_version: u32,
        to_version: u32,
    },

    /// A step would leave the database at a version the app does not know.
    #[error("Upgrade step `{step}` goes to version {to_version}, past app version {app_version}.")]
    StepPastAppVersion {
        step: String,
        to_version: u32,
        app_version: u32,
    },

    /// `PRAGMA user_version` is a signed 32-bit integer.
    #[error("App version {app_version} cannot be stored in PRAGMA user_version, which holds at most 2147483647.")]
    AppVersionTooLarge { app_version: u32 },

    /// Something other than this upgrader wrote a negative `PRAGMA user_version`.
    #[error("Local database version {database_version} is not a valid version: PRAGMA user_version must not be negative.")]
    InvalidDatabaseVersion { database_version: i64 },

    /// A statement of a step, or a rebuild's copy callback, failed. The whole upgrade was rolled
    /// back: data and version are as they were before the upgrade started.
    #[error(
        "Upgrade step `{step}` failed, and the upgrade was rolled back: {message}\n{statement}"
    )]
    StepFailed {
        step: String,
        statement: String,
        message: String,
    },

    /// A step's statements control transactions themselves (a `COMMIT`, a `ROLLBACK`, a `BEGIN`
    /// without its `COMMIT`), but every step runs in the upgrade's one transaction; the message
    /// names the step and the statement. The whole upgrade was rolled back.
    #[error("{message}")]
    TransactionControlStatement { step: String, message: String },

    /// A schema-diff step's `previous` or `next` text is not a valid SQLite schema.
    #[error("Upgrade step `{step}` has an invalid {side} schema: {message}")]
    InvalidStepSchema {
        step: String,
        side: &'static str,
        message: String,
    },

    /// A schema-diff step's plan has warnings (data loss, a change that may fail) and the step
    /// was not built with `schema_diff_allowing_warnings`. Nothing was changed.
    #[error("{}", describe_refused_warnings(step, warnings))]
    SchemaDiffHasWarnings {
        step: String,
        warnings: Vec<Warning>,
    },

    /// A rebuild's copy callback did not copy every row into the new table. The whole upgrade
    /// was rolled back.
    #[error("Upgrade step `{step}` rebuilt table `{table}` with {copied_rows} row(s) but it had {source_rows}; a rebuild keeps every row, so the upgrade was rolled back.")]
    RebuildChangedRowCount {
        step: String,
        table: String,
        source_rows: i64,
        copied_rows: i64,
    },

    /// A table rebuild needs the name `new_<table>` for the table it builds.
    #[error("Upgrade step `{step}` cannot rebuild table `{table}`: a table named `{temporary_table}` already exists.")]
    RebuildTemporaryTableExists {
        step: String,
        table: String,
        temporary_table: String,
    },

    /// After the steps ran, `PRAGMA foreign_key_check` found broken references; the whole
    /// upgrade was rolled back.
    #[error("{}", describe_foreign_key_violations("upgrade", violations))]
    ForeignKeyViolation {
        violations: Vec<ForeignKeyViolation>,
    },

    /// The upgrader was given a database that the cache bootstrap manages.
    #[error("This database is a rebuildable cache (it has the `{metadata_table}` table): open it with the cache bootstrap, not with the versioned upgrader.")]
    DatabaseIsRebuildableCache { metadata_table: &'static str },

    /// The cache bootstrap was given a database that versioned upgrades manage. It never resets
    /// such a database, because it holds data that cannot be rebuilt.
    #[error("This database has version {database_version} (PRAGMA user_version), so it holds data managed by versioned upgrades; the cache bootstrap never resets it.")]
    CacheDatabaseIsVersioned { database_version: i64 },

    /// The schema given to the cache bootstrap is not a valid SQLite schema.
    #[error("The cache schema is invalid: {message}")]
    InvalidCacheSchema { message: String },

    /// Opening the database, reading its version or a pragma failed outside any step.
    #[error("Could not {action} the local database: {message}")]
    Database {
        action: &'static str,
        message: String,
    },
}

impl DeviceLocalError {
    /// The stable code of the error, such as `missing-local-migration`.
    pub fn code(&self) -> &'static str {
        match self {
            DeviceLocalError::DatabaseNewerThanApp { .. } => "local-database-newer-than-app",
            DeviceLocalError::MissingStep { .. } => "missing-local-migration",
            DeviceLocalError::DuplicateStep { .. } => "duplicate-local-migration",
            DeviceLocalError::InvalidStepVersions { .. } => "invalid-local-migration-versions",
            DeviceLocalError::StepPastAppVersion { .. } => "local-migration-past-app-version",
            DeviceLocalError::AppVersionTooLarge { .. } => "app-version-too-large",
            DeviceLocalError::InvalidDatabaseVersion { .. } => "invalid-local-database-version",
            DeviceLocalError::StepFailed { .. } => "local-migration-failed",
            DeviceLocalError::TransactionControlStatement { .. } => "transaction-control-statement",
            DeviceLocalError::InvalidStepSchema { .. } => "invalid-local-migration-schema",
            DeviceLocalError::SchemaDiffHasWarnings { .. } => "local-migration-has-warnings",
            DeviceLocalError::RebuildChangedRowCount { .. } => "local-rebuild-changed-row-count",
            DeviceLocalError::RebuildTemporaryTableExists { .. } => "local-rebuild-name-taken",
            DeviceLocalError::ForeignKeyViolation { .. } => "foreign-key-violation",
            DeviceLocalError::DatabaseIsRebuildableCache { .. } => "local-database-is-cache",
            DeviceLocalError::CacheDatabaseIsVersioned { .. } => "local-cache-is-versioned",
            DeviceLocalError::InvalidCacheSchema { .. } => "invalid-local-cache-schema",
            DeviceLocalError::Database { .. } => "local-database-error",
        }
    }

    pub(crate) fn database(action: &'static str, error: &rusqlite::Error) -> DeviceLocalError {
        DeviceLocalError::Database {
            action,
            message: error.to_string(),
        }
    }

    /// A step's statements that the planner's analysis refused.
    pub(crate) fn step_refused(step: &str, error: ScriptError) -> DeviceLocalError {
        match error {
            ScriptError::TransactionControlStatement { message } => {
                DeviceLocalError::TransactionControlStatement {
                    step: step.to_string(),
                    message,
                }
            }
            ScriptError::InvalidSqlScript { .. } => DeviceLocalError::StepFailed {
                step: step.to_string(),
                statement: String::new(),
                message: error.to_string(),
            },
        }
    }

    /// A step's statements that stopped in the script loop: the statement that failed, or the
    /// reading and re-creating of what a rebuild dropped.
    pub(crate) fn step_script_failed(step: &str, failure: ScriptFailure) -> DeviceLocalError {
        let (statement, message) = match failure.error {
            RunnerError::StatementFailed {
                statement, message, ..
            } => (statement, message),
            other => (
                "SELECT ... FROM sqlite_master".to_string(),
                other.to_string(),
            ),
        };
        DeviceLocalError::StepFailed {
            step: step.to_string(),
            statement,
            message,
        }
    }

    pub(crate) fn step_failed(
        step: &str,
        statement: &str,
        error: &rusqlite::Error,
    ) -> DeviceLocalError {
        DeviceLocalError::StepFailed {
            step: step.to_string(),
            statement: statement.to_string(),
            message: error.to_string(),
        }
    }
}

fn describe_refused_warnings(step: &str, warnings: &[Warning]) -> String {
    let mut description = format!(
        "Upgrade step `{step}` was refused because its plan has warnings; review them and build the step with `schema_diff_allowing_warnings` to accept them:"
    );
    for warning in warnings {
        description.push_str(&format!(
            "\n  [{}] {}",
            warning.kind.as_str(),
            warning.message
        ));
    }
    description
}
