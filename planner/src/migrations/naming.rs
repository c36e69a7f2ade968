//! Migration folder names and the `generated_at` text, from a UTC time the runner reads: the
//! planner never reads a clock.

use crate::error::SchemaError;
use serde::{Deserialize, Serialize};

/// A UTC date and time, as the runner read it from its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UtcTimestamp {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// 0 to 999999.
    pub microsecond: u32,
}

/// The name part of a migration folder: runs of characters other than ASCII letters, digits,
/// `_` and `-` become one `_`, and `_` at either end is dropped, so that any name makes a
/// portable folder name. `None` when nothing is left.
pub fn sanitize_migration_name(name: &str) -> Option<String> {
    let mut sanitized = String::with_capacity(name.len());
    for character in name.trim().chars() {
        if character.is_ascii_alphanumeric() || character == '_' || character == '-' {
            sanitized.push(character);
        } else if !sanitized.ends_with('_') {
            sanitized.push('_');
        }
    }
    let sanitized = sanitized.trim_matches('_');
    (!sanitized.is_empty()).then(|| sanitized.to_string())
}

/// `<yyyymmddHHMMSS>_<name>`, such as `20240102030405_add_posts`.
pub fn migration_folder_name(at: &UtcTimestamp, name: &str) -> Result<String, SchemaError> {
    let sanitized = sanitize_migration_name(name).ok_or_else(|| {
        SchemaError::new(
            "invalid-migration-name",
            format!("The migration name `{name}` has no letter or digit. Pass a name such as --name add_posts."),
            None,
        )
    })?;
    Ok(format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}_{sanitized}",
        at.year, at.month, at.day, at.hour, at.minute, at.second
    ))
}

/// The `generated_at` value of `metadata.txt`, in the ISO 8601 form comon_orm writes (Dart's
/// `toIso8601String` of a UTC time): milliseconds always, microseconds only when not zero.
pub fn generated_at_text(at: &UtcTimestamp) -> String {
    let milliseconds = at.microsecond / 1000;
    let fraction = if at.microsecond.is_multiple_of(1000) {
        format!("{milliseconds:03}")
    } else {
        format!("{:06}", at.microsecond)
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{fraction}Z",
        at.year, at.month, at.day, at.hour, at.minute, at.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: UtcTimestamp = UtcTimestamp {
        year: 2024,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
        microsecond: 120000,
    };

    #[test]
    fn folder_names_start_with_the_utc_time() {
        assert_eq!(
            migration_folder_name(&AT, "add_posts").unwrap(),
            "20240102030405_add_posts"
        );
        assert_eq!(
            migration_folder_name(&AT, " add posts!").unwrap(),
            "20240102030405_add_posts"
        );
        assert_eq!(
            migration_folder_name(&AT, "!!").unwrap_err().code,
            "invalid-migration-name"
        );
    }

    #[test]
    fn generated_at_follows_dart_iso_8601() {
        assert_eq!(generated_at_text(&AT), "2024-01-02T03:04:05.120Z");
        let precise = UtcTimestamp {
            microsecond: 120456,
            ..AT
        };
        assert_eq!(generated_at_text(&precise), "2024-01-02T03:04:05.120456Z");
    }
}
