//! The migration linter: reads any `migration.sql` (comon's, hand-written, Prisma's) and
//! reports the statements that are unsafe on a busy production database, each with a stable
//! code, a severity, its line and column, why it is unsafe and the safe alternative.
//!
//! Statements come from the script splitter (`migrations::script`), so the linter reads
//! exactly the statements a runner runs. Each is parsed with sqlparser for the provider's
//! dialect; a statement that does not parse is a finding of its own
//! (`lint/unparsed-statement`), never passed over silently, since no rule could check it,
//! unless its words make it one of the PostgreSQL forms sqlparser does not read
//! (`migration_sql::unparsed`).
//!
//! The rules (`RULES`) know what PostgreSQL locks and scans: an index built without
//! `CONCURRENTLY`, a foreign key or check that validates every row, a statement that rewrites
//! the table, `SET NOT NULL` that scans it. They apply to tables that already exist: a table
//! created by the same script is empty and unknown to the running application, so it is
//! exempt. A table the script already rewrote under `ACCESS EXCLUSIVE` inside its transaction
//! is exempt from the later findings of the same transaction, whose cost that lock already
//! includes (the rewrite has its own finding).
//!
//! What the linter cannot see in the script alone (a column's type before the script) comes
//! from the schema the earlier migrations built, which `lint_migrations` gets from the
//! interpreter (`migration_sql`); without it a type change is a warning rather than an error.

use crate::database_schema::{ColumnType, DatabaseSchema};
use crate::diff::online::{is_volatile_expression, type_change_keeps_the_table};
use crate::migration_sql::column_types::declared_type;
use crate::migration_sql::names::{identifier, object_name, same_name};
use crate::migration_sql::unparsed::{
    recognise_unparsed, ColumnClause, MayChangeKind, Simplification, UnparsedStatement,
};
use crate::migration_sql::{dialect_of, interpret_migration};
use crate::migrations::script::{
    split_sql_script_with_positions, transaction_control_of, ScriptError, ScriptStatement,
    TransactionControl,
};
use crate::provider::Provider;
use serde::{Deserialize, Serialize};
use sqlparser::ast::Spanned;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, AlterTypeOperation, ColumnOption, Expr, FromTable,
    ObjectName, ObjectType, RenameTableNameKind, Statement, TableConstraint, TableFactor,
    UserDefinedTypeRepresentation,
};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token, Tokenizer};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

#[cfg(test)]
mod tests;

/// How serious a finding is. `migrate lint` exits 1 when a finding is an error, and
/// `migrate deploy --deny-lint-errors` refuses such a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks reads or writes of a table that may be busy, or fails on a populated table.
    Error,
    /// Breaks the application version that is still running, loses data, or could not be
    /// checked.
    Warning,
    /// Harmless under comon's runner, worth knowing under another.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One rule of the linter: its stable code, its usual severity and what it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintRule {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

pub const INVALID_SCRIPT: &str = "lint/invalid-script";
pub const UNPARSED_STATEMENT: &str = "lint/unparsed-statement";
pub const BLOCKING_INDEX_BUILD: &str = "lint/blocking-index-build";
pub const CONSTRAINT_VALIDATION: &str = "lint/constraint-validation";
pub const BLOCKING_UNIQUE_CONSTRAINT: &str = "lint/blocking-unique-constraint";
pub const NEW_PRIMARY_KEY: &str = "lint/new-primary-key";
pub const COLUMN_TYPE_REWRITE: &str = "lint/column-type-rewrite";
pub const VOLATILE_DEFAULT_REWRITE: &str = "lint/volatile-default-rewrite";
pub const SET_NOT_NULL_SCAN: &str = "lint/set-not-null-scan";
pub const NOT_NULL_COLUMN_WITHOUT_DEFAULT: &str = "lint/not-null-column-without-default";
pub const RENAME_BREAKS_RUNNING_APP: &str = "lint/rename-breaks-running-app";
pub const DROP_BREAKS_RUNNING_APP: &str = "lint/drop-breaks-running-app";
pub const ENUM_VALUE_REMOVAL: &str = "lint/enum-value-removal";
pub const TRANSACTION_CONTROL: &str = "lint/transaction-control";
pub const UNBOUNDED_DATA_STATEMENT: &str = "lint/unbounded-data-statement";
pub const MISSING_LOCK_TIMEOUT: &str = "lint/missing-lock-timeout";

