//! Quoting for the few SQL texts the runner writes itself.

/// `"name"`, with inner double quotes doubled. Valid on PostgreSQL and SQLite.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'`, with inner single quotes doubled. Valid on SQLite, and on PostgreSQL with
/// `standard_conforming_strings` on (the default since 9.1), where backslashes are plain text.
pub fn quote_string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled() {
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_string_literal("it's"), "'it''s'");
    }
}
