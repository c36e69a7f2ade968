//! PostgreSQL statements that sqlparser (0.64, the newest release) does not parse, recognised
//! from their tokens, for the interpreter and the linter.
//!
//! This reads tokens, it does not parse SQL: each form below is a fixed sequence of keywords
//! around object names, and anything that does not match one exactly stays unrecognised (for
//! the interpreter a parse error, so the runner replays the migration on a database; for the
//! linter an unparsed statement). Only statements sqlparser refused come here, so nothing it
//! reads changes meaning.

use super::names;
use crate::provider::Provider;
use sqlparser::ast::Ident;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Span, Token, Tokenizer, Word};

/// What an unparsed statement was recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UnparsedStatement {
    /// `ALTER TABLE [IF EXISTS] [ONLY] table` whose every clause is
    /// `ALTER [COLUMN] column DROP IDENTITY [IF EXISTS]` or `ALTER [COLUMN] column SET STATISTICS n`.
    AlterColumns {
        table: String,
        if_exists: bool,
        clauses: Vec<ColumnClause>,
    },
    /// The statement without words sqlparser does not read and that change nothing the schema
    /// model or the linter's rules depend on; `text` is meant to be parsed in its place.
    Simplified {
        text: String,
        simplification: Simplification,
    },
    /// `CREATE TABLE [IF NOT EXISTS] table (LIKE source { INCLUDING | EXCLUDING } option ...)`
    /// with options that copy nothing but columns, their defaults and identities (and what the
    /// schema model leaves out: comments, statistics, storage, compression, CHECK constraints,
    /// generation expressions).
    CreateTableLike {
        table: String,
        if_not_exists: bool,
        source: String,
        defaults: bool,
        identity: bool,
    },
    /// A statement that changes nothing the schema model describes.
    OutsideSchemaModel { reason: &'static str },
    /// A statement that may change the schema model in a way the interpreter does not follow.
    MayChangeSchema {
        reason: &'static str,
        /// The table it acts on or creates, for the linter.
        table: Option<String>,
        kind: MayChangeKind,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ColumnClause {
    DropIdentity { column: String, if_exists: bool },
    SetStatistics { column: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Simplification {
    /// `DROP INDEX CONCURRENTLY ...` read as `DROP INDEX ...`: the index goes either way.
    DropIndexConcurrently,
    /// `ALTER COLUMN ... [SET DATA] TYPE type COLLATE collation` read without the `COLLATE`
    /// clause: collations are not part of the schema model (introspection does not read them).
    TypeCollation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MayChangeKind {
    /// `ALTER TABLE ... SET SCHEMA`: the table leaves the schema.
    TableSetSchema,
    /// `ALTER TYPE | DOMAIN | EXTENSION ... SET SCHEMA`.
    OtherSetSchema,
    /// `CREATE TABLE ... (LIKE ... INCLUDING ...)`: a new table.
    CreateTableLike,
}

/// One significant token (not whitespace or a comment), with its position in the full list.
struct Significant {
    position: usize,
    token: Token,
}

/// Recognises `text` (one statement, which sqlparser did not parse) as one of the forms above.
pub(crate) fn recognise_unparsed(provider: Provider, text: &str) -> Option<UnparsedStatement> {
    if provider != Provider::Postgresql {
        return None;
    }
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, text)
        .tokenize()
        .ok()?;
    let significant: Vec<Significant> = tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| !matches!(token, Token::Whitespace(_) | Token::SemiColon))
        .map(|(position, token)| Significant {
            position,
            token: token.clone(),
        })
        .collect();
    let reader = Reader {
        provider,
        tokens: &significant,
    };
    match (reader.keyword(0).as_deref(), reader.keyword(1).as_deref()) {
        (Some("ALTER"), Some("SEQUENCE")) => Some(UnparsedStatement::OutsideSchemaModel {
            reason: "sequences are not part of the schema model (a serial column is known by its nextval default, which ALTER SEQUENCE leaves as it is)",
        }),
        (Some("DROP"), Some("INDEX")) if reader.is_keyword(2, "CONCURRENTLY") => {
            Some(UnparsedStatement::Simplified {
                text: render_without(&tokens, &[significant[2].position]),
                simplification: Simplification::DropIndexConcurrently,
            })
        }
        (Some("CREATE"), _) => reader.create_table_like(),
        (Some("ALTER"), _) => reader
            .alter_table_columns()
            .or_else(|| reader.owner_to())
            .or_else(|| reader.set_schema())
            .or_else(|| {
                let removed = reader.type_collations()?;
                Some(UnparsedStatement::Simplified {
                    text: render_without(&tokens, &removed),
                    simplification: Simplification::TypeCollation,
                })
            }),
        _ => None,
    }
}

/// The statement's text with the tokens at `removed` (positions in the full token list, words
/// and periods, never a line break) blanked out by as many spaces: every other token keeps its
/// line and column, which the linter's findings point at.
fn render_without(tokens: &[Token], removed: &[usize]) -> String {
    tokens
        .iter()
        .enumerate()
        .map(|(position, token)| {
            let text = token.to_string();
            if removed.contains(&position) {
                " ".repeat(text.chars().count())
            } else {
                text
            }
        })
        .collect()
}

struct Reader<'a> {
    provider: Provider,
    tokens: &'a [Significant],
}

impl Reader<'_> {
    /// The unquoted word at `index`, upper-cased.
    fn keyword(&self, index: usize) -> Option<String> {
        match &self.tokens.get(index)?.token {
            Token::Word(word) if word.quote_style.is_none() => {
                Some(word.value.to_ascii_uppercase())
            }
            _ => None,
        }
    }

    fn is_keyword(&self, index: usize, keyword: &str) -> bool {
        self.keyword(index).as_deref() == Some(keyword)
    }

    fn word(&self, index: usize) -> Option<&Word> {
        match &self.tokens.get(index)?.token {
            Token::Word(word) => Some(word),
            _ => None,
        }
    }

    /// A possibly qualified name starting at `index`: the object's own name as the database
    /// reads it, and the index after the name.
    fn object_name(&self, index: usize) -> Option<(String, usize)> {
        let mut last = self.word(index)?;
        let mut next = index + 1;
        while matches!(self.tokens.get(next).map(|t| &t.token), Some(Token::Period)) {
            last = self.word(next + 1)?;
            next += 2;
        }
        let ident = Ident {
            value: last.value.clone(),
            quote_style: last.quote_style,
            span: Span::empty(),
        };
        Some((names::identifier(self.provider, &ident), next))
    }

    /// `ALTER TABLE [IF EXISTS] [ONLY] name [*]`: the table's name, whether `IF EXISTS` was
    /// written and the index of the first clause.
    fn alter_table_head(&self) -> Option<(String, bool, usize)> {
        if !(self.is_keyword(0, "ALTER") && self.is_keyword(1, "TABLE")) {
            return None;
        }
        let mut index = 2;
        let if_exists = self.is_keyword(index, "IF") && self.is_keyword(index + 1, "EXISTS");
        if if_exists {
            index += 2;
        }
        if self.is_keyword(index, "ONLY") {
            index += 1;
        }
        let (table, mut index) = self.object_name(index)?;
        if matches!(self.tokens.get(index).map(|t| &t.token), Some(Token::Mul)) {
            index += 1;
        }
        Some((table, if_exists, index))
    }

    /// The clauses from `start` on, split at commas outside parentheses: `(start, end)` ranges.
    fn clauses(&self, start: usize) -> Vec<(usize, usize)> {
        let mut clauses = Vec::new();
        let mut depth = 0usize;
        let mut clause_start = start;
        for index in start..self.tokens.len() {
            match self.tokens[index].token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma if depth == 0 => {
                    clauses.push((clause_start, index));
                    clause_start = index + 1;
                }
                _ => {}
            }
        }
        clauses.push((clause_start, self.tokens.len()));
        clauses
    }

    /// `ALTER TABLE ... ALTER [COLUMN] c DROP IDENTITY [IF EXISTS], ALTER [COLUMN] c SET STATISTICS n`.
    fn alter_table_columns(&self) -> Option<UnparsedStatement> {
        let (table, if_exists, start) = self.alter_table_head()?;
        let clauses = self
            .clauses(start)
            .into_iter()
            .map(|(start, end)| self.column_clause(start, end))
            .collect::<Option<Vec<_>>>()?;
        Some(UnparsedStatement::AlterColumns {
            table,
            if_exists,
            clauses,
        })
    }

    fn column_clause(&self, start: usize, end: usize) -> Option<ColumnClause> {
        if !self.is_keyword(start, "ALTER") {
            return None;
        }
        let mut index = start + 1;
        if self.is_keyword(index, "COLUMN") {
            index += 1;
        }
        let (column, index) = self.object_name(index)?;
        let words_left = end - index;
        if self.is_keyword(index, "DROP") && self.is_keyword(index + 1, "IDENTITY") {
            return match words_left {
                2 => Some(ColumnClause::DropIdentity {
                    column,
                    if_exists: false,
                }),
                4 if self.is_keyword(index + 2, "IF") && self.is_keyword(index + 3, "EXISTS") => {
                    Some(ColumnClause::DropIdentity {
                        column,
                        if_exists: true,
                    })
                }
                _ => None,
            };
        }
        if self.is_keyword(index, "SET") && self.is_keyword(index + 1, "STATISTICS") {
            let number = |index: usize| {
                matches!(
                    self.tokens.get(index).map(|t| &t.token),
                    Some(Token::Number(..))
                )
            };
            let is_minus = matches!(
                self.tokens.get(index + 2).map(|t| &t.token),
                Some(Token::Minus)
            );
            let fits = match words_left {
                3 => number(index + 2),
                4 => is_minus && number(index + 3),
                _ => false,
            };
            return fits.then_some(ColumnClause::SetStatistics { column });
        }
        None
    }

    /// `ALTER <kind> name [(arguments)] OWNER TO role`: every token between `ALTER` and `OWNER`
    /// a word, a period or one parenthesised argument list (a function's).
    fn owner_to(&self) -> Option<UnparsedStatement> {
        let length = self.tokens.len();
        if length < 5
            || !self.is_keyword(length - 3, "OWNER")
            || !self.is_keyword(length - 2, "TO")
            || self.word(length - 1).is_none()
            || !self.plain_object_reference(1, length - 3)
        {
            return None;
        }
        Some(UnparsedStatement::OutsideSchemaModel {
            reason: "ownership is not part of the schema model",
        })
    }

    /// `ALTER <kind> name [(arguments)] SET SCHEMA schema`.
    fn set_schema(&self) -> Option<UnparsedStatement> {
        let length = self.tokens.len();
        if length < 6
            || !self.is_keyword(length - 3, "SET")
            || !self.is_keyword(length - 2, "SCHEMA")
            || self.word(length - 1).is_none()
            || !self.plain_object_reference(1, length - 3)
        {
            return None;
        }
        let kind = self.keyword(1)?;
        match kind.as_str() {
            "VIEW" | "MATERIALIZED" | "FUNCTION" | "PROCEDURE" | "ROUTINE" | "AGGREGATE" | "COLLATION"
            | "SEQUENCE" => Some(UnparsedStatement::OutsideSchemaModel {
                reason: "views, functions, sequences and collations are not part of the schema model",
            }),
            "TABLE" => {
                let (table, _, _) = self.alter_table_head()?;
                Some(UnparsedStatement::MayChangeSchema {
                    reason: "ALTER TABLE ... SET SCHEMA moves the table, with its indexes and keys, out of the schema the model describes",
                    table: Some(table),
                    kind: MayChangeKind::TableSetSchema,
                })
            }
            _ => Some(UnparsedStatement::MayChangeSchema {
                reason: "SET SCHEMA moves a type or an extension's types that columns may use to another schema, which the interpreter does not follow",
                table: None,
                kind: MayChangeKind::OtherSetSchema,
            }),
        }
    }

    /// Whether the tokens in `start..end` are only words and periods, with at most one
    /// parenthesised list at the end: a kind of object and its name.
    fn plain_object_reference(&self, start: usize, end: usize) -> bool {
        let mut index = start;
        while index < end {
            match self.tokens[index].token {
                Token::Word(_) | Token::Period => index += 1,
                Token::LParen => {
                    let mut depth = 0usize;
                    while index < end {
                        match self.tokens[index].token {
                            Token::LParen => depth += 1,
                            Token::RParen => depth -= 1,
                            _ => {}
                        }
                        index += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    return depth == 0 && index == end;
                }
                _ => return false,
            }
        }
        index > start
    }

    /// `CREATE [TEMP | TEMPORARY | UNLOGGED ...] TABLE [IF NOT EXISTS] name (LIKE ...`.
    fn create_table_like(&self) -> Option<UnparsedStatement> {
        let mut index = 1;
        while matches!(
            self.keyword(index).as_deref(),
            Some("GLOBAL" | "LOCAL" | "TEMP" | "TEMPORARY" | "UNLOGGED")
        ) {
            index += 1;
        }
        if !self.is_keyword(index, "TABLE") {
            return None;
        }
        index += 1;
        let if_not_exists = self.is_keyword(index, "IF")
            && self.is_keyword(index + 1, "NOT")
            && self.is_keyword(index + 2, "EXISTS");
        if if_not_exists {
            index += 3;
        }
        let (table, index) = self.object_name(index)?;
        if let Some(like) = self.only_like(&table, if_not_exists, index) {
            return Some(like);
        }
        if !matches!(
            self.tokens.get(index).map(|t| &t.token),
            Some(Token::LParen)
        ) {
            return None;
        }
        // LIKE starts one of the elements of the list: right after the parenthesis or a comma
        // outside nested parentheses.
        let mut depth = 0usize;
        let mut element_starts = true;
        for position in index..self.tokens.len() {
            if element_starts && depth == 1 && self.is_keyword(position, "LIKE") {
                return Some(UnparsedStatement::MayChangeSchema {
                    reason: "a table created LIKE another with its indexes, or beside other columns, is built by rules the interpreter does not follow",
                    table: Some(table),
                    kind: MayChangeKind::CreateTableLike,
                });
            }
            element_starts = false;
            match self.tokens[position].token {
                Token::LParen => {
                    depth += 1;
                    element_starts = depth == 1;
                }
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma => element_starts = depth == 1,
                _ => {}
            }
        }
        None
    }

    /// `(LIKE source options)` as the whole list of the table's elements, from the parenthesis
    /// at `open`, with options the interpreter can follow.
    fn only_like(
        &self,
        table: &str,
        if_not_exists: bool,
        open: usize,
    ) -> Option<UnparsedStatement> {
        if !matches!(self.tokens.get(open).map(|t| &t.token), Some(Token::LParen))
            || !self.is_keyword(open + 1, "LIKE")
        {
            return None;
        }
        let (source, mut index) = self.object_name(open + 2)?;
        let (mut defaults, mut identity) = (false, false);
        // Options apply in order: a later one overrides an earlier one.
        while let Some(direction) = self.keyword(index) {
            let including = match direction.as_str() {
                "INCLUDING" => true,
                "EXCLUDING" => false,
                _ => return None,
            };
            match self.keyword(index + 1)?.as_str() {
                "DEFAULTS" => defaults = including,
                "IDENTITY" => identity = including,
                "COMMENTS" | "STATISTICS" | "STORAGE" | "COMPRESSION" | "CONSTRAINTS"
                | "GENERATED" => {}
                // INDEXES (and ALL, which includes them) name the copied indexes by rules
                // the interpreter does not follow.
                _ => return None,
            }
            index += 2;
        }
        let closes = matches!(
            self.tokens.get(index).map(|t| &t.token),
            Some(Token::RParen)
        );
        (closes && index + 1 == self.tokens.len()).then(|| UnparsedStatement::CreateTableLike {
            table: table.to_string(),
            if_not_exists,
            source,
            defaults,
            identity,
        })
    }

    /// The `COLLATE name` clauses that follow a type in `ALTER COLUMN ... [SET DATA] TYPE`
    /// clauses of an `ALTER TABLE` (positions in the full token list), when there is one and
    /// each clause is otherwise what sqlparser reads.
    fn type_collations(&self) -> Option<Vec<usize>> {
        let (_, _, start) = self.alter_table_head()?;
        let mut removed = Vec::new();
        for (clause_start, clause_end) in self.clauses(start) {
            // From the TYPE keyword at depth 0 to USING or the clause's end.
            let mut depth = 0usize;
            let mut in_type = false;
            let mut index = clause_start;
            while index < clause_end {
                match self.tokens[index].token {
                    Token::LParen => depth += 1,
                    Token::RParen => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if depth == 0 {
                    match self.keyword(index).as_deref() {
                        Some("TYPE") => in_type = true,
                        Some("USING") => in_type = false,
                        Some("COLLATE") if in_type => {
                            let (_, after) = self.object_name(index + 1)?;
                            removed.extend((index..after).map(|i| self.tokens[i].position));
                            index = after;
                            continue;
                        }
                        _ => {}
                    }
                }
                index += 1;
            }
        }
        (!removed.is_empty()).then_some(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recognise(text: &str) -> Option<UnparsedStatement> {
        recognise_unparsed(Provider::Postgresql, text)
    }

    #[test]
    fn drop_identity_and_set_statistics_clauses_are_read_with_their_names() {
        assert_eq!(
            recognise(
                r#"ALTER TABLE IF EXISTS ONLY "public"."User" ALTER COLUMN "id" DROP IDENTITY IF EXISTS, ALTER "Score" SET STATISTICS -1, alter column plain set statistics 100;"#
            ),
            Some(UnparsedStatement::AlterColumns {
                table: "User".to_string(),
                if_exists: true,
                clauses: vec![
                    ColumnClause::DropIdentity {
                        column: "id".to_string(),
                        if_exists: true
                    },
                    ColumnClause::SetStatistics {
                        column: "Score".to_string()
                    },
                    ColumnClause::SetStatistics {
                        column: "plain".to_string()
                    },
                ],
            })
        );
        // A clause of another kind, or words after the form, leave the statement unrecognised.
        assert_eq!(
            recognise(r#"ALTER TABLE "User" ALTER COLUMN "id" DROP IDENTITY, ADD COLUMN "x" INT"#),
            None
        );
        assert_eq!(
            recognise(r#"ALTER TABLE "User" ALTER COLUMN "id" DROP IDENTITY CASCADE"#),
            None
        );
        assert_eq!(
            recognise(r#"ALTER TABLE "User" ALTER COLUMN "id" SET STATISTICS 1 + 1"#),
            None
        );
    }

    #[test]
    fn concurrently_and_collate_are_left_out_of_the_text_to_parse() {
        assert_eq!(
            recognise(r#"DROP INDEX CONCURRENTLY IF EXISTS "User_email_idx";"#),
            Some(UnparsedStatement::Simplified {
                text: r#"DROP INDEX              IF EXISTS "User_email_idx";"#.to_string(),
                simplification: Simplification::DropIndexConcurrently,
            })
        );
        assert_eq!(
            recognise(r#"ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(10) COLLATE "pg_catalog"."C" USING "name" COLLATE "C", ALTER COLUMN "b" TYPE TEXT COLLATE "en_US""#),
            Some(UnparsedStatement::Simplified {
                text: r#"ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(10)                          USING "name" COLLATE "C", ALTER COLUMN "b" TYPE TEXT                "#.to_string(),
                simplification: Simplification::TypeCollation,
            })
        );
    }

    #[test]
    fn left_out_words_keep_the_place_of_every_other_token() {
        let original = "ALTER TABLE \"Tag\"\n  ALTER COLUMN \"é\" TYPE TEXT COLLATE \"C\",\n  ALTER COLUMN \"b\" TYPE TEXT COLLATE \"ü\", ADD COLUMN \"n\" INTEGER";
        let Some(UnparsedStatement::Simplified { text, .. }) = recognise(original) else {
            panic!("the statement is recognised");
        };
        let lines: Vec<&str> = original.lines().collect();
        let simplified_lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), simplified_lines.len());
        for (line, simplified) in lines.iter().zip(&simplified_lines) {
            assert_eq!(line.chars().count(), simplified.chars().count());
        }
        // Columns count characters, as sqlparser's locations do.
        let column_of = |line: &str| {
            line.find("ADD COLUMN")
                .map(|bytes| line[..bytes].chars().count())
        };
        assert_eq!(column_of(simplified_lines[2]), column_of(lines[2]));
        assert!(!text.contains("COLLATE"));
    }

    #[test]
    fn ownership_sequences_schemas_and_like_are_told_apart() {
        let outside = |text: &str| {
            matches!(
                recognise(text),
                Some(UnparsedStatement::OutsideSchemaModel { .. })
            )
        };
        assert!(outside(r#"ALTER TYPE "Role" OWNER TO postgres"#));
        assert!(outside(
            r#"ALTER FUNCTION "f"(integer, text) OWNER TO "owner""#
        ));
        assert!(outside(r#"ALTER SEQUENCE "User_id_seq" RESTART WITH 100"#));
        assert!(outside(r#"ALTER VIEW "v" SET SCHEMA archive"#));
        assert!(!outside(
            r#"ALTER TYPE "Role" ADD VALUE 'X', OWNER TO postgres"#
        ));
        assert_eq!(
            recognise(r#"ALTER TABLE "User" SET SCHEMA archive"#),
            Some(UnparsedStatement::MayChangeSchema {
                reason: "ALTER TABLE ... SET SCHEMA moves the table, with its indexes and keys, out of the schema the model describes",
                table: Some("User".to_string()),
                kind: MayChangeKind::TableSetSchema,
            })
        );
        assert!(matches!(
            recognise(r#"ALTER TYPE "Role" SET SCHEMA archive"#),
            Some(UnparsedStatement::MayChangeSchema {
                kind: MayChangeKind::OtherSetSchema,
                ..
            })
        ));
        // ALL is not an option the interpreter follows, whatever comes after it.
        assert!(matches!(
            recognise(r#"CREATE TABLE "Copy" (LIKE "User" INCLUDING ALL EXCLUDING INDEXES)"#),
            Some(UnparsedStatement::MayChangeSchema {
                kind: MayChangeKind::CreateTableLike,
                ..
            })
        ));
        assert_eq!(
            recognise(
                r#"CREATE TABLE IF NOT EXISTS "Copy" (LIKE "public"."User" INCLUDING IDENTITY INCLUDING COMMENTS EXCLUDING DEFAULTS INCLUDING DEFAULTS EXCLUDING IDENTITY);"#
            ),
            Some(UnparsedStatement::CreateTableLike {
                table: "Copy".to_string(),
                if_not_exists: true,
                source: "User".to_string(),
                defaults: true,
                identity: false,
            })
        );
        assert!(matches!(
            recognise(r#"CREATE TABLE "Copy" (LIKE "User" INCLUDING INDEXES)"#),
            Some(UnparsedStatement::MayChangeSchema {
                kind: MayChangeKind::CreateTableLike,
                ..
            })
        ));
        assert!(matches!(
            recognise(r#"CREATE TABLE IF NOT EXISTS "Copy" ("extra" INT, LIKE "User" INCLUDING ALL)"#),
            Some(UnparsedStatement::MayChangeSchema {
                kind: MayChangeKind::CreateTableLike,
                table: Some(table),
                ..
            }) if table == "Copy"
        ));
        // LIKE as an operator inside a CHECK is not the LIKE element.
        assert_eq!(
            recognise(r#"CREATE TABLE "t" ("a" TEXT CHECK ("a" LIKE 'x%') BADWORD)"#),
            None
        );
        assert_eq!(recognise("SELECT 1 FROM"), None);
        assert_eq!(
            recognise_unparsed(Provider::Sqlite, "ALTER SEQUENCE s RESTART"),
            None
        );
    }
}