/// Every rule, in the order `docs/lint.md` lists them.
pub const RULES: &[LintRule] = &[
    LintRule {
        code: INVALID_SCRIPT,
        severity: Severity::Error,
        summary: "the script cannot be split into statements (an unterminated string or quoted name)",
    },
    LintRule {
        code: UNPARSED_STATEMENT,
        severity: Severity::Warning,
        summary: "a statement sqlparser cannot parse, so that no rule checked it",
    },
    LintRule {
        code: BLOCKING_INDEX_BUILD,
        severity: Severity::Error,
        summary: "CREATE INDEX without CONCURRENTLY on an existing table",
    },
    LintRule {
        code: CONSTRAINT_VALIDATION,
        severity: Severity::Error,
        summary: "ADD FOREIGN KEY or CHECK without NOT VALID on an existing table (REFERENCES on a new column too)",
    },
    LintRule {
        code: BLOCKING_UNIQUE_CONSTRAINT,
        severity: Severity::Error,
        summary: "ADD UNIQUE on an existing table without USING INDEX",
    },
    LintRule {
        code: NEW_PRIMARY_KEY,
        severity: Severity::Error,
        summary: "ADD PRIMARY KEY on an existing table without USING INDEX",
    },
    LintRule {
        code: COLUMN_TYPE_REWRITE,
        severity: Severity::Error,
        summary: "ALTER COLUMN TYPE without a binary-compatible cast (a warning when the previous type is not known)",
    },
    LintRule {
        code: VOLATILE_DEFAULT_REWRITE,
        severity: Severity::Error,
        summary: "ADD COLUMN with a volatile default, an identity, a serial type or a stored generated expression",
    },
    LintRule {
        code: SET_NOT_NULL_SCAN,
        severity: Severity::Error,
        summary: "SET NOT NULL on an existing table without a validated CHECK (column IS NOT NULL) before it",
    },
    LintRule {
        code: NOT_NULL_COLUMN_WITHOUT_DEFAULT,
        severity: Severity::Error,
        summary: "ADD COLUMN NOT NULL without a default on a table that may have rows",
    },
    LintRule {
        code: RENAME_BREAKS_RUNNING_APP,
        severity: Severity::Warning,
        summary: "RENAME COLUMN, RENAME TABLE or RENAME VALUE: the running application version still uses the old name",
    },
    LintRule {
        code: DROP_BREAKS_RUNNING_APP,
        severity: Severity::Warning,
        summary: "DROP COLUMN or DROP TABLE: the running application version may still use it, and its data is lost",
    },
    LintRule {
        code: ENUM_VALUE_REMOVAL,
        severity: Severity::Warning,
        summary: "an enum type re-created without some of its values (Prisma's and comon's way of removing one)",
    },
    LintRule {
        code: TRANSACTION_CONTROL,
        severity: Severity::Error,
        summary: "BEGIN, COMMIT, ROLLBACK inside a migration (an info only for a BEGIN ... COMMIT pair, which comon drops)",
    },
    LintRule {
        code: UNBOUNDED_DATA_STATEMENT,
        severity: Severity::Warning,
        summary: "UPDATE or DELETE without WHERE on an existing table",
    },
    LintRule {
        code: MISSING_LOCK_TIMEOUT,
        severity: Severity::Warning,
        summary: "a statement taking ACCESS EXCLUSIVE on an existing table with no SET lock_timeout before it (only for a runner other than comon's)",
    },
];

/// What the linter is told about the runner that will run the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintOptions {
    /// comon's runner sets `lock_timeout` (and `statement_timeout`) on its session, so a
    /// script it runs needs no `SET lock_timeout` of its own; for another runner (psql,
    /// Prisma Migrate) `lint/missing-lock-timeout` is reported.
    pub runner_sets_lock_timeout: bool,
}

impl Default for LintOptions {
    fn default() -> LintOptions {
        LintOptions {
            runner_sets_lock_timeout: true,
        }
    }
}

/// One finding: where, what, why and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LintFinding {
    pub code: String,
    pub severity: Severity,
    /// The script as the caller named it (a migration folder or a file).
    pub origin: String,
    /// 1-based line and column (in characters) of the statement's first token.
    pub line: u64,
    pub column: u64,
    /// The statement's first line, cut to `STATEMENT_EXCERPT_CHARACTERS` characters.
    pub statement: String,
    /// Why the statement is unsafe, in one line.
    pub message: String,
    /// The safe alternative.
    pub alternative: String,
}

impl fmt::Display for LintFinding {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}:{}:{}: {}[{}] {} Instead: {}",
            self.origin,
            self.line,
            self.column,
            self.severity,
            self.code,
            self.message,
            self.alternative
        )
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[LintFinding]) -> bool {
    findings
        .iter()
        .any(|finding| finding.severity == Severity::Error)
}

/// Lints one script. `previous` is the schema before it, when known (column types and enum
/// values come from it); `origin` names the script in the findings.
pub fn lint_migration(
    provider: Provider,
    sql: &str,
    origin: &str,
    previous: Option<&DatabaseSchema>,
    options: &LintOptions,
) -> Vec<LintFinding> {
    let statements = match split_sql_script_with_positions(provider, sql) {
        Ok(statements) => statements,
        Err(error) => {
            let (line, column) = match &error {
                ScriptError::InvalidSqlScript { line, column, .. } => (*line, *column),
                ScriptError::TransactionControlStatement { .. } => (1, 1),
            };
            return vec![LintFinding {
                code: INVALID_SCRIPT.to_string(),
                severity: Severity::Error,
                origin: origin.to_string(),
                line,
                column,
                statement: String::new(),
                message: format!("{error}; no statement of it could be checked."),
                alternative: "Close the string or quoted name that is left open.".to_string(),
            }];
        }
    };
    let mut linter = ScriptLinter {
        provider,
        origin,
        previous,
        options,
        state: ScriptState::default(),
        findings: Vec::new(),
    };
    for (statement, column) in &statements {
        linter.statement(statement, *column);
    }
    linter.finish();
    let withdrawn = std::mem::take(&mut linter.state.withdrawn);
    let mut findings: Vec<LintFinding> = linter
        .findings
        .into_iter()
        .enumerate()
        .filter(|(position, _)| !withdrawn.contains(position))
        .map(|(_, finding)| finding)
        .collect();
    // In script order (a BEGIN's finding is known only at its COMMIT); stable, so findings
    // of one statement keep the order of its clauses.
    findings.sort_by_key(|finding| (finding.line, finding.column));
    findings
}

/// Lints the scripts of a migrations folder in order, each with the schema the ones before it
/// built (read by the interpreter; once a script cannot be interpreted, the later ones are
/// linted without it). Each item is `(origin, script)`.
pub fn lint_migrations<'a>(
    provider: Provider,
    migrations: impl IntoIterator<Item = (&'a str, &'a str)>,
    options: &LintOptions,
) -> Vec<LintFinding> {
    let mut schema = Some(DatabaseSchema::empty(provider));
    let mut findings = Vec::new();
    for (origin, sql) in migrations {
        findings.extend(lint_migration(
            provider,
            sql,
            origin,
            schema.as_ref(),
            options,
        ));
        schema = schema.and_then(|previous| {
            interpret_migration(provider, previous, sql, origin)
                .ok()
                .filter(|interpreted| !interpreted.needs_replay())
                .map(|interpreted| interpreted.schema)
        });
    }
    findings
}

