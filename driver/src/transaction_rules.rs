//! Which statements cannot run inside a transaction block, so that a migration holding one
//! runs outside a transaction, statement by statement; and which statements control
//! transactions themselves (`BEGIN`, `COMMIT`, `ROLLBACK`, savepoints), which a script that
//! comon runs in its own transaction must not use behind its back.
//!
//! The decisions read the statement's first words through sqlparser's tokenizer, so comments,
//! string contents and quoted names never count. A `BEGIN ... END` inside `CREATE TRIGGER` or a
//! function body is part of that statement (the splitter keeps it whole), never a statement of
//! its own, so it is not transaction control.

use crate::command_error::CommandError;
use comon_database::ScriptStatement;
use planner::Provider;
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Token, Tokenizer};

/// The first unquoted words of a statement, upper-cased, comments skipped. A statement that
/// does not tokenize has none (it will fail on its own when run).
fn leading_words(provider: Provider, statement: &str, limit: usize) -> Vec<String> {
    let dialect: Box<dyn Dialect> = match provider {
        Provider::Postgresql => Box::new(PostgreSqlDialect {}),
        Provider::Sqlite => Box::new(SQLiteDialect {}),
    };
    let Ok(tokens) = Tokenizer::new(dialect.as_ref(), statement).tokenize() else {
        return Vec::new();
    };
    tokens
        .into_iter()
        .filter(|token| !matches!(token, Token::Whitespace(_)))
        .take(limit)
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

/// Where a script comes from, for messages: `prisma/migrations/<folder>/migration.sql`, or the
/// file given to `db execute`.
pub struct ScriptOrigin<'a> {
    pub file: &'a str,
}

fn refused_statement(
    origin: &ScriptOrigin<'_>,
    statement: &ScriptStatement,
    reason: &str,
) -> CommandError {
    let line = statement
        .line
        .map(|line| format!(" line {line}"))
        .unwrap_or_default();
    CommandError::refused(
        "transaction-control-statement",
        format!(
            "{}{line}: `{}` {reason} Nothing was run.",
            origin.file,
            statement.first_line()
        ),
    )
}

/// The statements to run inside comon's own transaction. A `BEGIN; ... COMMIT;` pair around
/// statements (Prisma writes them around enum changes) is dropped: comon's transaction already
/// makes the whole script atomic. Anything else that would end or replace that transaction (a
/// bare `COMMIT`, a `ROLLBACK`, a `BEGIN` without its `COMMIT`, a nested `BEGIN`), and a
/// savepoint named like comon's own, is refused before anything runs.
pub fn statements_for_transaction(
    provider: Provider,
    origin: &ScriptOrigin<'_>,
    statements: Vec<ScriptStatement>,
) -> Result<Vec<ScriptStatement>, CommandError> {
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
    origin: &ScriptOrigin<'_>,
    statements: &[ScriptStatement],
) -> Result<(), CommandError> {
    match statements.iter().find(|statement| transaction_control_of(provider, &statement.text).is_some()) {
        Some(statement) => Err(refused_statement(
            origin,
            statement,
            "controls a transaction, but this migration runs outside a transaction (it holds a statement that cannot run inside one). Move the statements that need a transaction into a migration of their own.",
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(script: &str) -> Vec<ScriptStatement> {
        comon_database::split_sql_script_with_lines(Provider::Postgresql, script).unwrap()
    }

    const ORIGIN: ScriptOrigin<'static> = ScriptOrigin {
        file: "m/1_x/migration.sql",
    };

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
        let kept =
            statements_for_transaction(Provider::Postgresql, &ORIGIN, lines(script)).unwrap();
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
            let error = statements_for_transaction(Provider::Postgresql, &ORIGIN, lines(script))
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
            &ORIGIN,
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
}
