//! Errors of the `comon` commands. Every variant has a stable kebab-case `code()` and an exit
//! code: 64 for usage errors (the BSD `EX_USAGE` convention), 128 + the signal's number for an
//! interruption (130 for SIGINT), 1 for everything else.

use crate::error::RunnerError;
use planner::error::SchemaErrors;

/// The exit code of a usage error, as `sysexits.h` names it.
pub const EXIT_USAGE: i32 = 64;
/// The exit code of any other failure, and of `migrate status` when it finds issues.
pub const EXIT_FAILURE: i32 = 1;
/// The exit code of `migrate diff --exit-code` when the two sides differ.
pub const EXIT_DIFFERENCE: i32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The command line asks for something that cannot be done as asked.
    #[error("{message}")]
    Usage { message: String },

    /// The schema file does not parse or validate.
    #[error("{}", describe_schema_errors(path, errors))]
    InvalidSchema { path: String, errors: SchemaErrors },

    /// A file or folder cannot be read or written.
    #[error("Cannot {action} {path}: {message}")]
    File { action: &'static str, path: String, message: String },

    /// The database said no.
    #[error(transparent)]
    Runner(#[from] RunnerError),

    /// The user declined a confirmation, or no terminal could ask for one.
    #[error("{message}")]
    Cancelled { message: String },

    /// A workflow rule refuses to go on: drift, a failed migration, warnings, and the like.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
}

impl CommandError {
    pub fn code(&self) -> &'static str {
        match self {
            CommandError::Usage { .. } => "usage",
            CommandError::InvalidSchema { .. } => "invalid-schema",
            CommandError::File { .. } => "file",
            CommandError::Runner(error) => error.code(),
            CommandError::Cancelled { .. } => "cancelled",
            CommandError::Refused { code, .. } => code,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            CommandError::Usage { .. } => EXIT_USAGE,
            // As a shell reports a process a signal ended: 130 for SIGINT, 143 for SIGTERM.
            CommandError::Runner(RunnerError::Interrupted { signal }) => crate::interrupt::exit_code_for(*signal),
            _ => EXIT_FAILURE,
        }
    }

    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError::Usage { message: message.into() }
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> CommandError {
        CommandError::Refused { code, message: message.into() }
    }

    pub fn file(action: &'static str, path: &std::path::Path, error: &std::io::Error) -> CommandError {
        CommandError::File { action, path: path.display().to_string(), message: error.to_string() }
    }
}

fn describe_schema_errors(path: &str, errors: &SchemaErrors) -> String {
    let mut description = String::new();
    for (position, error) in errors.errors.iter().enumerate() {
        if position > 0 {
            description.push('\n');
        }
        match error.span {
            Some(span) => description.push_str(&format!(
                "{path}:{}:{}: error[{}]: {}",
                span.line, span.column, error.code, error.message
            )),
            None => description.push_str(&format!("{path}: error[{}]: {}", error.code, error.message)),
        }
    }
    description
}