/// What the statements before the current one did.
#[derive(Default)]
struct ScriptState {
    created_tables: BTreeSet<String>,
    /// Tables rewritten under ACCESS EXCLUSIVE in the transactional part.
    rewritten_tables: BTreeSet<String>,
    /// `CHECK (column IS NOT NULL) NOT VALID` constraints: name -> (table, column).
    not_null_checks: HashMap<String, (String, String)>,
    /// Constraints added `NOT VALID` in the transactional part.
    not_valid_in_transaction: BTreeSet<String>,
    /// `(table, column)` proven not null by a validated check.
    validated_not_null: BTreeSet<(String, String)>,
    /// Enum types created by the script, with their values.
    created_enums: HashMap<String, Vec<String>>,
    /// Enum types renamed away: the old name -> its new name.
    renamed_enums: HashMap<String, String>,
    /// Indexes into `findings` of `DROP TABLE` findings, by table, so that a table rebuild
    /// (drop, then rename a new table to the old name) withdraws them.
    dropped_tables: HashMap<String, usize>,
    /// Indexes into `findings` that a later statement withdrew.
    withdrawn: BTreeSet<usize>,
    lock_timeout_set: bool,
    lock_timeout_reported: bool,
    /// The open `BEGIN`, with its position and first line.
    open_begin: Option<(u64, u64, String)>,
}

struct ScriptLinter<'a> {
    provider: Provider,
    origin: &'a str,
    previous: Option<&'a DatabaseSchema>,
    options: &'a LintOptions,
    state: ScriptState,
    findings: Vec<LintFinding>,
}

/// The place of the statement being linted, for its findings.
#[derive(Clone, Copy)]
struct Place<'s> {
    line: u64,
    column: u64,
    /// The statement's first line, cut short (`ScriptStatement::excerpt`).
    excerpt: &'s str,
    after_commit: bool,
}

impl<'a> ScriptLinter<'a> {
    fn push(
        &mut self,
        place: Place<'_>,
        code: &str,
        severity: Severity,
        message: String,
        alternative: &str,
    ) {
        self.findings.push(LintFinding {
            code: code.to_string(),
            severity,
            origin: self.origin.to_string(),
            line: place.line,
            column: place.column,
            statement: place.excerpt.to_string(),
            message,
            alternative: alternative.to_string(),
        });
    }

    fn postgres(&self) -> bool {
        self.provider == Provider::Postgresql
    }

    fn created_in_script(&self, table: &str) -> bool {
        self.state
            .created_tables
            .iter()
            .any(|created| same_name(self.provider, created, table))
    }

    /// Whether the blocking findings of `table` are exempt at this place: created by this
    /// script, or already rewritten in the same transaction.
    fn exempt(&self, table: &str, place: Place<'_>) -> bool {
        self.created_in_script(table)
            || (!place.after_commit
                && self
                    .state
                    .rewritten_tables
                    .iter()
                    .any(|rewritten| same_name(self.provider, rewritten, table)))
    }

    fn statement(&mut self, statement: &ScriptStatement, column: u64) {
        let excerpt = statement.excerpt();
        let place = Place {
            line: statement.line.unwrap_or(0),
            column,
            excerpt: &excerpt,
            after_commit: statement.after_commit,
        };
        if let Some(control) = transaction_control_of(self.provider, &statement.text) {
            self.transaction_control(place, control);
            return;
        }
        let words = leading_words(self.provider, &statement.text);
        if words.first().map(String::as_str) == Some("SET")
            && words
                .iter()
                .skip(1)
                .take(2)
                .any(|word| word == "LOCK_TIMEOUT")
        {
            self.state.lock_timeout_set = true;
            return;
        }
        // SQLite's pragmas are settings: none locks or scans a table. (sqlparser reads only
        // some of their forms, `PRAGMA name = ON` not among them.)
        if self.provider == Provider::Sqlite && words.first().map(String::as_str) == Some("PRAGMA")
        {
            return;
        }
        let dialect = dialect_of(self.provider);
        let parsed = Parser::new(dialect.as_ref())
            .try_with_sql(&statement.text)
            .and_then(|mut parser| parser.parse_statements());
        match parsed {
            Ok(parsed) => {
                for parsed_statement in &parsed {
                    self.parsed_statement(place, parsed_statement);
                }
            }
            Err(error) => {
                if !self.unparsed_statement(place, &statement.text) {
                    let message = format!(
                        "sqlparser cannot parse this statement as {} SQL ({error}), so no rule checked it.",
                        self.provider
                    );
                    self.push(
                        place,
                        UNPARSED_STATEMENT,
                        Severity::Warning,
                        message,
                        "Review it by hand for the locks it takes and the rows it scans.",
                    );
                }
            }
        }
    }

