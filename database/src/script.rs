//! Splitting a SQL script (a hand-editable `migration.sql`) into statements, so that the
//! runner can apply them one by one and name the one that fails.
//!
//! The split is lexical: sqlparser's tokenizer finds the `;` tokens that are not inside
//! strings, quoted names, comments or dollar-quoted bodies, and the statement text is cut
//! from the script unchanged, so that what runs is exactly what was reviewed. `;` inside a
//! `CREATE TRIGGER ... BEGIN ... END` body (SQLite) or a `BEGIN ATOMIC ... END` function body
//! (PostgreSQL) does not end the statement.

use crate::error::RunnerError;
use planner::Provider;
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Location, Token, Tokenizer};

/// One statement of a script, with the line of the script it starts on (1-based), so that an
/// error can point into the file that was reviewed. Statements that come from a plan rather
/// than a file have no line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptStatement {
    pub text: String,
    pub line: Option<u64>,
}

impl ScriptStatement {
    /// A statement that is not read from a file (a plan's rendering).
    pub fn planned(text: String) -> ScriptStatement {
        ScriptStatement { text, line: None }
    }

    /// The first line of the statement's text, for messages.
    pub fn first_line(&self) -> &str {
        self.text.lines().next().unwrap_or("").trim_end()
    }
}

/// The statements of `script`, in order, without the `;` that ends them and without the
/// comments and blank lines before them. Comment-only parts produce no statement.
pub fn split_sql_script(provider: Provider, script: &str) -> Result<Vec<String>, RunnerError> {
    Ok(split_sql_script_with_lines(provider, script)?
        .into_iter()
        .map(|statement| statement.text)
        .collect())
}

/// `split_sql_script`, keeping the line each statement starts on.
pub fn split_sql_script_with_lines(
    provider: Provider,
    script: &str,
) -> Result<Vec<ScriptStatement>, RunnerError> {
    let dialect: Box<dyn Dialect> = match provider {
        Provider::Postgresql => Box::new(PostgreSqlDialect {}),
        Provider::Sqlite => Box::new(SQLiteDialect {}),
    };
    let tokens = Tokenizer::new(dialect.as_ref(), script)
        .tokenize_with_location()
        .map_err(|error| RunnerError::InvalidSqlScript {
            line: error.location.line,
            column: error.location.column,
            message: error.message.clone(),
        })?;
    let offsets = ByteOffsets::new(script);
    let mut statements = Vec::new();
    let mut current = StatementInProgress::default();
    for token in &tokens {
        let start = offsets.of(token.span.start);
        match &token.token {
            // Spaces, newlines and comments.
            Token::Whitespace(_) => {}
            Token::SemiColon if current.block_depth == 0 => {
                if let Some(statement_start) = current.start {
                    statements.push(ScriptStatement {
                        text: script[statement_start..start].trim_end().to_string(),
                        line: Some(current.line),
                    });
                }
                current = StatementInProgress::default();
            }
            other => {
                if current.start.is_none() {
                    current.line = token.span.start.line;
                }
                current.observe(other, start)
            }
        }
    }
    if let Some(statement_start) = current.start {
        statements.push(ScriptStatement {
            text: script[statement_start..].trim_end().to_string(),
            line: Some(current.line),
        });
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
struct ByteOffsets<'a> {
    script: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> ByteOffsets<'a> {
    fn new(script: &'a str) -> ByteOffsets<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(script.match_indices('\n').map(|(index, _)| index + 1));
        ByteOffsets {
            script,
            line_starts,
        }
    }

    fn of(&self, location: Location) -> usize {
        let line_index = (location.line.max(1) - 1) as usize;
        let Some(&line_start) = self.line_starts.get(line_index) else {
            return self.script.len();
        };
        let characters_before = (location.column.max(1) - 1) as usize;
        self.script[line_start..]
            .char_indices()
            .nth(characters_before)
            .map(|(index, _)| line_start + index)
            .unwrap_or(self.script.len())
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
