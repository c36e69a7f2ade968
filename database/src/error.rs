//! Runner errors. Every variant has a stable kebab-case `code()` that scripts and tests can
//! match on; the message is for people.

/// One row that `PRAGMA foreign_key_check` reported after a SQLite migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyViolation {
    /// The table holding the row whose reference is broken.
    pub table: String,
    /// The rowid of that row; `None` for a `WITHOUT ROWID` table.
    pub row_id: Option<String>,
    /// The table the broken reference points to.
    pub referenced_table: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// The reason never quotes the URL: it may hold a password.
    #[error("The database URL cannot be used: {reason}.")]
    InvalidDatabaseUrl { reason: String },

    #[error("The database URL is a `{scheme}://` URL, but comon supports only PostgreSQL (`postgresql://`) and SQLite (`file:`) databases.")]
    UnsupportedProvider { scheme: String },

    #[error("The SQLite database file {path} does not exist. Check the datasource URL (a relative `file:` path is relative to the schema file's folder); `migrate dev`, `migrate deploy`, `migrate reset`, `db push` and `db execute` create the file; read-only commands and those that only record or undo history (`migrate resolve`, `migrate rollback`, `migrate baseline`) never do.")]
    DatabaseNotFound { path: String },

    #[error("This runner was built without {provider} support (Cargo feature `{feature}`).")]
    ProviderNotCompiled {
        provider: &'static str,
        feature: &'static str,
    },

    #[error("Could not connect to the database at {location}: {message}")]
    DatabaseConnection { location: String, message: String },

    #[error("{}", describe_statement_failure(*position, statement, message))]
    StatementFailed {
        statement: String,
        position: Option<usize>,
        message: String,
    },

    #[error("{}", describe_foreign_key_violations("migration", violations))]
    ForeignKeyViolation {
        violations: Vec<ForeignKeyViolation>,
    },

    #[error("Introspection failed ({planner_code}): {message}")]
    Introspection {
        planner_code: String,
        message: String,
    },

    #[error("The statement `{statement}` returned a result the runner cannot read: {message}")]
    UnexpectedResult { statement: String, message: String },

    #[error(
        "The SQL script cannot be split into statements at line {line}, column {column}: {message}"
    )]
    InvalidSqlScript {
        line: u64,
        column: u64,
        message: String,
    },

    /// Statements to apply in one transaction control transactions themselves; the message
    /// (the planner's) names the statement. Nothing was run.
    #[error("{message}")]
    TransactionControlStatement { message: String },

    /// Another process held the migration lock (PostgreSQL) or the write lock (SQLite) for
    /// longer than `--lock-wait-timeout`.
    #[error("Gave up after {} waiting for {lock} held by another process. Wait for it to finish and run the command again, or allow a longer wait with --lock-wait-timeout (COMON_LOCK_WAIT_TIMEOUT; 0 waits as long as it takes).", describe_duration(*limit))]
    LockWaitTimeout {
        lock: &'static str,
        limit: std::time::Duration,
    },

    /// A statement waited for a table lock longer than PostgreSQL's `lock_timeout`.
    #[error("{} waited more than {} (lock_timeout) for a lock that another connection holds, and was cancelled; nothing of it was kept. Run it again when the table is less busy, or raise --lock-timeout (COMON_LOCK_TIMEOUT).\n{statement}", describe_statement(*position), describe_duration(*limit))]
    LockTimeout {
        statement: String,
        position: Option<usize>,
        limit: std::time::Duration,
    },

    /// A statement ran longer than PostgreSQL's `statement_timeout`.
    #[error("{} ran longer than {} (statement_timeout) and was cancelled; nothing of it was kept. Raise --statement-timeout (COMON_STATEMENT_TIMEOUT; 0 for no limit) if it needs longer.\n{statement}", describe_statement(*position), describe_duration(*limit))]
    StatementTimeout {
        statement: String,
        position: Option<usize>,
        limit: std::time::Duration,
    },

    /// The connection ended while a statement ran (the server was shut down or restarted, an
    /// administrator terminated the session, the network dropped it). Whether the statement
    /// took effect depends on where it ran, which the message says.
    #[error("The connection to the database was lost while {} ran ({message}). The server rolls back an open transaction when its connection ends, so a statement inside one did not take effect; one that ran on its own (the online phase after `-- comon:after-commit`, or a COMMIT) may have completed before the connection ended. Check the database with `comon migrate status` once it answers again, then run the command again.\n{statement}", describe_running_statement(*position))]
    ConnectionLost {
        statement: String,
        position: Option<usize>,
        message: String,
    },

    /// SIGINT, SIGTERM or SIGHUP arrived: the running statement was cancelled.
    #[error("Interrupted by {}: the running statement was cancelled and its transaction rolled back, so a migration that had not finished is not recorded as applied (one running outside a transaction is marked failed). Migrations that finished before stay applied; run the command again to continue.", crate::interrupt::signal_name(*signal))]
    Interrupted { signal: i32 },
}