    /// A statement sqlparser does not parse, when its words say what it is (`unparsed`);
    /// `false` when they do not.
    fn unparsed_statement(&mut self, place: Place<'_>, text: &str) -> bool {
        let Some(recognised) = recognise_unparsed(self.provider, text) else {
            return false;
        };
        match recognised {
            // ALTER COLUMN ... DROP IDENTITY (comon plans it for an autoincrement that goes
            // away): a brief ACCESS EXCLUSIVE lock, no scan. SET STATISTICS takes SHARE UPDATE
            // EXCLUSIVE, which blocks neither reads nor writes.
            UnparsedStatement::AlterColumns { table, clauses, .. } => {
                if clauses
                    .iter()
                    .any(|clause| matches!(clause, ColumnClause::DropIdentity { .. }))
                {
                    self.takes_access_exclusive(place, &table);
                }
            }
            // The safe form of DROP INDEX: it waits for queries instead of blocking them.
            UnparsedStatement::Simplified {
                simplification: Simplification::DropIndexConcurrently,
                ..
            } => {}
            // A type change with a collation: the rules see the type change.
            UnparsedStatement::Simplified {
                text: simplified,
                simplification: Simplification::TypeCollation,
            } => {
                let dialect = dialect_of(self.provider);
                let Ok(parsed) = Parser::new(dialect.as_ref())
                    .try_with_sql(&simplified)
                    .and_then(|mut parser| parser.parse_statements())
                else {
                    return false;
                };
                for parsed_statement in &parsed {
                    self.parsed_statement(place, parsed_statement);
                }
            }
            // ALTER SEQUENCE, OWNER TO, SET SCHEMA of a view or function: no lock on a table.
            UnparsedStatement::OutsideSchemaModel { .. } => {}
            UnparsedStatement::CreateTableLike { table, .. }
            | UnparsedStatement::MayChangeSchema {
                table: Some(table),
                kind: MayChangeKind::CreateTableLike,
                ..
            } => {
                self.state.created_tables.insert(table);
            }
            UnparsedStatement::MayChangeSchema {
                table: Some(table),
                kind: MayChangeKind::TableSetSchema,
                ..
            } => {
                self.takes_access_exclusive(place, &table);
                self.push(
                    place,
                    RENAME_BREAKS_RUNNING_APP,
                    Severity::Warning,
                    format!("Moving the table {table} to another schema: the application version still running during the deploy finds it on its search path no more, and its queries fail until the new version is out."),
                    "Leave the table where it is, or move it in steps: a view in the old schema for the transition, switch the application, then drop the view.",
                );
            }
            UnparsedStatement::MayChangeSchema { .. } => {}
        }
        true
    }

    fn transaction_control(&mut self, place: Place<'_>, control: TransactionControl) {
        match control {
            TransactionControl::Begin => {
                if let Some((line, column, excerpt)) = self.state.open_begin.take() {
                    let earlier = Place {
                        line,
                        column,
                        excerpt: &excerpt,
                        after_commit: place.after_commit,
                    };
                    self.unbalanced_transaction_control(earlier, "a BEGIN inside an open BEGIN");
                }
                self.state.open_begin = Some((place.line, place.column, place.excerpt.to_string()));
            }
            TransactionControl::Commit => match self.state.open_begin.take() {
                Some((line, column, excerpt)) => {
                    let begin = Place {
                        line,
                        column,
                        excerpt: &excerpt,
                        after_commit: place.after_commit,
                    };
                    self.push(
                        begin,
                        TRANSACTION_CONTROL,
                        Severity::Info,
                        "A BEGIN ... COMMIT pair: comon runs each migration in its own transaction and drops the pair; another runner commits what came before the BEGIN separately.".to_string(),
                        "Leave the pair out; the runner makes the whole migration atomic.",
                    );
                }
                None => self.unbalanced_transaction_control(place, "a COMMIT without its BEGIN"),
            },
            TransactionControl::Rollback => {
                // It ends the open BEGIN, if any, too: one finding says both.
                self.state.open_begin = None;
                self.unbalanced_transaction_control(place, "a ROLLBACK");
            }
            TransactionControl::Savepoint { .. } => {}
        }
    }

    fn unbalanced_transaction_control(&mut self, place: Place<'_>, what: &str) {
        self.push(
            place,
            TRANSACTION_CONTROL,
            Severity::Error,
            format!("{what} ends or replaces the transaction the runner opened around the migration: comon refuses the migration before it runs, and another runner commits half of it."),
            "Remove it; the runner makes the whole migration atomic.",
        );
    }

    fn finish(&mut self) {
        if let Some((line, column, excerpt)) = self.state.open_begin.take() {
            let place = Place {
                line,
                column,
                excerpt: &excerpt,
                after_commit: false,
            };
            self.unbalanced_transaction_control(place, "a BEGIN without its COMMIT");
        }
    }

    /// The `lint/missing-lock-timeout` check of a statement that takes ACCESS EXCLUSIVE on
    /// `table`: once per script, for a runner that sets no `lock_timeout` itself.
    fn takes_access_exclusive(&mut self, place: Place<'_>, table: &str) {
        if !self.postgres()
            || self.options.runner_sets_lock_timeout
            || self.state.lock_timeout_set
            || self.state.lock_timeout_reported
            || self.created_in_script(table)
        {
            return;
        }
        self.state.lock_timeout_reported = true;
        self.push(
            place,
            MISSING_LOCK_TIMEOUT,
            Severity::Warning,
            format!("This statement takes an ACCESS EXCLUSIVE lock on {table} with no lock_timeout set: while it waits behind a long query, every read and write of {table} queues behind it."),
            "Start the script with SET lock_timeout = '10s' (comon's runner sets it for every migration: --lock-timeout) and retry when it is cancelled.",
        );
    }

    fn name(&self, name: &ObjectName) -> String {
        object_name(self.provider, name).unwrap_or_else(|| name.to_string())
    }

