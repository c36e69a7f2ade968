//! The one place that reads SQL text: a migration script (a hand-editable `migration.sql`, a
//! `db execute` file, or a plan's rendering) split into statements, and what running it
//! requires, as data that every runner follows (`ExecutionRequirements`).
//!
//! The split is lexical: sqlparser's tokenizer finds the `;` tokens that are not inside
//! strings, quoted names, comments or dollar-quoted bodies, and the statement text is cut
//! from the script unchanged, so that what runs is exactly what was reviewed. `;` inside a
//! `CREATE TRIGGER ... BEGIN ... END` body (SQLite) or a `BEGIN ATOMIC ... END` function body
//! (PostgreSQL) does not end the statement.
//!
//! The decisions read a statement's first words through the same tokenizer, so comments,
//! string contents and quoted names never count:
//! - which statements cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`,
//!   `VACUUM`, ...), so that such a migration runs outside a transaction, statement by
//!   statement;
//! - which statements control transactions themselves (`BEGIN`, `COMMIT`, `ROLLBACK`,
//!   savepoints), which a script that runs in the runner's own transaction must not use behind
//!   its back. A `BEGIN ... END` inside `CREATE TRIGGER` or a function body is part of that
//!   statement (the splitter keeps it whole), never a statement of its own;
//! - SQLite's foreign key pragmas, which `migration.sql` holds so that the `sqlite3` shell runs
//!   a table rebuild safely on its own, and which a runner replaces by switching enforcement
//!   off outside its transaction and checking before the commit;
//! - SQLite table rebuilds (`DROP TABLE "X"` ... `ALTER TABLE "new_X" RENAME TO "X"`), whose
//!   triggers, partial and expression indexes a runner reads back from the live database just
//!   before the drop and re-creates when the script did not.

use crate::plan::{
    ExecutionRequirements, MigrationPlan, MigrationStep, RebuiltTable, RetryPreparation,
    TransactionRequirement, AFTER_COMMIT_MARKER,
};
use crate::provider::Provider;
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Location, Token, Tokenizer, Whitespace};
use std::fmt;

/// One statement of a script, with the line of the script it starts on (1-based), so that an
/// error can point into the file that was reviewed. Statements that come from a plan rather
/// than a file have no line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScriptStatement {
    pub text: String,
    pub line: Option<u64>,
    /// The statement comes after the `-- comon:after-commit` line (`AFTER_COMMIT_MARKER`):
    /// it belongs to the online phase that runs after the transaction committed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub after_commit: bool,
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

impl ScriptStatement {
    /// A statement that is not read from a file (a plan's rendering).
    pub fn planned(text: String) -> ScriptStatement {
        ScriptStatement {
            text,
            line: None,
            after_commit: false,
        }
    }

    /// A statement of a plan's online phase (see `RenderedMigration::after_commit_from`).
    pub fn planned_after_commit(text: String) -> ScriptStatement {
        ScriptStatement {
            text,
            line: None,
            after_commit: true,
        }
    }

    /// The first line of the statement's text, for messages.
    pub fn first_line(&self) -> &str {
        self.text.lines().next().unwrap_or("").trim_end()
    }

    /// The first line cut to `STATEMENT_EXCERPT_CHARACTERS` characters, with an ellipsis when
    /// cut: what the interpreter's and the linter's messages quote. A script written on one
    /// line (some tools write them so) would otherwise put a whole table into every message.
    pub fn excerpt(&self) -> String {
        statement_excerpt(self.first_line())
    }
}

/// How many characters of a statement messages quote.
pub const STATEMENT_EXCERPT_CHARACTERS: usize = 80;

/// `text` cut to `STATEMENT_EXCERPT_CHARACTERS` characters (on a character boundary), with `…`
/// after it when it was cut.
pub fn statement_excerpt(text: &str) -> String {
    match text.char_indices().nth(STATEMENT_EXCERPT_CHARACTERS) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

/// Why a script cannot be run. Codes are stable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptError {
    /// The tokenizer stopped (an unterminated string or quoted name, say).
    InvalidSqlScript {
        line: u64,
        column: u64,
        message: String,
    },
    /// Transaction control the runner's own transaction cannot allow; the message names the
    /// file, the line and the statement.
    TransactionControlStatement { message: String },
}

impl ScriptError {
    pub fn code(&self) -> &'static str {
        match self {
            ScriptError::InvalidSqlScript { .. } => "invalid-sql-script",
            ScriptError::TransactionControlStatement { .. } => "transaction-control-statement",
        }
    }
}

impl fmt::Display for ScriptError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptError::InvalidSqlScript {
                line,
                column,
                message,
            } => write!(
                formatter,
                "The SQL script cannot be split into statements at line {line}, column {column}: {message}"
            ),
            ScriptError::TransactionControlStatement { message } => formatter.write_str(message),
        }
    }
}

impl std::error::Error for ScriptError {}

/// A script as a runner runs it: the statements to execute, in order, and how.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationScript {
    /// Without the `BEGIN; ... COMMIT;` pairs and the SQLite foreign key pragmas that the
    /// requirements replace.
    pub statements: Vec<ScriptStatement>,
    pub requirements: ExecutionRequirements,
}

impl MigrationScript {
    /// Where the statements that run as `requirements.transaction` says end: the online
    /// phase, if any, starts here.
    pub fn after_commit_position(&self) -> usize {
        self.requirements
            .after_commit_from
            .unwrap_or(self.statements.len())
            .min(self.statements.len())
    }

    /// The statements that run first, as `requirements.transaction` says.
    pub fn transactional_statements(&self) -> &[ScriptStatement] {
        &self.statements[..self.after_commit_position()]
    }

    /// The statements of the online phase, which run after the others committed, outside a
    /// transaction, one by one; empty when there is none.
    pub fn after_commit_statements(&self) -> &[ScriptStatement] {
        &self.statements[self.after_commit_position()..]
    }
}

/// What the runner knows about the database a script runs on, and how it means to run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScriptTarget {
    /// PostgreSQL's `server_version_num` (such as 160002); it matters for `ALTER TYPE ... ADD
    /// VALUE`, which servers before 12 refuse inside a transaction. `None`: a current server.
    pub server_version_number: Option<u32>,
    /// `db execute` and plans applied directly always run in one transaction, whatever the
    /// statements are; a migration runs outside one when a statement requires it.
    pub always_in_transaction: bool,
}

