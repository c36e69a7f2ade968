//! The migration SQL interpreter: reads a `migration.sql` (a Prisma Migrate folder's, or a
//! comon_orm folder's) and applies its DDL to a `DatabaseSchema`, the same type introspection
//! produces, so that the schema a history describes is known without a shadow database.
//!
//! Statements come from the script splitter (`migrations::script`), so the interpreter reads
//! exactly the statements a runner runs, with their lines. Each statement is parsed with
//! sqlparser for the provider's dialect and applied as one unit: a statement the interpreter
//! cannot follow changes nothing.
//!
//! What happens to each statement:
//! - DDL on tables, columns, keys, indexes, foreign keys and enums is applied, with the
//!   database's own rules: default names for unnamed constraints, `PRIMARY KEY` making columns
//!   `NOT NULL`, a dropped column taking its indexes and keys with it, renames followed by the
//!   foreign keys that point at the renamed table or column, SQLite's `sqlite_autoindex_*`
//!   names. Types and defaults are read into the forms introspection gives
//!   (`introspection::{postgresql,sqlite}`), so the result compares equal to an introspected
//!   database.
//! - Data statements (`INSERT`, `UPDATE`, `DELETE`, `SELECT`, ...) are counted and skipped.
//! - Transaction control (`BEGIN`, `COMMIT`) and SQLite's foreign key pragmas have no effect on
//!   the schema and are passed over.
//! - Everything else is listed in `InterpretedMigration::skipped` with the origin, line and a
//!   reason, never passed over silently: either it has no effect on what the schema model
//!   describes (an extension, a function, a CHECK constraint, a sequence), or it may change
//!   the schema in a way the interpreter does not follow (a `DO` block, an unknown statement).
//!   A migration with a skipped statement of the second kind must be replayed on a scratch
//!   database instead (`InterpretedMigration::needs_replay`).
//! - A statement that does not parse is an `InterpreterError`, with a stable code, the origin
//!   and the line, unless its words make it one of the PostgreSQL forms sqlparser does not
//!   read (`unparsed`): those are applied, listed, or listed as needing a replay.
//!
//! Messages quote a statement by its first line cut to 80 characters
//! (`ScriptStatement::excerpt`).

mod apply;
pub(crate) mod column_types;
pub(crate) mod names;
pub(crate) mod unparsed;

use crate::database_schema::DatabaseSchema;
use crate::migrations::script::{split_sql_script_with_lines, ScriptStatement};
use crate::provider::Provider;
use serde::{Deserialize, Serialize};
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};
use std::fmt;
use unparsed::{recognise_unparsed, UnparsedStatement};

/// The schema after a migration, with what the interpreter did not apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterpretedMigration {
    pub schema: DatabaseSchema,
    /// Data statements (`INSERT`, `UPDATE`, `DELETE`, `SELECT`, `MERGE`, `COPY`, `TRUNCATE`),
    /// which change rows, never the schema.
    pub data_statements: usize,
    /// Statements, or parts of statements, that were not applied, in script order.
    pub skipped: Vec<SkippedStatement>,
}

impl InterpretedMigration {
    /// Whether a skipped statement may have changed the schema, so that the schema the
    /// interpreter built cannot be trusted and the migration must be replayed on a database.
    pub fn needs_replay(&self) -> bool {
        self.skipped
            .iter()
            .any(|skipped| skipped.effect == SkippedEffect::MayChangeSchema)
    }
}

/// A statement (or a clause of one) the interpreter did not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedStatement {
    /// Where the script comes from, as the caller named it (a migration folder).
    pub origin: String,
    /// The 1-based line of the script the statement starts on.
    pub line: u64,
    pub effect: SkippedEffect,
    pub reason: String,
    /// The statement's first line, cut to `STATEMENT_EXCERPT_CHARACTERS`, for messages.
    pub statement: String,
}

impl fmt::Display for SkippedStatement {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}:{}: {} ({}: `{}`)",
            self.origin,
            self.line,
            self.reason,
            self.effect.code(),
            self.statement
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkippedEffect {
    /// The statement changes nothing the schema model describes (introspection does not read
    /// it either): an extension, a function, a trigger on PostgreSQL, a CHECK constraint, a
    /// sequence, a view, a comment, privileges.
    OutsideSchemaModel,
    /// The statement may change tables, columns, keys, indexes or enums in a way the
    /// interpreter does not follow.
    MayChangeSchema,
}