    fn parsed_statement(&mut self, place: Place<'_>, statement: &Statement) {
        match statement {
            Statement::CreateTable(create) => {
                let table = self.name(&create.name);
                self.state.created_tables.insert(table);
            }
            Statement::CreateIndex(create) => {
                let table = self.name(&create.table_name);
                if self.postgres() && !create.concurrently && !self.exempt(&table, place) {
                    self.push(
                        place,
                        BLOCKING_INDEX_BUILD,
                        Severity::Error,
                        format!("Building an index on the existing table {table} holds a SHARE lock until the whole table is indexed: every INSERT, UPDATE and DELETE of {table} waits."),
                        "CREATE INDEX CONCURRENTLY, outside a transaction (in a comon migration, after the `-- comon:after-commit` line); comon plans it so by default.",
                    );
                }
            }
            Statement::AlterTable(alter) => {
                let table = self.name(&alter.name);
                let only_validation = alter.operations.iter().all(|operation| {
                    matches!(operation, AlterTableOperation::ValidateConstraint { .. })
                });
                if !only_validation {
                    self.takes_access_exclusive(place, &table);
                }
                for operation in &alter.operations {
                    let clause = clause_place(place, operation.span());
                    self.alter_table_operation(clause, &table, operation);
                }
            }
            Statement::Drop {
                object_type, names, ..
            } => match object_type {
                ObjectType::Table => {
                    for name in names {
                        let table = self.name(name);
                        if self.created_in_script(&table) {
                            continue;
                        }
                        self.takes_access_exclusive(place, &table);
                        self.state
                            .dropped_tables
                            .insert(table.clone(), self.findings.len());
                        self.push(
                            place,
                            DROP_BREAKS_RUNNING_APP,
                            Severity::Warning,
                            format!("Dropping the table {table} loses its rows, and the application version still running during the deploy fails on every query of it."),
                            "Stop using the table in one release, then drop it in a migration of a later one (after a backup if its data matters).",
                        );
                    }
                }
                ObjectType::Index => {
                    if let Some(name) = names.first() {
                        let index = self.name(name);
                        self.takes_access_exclusive(place, &format!("the table of {index}"));
                    }
                }
                _ => {}
            },
            Statement::AlterType(alter) => {
                let type_name = self.name(&alter.name);
                match &alter.operation {
                    AlterTypeOperation::Rename(rename) => {
                        let new_name = identifier(self.provider, &rename.new_name);
                        // Prisma's order: create `X_new`, move the columns to it, rename `X`
                        // away, then `X_new` to `X`.
                        let replaced = self.state.renamed_enums.contains_key(&new_name);
                        match self.state.created_enums.get(&type_name).cloned() {
                            Some(labels) if replaced => {
                                self.enum_recreated(place, &new_name, &labels);
                            }
                            _ => {
                                self.state.renamed_enums.insert(type_name, new_name);
                            }
                        }
                    }
                    AlterTypeOperation::RenameValue(rename) => {
                        let from = rename.from.to_string();
                        self.push(
                            place,
                            RENAME_BREAKS_RUNNING_APP,
                            Severity::Warning,
                            format!("Renaming the value {from} of the enum {type_name}: the application version still running writes and compares the old value, and those queries fail."),
                            "Add the new value first, write it from the application, move the rows in batches, then stop using the old one.",
                        );
                    }
                    AlterTypeOperation::AddValue(_) => {}
                }
            }
            Statement::CreateType {
                name,
                representation: Some(UserDefinedTypeRepresentation::Enum { labels }),
            } => {
                let type_name = self.name(name);
                let labels: Vec<String> = labels.iter().map(|label| label.value.clone()).collect();
                if self.state.renamed_enums.contains_key(&type_name) {
                    self.enum_recreated(place, &type_name, &labels);
                }
                self.state.created_enums.insert(type_name, labels);
            }
            Statement::Update(update) if update.selection.is_none() => {
                let table = match &update.table.relation {
                    TableFactor::Table { name, .. } => self.name(name),
                    other => other.to_string(),
                };
                self.unbounded_data_statement(place, "UPDATE", &table);
            }
            Statement::Delete(delete) if delete.selection.is_none() => {
                let tables = match &delete.from {
                    FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables) => {
                        tables
                    }
                };
                let table = match tables.first().map(|table| &table.relation) {
                    Some(TableFactor::Table { name, .. }) => self.name(name),
                    Some(other) => other.to_string(),
                    None => "the table".to_string(),
                };
                self.unbounded_data_statement(place, "DELETE", &table);
            }
            Statement::Truncate(truncate) => {
                if let Some(target) = truncate.table_names.first() {
                    let table = self.name(&target.name);
                    self.takes_access_exclusive(place, &table);
                }
            }
            _ => {}
        }
    }

    fn unbounded_data_statement(&mut self, place: Place<'_>, verb: &str, table: &str) {
        if self.created_in_script(table) {
            return;
        }
        self.push(
            place,
            UNBOUNDED_DATA_STATEMENT,
            Severity::Warning,
            format!("{verb} without WHERE changes every row of {table} in the migration's transaction, holding all their row locks until it commits."),
            "Add the WHERE it needs, or change the rows in batches (WHERE id BETWEEN ...) outside the schema migration.",
        );
    }

    fn enum_recreated(&mut self, place: Place<'_>, type_name: &str, next_values: &[String]) {
        let previous_values = self.previous.and_then(|previous| {
            previous
                .enums
                .iter()
                .find(|candidate| same_name(self.provider, &candidate.name, type_name))
                .map(|found| {
                    found
                        .values
                        .iter()
                        .map(|value| value.name.clone())
                        .collect::<Vec<_>>()
                })
        });
        let message = match previous_values {
            Some(previous_values) => {
                let removed: Vec<String> = previous_values
                    .into_iter()
                    .filter(|value| !next_values.contains(value))
                    .collect();
                if removed.is_empty() {
                    return;
                }
                format!("The enum {type_name} is re-created without the values {}: rows that hold them make the migration fail, and the application version still running fails when it writes them.", removed.join(", "))
            }
            None => format!("The enum {type_name} is re-created (renamed away, then created again), which is how a value is removed: rows that hold a removed value make the migration fail, and the application version still running fails when it writes one."),
        };
        self.push(
            place,
            ENUM_VALUE_REMOVAL,
            Severity::Warning,
            message,
            "Stop writing the value in one release, move its rows to another value in batches, then remove it.",
        );
    }

    fn alter_table_operation(
        &mut self,
        place: Place<'_>,
        table: &str,
        operation: &AlterTableOperation,
    ) {
        let postgres = self.postgres();
        match operation {
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid,
            } => {
                if *not_valid && !place.after_commit {
                    if let Some(name) = constraint_name(constraint) {
                        self.state
                            .not_valid_in_transaction
                            .insert(identifier(self.provider, name));
                    }
                }
                if let TableConstraint::Check(check) = constraint {
                    if let (Some(name), Some(column)) =
                        (&check.name, self.not_null_column_of(&check.expr))
                    {
                        self.state
                            .not_null_checks
                            .insert(identifier(self.provider, name), (table.to_string(), column));
                    }
                }
                if !postgres || self.exempt(table, place) {
                    return;
                }
                match constraint {
                    TableConstraint::ForeignKey(_) | TableConstraint::Check(_) if !not_valid => {
                        let kind = match constraint {
                            TableConstraint::ForeignKey(_) => "A foreign key",
                            _ => "A check constraint",
                        };
                        self.constraint_validation(place, table, kind);
                    }
                    TableConstraint::Unique(_) => self.push(
                        place,
                        BLOCKING_UNIQUE_CONSTRAINT,
                        Severity::Error,
                        format!("Adding a unique constraint to the existing table {table} builds its index under an ACCESS EXCLUSIVE lock: every read and write of {table} waits until the whole table is indexed."),
                        "CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX, which holds the lock only briefly.",
                    ),
                    TableConstraint::PrimaryKey(_) => self.new_primary_key(place, table),
                    _ => {}
                }
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                self.add_column(place, table, column_def);
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                if self.created_in_script(table) {
                    return;
                }
                for column in column_names {
                    let column = identifier(self.provider, column);
                    self.push(
                        place,
                        DROP_BREAKS_RUNNING_APP,
                        Severity::Warning,
                        format!("Dropping the column {table}.{column} loses its values, and the application version still running during the deploy fails on every query that names it."),
                        "Stop using the column in one release (remove the field), then drop it in a migration of a later one.",
                    );
                }
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                if self.created_in_script(table) {
                    return;
                }
                let from = identifier(self.provider, old_column_name);
                let to = identifier(self.provider, new_column_name);
                self.push(
                    place,
                    RENAME_BREAKS_RUNNING_APP,
                    Severity::Warning,
                    format!("Renaming the column {table}.{from} to {to}: the application version still running during the deploy names {from}, and those queries fail until the new version is out."),
                    "Expand and contract: add the new column, write both, backfill, switch reads, then drop the old column in a later release.",
                );
            }
            AlterTableOperation::RenameTable { table_name } => {
                let new_name = match table_name {
                    RenameTableNameKind::As(name) | RenameTableNameKind::To(name) => {
                        self.name(name)
                    }
                };
                // A table rebuild: the new table takes the dropped one's place.
                let rebuilt = self
                    .state
                    .dropped_tables
                    .keys()
                    .find(|dropped| same_name(self.provider, dropped, &new_name))
                    .cloned();
                if let Some(dropped) = rebuilt {
                    if self.created_in_script(table) {
                        if let Some(position) = self.state.dropped_tables.remove(&dropped) {
                            self.state.withdrawn.insert(position);
                        }
                    }
                }
                if self.created_in_script(table) {
                    self.state.created_tables.insert(new_name);
                    return;
                }
                self.push(
                    place,
                    RENAME_BREAKS_RUNNING_APP,
                    Severity::Warning,
                    format!("Renaming the table {table} to {new_name}: the application version still running during the deploy names {table}, and its queries fail until the new version is out."),
                    "Rename in steps: create a view with the new name (or the old one) for the transition, switch the application, then drop the view.",
                );
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let column = identifier(self.provider, column_name);
                if !postgres || self.exempt(table, place) {
                    return;
                }
                match op {
                    AlterColumnOperation::SetNotNull => {
                        let proven = self
                            .state
                            .validated_not_null
                            .contains(&(table.to_string(), column.clone()));
                        if !proven {
                            self.push(
                                place,
                                SET_NOT_NULL_SCAN,
                                Severity::Error,
                                format!("SET NOT NULL on {table}.{column} scans the whole table under an ACCESS EXCLUSIVE lock to prove there is no NULL: every read and write of {table} waits."),
                                "ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT after the commit, then SET NOT NULL (PostgreSQL 12 and later skip the scan) and drop the check; comon plans it so by default.",
                            );
                        }
                    }
                    AlterColumnOperation::SetDataType { data_type, .. } => {
                        self.type_change(place, table, &column, data_type);
                    }
                    _ => {}
                }
            }
            AlterTableOperation::ValidateConstraint { name } => {
                let name = identifier(self.provider, name);
                if postgres
                    && !place.after_commit
                    && self.state.not_valid_in_transaction.contains(&name)
                    && !self.exempt(table, place)
                {
                    self.push(
                        place,
                        CONSTRAINT_VALIDATION,
                        Severity::Error,
                        format!("The constraint {name} is validated in the same transaction that added it NOT VALID: the lock the ADD took is held until the commit, so the validating scan blocks writes of {table} all the same."),
                        "Validate it after the commit: in a comon migration, after the `-- comon:after-commit` line; otherwise in a later migration.",
                    );
                }
                if let Some(proven) = self.state.not_null_checks.get(&name) {
                    self.state.validated_not_null.insert(proven.clone());
                }
            }
            _ => {}
        }
    }

    fn constraint_validation(&mut self, place: Place<'_>, table: &str, kind: &str) {
        self.push(
            place,
            CONSTRAINT_VALIDATION,
            Severity::Error,
            format!("{kind} added to the existing table {table} is checked against every row while a lock blocks writes of {table} (ACCESS EXCLUSIVE for a check; SHARE ROW EXCLUSIVE on both tables for a foreign key)."),
            "Add it NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT after the commit, which scans without blocking reads and writes; comon plans foreign keys so by default.",
        );
    }

    fn new_primary_key(&mut self, place: Place<'_>, table: &str) {
        self.mark_rewritten(place, table);
        self.push(
            place,
            NEW_PRIMARY_KEY,
            Severity::Error,
            format!("Adding a primary key to the existing table {table} builds its unique index and checks its columns for NULL under an ACCESS EXCLUSIVE lock: every read and write of {table} waits while the whole table is scanned."),
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.",
        );
    }

    fn mark_rewritten(&mut self, place: Place<'_>, table: &str) {
        if !place.after_commit {
            self.state.rewritten_tables.insert(table.to_string());
        }
    }

    fn add_column(
        &mut self,
        place: Place<'_>,
        table: &str,
        column_def: &sqlparser::ast::ColumnDef,
    ) {
        let column = identifier(self.provider, &column_def.name);
        let options: Vec<&ColumnOption> = column_def
            .options
            .iter()
            .map(|option| &option.option)
            .collect();
        let not_null = options
            .iter()
            .any(|option| matches!(option, ColumnOption::NotNull));
        let default = options.iter().find_map(|option| match option {
            ColumnOption::Default(expression) => Some(expression),
            _ => None,
        });
        let generated = options.iter().find_map(|option| match option {
            ColumnOption::Generated {
                generation_expr, ..
            } => Some(match generation_expr {
                Some(_) => "a stored generated expression",
                None => "an identity",
            }),
            _ => None,
        });
        let declared = declared_type(
            self.provider,
            &column_def.data_type,
            self.previous.map_or(&[][..], |previous| &previous.enums),
        );
        let serial = declared.as_ref().is_ok_and(|declared| declared.serial);
        let primary_key = options
            .iter()
            .any(|option| matches!(option, ColumnOption::PrimaryKey(_)));
        if self.provider == Provider::Sqlite {
            // SQLite refuses the column whether or not the table has rows.
            let null_default = default.is_none_or(is_null_literal);
            if not_null && null_default && generated.is_none() {
                self.push(
                    place,
                    NOT_NULL_COLUMN_WITHOUT_DEFAULT,
                    Severity::Error,
                    format!("SQLite refuses ADD COLUMN {column} NOT NULL on {table} without a default other than NULL (\"Cannot add a NOT NULL column with default value NULL\")."),
                    "Give the column a default, or rebuild the table (create the new table, copy the rows, drop, rename), as comon plans it.",
                );
            }
            return;
        }
        if self.exempt(table, place) {
            return;
        }
        let default_text = default.map(ToString::to_string);
        let volatile_fill = match (default, generated, serial) {
            (_, Some(kind), _) => Some(kind.to_string()),
            (_, _, true) => Some("a serial sequence".to_string()),
            (Some(expression), _, _) if is_volatile_expression(&expression.to_string()) => {
                Some(format!("the volatile default {expression}"))
            }
            _ => None,
        };
        let rewrite_alternative = "Add the column without it (nullable), set the default for new rows, backfill the existing rows in batches, then make it required.";
        if let Some(fill) = &volatile_fill {
            self.mark_rewritten(place, table);
            self.push(
                place,
                VOLATILE_DEFAULT_REWRITE,
                Severity::Error,
                format!("The new column {table}.{column} is filled by {fill}, which gives every row its own value: PostgreSQL rewrites {table} under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends."),
                rewrite_alternative,
            );
        } else if let Some(function) = default_text
            .as_deref()
            .and_then(|text| unknown_function_of(self.provider, text))
        {
            self.push(
                place,
                VOLATILE_DEFAULT_REWRITE,
                Severity::Warning,
                format!("The default of the new column {table}.{column} calls {function}(), which the linter does not know: if it is volatile, PostgreSQL computes it for every row and rewrites {table} under an ACCESS EXCLUSIVE lock."),
                rewrite_alternative,
            );
        }
        if primary_key {
            self.new_primary_key(place, table);
        } else if options
            .iter()
            .any(|option| matches!(option, ColumnOption::Unique(_)))
        {
            self.push(
                place,
                BLOCKING_UNIQUE_CONSTRAINT,
                Severity::Error,
                format!("The new unique column {table}.{column} gets its index built under an ACCESS EXCLUSIVE lock: every read and write of {table} waits until the whole table is indexed."),
                "Add the column without UNIQUE, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.",
            );
        }
        if options
            .iter()
            .any(|option| matches!(option, ColumnOption::ForeignKey(_)))
        {
            self.constraint_validation(
                place,
                table,
                "A foreign key (REFERENCES on the new column)",
            );
        }
        let null_default = default.is_none_or(is_null_literal);
        if not_null && null_default && volatile_fill.is_none() && !primary_key {
            self.push(
                place,
                NOT_NULL_COLUMN_WITHOUT_DEFAULT,
                Severity::Error,
                format!("ADD COLUMN {column} NOT NULL without a default fails as soon as {table} has a row, since the existing rows would hold NULL."),
                "Add it with a DEFAULT (a constant default does not rewrite the table on PostgreSQL 11 and later), or nullable, backfill in batches, then make it required.",
            );
        }
    }

    fn type_change(
        &mut self,
        place: Place<'_>,
        table: &str,
        column: &str,
        data_type: &sqlparser::ast::DataType,
    ) {
        let previous_column_type: Option<&ColumnType> = self.previous.and_then(|previous| {
            previous
                .tables
                .iter()
                .find(|candidate| same_name(self.provider, &candidate.name, table))
                .and_then(|found| {
                    found
                        .columns
                        .iter()
                        .find(|candidate| same_name(self.provider, &candidate.name, column))
                })
                .map(|found| &found.column_type)
        });
        let next_column_type = declared_type(
            self.provider,
            data_type,
            self.previous.map_or(&[][..], |previous| &previous.enums),
        )
        .ok()
        .map(|declared| declared.column_type);
        let alternative = "Expand and contract: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.";
        match (previous_column_type, next_column_type) {
            (Some(previous_type), Some(next_type)) => {
                if type_change_keeps_the_table(previous_type, &next_type) {
                    return;
                }
                let from = match &previous_type.kind {
                    crate::database_schema::ColumnTypeKind::Enum(name) => {
                        format!("the enum {name}")
                    }
                    other => other.native_spelling().unwrap_or_default(),
                };
                self.mark_rewritten(place, table);
                self.push(
                    place,
                    COLUMN_TYPE_REWRITE,
                    Severity::Error,
                    format!("Changing {table}.{column} from {from} to {data_type} has no binary-compatible cast: PostgreSQL rewrites {table} under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends."),
                    alternative,
                );
            }
            _ => {
                self.mark_rewritten(place, table);
                self.push(
                    place,
                    COLUMN_TYPE_REWRITE,
                    Severity::Warning,
                    format!("Changing {table}.{column} to {data_type} rewrites {table} under an ACCESS EXCLUSIVE lock unless the cast is binary-compatible (varchar to text, a longer varchar); the previous type is not known here (lint the whole migrations folder to know it)."),
                    alternative,
                );
            }
        }
    }

    /// The column of a `column IS NOT NULL` check, the form comon's online `SET NOT NULL`
    /// proves first.
    fn not_null_column_of(&self, expression: &Expr) -> Option<String> {
        match expression {
            Expr::Nested(inner) => self.not_null_column_of(inner),
            Expr::IsNotNull(inner) => match inner.as_ref() {
                Expr::Identifier(ident) => Some(identifier(self.provider, ident)),
                Expr::Nested(nested) => match nested.as_ref() {
                    Expr::Identifier(ident) => Some(identifier(self.provider, ident)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }
}

/// The place of a clause of a statement (an `ALTER TABLE`'s `ADD COLUMN`, `ALTER COLUMN`, ...),
/// from its span in the statement's text: Prisma writes one clause a line, so a finding points
/// at its own line. sqlparser gives no span for some clauses; they keep the statement's place.
fn clause_place(statement: Place<'_>, span: Span) -> Place<'_> {
    if span.start.line == 0 {
        return statement;
    }
    let (line, column) = if span.start.line == 1 {
        (statement.line, statement.column + span.start.column - 1)
    } else {
        (statement.line + span.start.line - 1, span.start.column)
    };
    Place {
        line,
        column,
        ..statement
    }
}

fn constraint_name(constraint: &TableConstraint) -> Option<&sqlparser::ast::Ident> {
    match constraint {
        TableConstraint::ForeignKey(foreign_key) => foreign_key.name.as_ref(),
        TableConstraint::Check(check) => check.name.as_ref(),
        _ => None,
    }
}

fn is_null_literal(expression: &Expr) -> bool {
    match expression {
        Expr::Value(value) => matches!(value.value, sqlparser::ast::Value::Null),
        Expr::Nested(inner) => is_null_literal(inner),
        _ => false,
    }
}

/// Functions (and type names written with arguments) whose value is the same for every row of
/// one statement: as a new column's default they are computed once, without a rewrite.
const KNOWN_NON_VOLATILE_FUNCTIONS: &[&str] = &[
    "now",
    "statement_timestamp",
    "transaction_timestamp",
    "current_timestamp",
    "current_date",
    "localtimestamp",
    "cast",
    "coalesce",
    "nullif",
    "lower",
    "upper",
    "concat",
    "array",
    "row",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
    "to_json",
    "to_jsonb",
    "date_trunc",
    "interval",
    "varchar",
    "char",
    "character",
    "numeric",
    "decimal",
    "timestamp",
    "timestamptz",
    "time",
    "timetz",
    "bit",
    "varbit",
    "float",
];

/// The first function a default expression calls that is neither known volatile (those are
/// `is_volatile_expression`'s) nor known non-volatile.
fn unknown_function_of(provider: Provider, expression: &str) -> Option<String> {
    let dialect = dialect_of(provider);
    let tokens: Vec<Token> = Tokenizer::new(dialect.as_ref(), expression)
        .tokenize()
        .ok()?
        .into_iter()
        .filter(|token| !matches!(token, Token::Whitespace(_)))
        .collect();
    tokens.windows(2).find_map(|pair| match pair {
        [Token::Word(word), Token::LParen] => {
            let name = word.value.to_ascii_lowercase();
            (!KNOWN_NON_VOLATILE_FUNCTIONS.contains(&name.as_str())).then_some(name)
        }
        _ => None,
    })
}

/// The first words of a statement, upper-cased when unquoted.
fn leading_words(provider: Provider, text: &str) -> Vec<String> {
    let dialect = dialect_of(provider);
    Tokenizer::new(dialect.as_ref(), text)
        .tokenize()
        .map(|tokens| {
            tokens
                .into_iter()
                .filter(|token| !matches!(token, Token::Whitespace(_)))
                .take(4)
                .map(|token| match token {
                    Token::Word(word) if word.quote_style.is_none() => {
                        word.value.to_ascii_uppercase()
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}
