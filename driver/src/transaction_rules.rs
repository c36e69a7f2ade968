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

// The decisions themselves are the planner's (`planner::migrations::script`, the one place
// that reads migration SQL text); the driver adds how a refusal is reported.
pub use planner::migrations::script::{
    must_run_outside_transaction, transaction_control_of, TransactionControl, GUARD_SAVEPOINT,
};
use planner::migrations::{script, ScriptError};

/// Where a script comes from, for messages: `prisma/migrations/<folder>/migration.sql`, or the
/// file given to `db execute`.
pub struct ScriptOrigin<'a> {
    pub file: &'a str,
}

/// The statements to run inside comon's own transaction. A `BEGIN; ... COMMIT;` pair around
/// statements (Prisma writes them around enum changes) is dropped: comon's transaction already
/// makes the whole script atomic. Anything else that would end or replace that transaction (a
/// bare `COMMIT`, a `ROLLBACK`, a `BEGIN` without its `COMMIT`, a nested `BEGIN`), and a
/// savepoint named like comon's own, is refused before anything runs. The rules are the
/// planner's; the refusal becomes the command's error here.
pub fn statements_for_transaction(
    provider: Provider,
    origin: &ScriptOrigin<'_>,
    statements: Vec<ScriptStatement>,
) -> Result<Vec<ScriptStatement>, CommandError> {
    script::statements_for_transaction(provider, origin.file, statements).map_err(command_error_of)
}

/// A migration that runs outside a transaction (it holds `CREATE INDEX CONCURRENTLY`, `VACUUM`,
/// ...) runs statement by statement; transaction control in it would leave a transaction open
/// around the statements that cannot run in one, or around the history updates: refused.
pub fn refuse_transaction_control_outside_transaction(
    provider: Provider,
    origin: &ScriptOrigin<'_>,
    statements: &[ScriptStatement],
) -> Result<(), CommandError> {
    script::refuse_transaction_control_outside_transaction(provider, origin.file, statements)
        .map_err(command_error_of)
}

fn command_error_of(error: ScriptError) -> CommandError {
    CommandError::refused(error.code(), error.to_string())
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