fn dialect_of(provider: Provider) -> Box<dyn Dialect> {
    match provider {
        Provider::Postgresql => Box::new(PostgreSqlDialect {}),
        Provider::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// The first `limit` tokens of a statement that are not whitespace or comments. A statement
/// that does not tokenize has none (it will fail on its own when run).
fn significant_tokens(provider: Provider, statement: &str, limit: usize) -> Vec<Token> {
    let dialect = dialect_of(provider);
    let Ok(tokens) = Tokenizer::new(dialect.as_ref(), statement).tokenize() else {
        return Vec::new();
    };
    tokens
        .into_iter()
        .filter(|token| !matches!(token, Token::Whitespace(_)))
        .take(limit)
        .collect()
}

/// The statements of `script`, in order, without the `;` that ends them and without the
/// comments and blank lines before them. Comment-only parts produce no statement.
pub fn split_sql_script(provider: Provider, script: &str) -> Result<Vec<String>, ScriptError> {
    Ok(split_sql_script_with_lines(provider, script)?
        .into_iter()
        .map(|statement| statement.text)
        .collect())
}

/// `split_sql_script`, keeping the line each statement starts on.
pub fn split_sql_script_with_lines(
    provider: Provider,
    script: &str,
) -> Result<Vec<ScriptStatement>, ScriptError> {
    Ok(split_sql_script_with_positions(provider, script)?
        .into_iter()
        .map(|(statement, _column)| statement)
        .collect())
}

/// `split_sql_script_with_lines`, with the 1-based column (in characters) of each statement's
/// first token beside it, for findings that point at a place in the file (the linter's).
pub fn split_sql_script_with_positions(
    provider: Provider,
    script: &str,
) -> Result<Vec<(ScriptStatement, u64)>, ScriptError> {
    let dialect = dialect_of(provider);
    let tokens = Tokenizer::new(dialect.as_ref(), script)
        .tokenize_with_location()
        .map_err(|error| ScriptError::InvalidSqlScript {
            line: error.location.line,
            column: error.location.column,
            message: error.message.clone(),
        })?;
    let mut offsets = ByteOffsets::new(script);
    let mut statements = Vec::new();
    let mut current = StatementInProgress::default();
    let mut after_commit = false;
    for token in &tokens {
        let start = offsets.of(token.span.start);
        match &token.token {
            // The online phase starts at the marker line, when it stands between statements.
            Token::Whitespace(Whitespace::SingleLineComment { comment, prefix })
                if current.start.is_none()
                    && format!("{prefix}{}", comment.trim_end()) == AFTER_COMMIT_MARKER =>
            {
                after_commit = true;
            }
            // Spaces, newlines and comments.
            Token::Whitespace(_) => {}
            Token::SemiColon if current.block_depth == 0 => {
                if let Some(statement_start) = current.start {
                    statements.push((
                        ScriptStatement {
                            text: script[statement_start..start].trim_end().to_string(),
                            line: Some(current.line),
                            after_commit,
                        },
                        current.column,
                    ));
                }
                current = StatementInProgress::default();
            }
            other => {
                if current.start.is_none() {
                    current.line = token.span.start.line;
                    current.column = token.span.start.column;
                }
                current.observe(other, start)
            }
        }
    }
    if let Some(statement_start) = current.start {
        statements.push((
            ScriptStatement {
                text: script[statement_start..].trim_end().to_string(),
                line: Some(current.line),
                after_commit,
            },
            current.column,
        ));
    }
    Ok(statements)
}

/// What the splitter knows about the statement being read.
#[derive(Default)]
struct StatementInProgress {
    /// Byte offset of the statement's first significant token.
    start: Option<usize>,
    /// The line of that token.
    line: u64,
    /// Its 1-based column, in characters.
    column: u64,
    /// The first words, upper-cased, to recognise statements that may contain blocks.
    leading_words: Vec<String>,
    /// Open `BEGIN`/`CASE` blocks inside a trigger or function body.
    block_depth: usize,
}

impl StatementInProgress {
    fn observe(&mut self, token: &Token, start: usize) {
        if self.start.is_none() {
            self.start = Some(start);
        }
        let Token::Word(word) = token else {
            return;
        };
        if word.quote_style.is_some() {
            return;
        }
        let upper = word.value.to_ascii_uppercase();
        if self.leading_words.len() < 6 {
            self.leading_words.push(upper.clone());
        }
        if self.may_contain_blocks() {
            match upper.as_str() {
                "BEGIN" | "CASE" => self.block_depth += 1,
                // PL/pgSQL's `END IF`/`END LOOP` live in dollar-quoted bodies, which are
                // single tokens, so every `END` seen here closes a `BEGIN` or a `CASE`.
                "END" => self.block_depth = self.block_depth.saturating_sub(1),
                _ => {}
            }
        }
    }

    /// `CREATE [OR REPLACE] [TEMP|TEMPORARY] TRIGGER|FUNCTION|PROCEDURE ...`.
    fn may_contain_blocks(&self) -> bool {
        self.leading_words.first().map(String::as_str) == Some("CREATE")
            && self
                .leading_words
                .iter()
                .any(|word| matches!(word.as_str(), "TRIGGER" | "FUNCTION" | "PROCEDURE"))
    }
}

/// Converts sqlparser's 1-based line and character column into byte offsets of the script.
/// Locations are asked for in script order, so each conversion walks on from the one before
/// instead of from the start of its line: counting characters from the line start every time
/// made splitting quadratic in the length of a line (a 116,000-character single-line script
/// took about two minutes).
struct ByteOffsets<'a> {
    script: &'a str,
    line_starts: Vec<usize>,
    /// The location converted last, and its byte offset.
    previous: (Location, usize),
}

impl<'a> ByteOffsets<'a> {
    fn new(script: &'a str) -> ByteOffsets<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(script.match_indices('\n').map(|(index, _)| index + 1));
        ByteOffsets {
            script,
            line_starts,
            previous: (Location { line: 1, column: 1 }, 0),
        }
    }

    fn of(&mut self, location: Location) -> usize {
        let location = Location {
            line: location.line.max(1),
            column: location.column.max(1),
        };
        let (previous_location, previous_offset) = self.previous;
        let (from, characters) = if location.line == previous_location.line
            && location.column >= previous_location.column
        {
            (previous_offset, location.column - previous_location.column)
        } else {
            let Some(&line_start) = self.line_starts.get((location.line - 1) as usize) else {
                return self.script.len();
            };
            (line_start, location.column - 1)
        };
        let offset = self.script[from..]
            .char_indices()
            .nth(characters as usize)
            .map(|(index, _)| from + index)
            .unwrap_or(self.script.len());
        self.previous = (location, offset);
        offset
    }
}

/// The first unquoted words of a statement, upper-cased, comments skipped. A statement that
/// does not tokenize has none (it will fail on its own when run).
fn leading_words(provider: Provider, statement: &str, limit: usize) -> Vec<String> {
    significant_tokens(provider, statement, limit)
        .into_iter()
        .map(|token| match token {
            Token::Word(word) if word.quote_style.is_none() => word.value.to_ascii_uppercase(),
            other => other.to_string(),
        })
        .collect()
}

/// Whether `statement` must run outside a transaction block. `server_version_number` is
/// PostgreSQL's `server_version_num` (such as 160002); it matters for `ALTER TYPE ... ADD VALUE`,
/// which servers before 12 refuse inside a transaction.
pub fn must_run_outside_transaction(
    provider: Provider,
    statement: &str,
    server_version_number: Option<u32>,
) -> bool {
    let words = leading_words(provider, statement, 8);
    let word = |position: usize| words.get(position).map(String::as_str).unwrap_or("");
    match provider {
        Provider::Sqlite => word(0) == "VACUUM",
        Provider::Postgresql => {
            let concurrently = words.iter().any(|word| word == "CONCURRENTLY");
            match (word(0), word(1)) {
                ("CREATE" | "DROP", "INDEX") if concurrently => true,
                ("CREATE", "UNIQUE") if word(2) == "INDEX" && concurrently => true,
                ("REINDEX", _) if concurrently => true,
                ("VACUUM", _) => true,
                ("CREATE" | "DROP", "DATABASE" | "TABLESPACE") => true,
                ("ALTER", "SYSTEM") => true,
                ("ALTER", "TYPE") => {
                    let adds_value = words
                        .windows(2)
                        .any(|pair| pair[0] == "ADD" && pair[1] == "VALUE");
                    adds_value && server_version_number.is_some_and(|version| version < 120000)
                }
                _ => false,
            }
        }
    }
}

/// The savepoint comon sets right after its own `BEGIN` and releases just before it records
/// the migration: a script that ended comon's transaction has destroyed it, so the release
/// fails, whatever the script's text looked like.
pub const GUARD_SAVEPOINT: &str = "comon_migration_transaction";

/// A statement that controls transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransactionControl {
    /// `BEGIN [TRANSACTION|WORK|DEFERRED|IMMEDIATE|EXCLUSIVE ...]`, `START TRANSACTION ...`.
    Begin,
    /// `COMMIT`, `END`, `COMMIT AND CHAIN`, `PREPARE TRANSACTION`: the transaction ends.
    Commit,
    /// `ROLLBACK`, `ABORT`: the transaction is undone and ends.
    Rollback,
    /// `SAVEPOINT`, `RELEASE [SAVEPOINT]`, `ROLLBACK [TRANSACTION|WORK] TO [SAVEPOINT]`, with
    /// the savepoint's name: they nest inside comon's transaction and do not end it.
    Savepoint { name: String },
}