impl SkippedEffect {
    pub fn code(self) -> &'static str {
        match self {
            SkippedEffect::OutsideSchemaModel => "outside-schema-model",
            SkippedEffect::MayChangeSchema => "may-change-schema",
        }
    }
}

/// Why a script cannot be interpreted at all. Codes are stable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterpreterError {
    pub code: &'static str,
    pub origin: String,
    /// The line of the script, when the error concerns one place of it.
    pub line: Option<u64>,
    pub message: String,
}

impl fmt::Display for InterpreterError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(formatter, "{}:{line}: {}", self.origin, self.message),
            None => write!(formatter, "{}: {}", self.origin, self.message),
        }
    }
}

impl std::error::Error for InterpreterError {}

/// The script cannot be split into statements (an unterminated string or quoted name).
pub const INVALID_SCRIPT_CODE: &str = "migration-sql-invalid-script";
/// A statement does not parse as SQL of the provider.
pub const PARSE_ERROR_CODE: &str = "migration-sql-parse-error";
/// The schema handed in is another provider's.
pub const PROVIDER_MISMATCH_CODE: &str = "migration-sql-provider-mismatch";

/// Applies the statements of `sql` (one migration's script) to `previous`, the schema the
/// earlier migrations built. `origin` names the script in skipped statements and errors.
pub fn interpret_migration(
    provider: Provider,
    previous: DatabaseSchema,
    sql: &str,
    origin: &str,
) -> Result<InterpretedMigration, InterpreterError> {
    if previous.provider != provider {
        return Err(InterpreterError {
            code: PROVIDER_MISMATCH_CODE,
            origin: origin.to_string(),
            line: None,
            message: format!(
                "The schema the migration applies to is a {} schema, but the migration is read as {provider}.",
                previous.provider
            ),
        });
    }
    let statements =
        split_sql_script_with_lines(provider, sql).map_err(|error| InterpreterError {
            code: INVALID_SCRIPT_CODE,
            origin: origin.to_string(),
            line: match &error {
                crate::migrations::script::ScriptError::InvalidSqlScript { line, .. } => {
                    Some(*line)
                }
                _ => None,
            },
            message: error.to_string(),
        })?;
    let mut interpreted = InterpretedMigration {
        schema: previous,
        data_statements: 0,
        skipped: Vec::new(),
    };
    for statement in &statements {
        interpret_statement(provider, &mut interpreted, statement, origin)?;
    }
    apply::finish(&mut interpreted.schema);
    interpreted.schema.normalize_order();
    Ok(interpreted)
}

/// Applies the migrations in order, each to the schema the ones before it built, starting
/// from an empty schema. Each item is `(origin, script)`; the result has one entry per item.
pub fn interpret_migrations<'a>(
    provider: Provider,
    migrations: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<InterpretedMigration>, InterpreterError> {
    let mut schema = DatabaseSchema::empty(provider);
    let mut results = Vec::new();
    for (origin, sql) in migrations {
        let interpreted = interpret_migration(provider, schema, sql, origin)?;
        schema = interpreted.schema.clone();
        results.push(interpreted);
    }
    Ok(results)
}

