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
    #[error("The database URL `{url}` cannot be opened: {reason}")]
    InvalidDatabaseUrl { url: String, reason: String },

    #[error("This runner was built without {provider} support (Cargo feature `{feature}`).")]
    ProviderNotCompiled { provider: &'static str, feature: &'static str },

    #[error("Could not connect to the database at {location}: {message}")]
    DatabaseConnection { location: String, message: String },

    #[error("{}", describe_statement_failure(*position, statement, message))]
    StatementFailed { statement: String, position: Option<usize>, message: String },

    #[error("{}", describe_foreign_key_violations(violations))]
    ForeignKeyViolation { violations: Vec<ForeignKeyViolation> },

    #[error("Introspection failed ({planner_code}): {message}")]
    Introspection { planner_code: String, message: String },

    #[error("The statement `{statement}` returned a result the runner cannot read: {message}")]
    UnexpectedResult { statement: String, message: String },

    #[error("The SQL script cannot be split into statements at line {line}, column {column}: {message}")]
    InvalidSqlScript { line: u64, column: u64, message: String },
}

impl RunnerError {
    /// The stable code of the error, such as `statement-failed`.
    pub fn code(&self) -> &'static str {
        match self {
            RunnerError::InvalidDatabaseUrl { .. } => "invalid-database-url",
            RunnerError::ProviderNotCompiled { .. } => "provider-not-compiled",
            RunnerError::DatabaseConnection { .. } => "database-connection",
            RunnerError::StatementFailed { .. } => "statement-failed",
            RunnerError::ForeignKeyViolation { .. } => "foreign-key-violation",
            RunnerError::Introspection { .. } => "introspection",
            RunnerError::UnexpectedResult { .. } => "unexpected-result",
            RunnerError::InvalidSqlScript { .. } => "invalid-sql-script",
        }
    }

    pub(crate) fn statement_failed(
        statement: &str,
        position: Option<usize>,
        message: impl Into<String>,
    ) -> RunnerError {
        RunnerError::StatementFailed { statement: statement.to_string(), position, message: message.into() }
    }
}

impl From<planner::SchemaError> for RunnerError {
    fn from(error: planner::SchemaError) -> RunnerError {
        RunnerError::Introspection { planner_code: error.code, message: error.message }
    }
}

fn describe_statement_failure(position: Option<usize>, statement: &str, message: &str) -> String {
    match position {
        Some(position) => format!("Statement {} of the migration failed: {message}\n{statement}", position + 1),
        None => format!("The statement failed: {message}\n{statement}"),
    }
}

fn describe_foreign_key_violations(violations: &[ForeignKeyViolation]) -> String {
    let mut description =
        format!("The migration was rolled back because {} row(s) would violate foreign keys:", violations.len());
    // A handful of examples is enough to find the problem; the rest only makes noise.
    for violation in violations.iter().take(10) {
        let row = violation.row_id.as_deref().map(|row_id| format!(" row {row_id}")).unwrap_or_default();
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