/// The transaction control a statement is, if any.
pub fn transaction_control_of(provider: Provider, statement: &str) -> Option<TransactionControl> {
    let words = leading_words(provider, statement, 6);
    let word = |position: usize| words.get(position).map(String::as_str).unwrap_or("");
    let last_word = || unquoted_name(words.last().map(String::as_str).unwrap_or(""));
    match word(0) {
        "BEGIN" => Some(TransactionControl::Begin),
        "START" if word(1) == "TRANSACTION" => Some(TransactionControl::Begin),
        "COMMIT" | "END" => Some(TransactionControl::Commit),
        "PREPARE" if word(1) == "TRANSACTION" => Some(TransactionControl::Commit),
        "ABORT" => Some(TransactionControl::Rollback),
        "ROLLBACK" if words.iter().any(|word| word == "TO") => {
            Some(TransactionControl::Savepoint { name: last_word() })
        }
        "ROLLBACK" => Some(TransactionControl::Rollback),
        "SAVEPOINT" | "RELEASE" => Some(TransactionControl::Savepoint { name: last_word() }),
        _ => None,
    }
}

/// A name as the database compares it: quotes removed; unquoted names are case-insensitive,
/// so they are compared upper-cased, as `leading_words` gives them.
fn unquoted_name(word: &str) -> String {
    match word
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(quoted) => quoted.to_ascii_uppercase(),
        None => word.to_ascii_uppercase(),
    }
}

fn refused_statement(origin: &str, statement: &ScriptStatement, reason: &str) -> ScriptError {
    let line = statement
        .line
        .map(|line| format!(" line {line}"))
        .unwrap_or_default();
    ScriptError::TransactionControlStatement {
        message: format!(
            "{origin}{line}: `{}` {reason} Nothing was run.",
            statement.excerpt()
        ),
    }
}

/// The statements to run inside comon's own transaction. A `BEGIN; ... COMMIT;` pair around
/// statements (Prisma writes them around enum changes) is dropped: comon's transaction already
/// makes the whole script atomic. Anything else that would end or replace that transaction (a
/// bare `COMMIT`, a `ROLLBACK`, a `BEGIN` without its `COMMIT`, a nested `BEGIN`), and a
/// savepoint named like comon's own, is refused before anything runs.
pub fn statements_for_transaction(
    provider: Provider,
    origin: &str,
    statements: Vec<ScriptStatement>,
) -> Result<Vec<ScriptStatement>, ScriptError> {
    let mut kept = Vec::with_capacity(statements.len());
    let mut open_begin: Option<ScriptStatement> = None;
    for statement in statements {
        match transaction_control_of(provider, &statement.text) {
            None => kept.push(statement),
            Some(TransactionControl::Begin) => {
                if open_begin.is_some() {
                    return Err(refused_statement(
                        origin,
                        &statement,
                        "opens a transaction inside another BEGIN block. comon runs the script in one transaction; only BEGIN; ... COMMIT; pairs around statements are allowed (and dropped).",
                    ));
                }
                open_begin = Some(statement);
            }
            Some(TransactionControl::Commit) => {
                if open_begin.take().is_none() {
                    return Err(refused_statement(
                        origin,
                        &statement,
                        "ends the transaction comon runs the script in, so the statements after it (and the history row) would run outside it. Remove it: comon already runs the whole script in one transaction.",
                    ));
                }
            }
            Some(TransactionControl::Rollback) => {
                return Err(refused_statement(
                    origin,
                    &statement,
                    "would undo the statements before it and end the transaction comon runs the script in. Remove it.",
                ));
            }
            Some(TransactionControl::Savepoint { name }) => {
                if name.eq_ignore_ascii_case(GUARD_SAVEPOINT) {
                    return Err(refused_statement(
                        origin,
                        &statement,
                        "uses the savepoint name comon keeps for itself. Rename the savepoint.",
                    ));
                }
                kept.push(statement);
            }
        }
    }
    if let Some(begin) = open_begin {
        return Err(refused_statement(
            origin,
            &begin,
            "opens a transaction that no COMMIT closes. comon runs the script in one transaction; only BEGIN; ... COMMIT; pairs around statements are allowed (and dropped).",
        ));
    }
    Ok(kept)
}

/// A migration that runs outside a transaction (it holds `CREATE INDEX CONCURRENTLY`, `VACUUM`,
/// ...) runs statement by statement; transaction control in it would leave a transaction open
/// around the statements that cannot run in one, or around the history updates: refused.
pub fn refuse_transaction_control_outside_transaction(
    provider: Provider,
    origin: &str,
    statements: &[ScriptStatement],
) -> Result<(), ScriptError> {
    match statements.iter().find(|statement| transaction_control_of(provider, &statement.text).is_some()) {
        Some(statement) => Err(refused_statement(
            origin,
            statement,
            "controls a transaction, but this migration runs outside a transaction (it holds a statement that cannot run inside one). Move the statements that need a transaction into a migration of their own.",
        )),
        None => Ok(()),
    }
}

/// Whether a statement is `PRAGMA [main.]foreign_keys ...` or `PRAGMA [main.]defer_foreign_keys
/// ...` (SQLite): what a runner replaces by its own handling of foreign key enforcement.
pub fn is_foreign_key_pragma(statement: &str) -> bool {
    let words = leading_words(Provider::Sqlite, statement, 6);
    let word = |position: usize| words.get(position).map(String::as_str).unwrap_or("");
    if word(0) != "PRAGMA" {
        return false;
    }
    let name_position = if word(1) == "MAIN" && word(2) == "." {
        3
    } else {
        1
    };
    matches!(word(name_position), "FOREIGN_KEYS" | "DEFER_FOREIGN_KEYS")
        && matches!(word(name_position + 1), "" | "=" | "(" | ";")
}

/// The unquoted name of a table in a statement token: `"X"` and `X` are both `X`.
fn table_name_of(token: &Token) -> Option<&str> {
    match token {
        Token::Word(word) => Some(word.value.as_str()),
        _ => None,
    }
}