pub(crate) fn dialect_of(provider: Provider) -> Box<dyn Dialect> {
    match provider {
        Provider::Postgresql => Box::new(PostgreSqlDialect {}),
        Provider::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// What the statement's first words say, before any parsing: kinds whose bodies sqlparser may
/// not read (procedural code) are decided here.
enum Preclassification {
    Parse,
    NoEffect,
    Skip(SkippedEffect, &'static str),
}

fn preclassify(provider: Provider, text: &str) -> Preclassification {
    let dialect = dialect_of(provider);
    let words: Vec<String> = Tokenizer::new(dialect.as_ref(), text)
        .tokenize()
        .map(|tokens| {
            tokens
                .into_iter()
                .filter(|token| !matches!(token, Token::Whitespace(_)))
                .take(6)
                .map(|token| match token {
                    Token::Word(word) if word.quote_style.is_none() => {
                        word.value.to_ascii_uppercase()
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let word = |index: usize| words.get(index).map(String::as_str).unwrap_or("");
    if word(0) == "DO" {
        return Preclassification::Skip(
            SkippedEffect::MayChangeSchema,
            "a DO block runs procedural code, which the interpreter does not follow",
        );
    }
    // sqlparser reads `PRAGMA name = value` only with a number or a string as the value, not
    // SQLite's `ON`/`OFF`.
    if word(0) == "PRAGMA" {
        return if matches!(
            word(1).to_ascii_lowercase().as_str(),
            "foreign_keys" | "foreign_key_check" | "defer_foreign_keys"
        ) {
            Preclassification::NoEffect
        } else {
            Preclassification::Skip(
                SkippedEffect::MayChangeSchema,
                "a pragma other than the foreign key ones may change how later statements act",
            )
        };
    }
    if word(0) == "CREATE" {
        let object = words
            .iter()
            .skip(1)
            .find(|word| !matches!(word.as_str(), "OR" | "REPLACE" | "TEMP" | "TEMPORARY"))
            .map(String::as_str)
            .unwrap_or("");
        match (object, provider) {
            ("FUNCTION" | "PROCEDURE", _) => {
                return Preclassification::Skip(
                    SkippedEffect::OutsideSchemaModel,
                    "functions and procedures are not part of the schema model",
                )
            }
            ("TRIGGER", Provider::Postgresql) => {
                return Preclassification::Skip(
                    SkippedEffect::OutsideSchemaModel,
                    "PostgreSQL triggers are not part of the schema model",
                )
            }
            ("TRIGGER", Provider::Sqlite) => {
                return Preclassification::Skip(
                    SkippedEffect::MayChangeSchema,
                    "SQLite triggers belong to their table (`table_dependents`), which the interpreter does not build",
                )
            }
            _ => {}
        }
    }
    Preclassification::Parse
}

fn interpret_statement(
    provider: Provider,
    interpreted: &mut InterpretedMigration,
    statement: &ScriptStatement,
    origin: &str,
) -> Result<(), InterpreterError> {
    let line = statement.line.unwrap_or(0);
    let skip = |effect: SkippedEffect, reason: String| SkippedStatement {
        origin: origin.to_string(),
        line,
        effect,
        reason,
        statement: statement.excerpt(),
    };
    match preclassify(provider, &statement.text) {
        Preclassification::Parse => {}
        Preclassification::NoEffect => return Ok(()),
        Preclassification::Skip(effect, reason) => {
            interpreted.skipped.push(skip(effect, reason.to_string()));
            return Ok(());
        }
    }
    let parsed = match parse_statements(provider, &statement.text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let parse_error = InterpreterError {
                code: PARSE_ERROR_CODE,
                origin: origin.to_string(),
                line: Some(line),
                message: format!(
                    "The statement `{}` does not parse as {provider} SQL: {error}",
                    statement.excerpt()
                ),
            };
            // Forms of PostgreSQL that sqlparser does not read, recognised by their words.
            match recognise_unparsed(provider, &statement.text) {
                None => return Err(parse_error),
                Some(UnparsedStatement::Simplified { text, .. }) => {
                    parse_statements(provider, &text).map_err(|_| parse_error)?
                }
                Some(recognised) => {
                    let mut notes = Vec::new();
                    match apply::apply_unparsed(
                        provider,
                        &mut interpreted.schema,
                        &recognised,
                        &mut notes,
                    ) {
                        apply::Outcome::Skipped(effect, reason) => {
                            interpreted.skipped.push(skip(effect, reason))
                        }
                        _ => interpreted.skipped.extend(
                            notes
                                .into_iter()
                                .map(|(effect, reason)| skip(effect, reason)),
                        ),
                    }
                    return Ok(());
                }
            }
        }
    };
    for parsed_statement in &parsed {
        // The statement is applied in place; unless it applies, what it changed is undone.
        let undo = apply::Undo::before(provider, &interpreted.schema, parsed_statement);
        let mut notes = Vec::new();
        let outcome = apply::apply_statement(
            provider,
            &mut interpreted.schema,
            parsed_statement,
            &mut notes,
        );
        if !matches!(outcome, apply::Outcome::Applied) {
            undo.restore(&mut interpreted.schema);
        }
        match outcome {
            apply::Outcome::Applied => {}
            apply::Outcome::Data => interpreted.data_statements += 1,
            apply::Outcome::NoEffect => {}
            apply::Outcome::Skipped(effect, reason) => {
                interpreted.skipped.push(skip(effect, reason));
                notes.clear();
            }
        }
        interpreted.skipped.extend(
            notes
                .into_iter()
                .map(|(effect, reason)| skip(effect, reason)),
        );
    }
    Ok(())
}

fn parse_statements(
    provider: Provider,
    text: &str,
) -> Result<Vec<sqlparser::ast::Statement>, sqlparser::parser::ParserError> {
    let dialect = dialect_of(provider);
    Parser::new(dialect.as_ref())
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_statements())
}

#[cfg(test)]
mod tests;