impl RunnerError {
    /// The stable code of the error, such as `statement-failed`.
    pub fn code(&self) -> &'static str {
        match self {
            RunnerError::InvalidDatabaseUrl { .. } => "invalid-database-url",
            // The same code as an unknown `provider` in a schema's datasource block.
            RunnerError::UnsupportedProvider { .. } => "unknown-provider",
            RunnerError::DatabaseNotFound { .. } => "database-not-found",
            RunnerError::ProviderNotCompiled { .. } => "provider-not-compiled",
            RunnerError::DatabaseConnection { .. } => "database-connection",
            RunnerError::StatementFailed { .. } => "statement-failed",
            RunnerError::ForeignKeyViolation { .. } => "foreign-key-violation",
            RunnerError::Introspection { .. } => "introspection",
            RunnerError::UnexpectedResult { .. } => "unexpected-result",
            RunnerError::InvalidSqlScript { .. } => "invalid-sql-script",
            RunnerError::TransactionControlStatement { .. } => "transaction-control-statement",
            RunnerError::LockWaitTimeout { .. } => "lock-wait-timeout",
            RunnerError::LockTimeout { .. } => "lock-timeout",
            RunnerError::StatementTimeout { .. } => "statement-timeout",
            RunnerError::ConnectionLost { .. } => "connection-lost",
            RunnerError::Interrupted { .. } => "interrupted",
        }
    }

    /// The same error, naming the statement's position in its migration.
    pub(crate) fn at_position(self, position: usize) -> RunnerError {
        match self {
            RunnerError::StatementFailed {
                statement, message, ..
            } => RunnerError::StatementFailed {
                statement,
                position: Some(position),
                message,
            },
            RunnerError::LockTimeout {
                statement, limit, ..
            } => RunnerError::LockTimeout {
                statement,
                position: Some(position),
                limit,
            },
            RunnerError::StatementTimeout {
                statement, limit, ..
            } => RunnerError::StatementTimeout {
                statement,
                position: Some(position),
                limit,
            },
            RunnerError::ConnectionLost {
                statement, message, ..
            } => RunnerError::ConnectionLost {
                statement,
                position: Some(position),
                message,
            },
            other => other,
        }
    }

    /// Whether a statement failed because the name of what it creates is taken (PostgreSQL's
    /// SQLSTATE 42P07, `duplicate_table`, which relations and indexes share): it created
    /// nothing. The PostgreSQL connection writes the SQLSTATE into the message as
    /// `SEVERITY [CODE]: ...` (`postgres::describe`).
    pub fn is_name_already_taken(&self) -> bool {
        matches!(self, RunnerError::StatementFailed { message, .. } if message.starts_with("ERROR [42P07]"))
    }

    pub(crate) fn statement_failed(
        statement: &str,
        position: Option<usize>,
        message: impl Into<String>,
    ) -> RunnerError {
        RunnerError::StatementFailed {
            statement: statement.to_string(),
            position,
            message: message.into(),
        }
    }
}

impl From<planner::SchemaError> for RunnerError {
    fn from(error: planner::SchemaError) -> RunnerError {
        RunnerError::Introspection {
            planner_code: error.code,
            message: error.message,
        }
    }
}

fn describe_running_statement(position: Option<usize>) -> String {
    match position {
        Some(position) => format!("statement {} of the migration", position + 1),
        None => "a statement".to_string(),
    }
}

fn describe_statement(position: Option<usize>) -> String {
    match position {
        Some(position) => format!("Statement {} of the migration", position + 1),
        None => "The statement".to_string(),
    }
}

/// `10 s`, `5 min`, `1 h 30 min`: how long a limit is, for messages.
pub(crate) fn describe_duration(duration: std::time::Duration) -> String {
    let milliseconds = duration.as_millis();
    if milliseconds == 0 {
        return "no limit".to_string();
    }
    if !milliseconds.is_multiple_of(1000) {
        return format!("{milliseconds} ms");
    }
    let seconds = milliseconds / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let parts: Vec<String> = [(hours, "h"), (minutes, "min"), (seconds, "s")]
        .iter()
        .filter(|(value, _)| *value > 0)
        .map(|(value, unit)| format!("{value} {unit}"))
        .collect();
    parts.join(" ")
}

fn describe_statement_failure(position: Option<usize>, statement: &str, message: &str) -> String {
    match position {
        Some(position) => format!(
            "Statement {} of the migration failed: {message}\n{statement}",
            position + 1
        ),
        None => format!("The statement failed: {message}\n{statement}"),
    }
}

/// What a foreign key check before a commit found, for messages: `rolled_back` is what was
/// rolled back (`migration`, `upgrade`).
pub fn describe_foreign_key_violations(
    rolled_back: &str,
    violations: &[ForeignKeyViolation],
) -> String {
    let mut description = format!(
        "The {rolled_back} was rolled back because {} row(s) would violate foreign keys:",
        violations.len()
    );
    // A handful of examples is enough to find the problem; the rest only makes noise.
    for violation in violations.iter().take(10) {
        let row = violation
            .row_id
            .as_deref()
            .map(|row_id| format!(" row {row_id}"))
            .unwrap_or_default();
        description.push_str(&format!(
            "\n  `{}`{row} references a missing row of `{}`",
            violation.table, violation.referenced_table
        ));
    }
    if violations.len() > 10 {
        description.push_str(&format!("\n  ... and {} more", violations.len() - 10));
    }
    description
}