/// The table a rebuild's final rename gives its name: `ALTER TABLE "new_X" RENAME TO "X"`
/// gives `X` (the temporary name SQLite's rebuild procedure uses, as comon's renderer and
/// device-local rebuilds write it).
fn rebuilt_table_of(statement: &str) -> Option<String> {
    let tokens = significant_tokens(Provider::Sqlite, statement, 7);
    let keyword = |position: usize, expected: &str| matches!(tokens.get(position), Some(Token::Word(word)) if word.quote_style.is_none() && word.value.eq_ignore_ascii_case(expected));
    if tokens.len() != 6
        || !keyword(0, "ALTER")
        || !keyword(1, "TABLE")
        || !keyword(3, "RENAME")
        || !keyword(4, "TO")
    {
        return None;
    }
    let temporary = table_name_of(&tokens[2])?;
    let target = table_name_of(&tokens[5])?;
    let prefix = temporary.get(..4)?;
    (prefix.eq_ignore_ascii_case("new_") && temporary[4..] == *target).then(|| target.to_string())
}

/// The table a `DROP TABLE [IF EXISTS] X` drops.
fn dropped_table_of(statement: &str) -> Option<String> {
    let words = leading_words(Provider::Sqlite, statement, 2);
    if words != ["DROP", "TABLE"] {
        return None;
    }
    let tokens = significant_tokens(Provider::Sqlite, statement, 6);
    let name = match leading_words(Provider::Sqlite, statement, 4).as_slice() {
        [_, _, if_word, exists] if if_word == "IF" && exists == "EXISTS" => tokens.get(4),
        _ => tokens.get(2),
    };
    name.and_then(table_name_of).map(str::to_string)
}

/// The rebuilds in SQLite statements: each rebuilt table, with the statement that drops the old
/// table (the last `DROP TABLE` of it before the rename; the rename itself when there is none).
fn rebuilt_tables(statements: &[ScriptStatement]) -> Vec<RebuiltTable> {
    let mut rebuilt = Vec::new();
    for (position, statement) in statements.iter().enumerate() {
        let Some(table) = rebuilt_table_of(&statement.text) else {
            continue;
        };
        let dropped_by_statement = statements[..position]
            .iter()
            .rposition(|earlier| {
                dropped_table_of(&earlier.text)
                    .is_some_and(|dropped| dropped.eq_ignore_ascii_case(&table))
            })
            .unwrap_or(position);
        rebuilt.push(RebuiltTable {
            table,
            dropped_by_statement,
        });
    }
    rebuilt
}

/// Splits `script` and analyses its statements (`analyze_migration_statements`).
pub fn analyze_migration_script(
    provider: Provider,
    origin: &str,
    script: &str,
    target: &ScriptTarget,
) -> Result<MigrationScript, ScriptError> {
    analyze_migration_statements(
        provider,
        origin,
        split_sql_script_with_lines(provider, script)?,
        target,
    )
}

/// What running `statements` requires, and the statements to run. `origin` is the file as
/// messages show it (`prisma/migrations/<folder>/migration.sql`, the file given to
/// `db execute`), or what a plan's run is called.
///
/// In a transaction (the usual case): wrapping `BEGIN; ... COMMIT;` pairs are dropped, since
/// the runner's transaction already makes the whole script atomic, and any other transaction
/// control is refused before anything runs. On SQLite foreign keys are off around the
/// transaction and checked before the commit (always, as SQLite's table rebuild procedure
/// requires), so the foreign key pragmas are dropped too, and the rebuilt tables are listed.
/// Outside a transaction (a statement cannot run in one): transaction control is refused and
/// the statements run as they are.
pub fn analyze_migration_statements(
    provider: Provider,
    origin: &str,
    mut statements: Vec<ScriptStatement>,
    target: &ScriptTarget,
) -> Result<MigrationScript, ScriptError> {
    // The online phase: everything from the first statement after the marker on.
    let after_commit_position = statements
        .iter()
        .position(|statement| statement.after_commit)
        .unwrap_or(statements.len());
    let in_transaction = target.always_in_transaction
        || !statements[..after_commit_position].iter().any(|statement| {
            must_run_outside_transaction(provider, &statement.text, target.server_version_number)
        });
    if !in_transaction {
        // The part before the marker cannot run in a transaction either: the whole script
        // runs one statement after the other, in its order.
        refuse_transaction_control_outside_transaction(provider, origin, &statements)?;
        return Ok(MigrationScript {
            statements,
            requirements: ExecutionRequirements {
                transaction: TransactionRequirement::Forbidden,
                sqlite_foreign_keys_off: false,
                foreign_key_check_before_commit: false,
                rebuilt_tables: Vec::new(),
                after_commit_from: None,
                before_retry: Vec::new(),
            },
        });
    }
    let after_commit_statements = statements.split_off(after_commit_position);
    refuse_transaction_control_after_commit(provider, origin, &after_commit_statements)?;
    let mut statements = statements_for_transaction(provider, origin, statements)?;
    let sqlite = provider == Provider::Sqlite;
    if sqlite {
        statements.retain(|statement| !is_foreign_key_pragma(&statement.text));
    }
    let rebuilt_tables = if sqlite {
        rebuilt_tables(&statements)
    } else {
        Vec::new()
    };
    let after_commit_from = (!after_commit_statements.is_empty()).then_some(statements.len());
    let before_retry = after_commit_statements
        .iter()
        .enumerate()
        .filter_map(|(offset, statement)| {
            drop_of_concurrent_index_build(provider, &statement.text).map(|sql| RetryPreparation {
                statement: statements.len() + offset,
                sql,
            })
        })
        .collect();
    statements.extend(after_commit_statements);
    Ok(MigrationScript {
        statements,
        requirements: ExecutionRequirements {
            transaction: TransactionRequirement::Required,
            sqlite_foreign_keys_off: sqlite,
            foreign_key_check_before_commit: sqlite,
            rebuilt_tables,
            after_commit_from,
            before_retry,
        },
    })
}

/// For `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON ...`:
/// `DROP INDEX CONCURRENTLY IF EXISTS name`. When such a build runs into `lock_timeout`
/// while it waits for older transactions, it has already created its index, INVALID; before it
/// runs again that index must go. An index of that name that existed before would have failed
/// the build at once, so the index dropped can only be the one the build left.
pub fn drop_of_concurrent_index_build(provider: Provider, statement: &str) -> Option<String> {
    if provider != Provider::Postgresql {
        return None;
    }
    let tokens = significant_tokens(provider, statement, 16);
    let keyword = |position: usize, expected: &str| matches!(tokens.get(position), Some(Token::Word(word)) if word.quote_style.is_none() && word.value.eq_ignore_ascii_case(expected));
    if !keyword(0, "CREATE") {
        return None;
    }
    let mut position = 1;
    if keyword(position, "UNIQUE") {
        position += 1;
    }
    if !keyword(position, "INDEX") || !keyword(position + 1, "CONCURRENTLY") {
        return None;
    }
    position += 2;
    if keyword(position, "IF") && keyword(position + 1, "NOT") && keyword(position + 2, "EXISTS") {
        position += 3;
    }
    let name_end = (position..tokens.len()).find(|&end| keyword(end, "ON"))?;
    if name_end == position {
        // An index without a name gets one PostgreSQL chooses: nothing to name here.
        return None;
    }
    let name: String = tokens[position..name_end]
        .iter()
        .map(ToString::to_string)
        .collect();
    Some(format!("DROP INDEX CONCURRENTLY IF EXISTS {name}"))
}

