//! Which statements cannot run inside a transaction block, so that a migration holding one
//! runs outside a transaction, statement by statement.
//!
//! The decision reads the statement's first words through sqlparser's tokenizer, so comments,
//! string contents and quoted names never count.

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
pub fn must_run_outside_transaction(provider: Provider, statement: &str, server_version_number: Option<u32>) -> bool {
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
                    let adds_value = words.windows(2).any(|pair| pair[0] == "ADD" && pair[1] == "VALUE");
                    adds_value && server_version_number.is_some_and(|version| version < 120000)
                }
                _ => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_index_statements_run_outside_a_transaction() {
        let postgres = |sql: &str| must_run_outside_transaction(Provider::Postgresql, sql, Some(160000));
        assert!(postgres("CREATE INDEX CONCURRENTLY \"a\" ON \"t\" (\"x\")"));
        assert!(postgres("-- why\ncreate unique index concurrently if not exists a on t (x)"));
        assert!(postgres("DROP INDEX CONCURRENTLY a"));
        assert!(postgres("REINDEX INDEX CONCURRENTLY a"));
        assert!(postgres("VACUUM ANALYZE t"));
        assert!(!postgres("CREATE INDEX \"concurrently\" ON t (x)"));
        assert!(!postgres("CREATE INDEX a ON t (x)"));
        assert!(!postgres("INSERT INTO t VALUES ('CREATE INDEX CONCURRENTLY')"));
    }

    #[test]
    fn adding_enum_values_runs_outside_a_transaction_only_before_postgresql_12() {
        let sql = "ALTER TYPE \"Role\" ADD VALUE 'ADMIN'";
        assert!(must_run_outside_transaction(Provider::Postgresql, sql, Some(110000)));
        assert!(!must_run_outside_transaction(Provider::Postgresql, sql, Some(120000)));
    }

    #[test]
    fn sqlite_vacuum_runs_outside_a_transaction() {
        assert!(must_run_outside_transaction(Provider::Sqlite, "VACUUM", None));
        assert!(!must_run_outside_transaction(Provider::Sqlite, "CREATE TABLE vacuum (x)", None));
    }
}
