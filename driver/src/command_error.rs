//! Errors of the `comon` commands. Every variant has a stable kebab-case `code()` and an exit
//! code: 64 for usage errors (the BSD `EX_USAGE` convention), 128 + the signal's number for an
//! interruption (130 for SIGINT), 3 for decisions a plan needs and nobody gave, 1 for
//! everything else.

use comon_database::RunnerError;
use planner::error::SchemaErrors;
use planner::schema_language::files::{FileSchemaError, SchemaFile};

/// The exit code of a usage error, as `sysexits.h` names it.
pub const EXIT_USAGE: i32 = 64;
/// The exit code of any other failure, and of `migrate status` when it finds issues.
pub const EXIT_FAILURE: i32 = 1;
/// The exit code of `migrate diff --exit-code` when the two sides differ.
pub const EXIT_DIFFERENCE: i32 = 2;
/// The exit code of `migrate dev` when the plan needs decisions nobody gave (a rename
/// candidate, consent to data loss) and no terminal could ask: answer them with flags or an
/// answers file and run again.
pub const EXIT_DECISIONS_REQUIRED: i32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The command line asks for something that cannot be done as asked.
    #[error("{message}")]
    Usage { message: String },

    /// The schema file does not parse or validate. `schema_text` is the text the errors' spans point
    /// into, so that a front end can show each error in its line.
    #[error("{}", describe_schema_errors(path, errors))]
    InvalidSchema {
        path: String,
        schema_text: String,
        errors: SchemaErrors,
    },

    /// A schema written in several files (a folder of `.prisma` files) does not parse or
    /// validate: each error knows the file its span points into, and `files` holds their text.
    #[error("{}", describe_file_schema_errors(folder, files, errors))]
    InvalidSchemaFiles {
        folder: String,
        files: Vec<SchemaFile>,
        errors: Vec<FileSchemaError>,
    },

    /// A file or folder cannot be read or written.
    #[error("Cannot {action} {path}: {message}")]
    File {
        action: &'static str,
        path: String,
        message: String,
    },

    /// The database said no.
    #[error(transparent)]
    Runner(#[from] RunnerError),

    /// A statement of a migration or of a `db execute` script failed.
    #[error("{}", describe_failed_statement(failure))]
    StatementFailed { failure: Box<FailedStatement> },

    /// The user declined a confirmation, or no terminal could ask for one.
    #[error("{message}")]
    Cancelled { message: String },

    /// A workflow rule refuses to go on: drift, a failed migration, warnings, and the like.
    #[error("{message}")]
    Refused { code: &'static str, message: String },

    /// The plan needs decisions (`planner::Decision`) that neither the command line nor a
    /// terminal answered; `plan` is the plan as it stands without them.
    #[error("{message}")]
    DecisionsRequired {
        message: String,
        decisions: Vec<planner::Decision>,
        plan: Box<planner::MigrationPlan>,
    },
}

impl CommandError {
    pub fn code(&self) -> &'static str {
        match self {
            CommandError::Usage { .. } => "usage",
            CommandError::InvalidSchema { .. } | CommandError::InvalidSchemaFiles { .. } => {
                "invalid-schema"
            }
            CommandError::File { .. } => "file",
            CommandError::Runner(error) => error.code(),
            CommandError::StatementFailed { .. } => "statement-failed",
            CommandError::Cancelled { .. } => "cancelled",
            CommandError::Refused { code, .. } => code,
            CommandError::DecisionsRequired { .. } => "decisions-required",
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            CommandError::Usage { .. } => EXIT_USAGE,
            // As a shell reports a process a signal ended: 130 for SIGINT, 143 for SIGTERM.
            CommandError::Runner(RunnerError::Interrupted { signal }) => {
                comon_database::interrupt::exit_code_for(*signal)
            }
            CommandError::DecisionsRequired { .. } => EXIT_DECISIONS_REQUIRED,
            _ => EXIT_FAILURE,
        }
    }

    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError::Usage {
            message: message.into(),
        }
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> CommandError {
        CommandError::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn file(
        action: &'static str,
        path: &std::path::Path,
        error: &std::io::Error,
    ) -> CommandError {
        CommandError::File {
            action,
            path: path.display().to_string(),
            message: error.to_string(),
        }
    }

    /// The same error, code and all, with a sentence that says what to do next.
    pub fn with_advice(self, advice: &str) -> CommandError {
        match self {
            CommandError::StatementFailed { mut failure } => {
                failure.consequence = format!("{}\n{advice}", failure.consequence);
                CommandError::StatementFailed { failure }
            }
            CommandError::Refused { code, message } => CommandError::Refused {
                code,
                message: format!("{message}\n{advice}"),
            },
            // An interruption's message already says what to do, and its exit code must stay.
            CommandError::Runner(error @ RunnerError::Interrupted { .. }) => {
                CommandError::Runner(error)
            }
            CommandError::Runner(error) => CommandError::Refused {
                code: error.code(),
                message: format!("{error}\n{advice}"),
            },
            other => other,
        }
    }
}

/// Which statement failed, where it is, what the database said, and what became of the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedStatement {
    /// What was running: `Migration <folder>`, `Rollback of <folder>`, or a script's path.
    pub subject: String,
    /// The file `line` is in when the subject is not that file itself, such as `migration.sql`.
    pub file_name: Option<String>,
    /// 1-based position among the statements that ran, and their number.
    pub position: usize,
    pub count: usize,
    /// The line of the file the statement starts on; `None` for planned statements.
    pub line: Option<u64>,
    pub first_line: String,
    /// The database's message.
    pub message: String,
    /// What happened to the other statements and to the history, and what to do.
    pub consequence: String,
}

fn describe_failed_statement(failure: &FailedStatement) -> String {
    let location = match (&failure.file_name, failure.line) {
        (Some(file_name), Some(line)) => format!("{file_name} line {line}: "),
        (None, Some(line)) => format!("line {line}: "),
        _ => String::new(),
    };
    format!(
        "{} failed at statement {} of {} ({location}`{}`): {}\n{}",
        failure.subject,
        failure.position,
        failure.count,
        failure.first_line,
        failure.message,
        failure.consequence
    )
}

/// One line per error, `file:line:column: error[code]: message`, naming the file of the first
/// definition too when the error has one (a name defined in two files).
fn describe_file_schema_errors(
    folder: &str,
    files: &[SchemaFile],
    errors: &[FileSchemaError],
) -> String {
    let file_name = |index: Option<usize>| {
        index
            .and_then(|index| files.get(index))
            .map(|file| file.name.as_str())
            .unwrap_or(folder)
    };
    let mut lines = Vec::new();
    for error in errors {
        let place = match error.error.span {
            Some(span) => format!("{}:{}:{}", file_name(error.file), span.line, span.column),
            None => file_name(error.file).to_string(),
        };
        let mut line = format!(
            "{place}: error[{}]: {}",
            error.error.code, error.error.message
        );
        if let Some(related) = error.error.related {
            line.push_str(&format!(
                " (first defined at {}:{}:{})",
                file_name(error.related_file),
                related.line,
                related.column
            ));
        }
        lines.push(line);
    }
    lines.join("\n")
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
            None => {
                description.push_str(&format!("{path}: error[{}]: {}", error.code, error.message))
            }
        }
    }
    description
}