/// The statements after the `-- comon:after-commit` line run one by one outside any
/// transaction: transaction control there would hold the locks the online phase exists to
/// avoid, or leave a transaction open around the history updates. Refused.
fn refuse_transaction_control_after_commit(
    provider: Provider,
    origin: &str,
    statements: &[ScriptStatement],
) -> Result<(), ScriptError> {
    match statements.iter().find(|statement| transaction_control_of(provider, &statement.text).is_some()) {
        Some(statement) => Err(refused_statement(
            origin,
            statement,
            "controls a transaction, but it comes after the `-- comon:after-commit` line, where every statement runs on its own outside a transaction. Move it above that line.",
        )),
        None => Ok(()),
    }
}

/// The statements of a plan's rendering, as a runner takes them: those of the online phase
/// (from `RenderedMigration::after_commit_from` on) marked as the marker line would mark them.
pub fn statements_of_rendering(rendered: crate::render::RenderedMigration) -> Vec<ScriptStatement> {
    let after_commit_from = rendered
        .after_commit_from
        .unwrap_or(rendered.statements.len());
    rendered
        .statements
        .into_iter()
        .enumerate()
        .map(|(position, text)| match position >= after_commit_from {
            true => ScriptStatement::planned_after_commit(text),
            false => ScriptStatement::planned(text),
        })
        .collect()
}

/// The script of steps (a plan's, or the steps a device-local upgrade is made of) as a runner
/// that applies them directly runs it (`db push`, a device-local schema diff, a JS runner over
/// `plan()`), built from the steps themselves: their rendering without the foreign key pragmas
/// of SQLite rebuilds, in one transaction, with SQLite's foreign keys off around it and checked
/// before the commit, and the tables the `RebuildTables` steps rebuild. No SQL text is read,
/// so this also runs where the tokenizer is not linked (the npm package), and gives what
/// `analyze_migration_statements` gives for the rendering (a test holds them equal).
pub fn migration_script_of_steps(provider: Provider, steps: &[MigrationStep]) -> MigrationScript {
    let runnable = crate::render::statements_for_runner(steps, provider);
    let sqlite = provider == Provider::Sqlite;
    let after_commit_from = runnable
        .after_commit_from
        .unwrap_or(runnable.statements.len());
    MigrationScript {
        statements: runnable
            .statements
            .into_iter()
            .enumerate()
            .map(|(position, text)| match position >= after_commit_from {
                true => ScriptStatement::planned_after_commit(text),
                false => ScriptStatement::planned(text),
            })
            .collect(),
        requirements: ExecutionRequirements {
            transaction: TransactionRequirement::Required,
            sqlite_foreign_keys_off: sqlite,
            foreign_key_check_before_commit: sqlite,
            rebuilt_tables: runnable.rebuilt_tables,
            after_commit_from: runnable.after_commit_from,
            before_retry: runnable.before_retry,
        },
    }
}

