//! Passwords kept out of migration artifacts.
//!
//! A datasource may spell its URL out (`url = "postgresql://app:secret@db/app"`). The schema
//! text is copied into `after.prisma`, the next migration's `before.prisma`, and the history
//! table's `before_schema`/`after_schema`, which are committed and read by many; the password
//! must not travel with it. Only the password is removed; every other byte stays as written.

use crate::schema_language::ast::{Expression, Top};
use std::ops::Range;

/// `schema_text` with the password of every literal URL in its datasource blocks (`url`,
/// `directUrl`, `shadowDatabaseUrl`, ...) removed: `user:secret@host` becomes `user@host` and a
/// `password=...` query parameter is dropped. Text that does not parse is returned as it is:
/// there is no datasource block to find in it.
pub fn schema_text_without_passwords(schema_text: &str) -> String {
    let Ok(ast) = crate::schema_language::parse_schema(schema_text) else {
        return schema_text.to_string();
    };
    let mut removed: Vec<Range<usize>> = Vec::new();
    for top in &ast.tops {
        let Top::Datasource(block) = top else {
            continue;
        };
        for property in block.properties() {
            let Expression::String(_, span) = &property.value else {
                continue;
            };
            // The literal as written, between its quotes: offsets inside it are offsets into the
            // text. (An escape such as `\"` inside a URL only shifts nothing: it is kept.)
            let Some(literal) = schema_text.get(span.start..span.end) else {
                continue;
            };
            if literal.len() < 2 || !literal.starts_with('"') || !literal.ends_with('"') {
                continue;
            }
            let content_start = span.start + 1;
            let content = &literal[1..literal.len() - 1];
            removed.extend(
                url_password_ranges(content)
                    .into_iter()
                    .map(|range| content_start + range.start..content_start + range.end),
            );
        }
    }
    removed.sort_by_key(|range| range.start);
    let mut kept = String::with_capacity(schema_text.len());
    let mut position = 0;
    for range in removed {
        if range.start >= position {
            kept.push_str(&schema_text[position..range.start]);
            position = range.end;
        }
    }
    kept.push_str(&schema_text[position..]);
    kept
}

