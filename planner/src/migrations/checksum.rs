//! The migration checksum, computed exactly as comon_orm computes it so that a history table
//! written by comon_orm matches the folders it wrote: the lowercase hex SHA-256 of the compact
//! UTF-8 JSON `{"provider","beforeSchema","afterSchema","migrationSql","warnings","requiresRebuild"}`
//! with the keys in that order.
//!
//! One deliberate difference: CRLF line endings are turned into LF first, so that a Windows
//! checkout (`core.autocrlf`) of the same folder gives the same checksum. Files written with
//! LF endings, which is all comon_orm writes, hash exactly as in comon_orm.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// What the checksum covers. Texts are taken as they are in the artifact files.
#[derive(Debug, Clone, Copy)]
pub struct ChecksumInput<'a> {
    pub provider: &'a str,
    pub before_schema: &'a str,
    pub after_schema: &'a str,
    pub migration_sql: &'a str,
    pub warnings: &'a [String],
    pub requires_rebuild: bool,
}

/// The JSON payload. A struct rather than a map, because a struct serializes its fields in
/// declaration order, which is the order comon_orm's `jsonEncode` of a map literal keeps.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChecksumPayload<'a> {
    provider: &'a str,
    before_schema: Cow<'a, str>,
    after_schema: Cow<'a, str>,
    migration_sql: Cow<'a, str>,
    warnings: Vec<Cow<'a, str>>,
    requires_rebuild: bool,
}

/// `\r\n` becomes `\n`; text without CRLF is returned as it is.
pub fn normalize_line_endings(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

fn checksum_payload_json(input: &ChecksumInput<'_>) -> String {
    let payload = ChecksumPayload {
        provider: input.provider,
        before_schema: normalize_line_endings(input.before_schema),
        after_schema: normalize_line_endings(input.after_schema),
        migration_sql: normalize_line_endings(input.migration_sql),
        warnings: input
            .warnings
            .iter()
            .map(|warning| normalize_line_endings(warning))
            .collect(),
        requires_rebuild: input.requires_rebuild,
    };
    // Serializing strings, booleans and a list of strings cannot fail; the fallback keeps the
    // function total without a panic.
    serde_json::to_string(&payload).unwrap_or_default()
}

/// The lowercase hex SHA-256 of the checksum payload.
pub fn migration_checksum(input: &ChecksumInput<'_>) -> String {
    let digest = Sha256::digest(checksum_payload_json(input).as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(migration_sql: &str) -> ChecksumInput<'_> {
        ChecksumInput {
            provider: "sqlite",
            before_schema: "",
            after_schema: "model A {\n  id Int @id\n}\n",
            migration_sql,
            warnings: &[],
            requires_rebuild: false,
        }
    }

    #[test]
    fn the_payload_has_comon_orm_key_order_and_escaping() {
        let warnings = vec!["Potential \"data\" loss".to_string()];
        let input = ChecksumInput {
            provider: "postgresql",
            before_schema: "a\tb",
            after_schema: "é",
            migration_sql: "CREATE TABLE \"x\" (y TEXT);\n",
            warnings: &warnings,
            requires_rebuild: true,
        };
        assert_eq!(
            checksum_payload_json(&input),
            r#"{"provider":"postgresql","beforeSchema":"a\tb","afterSchema":"é","migrationSql":"CREATE TABLE \"x\" (y TEXT);\n","warnings":["Potential \"data\" loss"],"requiresRebuild":true}"#
        );
    }

    #[test]
    fn the_checksum_is_the_sha256_of_the_payload() {
        // sha256 of `{"provider":"sqlite","beforeSchema":"","afterSchema":"","migrationSql":"","warnings":[],"requiresRebuild":false}`,
        // computed independently with `sha256sum`.
        let input = ChecksumInput {
            provider: "sqlite",
            before_schema: "",
            after_schema: "",
            migration_sql: "",
            warnings: &[],
            requires_rebuild: false,
        };
        assert_eq!(
            migration_checksum(&input),
            "61d5c3769b445530ff943c2501970490b4e51373b81e39e7473de618e2a13910"
        );
    }

    #[test]
    fn crlf_does_not_change_the_checksum() {
        assert_eq!(
            migration_checksum(&sample("CREATE TABLE a (id INTEGER);\r\nSELECT 1;\r\n")),
            migration_checksum(&sample("CREATE TABLE a (id INTEGER);\nSELECT 1;\n"))
        );
        assert_ne!(
            migration_checksum(&sample("SELECT 1;\n")),
            migration_checksum(&sample("SELECT 2;\n"))
        );
    }
}