/// `migration_script_of_steps` of a plan's steps.
pub fn migration_script_of_plan(plan: &MigrationPlan) -> MigrationScript {
    migration_script_of_steps(plan.provider, &plan.steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_long_lines_on_a_character_boundary() {
        let long = format!("INSERT INTO \"é\" VALUES ({})", vec!["'ü'"; 60].join(", "));
        let excerpt = statement_excerpt(&long);
        let kept: String = long.chars().take(STATEMENT_EXCERPT_CHARACTERS).collect();
        assert_eq!(excerpt, format!("{}…", kept.trim_end()));
        assert!(excerpt.chars().count() <= STATEMENT_EXCERPT_CHARACTERS + 1);
        let exact: String = "é".repeat(STATEMENT_EXCERPT_CHARACTERS);
        assert_eq!(statement_excerpt(&exact), exact);
        let statement = ScriptStatement::planned(format!("{long}\nFROM x"));
        assert_eq!(statement.excerpt(), excerpt);
    }
    fn split(provider: Provider, script: &str) -> Vec<String> {
        split_sql_script(provider, script).unwrap()
    }

    #[test]
    fn statements_are_cut_at_semicolons_outside_strings_and_comments() {
        let script = "-- CreateTable\nCREATE TABLE \"a;b\" (x TEXT DEFAULT ';');\n\n/* ; */ INSERT INTO t VALUES ('é;');\n-- trailing comment\n";
        assert_eq!(
            split(Provider::Postgresql, script),
            vec![
                "CREATE TABLE \"a;b\" (x TEXT DEFAULT ';')",
                "INSERT INTO t VALUES ('é;')"
            ]
        );
    }

    #[test]
    fn a_final_statement_without_semicolon_is_kept() {
        assert_eq!(
            split(Provider::Sqlite, "SELECT 1;\nSELECT 2"),
            vec!["SELECT 1", "SELECT 2"]
        );
        assert!(split(Provider::Sqlite, "-- nothing\n").is_empty());
    }

    #[test]
    fn dollar_quoted_bodies_are_one_statement() {
        let script = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END; $$ LANGUAGE plpgsql;\nSELECT 1;";
        let statements = split(Provider::Postgresql, script);
        assert_eq!(statements.len(), 2);
        assert!(statements[0].ends_with("LANGUAGE plpgsql"));
    }

    #[test]
    fn sqlite_trigger_bodies_are_one_statement() {
        let script = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 ELSE 3 END; DELETE FROM b; END;\nSELECT 1;";
        let statements = split(Provider::Sqlite, script);
        assert_eq!(statements.len(), 2, "{statements:?}");
        assert!(statements[0].ends_with("END"));
    }

    #[test]
    fn statements_keep_the_line_they_start_on() {
        let script = "-- header\nCREATE TABLE a (x INT);\n\n/* note */ INSERT INTO a\n  VALUES (1);SELECT 2;\n";
        let statements = split_sql_script_with_lines(Provider::Postgresql, script).unwrap();
        let lines: Vec<Option<u64>> = statements.iter().map(|statement| statement.line).collect();
        assert_eq!(lines, vec![Some(2), Some(4), Some(5)]);
        assert_eq!(statements[1].first_line(), "INSERT INTO a");
        assert_eq!(statements[1].excerpt(), "INSERT INTO a");
    }

    #[test]
    fn a_single_line_script_of_200_000_characters_is_split_at_each_semicolon() {
        // Multi-byte characters before and inside each statement, so that a byte offset taken
        // for a character column would cut the text in the wrong place (or inside a character).
        let statement = "INSERT INTO \"é\" VALUES ('ß;€', 'x')";
        let count = 200_000 / (statement.chars().count() + 2) + 1;
        let script = format!("{statement}; ").repeat(count);
        assert!(script.chars().count() >= 200_000);
        assert!(!script.contains('\n'));
        let statements = split_sql_script_with_lines(Provider::Sqlite, &script).unwrap();
        assert_eq!(statements.len(), count);
        assert!(statements
            .iter()
            .all(|split| split.text == statement && split.line == Some(1)));
    }

    #[test]
    fn statements_after_long_and_short_lines_start_where_they_are() {
        let script = format!(
            "SELECT '{}'; SELECT 1;\nSELECT 'é';\n  SELECT 2; SELECT 3",
            "ü".repeat(5_000)
        );
        let statements = split_sql_script_with_lines(Provider::Postgresql, &script).unwrap();
        let texts: Vec<&str> = statements.iter().map(|split| split.text.as_str()).collect();
        assert_eq!(
            texts[1..],
            ["SELECT 1", "SELECT 'é'", "SELECT 2", "SELECT 3"]
        );
        assert_eq!(texts[0].len(), "SELECT ''".len() + 5_000 * 2);
        let lines: Vec<Option<u64>> = statements.iter().map(|split| split.line).collect();
        assert_eq!(lines, [Some(1), Some(1), Some(2), Some(3), Some(3)]);
    }

    #[test]
    fn an_unterminated_string_is_an_error() {
        let error = split_sql_script(Provider::Sqlite, "SELECT 'oops").unwrap_err();
        assert_eq!(error.code(), "invalid-sql-script");
    }

    fn lines(script: &str) -> Vec<ScriptStatement> {
        split_sql_script_with_lines(Provider::Postgresql, script).unwrap()
    }

    const ORIGIN: &str = "m/1_x/migration.sql";

    #[test]
    fn transaction_control_statements_are_recognised() {
        use TransactionControl::*;
        let of = |provider, sql: &str| transaction_control_of(provider, sql);
        for sql in [
            "BEGIN",
            "begin transaction",
            "BEGIN WORK",
            "START TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "-- x\nBEGIN",
        ] {
            assert_eq!(of(Provider::Postgresql, sql), Some(Begin), "{sql}");
        }
        assert_eq!(
            of(Provider::Sqlite, "BEGIN IMMEDIATE TRANSACTION"),
            Some(Begin)
        );
        for sql in [
            "COMMIT",
            "END",
            "end transaction",
            "COMMIT AND CHAIN",
            "PREPARE TRANSACTION 'x'",
        ] {
            assert_eq!(of(Provider::Postgresql, sql), Some(Commit), "{sql}");
        }
        assert_eq!(of(Provider::Postgresql, "ROLLBACK"), Some(Rollback));
        assert_eq!(of(Provider::Postgresql, "ABORT"), Some(Rollback));
        assert_eq!(
            of(Provider::Postgresql, "ROLLBACK TO SAVEPOINT a"),
            Some(Savepoint {
                name: "A".to_string()
            })
        );
        assert_eq!(
            of(Provider::Sqlite, "RELEASE \"b\""),
            Some(Savepoint {
                name: "B".to_string()
            })
        );
        assert_eq!(
            of(Provider::Sqlite, "SAVEPOINT c"),
            Some(Savepoint {
                name: "C".to_string()
            })
        );
        let trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; END";
        assert_eq!(of(Provider::Sqlite, trigger), None);
        assert_eq!(of(Provider::Postgresql, "DO $$ BEGIN COMMIT; END $$"), None);
        assert_eq!(
            of(Provider::Postgresql, "INSERT INTO t VALUES ('COMMIT')"),
            None
        );
        assert_eq!(
            of(Provider::Postgresql, "CREATE TABLE \"commit\" (x INT)"),
            None
        );
    }

    #[test]
    fn pairs_around_statements_are_dropped() {
        let script = "DROP TABLE a;\n-- AlterEnum\nBEGIN;\nCREATE TYPE b AS ENUM ('x');\nCOMMIT;\nSELECT 1;\nBEGIN TRANSACTION;\nSELECT 2;\nEND;\n";
        let kept = statements_for_transaction(Provider::Postgresql, ORIGIN, lines(script)).unwrap();
        let texts: Vec<&str> = kept
            .iter()
            .map(|statement| statement.text.as_str())
            .collect();
        assert_eq!(
            texts,
            vec![
                "DROP TABLE a",
                "CREATE TYPE b AS ENUM ('x')",
                "SELECT 1",
                "SELECT 2"
            ]
        );
        assert_eq!(kept[1].line, Some(4));
    }

    #[test]
    fn anything_else_is_refused_with_file_and_line() {
        for (script, line, word) in [
            ("SELECT 1;\nCOMMIT;\nSELECT 2;\n", 2, "COMMIT"),
            ("BEGIN;\nSELECT 1;\nROLLBACK;\n", 3, "ROLLBACK"),
            ("SELECT 1;\nBEGIN;\nSELECT 2;\n", 2, "BEGIN"),
            ("BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;\n", 2, "BEGIN"),
            ("SAVEPOINT comon_migration_transaction;\n", 1, "SAVEPOINT"),
        ] {
            let error = statements_for_transaction(Provider::Postgresql, ORIGIN, lines(script))
                .unwrap_err();
            assert_eq!(error.code(), "transaction-control-statement");
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("m/1_x/migration.sql line {line}: `{word}")),
                "{message}"
            );
        }
        let kept = statements_for_transaction(
            Provider::Postgresql,
            ORIGIN,
            lines("SAVEPOINT a;\nROLLBACK TO a;\nRELEASE a;\n"),
        );
        assert_eq!(
            kept.unwrap().len(),
            3,
            "savepoints nest inside comon's transaction"
        );
    }

    #[test]
    fn concurrent_index_statements_run_outside_a_transaction() {
        let postgres =
            |sql: &str| must_run_outside_transaction(Provider::Postgresql, sql, Some(160000));
        assert!(postgres("CREATE INDEX CONCURRENTLY \"a\" ON \"t\" (\"x\")"));
        assert!(postgres(
            "-- why\ncreate unique index concurrently if not exists a on t (x)"
        ));
        assert!(postgres("DROP INDEX CONCURRENTLY a"));
        assert!(postgres("REINDEX INDEX CONCURRENTLY a"));
        assert!(postgres("VACUUM ANALYZE t"));
        assert!(!postgres("CREATE INDEX \"concurrently\" ON t (x)"));
        assert!(!postgres("CREATE INDEX a ON t (x)"));
        assert!(!postgres(
            "INSERT INTO t VALUES ('CREATE INDEX CONCURRENTLY')"
        ));
    }

    #[test]
    fn adding_enum_values_runs_outside_a_transaction_only_before_postgresql_12() {
        let sql = "ALTER TYPE \"Role\" ADD VALUE 'ADMIN'";
        assert!(must_run_outside_transaction(
            Provider::Postgresql,
            sql,
            Some(110000)
        ));
        assert!(!must_run_outside_transaction(
            Provider::Postgresql,
            sql,
            Some(120000)
        ));
    }

    #[test]
    fn sqlite_vacuum_runs_outside_a_transaction() {
        assert!(must_run_outside_transaction(
            Provider::Sqlite,
            "VACUUM",
            None
        ));
        assert!(!must_run_outside_transaction(
            Provider::Sqlite,
            "CREATE TABLE vacuum (x)",
            None
        ));
    }

    #[test]
    fn foreign_key_pragmas_are_recognised() {
        assert!(is_foreign_key_pragma("PRAGMA foreign_keys=OFF"));
        assert!(is_foreign_key_pragma("  pragma  foreign_keys = on;"));
        assert!(is_foreign_key_pragma("PRAGMA defer_foreign_keys=ON"));
        assert!(is_foreign_key_pragma(
            "-- note\nPRAGMA main.foreign_keys = 1"
        ));
        assert!(is_foreign_key_pragma("PRAGMA foreign_keys"));
        assert!(!is_foreign_key_pragma("PRAGMA foreign_key_check"));
        assert!(!is_foreign_key_pragma("PRAGMA legacy_alter_table=ON"));
        assert!(!is_foreign_key_pragma(
            "CREATE TABLE foreign_keys (id INTEGER)"
        ));
        assert!(!is_foreign_key_pragma("SELECT 'PRAGMA foreign_keys=OFF'"));
    }

    fn analyze(provider: Provider, script: &str) -> Result<MigrationScript, ScriptError> {
        analyze_migration_script(provider, ORIGIN, script, &ScriptTarget::default())
    }

    #[test]
    fn a_hand_written_sqlite_rebuild_is_recognised_and_its_pragmas_become_requirements() {
        let script = "PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\nPRAGMA legacy_alter_table=ON;\n\
            CREATE TABLE \"new_Note\" (id INTEGER PRIMARY KEY, title TEXT NOT NULL);\n\
            INSERT INTO \"new_Note\" (id, title) SELECT id, title FROM \"Note\";\n\
            -- the old table goes, with its triggers\nDROP TABLE \"Note\";\n\
            alter table new_Note rename to Note;\n\
            PRAGMA legacy_alter_table=OFF;\nPRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;\n\
            ALTER TABLE \"Tag\" RENAME TO \"Label\";\n";
        let analyzed = analyze(Provider::Sqlite, script).unwrap();
        let texts: Vec<&str> = analyzed
            .statements
            .iter()
            .map(|statement| statement.text.as_str())
            .collect();
        assert_eq!(texts.len(), 7, "{texts:#?}");
        assert_eq!(texts[0], "PRAGMA legacy_alter_table=ON");
        assert_eq!(texts[3], "DROP TABLE \"Note\"");
        assert_eq!(analyzed.statements[3].line, Some(7));
        assert_eq!(
            analyzed.requirements,
            ExecutionRequirements {
                transaction: TransactionRequirement::Required,
                sqlite_foreign_keys_off: true,
                foreign_key_check_before_commit: true,
                rebuilt_tables: vec![RebuiltTable {
                    table: "Note".to_string(),
                    dropped_by_statement: 3,
                }],
                after_commit_from: None,
                before_retry: Vec::new(),
            }
        );
    }

    #[test]
    fn a_rename_without_a_rebuild_is_no_rebuild() {
        for script in [
            "ALTER TABLE \"new_Note\" RENAME TO \"Other\"",
            "ALTER TABLE \"Note\" RENAME TO \"new_Note\"",
            "ALTER TABLE \"new_Note\" RENAME COLUMN \"a\" TO \"b\"",
            "SELECT 'ALTER TABLE \"new_Note\" RENAME TO \"Note\"'",
        ] {
            let analyzed = analyze(Provider::Sqlite, script).unwrap();
            assert!(analyzed.requirements.rebuilt_tables.is_empty(), "{script}");
        }
        let analyzed = analyze(
            Provider::Sqlite,
            "ALTER TABLE \"new_Note\" RENAME TO \"Note\"",
        )
        .unwrap();
        assert_eq!(
            analyzed.requirements.rebuilt_tables,
            vec![RebuiltTable {
                table: "Note".to_string(),
                dropped_by_statement: 0,
            }]
        );
    }

    #[test]
    fn a_script_that_cannot_run_in_a_transaction_runs_as_written() {
        let analyzed = analyze(Provider::Sqlite, "PRAGMA foreign_keys=OFF;\nVACUUM;\n").unwrap();
        assert_eq!(
            analyzed.requirements.transaction,
            TransactionRequirement::Forbidden
        );
        assert!(!analyzed.requirements.sqlite_foreign_keys_off);
        assert!(!analyzed.requirements.foreign_key_check_before_commit);
        assert_eq!(analyzed.statements.len(), 2);
        let error = analyze(Provider::Sqlite, "BEGIN;\nVACUUM;\nCOMMIT;\n").unwrap_err();
        assert_eq!(error.code(), "transaction-control-statement");
        assert!(
            error.to_string().starts_with("m/1_x/migration.sql line 1: `BEGIN` controls a transaction, but this migration runs outside a transaction"),
            "{error}"
        );
        let always = ScriptTarget {
            always_in_transaction: true,
            ..ScriptTarget::default()
        };
        let analyzed =
            analyze_migration_script(Provider::Sqlite, ORIGIN, "VACUUM", &always).unwrap();
        assert_eq!(
            analyzed.requirements.transaction,
            TransactionRequirement::Required
        );
    }

    #[test]
    fn postgresql_scripts_need_no_foreign_key_handling() {
        let analyzed = analyze(
            Provider::Postgresql,
            "BEGIN;\nALTER TYPE \"Role\" ADD VALUE 'ADMIN';\nCOMMIT;\nDROP TABLE \"Note\";\nALTER TABLE \"new_Note\" RENAME TO \"Note\";\n",
        )
        .unwrap();
        assert_eq!(analyzed.statements.len(), 3);
        assert_eq!(
            analyzed.requirements,
            ExecutionRequirements {
                transaction: TransactionRequirement::Required,
                sqlite_foreign_keys_off: false,
                foreign_key_check_before_commit: false,
                rebuilt_tables: Vec::new(),
                after_commit_from: None,
                before_retry: Vec::new(),
            }
        );
        let old_server = ScriptTarget {
            server_version_number: Some(110000),
            always_in_transaction: false,
        };
        let analyzed = analyze_migration_script(
            Provider::Postgresql,
            ORIGIN,
            "ALTER TYPE \"Role\" ADD VALUE 'ADMIN'",
            &old_server,
        )
        .unwrap();
        assert_eq!(
            analyzed.requirements.transaction,
            TransactionRequirement::Forbidden
        );
    }

    fn plan_between(provider: &str, previous: &str, next: &str) -> MigrationPlan {
        let source = |models: &str| {
            format!("datasource db {{\n  provider = \"{provider}\"\n  url = env(\"DATABASE_URL\")\n}}\n{models}")
        };
        let schema = |models: &str| {
            crate::database_schema::from_data_model::database_schema_from_source(&source(models))
                .unwrap()
        };
        crate::diff::diff(
            &schema(previous),
            &schema(next),
            &crate::diff::DiffOptions::default(),
        )
        .unwrap()
    }

    /// The script built from the steps equals the analysis of the plan's `migration.sql`:
    /// the same statements (lines aside: planned statements have none) and requirements.
    fn assert_script_of_steps_equals_analysis_of_rendering(
        plan: &MigrationPlan,
    ) -> MigrationScript {
        let planned = migration_script_of_plan(plan);
        let written = analyze(plan.provider, &crate::render::render_plan(plan).sql).unwrap();
        let texts = |script: &MigrationScript| -> Vec<String> {
            script
                .statements
                .iter()
                .map(|statement| statement.text.clone())
                .collect()
        };
        assert_eq!(texts(&planned), texts(&written));
        assert_eq!(planned.requirements, written.requirements);
        assert!(planned
            .statements
            .iter()
            .all(|statement| statement.line.is_none()));
        planned
    }

    #[test]
    fn the_script_of_a_planned_rebuild_equals_the_analysis_of_its_migration_sql() {
        let plan = plan_between(
            "sqlite",
            "model Note {\n  id Int @id\n  title String?\n}\n",
            "model Note {\n  id Int @id\n  title String @default(\"\")\n}\n",
        );
        let planned = assert_script_of_steps_equals_analysis_of_rendering(&plan);
        assert_eq!(
            planned.requirements.rebuilt_tables,
            vec![RebuiltTable {
                table: "Note".to_string(),
                dropped_by_statement: 3,
            }],
            "{:#?}",
            planned.statements
        );
        assert!(planned
            .statements
            .iter()
            .all(|statement| !is_foreign_key_pragma(&statement.text)));
    }

    #[test]
    fn the_statements_after_the_marker_run_after_the_commit() {
        let script = "CREATE TABLE \"Tag\" (id INT);\nALTER TABLE \"Post\" ADD CONSTRAINT \"Post_tag_fkey\" FOREIGN KEY (\"tag\") REFERENCES \"Tag\" (\"id\") NOT VALID;\n-- comon:after-commit\n-- Online DDL: why.\nALTER TABLE \"Post\" VALIDATE CONSTRAINT \"Post_tag_fkey\";\nCREATE INDEX CONCURRENTLY \"Post_tag_idx\" ON \"Post\" (\"tag\");\n";
        let analyzed = analyze(Provider::Postgresql, script).unwrap();
        assert_eq!(
            analyzed.requirements.transaction,
            TransactionRequirement::Required
        );
        assert_eq!(analyzed.requirements.after_commit_from, Some(2));
        assert_eq!(analyzed.transactional_statements().len(), 2);
        let after: Vec<Option<u64>> = analyzed
            .after_commit_statements()
            .iter()
            .map(|statement| statement.line)
            .collect();
        assert_eq!(after, vec![Some(5), Some(6)]);
        assert_eq!(
            analyzed.requirements.before_retry,
            vec![RetryPreparation {
                statement: 3,
                sql: "DROP INDEX CONCURRENTLY IF EXISTS \"Post_tag_idx\"".to_string(),
            }]
        );
        // Inside a statement the marker is only a comment; with nothing after it, no phase.
        let inside = analyze(
            Provider::Postgresql,
            "SELECT 1,\n-- comon:after-commit\n2;\n-- comon:after-commit\n",
        )
        .unwrap();
        assert_eq!(inside.requirements.after_commit_from, None);
        assert_eq!(inside.statements.len(), 1);
        // Without the marker a concurrent build keeps the whole script out of a transaction.
        let unmarked = analyze(
            Provider::Postgresql,
            "CREATE TABLE a (x INT);\nCREATE INDEX CONCURRENTLY b ON a (x);\n",
        )
        .unwrap();
        assert_eq!(
            unmarked.requirements.transaction,
            TransactionRequirement::Forbidden
        );
        assert_eq!(unmarked.requirements.after_commit_from, None);
    }

    #[test]
    fn transaction_control_after_the_marker_is_refused() {
        let error = analyze(
            Provider::Postgresql,
            "SELECT 1;\n-- comon:after-commit\nBEGIN;\nSELECT 2;\nCOMMIT;\n",
        )
        .unwrap_err();
        assert_eq!(error.code(), "transaction-control-statement");
        assert!(
            error
                .to_string()
                .starts_with("m/1_x/migration.sql line 3: `BEGIN`"),
            "{error}"
        );
    }

    #[test]
    fn a_planned_online_phase_gives_the_same_requirements_as_its_migration_sql() {
        let source = |body: &str| {
            format!("datasource db {{\n  provider = \"postgresql\"\n  url = \"postgresql://localhost/x\"\n}}\nmodel Note {{\n  id Int @id\n  title String{body}\n}}\n")
        };
        let previous =
            crate::database_schema::from_data_model::database_schema_from_source(&source("?"))
                .unwrap();
        let next = crate::database_schema::from_data_model::database_schema_from_source(&source(
            " @unique",
        ))
        .unwrap();
        let plan =
            crate::diff::diff(&previous, &next, &crate::diff::DiffOptions::default()).unwrap();
        let planned = assert_script_of_steps_equals_analysis_of_rendering(&plan);
        assert_eq!(
            planned.requirements.after_commit_from,
            Some(1),
            "{planned:#?}"
        );
        let texts: Vec<&str> = planned
            .statements
            .iter()
            .map(|statement| statement.text.as_str())
            .collect();
        assert_eq!(
            texts,
            vec![
                "ALTER TABLE \"Note\" ADD CONSTRAINT \"Note_title_comon_not_null\" CHECK (\"title\" IS NOT NULL) NOT VALID",
                "ALTER TABLE \"Note\" VALIDATE CONSTRAINT \"Note_title_comon_not_null\"",
                "ALTER TABLE \"Note\" ALTER COLUMN \"title\" SET NOT NULL",
                "ALTER TABLE \"Note\" DROP CONSTRAINT \"Note_title_comon_not_null\"",
                "CREATE UNIQUE INDEX CONCURRENTLY \"Note_title_key\" ON \"Note\" (\"title\")",
            ]
        );
        let blocking = crate::diff::diff(
            &previous,
            &next,
            &crate::diff::DiffOptions {
                online_ddl: crate::diff::OnlineDdl::Off,
                ..Default::default()
            },
        )
        .unwrap();
        let rendered = crate::render::render_plan(&blocking);
        assert_eq!(rendered.after_commit_from, None);
        assert!(!rendered.sql.contains("CONCURRENTLY"), "{}", rendered.sql);
    }

    #[test]
    fn a_concurrent_index_build_is_dropped_by_its_own_name_before_a_retry() {
        let drop = |sql: &str| drop_of_concurrent_index_build(Provider::Postgresql, sql);
        assert_eq!(
            drop("create unique index concurrently if not exists \"a b\" on t (x)").as_deref(),
            Some("DROP INDEX CONCURRENTLY IF EXISTS \"a b\"")
        );
        assert_eq!(
            drop("CREATE INDEX CONCURRENTLY app.idx ON app.t (x)").as_deref(),
            Some("DROP INDEX CONCURRENTLY IF EXISTS app.idx")
        );
        assert_eq!(drop("CREATE INDEX CONCURRENTLY ON t (x)"), None);
        assert_eq!(drop("CREATE INDEX idx ON t (x)"), None);
        assert_eq!(drop("ALTER TABLE t VALIDATE CONSTRAINT c"), None);
    }

    #[test]
    fn rebuilds_after_other_steps_drop_their_tables_where_the_analysis_finds_them() {
        // A new table and index before the rebuild step, two tables rebuilt in it, an index
        // created after it.
        let plan = plan_between(
            "sqlite",
            "model Note {\n  id Int @id\n  title String?\n}\nmodel Tag {\n  id Int @id\n  label String?\n}\n",
            "model Note {\n  id Int @id\n  title String @default(\"\")\n  @@index([title])\n}\n\
             model Tag {\n  id Int @id\n  label String @default(\"x\")\n}\n\
             model Folder {\n  id Int @id\n  name String\n  @@index([name])\n}\n",
        );
        let planned = assert_script_of_steps_equals_analysis_of_rendering(&plan);
        let dropped: Vec<(&str, &str)> = planned
            .requirements
            .rebuilt_tables
            .iter()
            .map(|rebuilt| {
                (
                    rebuilt.table.as_str(),
                    planned.statements[rebuilt.dropped_by_statement]
                        .text
                        .as_str(),
                )
            })
            .collect();
        assert_eq!(
            dropped,
            vec![
                ("Note", "DROP TABLE \"Note\""),
                ("Tag", "DROP TABLE \"Tag\"")
            ]
        );
        assert!(planned.statements[0]
            .text
            .starts_with("CREATE TABLE \"Folder\""));
    }

    #[test]
    fn a_postgresql_plan_has_the_requirements_the_analysis_gives() {
        let plan = plan_between(
            "postgresql",
            "model Note {\n  id Int @id\n  title String?\n}\n",
            "model Note {\n  id Int @id\n  title String @default(\"\")\n}\nmodel Tag {\n  id Int @id\n}\n",
        );
        let planned = assert_script_of_steps_equals_analysis_of_rendering(&plan);
        assert!(!planned.requirements.sqlite_foreign_keys_off);
        assert!(planned.requirements.rebuilt_tables.is_empty());
    }
}