/// The byte ranges of `url` that hold a password: `:secret` in `user:secret@host` and a whole
/// `password=...` query parameter (with one `&` beside it, or with the `?` when it is the only
/// one). A URL without `://` (a SQLite `file:` path) has none.
///
/// The ranges follow the URL standard's split: the user information ends at the last `@`
/// before the first `/`, `?` or `#` after `://`. When there is no `@` there but one further on,
/// the password held an unencoded `/`, `?` or `#` (the runner refuses such a URL); the user
/// information then ends at that later `@`, so that no part of the password stays.
pub fn url_password_ranges(url: &str) -> Vec<Range<usize>> {
    let Some(scheme_end) = url.find("://") else {
        return Vec::new();
    };
    let authority_start = scheme_end + 3;
    let end_of_authority = |from: usize| {
        from + url[from..]
            .find(['/', '?', '#'])
            .unwrap_or(url.len() - from)
    };
    let authority_end = end_of_authority(authority_start);
    let user_information_end = match url[authority_start..authority_end].rfind('@') {
        Some(at) => Some(authority_start + at),
        None => url[authority_end..].rfind('@').map(|at| authority_end + at),
    };
    let mut ranges = Vec::new();
    if let Some(user_information_end) = user_information_end {
        if let Some(colon) = url[authority_start..user_information_end].find(':') {
            ranges.push(authority_start + colon..user_information_end);
        }
    }
    let host_start = user_information_end
        .map(|at| at + 1)
        .unwrap_or(authority_start);
    let host_end = end_of_authority(host_start);
    let Some(question_mark) = url[host_end..].find('?').map(|offset| host_end + offset) else {
        return ranges;
    };
    if url[host_end..question_mark].contains('#') {
        return ranges;
    }
    let query_start = question_mark + 1;
    let query_end = url[query_start..]
        .find('#')
        .map(|offset| query_start + offset)
        .unwrap_or(url.len());
    let mut parameters: Vec<Range<usize>> = Vec::new();
    let mut parameter_start = query_start;
    for (offset, character) in url[query_start..query_end].char_indices() {
        if character == '&' {
            parameters.push(parameter_start..query_start + offset);
            parameter_start = query_start + offset + 1;
        }
    }
    parameters.push(parameter_start..query_end);
    let is_password = |range: &Range<usize>| {
        let parameter = &url[range.clone()];
        parameter.split('=').next() == Some("password")
    };
    let kept_count = parameters
        .iter()
        .filter(|range| !is_password(range))
        .count();
    if kept_count == 0 {
        ranges.push(question_mark..query_end);
        return ranges;
    }
    let first_kept = parameters
        .iter()
        .position(|range| !is_password(range))
        .unwrap_or(0);
    for (index, range) in parameters.iter().enumerate() {
        if !is_password(range) {
            continue;
        }
        // A parameter before the first kept one takes the `&` after it; any other the `&`
        // before it, so that exactly the separators of removed parameters go.
        if index < first_kept {
            ranges.push(range.start..range.end + 1);
        } else {
            ranges.push(range.start - 1..range.end);
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without_password(url: &str) -> String {
        let mut kept = String::new();
        let mut position = 0;
        for range in url_password_ranges(url) {
            kept.push_str(&url[position..range.start]);
            position = range.end;
        }
        kept.push_str(&url[position..]);
        kept
    }

    #[test]
    fn passwords_are_cut_out_of_urls() {
        assert_eq!(
            without_password("postgresql://app:secret@db:5432/app"),
            "postgresql://app@db:5432/app"
        );
        assert_eq!(
            without_password("postgresql://app:se%2Fcret@db/app?schema=s"),
            "postgresql://app@db/app?schema=s"
        );
        assert_eq!(
            without_password("postgresql://app:p@ss@db/app"),
            "postgresql://app@db/app"
        );
        assert_eq!(
            without_password("postgresql://app:12/secret@db/app"),
            "postgresql://app@db/app"
        );
        assert_eq!(
            without_password("postgresql://app:se?cret@db/app"),
            "postgresql://app@db/app"
        );
        assert_eq!(
            without_password("postgresql://app@db/app"),
            "postgresql://app@db/app"
        );
        assert_eq!(
            without_password("postgresql://db/app"),
            "postgresql://db/app"
        );
        assert_eq!(without_password("file:./dev.db"), "file:./dev.db");
    }

    #[test]
    fn password_parameters_are_dropped_with_one_separator() {
        assert_eq!(
            without_password("postgresql://app@db/app?password=x"),
            "postgresql://app@db/app"
        );
        assert_eq!(
            without_password("postgresql://app@db/app?password=x&schema=s"),
            "postgresql://app@db/app?schema=s"
        );
        assert_eq!(
            without_password("postgresql://app@db/app?schema=s&password=x"),
            "postgresql://app@db/app?schema=s"
        );
        assert_eq!(
            without_password(
                "postgresql://app@db/app?password=x&schema=s&password=y&sslmode=disable"
            ),
            "postgresql://app@db/app?schema=s&sslmode=disable"
        );
        assert_eq!(
            without_password("postgresql://app@db/app?passwords=x"),
            "postgresql://app@db/app?passwords=x"
        );
    }

    #[test]
    fn only_datasource_passwords_go_and_everything_else_stays_byte_for_byte() {
        let schema = "// keep: postgresql://a:comment@host\ndatasource db {\n  provider  = \"postgresql\"\n  url       = \"postgresql://app:s3cret@db:5432/app?schema=sales&password=other\"\n  directUrl = \"postgres://admin:hunter2@db/app\"\n}\n\nmodel A {\n  id   Int    @id\n  note String @default(\"postgresql://x:not-a-secret@y\")\n}\n";
        let expected = "// keep: postgresql://a:comment@host\ndatasource db {\n  provider  = \"postgresql\"\n  url       = \"postgresql://app@db:5432/app?schema=sales\"\n  directUrl = \"postgres://admin@db/app\"\n}\n\nmodel A {\n  id   Int    @id\n  note String @default(\"postgresql://x:not-a-secret@y\")\n}\n";
        assert_eq!(schema_text_without_passwords(schema), expected);
        assert_eq!(
            schema_text_without_passwords(expected),
            expected,
            "nothing left to remove"
        );
        let environment =
            "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n";
        assert_eq!(schema_text_without_passwords(environment), environment);
        assert_eq!(
            schema_text_without_passwords("not { a schema"),
            "not { a schema"
        );
    }
}
