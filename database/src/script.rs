//! Splitting a SQL script (a hand-editable `migration.sql`) into statements, so that the
//! runner can apply them one by one and name the one that fails.
//!
//! The split itself is the planner's (`planner::migrations::script`, the one place that reads
//! migration SQL text); this module only turns its error into the runner's.

use crate::error::RunnerError;
use planner::migrations::ScriptError;
use planner::Provider;

pub use planner::migrations::ScriptStatement;

/// The statements of `script`, in order, without the `;` that ends them and without the
/// comments and blank lines before them. Comment-only parts produce no statement.
pub fn split_sql_script(provider: Provider, script: &str) -> Result<Vec<String>, RunnerError> {
    planner::migrations::split_sql_script(provider, script).map_err(runner_error_of)
}

/// `split_sql_script`, keeping the line each statement starts on.
pub fn split_sql_script_with_lines(
    provider: Provider,
    script: &str,
) -> Result<Vec<ScriptStatement>, RunnerError> {
    planner::migrations::split_sql_script_with_lines(provider, script).map_err(runner_error_of)
}

fn runner_error_of(error: ScriptError) -> RunnerError {
    match error {
        ScriptError::InvalidSqlScript {
            line,
            column,
            message,
        } => RunnerError::InvalidSqlScript {
            line,
            column,
            message,
        },
        // Splitting only ever fails in the tokenizer; the transaction-control refusal belongs
        // to the analysis, which the driver reports itself.
        ScriptError::TransactionControlStatement { message } => RunnerError::InvalidSqlScript {
            line: 0,
            column: 0,
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn an_unterminated_string_is_an_error() {
        let error = split_sql_script(Provider::Sqlite, "SELECT 'oops").unwrap_err();
        assert_eq!(error.code(), "invalid-sql-script");
    }
}
