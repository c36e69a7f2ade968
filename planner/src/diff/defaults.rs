//! Comparing column defaults. The two sides come from different places (a `@default(...)` and
//! the text a database reports), so equality is semantic: numbers compare by value, and
//! expressions ignore case, white space and outer parentheses.
//!
//! Some column types make the database rewrite a literal default in its own spelling, so the
//! comparison depends on the column's type (`ValueKind`): PostgreSQL normalises `jsonb` (key
//! order, spacing, numbers), prints `bytea` in hex, lower-cases `uuid`, prints timestamps in
//! the session's time zone and drops the offset of a `timestamp`, `date` or `time` literal.
//! A `dbgenerated("...")` expression is read the way introspection reads the database's text,
//! so `dbgenerated("'x'::text")` is the string `x` and `dbgenerated("now()")` is `now()`.

use std::borrow::Cow;

use crate::database_schema::{Column, ColumnDefault, ColumnType, ColumnTypeKind, DefaultValue};
use crate::provider::Provider;
pub(crate) use crate::types::ValueKind;

/// Compares the defaults of two columns that are paired by the differ. When a side was
/// introspected (it has no Prisma field name), two expressions count as equal: a database
/// rewrites expression defaults in its own spelling (`NOW() + interval '3 months'` comes back as
/// `(now() + '3 mons'::interval)`), so only the presence of an expression default is compared
/// against a live database, as Prisma does for `dbgenerated()`. Between two schema files the
/// expressions are compared.
pub(crate) fn column_defaults_are_equal(
    previous: &Column,
    next: &Column,
    provider: Provider,
) -> bool {
    let previous_default =
        reinterpreted(previous.default.as_ref(), &previous.column_type, provider);
    let next_default = reinterpreted(next.default.as_ref(), &next.column_type, provider);
    let either_introspected = previous.field_name.is_none() || next.field_name.is_none();
    if either_introspected
        && matches!(
            (previous_default.as_deref(), next_default.as_deref()),
            (
                Some(ColumnDefault::Expression(_)),
                Some(ColumnDefault::Expression(_))
            )
        )
    {
        return true;
    }
    let previous_kind = previous.column_type.value_kind(provider);
    let kind = if previous_kind == next.column_type.value_kind(provider) {
        previous_kind
    } else {
        ValueKind::Other
    };
    defaults_are_equal_as(previous_default.as_deref(), next_default.as_deref(), kind)
}

/// An expression default read as the database would report it: a literal, `now()`, no default
/// at all (SQLite's `NULL`), or still an expression.
fn reinterpreted<'default>(
    default: Option<&'default ColumnDefault>,
    column_type: &ColumnType,
    provider: Provider,
) -> Option<Cow<'default, ColumnDefault>> {
    let default = default?;
    let ColumnDefault::Expression(expression) = default else {
        return Some(Cow::Borrowed(default));
    };
    match provider {
        Provider::Postgresql => {
            let (element_type, is_enum) = match &column_type.kind {
                ColumnTypeKind::Enum(name) => (name.clone(), true),
                native => (native.native_spelling().unwrap_or_default(), false),
            };
            let read = crate::introspection::postgresql::interpret_default(
                expression,
                &element_type,
                is_enum,
                column_type.is_array,
            );
            Some(Cow::Owned(read))
        }
        Provider::Sqlite => {
            let declared_type = match column_type.kind.native_spelling() {
                Some(spelling) => crate::types::sqlite::canonical_type_name(&spelling),
                None => "TEXT".to_string(),
            };
            crate::introspection::sqlite::interpret_default(expression, &declared_type)
                .map(Cow::Owned)
        }
    }
}

/// Compares two defaults without knowing the column type (as `ValueKind::Other`).
pub fn defaults_are_equal(previous: Option<&ColumnDefault>, next: Option<&ColumnDefault>) -> bool {
    defaults_are_equal_as(previous, next, ValueKind::Other)
}

fn defaults_are_equal_as(
    previous: Option<&ColumnDefault>,
    next: Option<&ColumnDefault>,
    kind: ValueKind,
) -> bool {
    match (previous, next) {
        (None, None) => true,
        (Some(ColumnDefault::Now), Some(ColumnDefault::Now)) => true,
        (Some(ColumnDefault::Value(previous)), Some(ColumnDefault::Value(next))) => {
            values_are_equal(previous, next, kind)
        }
        (Some(ColumnDefault::Expression(previous)), Some(ColumnDefault::Expression(next))) => {
            normalized_expression(previous) == normalized_expression(next)
        }
        // An expression a database reports may be a literal we wrote (or the reverse).
        (Some(ColumnDefault::Expression(expression)), Some(ColumnDefault::Value(value)))
        | (Some(ColumnDefault::Value(value)), Some(ColumnDefault::Expression(expression))) => {
            normalized_expression(expression) == normalized_expression(&literal_text(value))
        }
        _ => false,
    }
}

fn values_are_equal(previous: &DefaultValue, next: &DefaultValue, kind: ValueKind) -> bool {
    match (previous, next) {
        (DefaultValue::Number(previous), DefaultValue::Number(next)) => {
            numbers_are_equal_as(previous, next, kind)
        }
        // A number may be reported as a string by a database that keeps defaults as text.
        (DefaultValue::Number(number), DefaultValue::String(text))
        | (DefaultValue::String(text), DefaultValue::Number(number)) => {
            numbers_are_equal_as(number, text, kind)
                || (kind == ValueKind::Json && json_texts_are_equal(number, text))
        }
        (DefaultValue::Boolean(previous), DefaultValue::Boolean(next)) => previous == next,
        (DefaultValue::Boolean(flag), DefaultValue::Number(number))
        | (DefaultValue::Number(number), DefaultValue::Boolean(flag)) => {
            numbers_are_equal(number, if *flag { "1" } else { "0" })
        }
        (DefaultValue::String(previous), DefaultValue::String(next)) => {
            previous == next || strings_are_equal(previous, next, kind)
        }
        (DefaultValue::List(previous), DefaultValue::List(next)) => {
            previous.len() == next.len()
                && previous
                    .iter()
                    .zip(next)
                    .all(|(left, right)| values_are_equal(left, right, kind))
        }
        _ => false,
    }
}

/// Two different texts that hold the same value of the kind.
fn strings_are_equal(previous: &str, next: &str, kind: ValueKind) -> bool {
    match kind {
        ValueKind::Json => json_texts_are_equal(previous, next),
        ValueKind::Bytes => {
            matches!((bytea_input_bytes(previous), bytea_input_bytes(next)), (Some(left), Some(right)) if left == right)
        }
        ValueKind::Uuid => {
            matches!((uuid_digits(previous), uuid_digits(next)), (Some(left), Some(right)) if left == right)
        }
        ValueKind::LocalTimestamp => same_parsed(previous, next, |parts| {
            Some((parts.days?, parts.seconds_of_day?, parts.nanoseconds))
        }),
        ValueKind::Date => same_parsed(previous, next, |parts| parts.days),
        ValueKind::Time => same_parsed(previous, next, |parts| {
            Some((parts.seconds_of_day?, parts.nanoseconds))
        }),
        ValueKind::TimeWithZone => same_parsed(previous, next, |parts| {
            let utc =
                (parts.seconds_of_day? - parts.offset_seconds.unwrap_or(0)).rem_euclid(86_400);
            Some((utc, parts.nanoseconds))
        }),
        ValueKind::Other | ValueKind::ExactNumber => {
            same_parsed(previous, next, DateTimeParts::instant)
        }
    }
}

fn same_parsed<T: PartialEq>(
    previous: &str,
    next: &str,
    key: impl Fn(&DateTimeParts) -> Option<T>,
) -> bool {
    match (
        parse_date_time(previous).as_ref().and_then(&key),
        parse_date_time(next).as_ref().and_then(&key),
    ) {
        (Some(left), Some(right)) => left == right,
        _ => false,
    }
}

/// Whether two texts are the same JSON value: objects whatever their key order (the last of
/// duplicate keys counts, as in `jsonb`), numbers by value, strings after unescaping.
fn json_texts_are_equal(previous: &str, next: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(previous),
        serde_json::from_str::<serde_json::Value>(next),
    ) {
        (Ok(left), Ok(right)) => json_values_are_equal(&left, &right),
        _ => false,
    }
}

fn json_values_are_equal(previous: &serde_json::Value, next: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (previous, next) {
        (Value::Number(left), Value::Number(right)) => {
            match (left.as_i64(), right.as_i64(), left.as_u64(), right.as_u64()) {
                (Some(left), Some(right), _, _) => left == right,
                (_, _, Some(left), Some(right)) => left == right,
                _ => left
                    .as_f64()
                    .zip(right.as_f64())
                    .is_some_and(|(left, right)| left == right),
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(left, right)| json_values_are_equal(left, right))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left.iter().all(|(key, value)| {
                    right
                        .get(key)
                        .is_some_and(|other| json_values_are_equal(value, other))
                })
        }
        (left, right) => left == right,
    }
}

/// The bytes PostgreSQL stores for a `bytea` input text: `\x` and hex digits, or the escape
/// format (`\\` is a backslash, `\` and three octal digits a byte, anything else its UTF-8).
fn bytea_input_bytes(text: &str) -> Option<Vec<u8>> {
    if let Some(hex) = text
        .strip_prefix("\\x")
        .or_else(|| text.strip_prefix("\\X"))
    {
        let digits: Vec<u8> = hex
            .bytes()
            .filter(|byte| !byte.is_ascii_whitespace())
            .collect();
        if !digits.len().is_multiple_of(2) {
            return None;
        }
        return digits
            .chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect();
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        if bytes[position] != b'\\' {
            decoded.push(bytes[position]);
            position += 1;
        } else if bytes.get(position + 1) == Some(&b'\\') {
            decoded.push(b'\\');
            position += 2;
        } else {
            let octal = text.get(position + 1..position + 4)?;
            if !octal.bytes().all(|byte| (b'0'..=b'7').contains(&byte)) {
                return None;
            }
            decoded.push(u8::try_from(u32::from_str_radix(octal, 8).ok()?).ok()?);
            position += 4;
        }
    }
    Some(decoded)
}

/// The 32 hex digits of a UUID in lower case, in any spelling PostgreSQL accepts.
fn uuid_digits(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|character| !matches!(character, '-' | '{' | '}'))
        .collect::<String>()
        .to_ascii_lowercase();
    (digits.len() == 32 && digits.bytes().all(|byte| byte.is_ascii_hexdigit())).then_some(digits)
}

/// The parts of `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][offset]` or `HH:MM[:SS[.fraction]][offset]`,
/// where an offset is `Z`, `+HH`, `+HH:MM` or `-HHMM`, perhaps after a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateTimeParts {
    /// Days since 1970-01-01; `None` for a time of day alone.
    days: Option<i64>,
    /// `None` for a date alone.
    seconds_of_day: Option<i64>,
    nanoseconds: u32,
    offset_seconds: Option<i64>,
}

impl DateTimeParts {
    /// (seconds since the epoch in UTC, nanoseconds); a time without an offset is taken as UTC.
    fn instant(&self) -> Option<(i64, u32)> {
        let days = self.days?;
        Some((
            days * 86_400 + self.seconds_of_day.unwrap_or(0) - self.offset_seconds.unwrap_or(0),
            self.nanoseconds,
        ))
    }
}

fn parse_date_time(text: &str) -> Option<DateTimeParts> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let number = |part: &str| -> Option<i64> {
        part.bytes()
            .all(|byte| byte.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let mut parts = DateTimeParts {
        days: None,
        seconds_of_day: None,
        nanoseconds: 0,
        offset_seconds: None,
    };
    let mut rest = text;
    if bytes.len() >= 10 && bytes[4] == b'-' && bytes[7] == b'-' {
        let (year, month, day) = (
            number(text.get(0..4)?)?,
            number(text.get(5..7)?)?,
            number(text.get(8..10)?)?,
        );
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        parts.days = Some(days_from_civil(year, month, day));
        rest = &text[10..];
        match rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) {
            Some(time) => rest = time,
            None => return rest.is_empty().then_some(parts),
        }
    }
    // HH:MM[:SS[.fraction]]
    let time_bytes = rest.as_bytes();
    if time_bytes.len() < 5 || time_bytes[2] != b':' {
        return None;
    }
    let hours = number(rest.get(0..2)?)?;
    let minutes = number(rest.get(3..5)?)?;
    let mut seconds = hours * 3600 + minutes * 60;
    rest = &rest[5..];
    if let Some(after) = rest.strip_prefix(':') {
        seconds += number(after.get(0..2)?)?;
        rest = &after[2..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
            let padded = format!("{digits:0<9}");
            parts.nanoseconds = padded.get(0..9)?.parse().ok()?;
            rest = &fraction[digits.len()..];
        }
    }
    parts.seconds_of_day = Some(seconds);
    rest = rest.trim_start();
    if rest.is_empty() {
        return Some(parts);
    }
    if rest == "Z" {
        parts.offset_seconds = Some(0);
        return Some(parts);
    }
    let sign = match rest.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let offset_text = &rest[1..];
    if !offset_text
        .bytes()
        .all(|byte| byte.is_ascii_digit() || byte == b':')
    {
        return None;
    }
    let digits: String = offset_text.chars().filter(char::is_ascii_digit).collect();
    let (offset_hours, offset_minutes): (i64, i64) = match digits.len() {
        2 => (digits.parse().ok()?, 0),
        4 => (digits[0..2].parse().ok()?, digits[2..4].parse().ok()?),
        _ => return None,
    };
    parts.offset_seconds = Some(sign * (offset_hours * 3600 + offset_minutes * 60));
    Some(parts)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn numbers_are_equal_as(left: &str, right: &str, kind: ValueKind) -> bool {
    if kind == ValueKind::ExactNumber {
        if let (Some(left), Some(right)) = (exact_decimal(left), exact_decimal(right)) {
            return left == right;
        }
    }
    numbers_are_equal(left, right)
}

/// A decimal number as (negative, significant digits without leading or trailing zeros,
/// exponent of the last digit): `-1.50`, `-15e-1` and `-0.0015e3` are all `(true, "15", -1)`.
fn exact_decimal(text: &str) -> Option<(bool, String, i64)> {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(position) => (
            &unsigned[..position],
            unsigned[position + 1..].parse::<i64>().ok()?,
        ),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (whole.is_empty() && fraction.is_empty())
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|byte| byte.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    let mut exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let trimmed_end = digits.trim_end_matches('0');
    exponent = exponent.checked_add(i64::try_from(digits.len() - trimmed_end.len()).ok()?)?;
    let significant = trimmed_end.trim_start_matches('0');
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, significant.to_string(), exponent))
}

fn numbers_are_equal(left: &str, right: &str) -> bool {
    if left.trim() == right.trim() {
        return true;
    }
    match (left.trim().parse::<f64>(), right.trim().parse::<f64>()) {
        (Ok(left), Ok(right)) => left == right,
        _ => false,
    }
}

fn literal_text(value: &DefaultValue) -> String {
    match value {
        DefaultValue::String(text) => format!("'{}'", text.replace('\'', "''")),
        DefaultValue::Number(number) => number.clone(),
        DefaultValue::Boolean(flag) => flag.to_string(),
        DefaultValue::List(items) => format!(
            "[{}]",
            items.iter().map(literal_text).collect::<Vec<_>>().join(",")
        ),
    }
}

/// Lower case outside string literals, no white space, no redundant outer parentheses.
fn normalized_expression(expression: &str) -> String {
    let mut normalized = String::with_capacity(expression.len());
    let mut inside_string = false;
    for character in expression.chars() {
        if character == '\'' {
            inside_string = !inside_string;
        }
        if inside_string || character == '\'' {
            normalized.push(character);
        } else if !character.is_whitespace() {
            normalized.extend(character.to_lowercase());
        }
    }
    let mut trimmed = normalized.as_str();
    while trimmed.starts_with('(') && trimmed.ends_with(')') && parentheses_wrap_whole(trimmed) {
        trimmed = &trimmed[1..trimmed.len() - 1];
    }
    trimmed.to_string()
}

fn parentheses_wrap_whole(text: &str) -> bool {
    let mut depth = 0i32;
    for (position, character) in text.char_indices() {
        match character {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 && position != text.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> ColumnDefault {
        ColumnDefault::Value(DefaultValue::Number(text.to_string()))
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(defaults_are_equal(
            Some(&number("1.50")),
            Some(&number("1.5"))
        ));
        assert!(!defaults_are_equal(Some(&number("1")), Some(&number("2"))));
    }

    #[test]
    fn expressions_ignore_case_space_and_outer_parentheses() {
        let previous = ColumnDefault::Expression("(lower(hex(randomblob(16))))".to_string());
        let next = ColumnDefault::Expression("LOWER( hex(randomblob(16)) )".to_string());
        assert!(defaults_are_equal(Some(&previous), Some(&next)));
        let different = ColumnDefault::Expression("(a) + (b)".to_string());
        assert!(!defaults_are_equal(
            Some(&different),
            Some(&ColumnDefault::Expression("a) + (b".to_string()))
        ));
    }

    #[test]
    fn timestamps_compare_by_instant() {
        let written =
            ColumnDefault::Value(DefaultValue::String("2024-01-01T00:00:00Z".to_string()));
        let reported =
            ColumnDefault::Value(DefaultValue::String("2024-01-01 01:00:00+01".to_string()));
        let other =
            ColumnDefault::Value(DefaultValue::String("2024-01-02 00:00:00+00".to_string()));
        assert!(defaults_are_equal(Some(&written), Some(&reported)));
        assert!(!defaults_are_equal(Some(&written), Some(&other)));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    fn text(value: &str) -> ColumnDefault {
        ColumnDefault::Value(DefaultValue::String(value.to_string()))
    }

    fn equal_as(kind: ValueKind, previous: &str, next: &str) -> bool {
        defaults_are_equal_as(Some(&text(previous)), Some(&text(next)), kind)
    }

    #[test]
    fn json_compares_as_values() {
        assert!(equal_as(
            ValueKind::Json,
            r#"{"b":1,"a":[1,2.50]}"#,
            r#"{"a": [1, 2.5], "b": 1}"#
        ));
        assert!(equal_as(ValueKind::Json, "1e2", "100"));
        assert!(equal_as(
            ValueKind::Json,
            r#"{"d": 1, "d": 2}"#,
            r#"{"d": 2}"#
        ));
        assert!(equal_as(ValueKind::Json, r#""\u00e9""#, r#""é""#));
        assert!(!equal_as(ValueKind::Json, r#"{"a": 1}"#, r#"{"a": 2}"#));
        assert!(!equal_as(
            ValueKind::Json,
            r#"{"a": 1}"#,
            r#"{"a": 1, "b": 1}"#
        ));
        assert!(!equal_as(ValueKind::Json, "[1, 2]", "[2, 1]"));
        // Outside JSON columns, text is text.
        assert!(!equal_as(
            ValueKind::Other,
            r#"{"b":1,"a":2}"#,
            r#"{"a": 2, "b": 1}"#
        ));
    }

    #[test]
    fn bytes_compare_as_postgresql_reads_them() {
        assert!(equal_as(ValueKind::Bytes, "hello", "\\x68656c6c6f"));
        assert!(equal_as(ValueKind::Bytes, "", "\\x"));
        assert!(equal_as(ValueKind::Bytes, "a\\\\b\\001", "\\x615c6201"));
        assert!(equal_as(ValueKind::Bytes, "\\x0102FF", "\\x0102ff"));
        assert!(!equal_as(ValueKind::Bytes, "hello", "\\x68656c6c"));
    }

    #[test]
    fn dates_and_times_compare_as_their_column_type_stores_them() {
        assert!(equal_as(
            ValueKind::Date,
            "2024-06-01T00:30:00+02:00",
            "2024-06-01"
        ));
        assert!(!equal_as(ValueKind::Date, "2024-06-02", "2024-06-01"));
        assert!(equal_as(
            ValueKind::LocalTimestamp,
            "2024-01-01T10:00:00+05:00",
            "2024-01-01 10:00:00"
        ));
        assert!(!equal_as(
            ValueKind::LocalTimestamp,
            "2024-01-01T10:00:00+05:00",
            "2024-01-01 05:00:00"
        ));
        assert!(equal_as(
            ValueKind::Time,
            "1970-01-01T12:30:00Z",
            "12:30:00"
        ));
        assert!(equal_as(
            ValueKind::Time,
            "1970-01-01T12:30:00.5+02:00",
            "12:30:00.5"
        ));
        assert!(equal_as(
            ValueKind::TimeWithZone,
            "1970-01-01T12:30:00+02:00",
            "10:30:00+00"
        ));
        assert!(!equal_as(
            ValueKind::TimeWithZone,
            "1970-01-01T12:30:00+02:00",
            "12:30:00+00"
        ));
        assert!(equal_as(
            ValueKind::Other,
            "2024-01-01T00:00:00Z",
            "2023-12-31 20:30:00-03:30"
        ));
    }

    #[test]
    fn numeric_columns_compare_exact_decimals() {
        let number = |text: &str| DefaultValue::Number(text.to_string());
        let equal = |left: &str, right: &str| {
            values_are_equal(&number(left), &number(right), ValueKind::ExactNumber)
        };
        assert!(equal("1.50", "1.5"));
        assert!(equal("1e3", "1000"));
        assert!(equal("-0.0015e3", "-1.5"));
        assert!(equal("0", "-0.00"));
        assert!(!equal("0.1", "0.10000000000000000001"));
        assert!(!equal("1.5", "-1.5"));
        // A binary float column cannot hold the difference, so there it is no difference.
        assert!(values_are_equal(
            &number("0.1"),
            &number("0.10000000000000000001"),
            ValueKind::Other
        ));
    }

    #[test]
    fn uuids_ignore_case_and_hyphens() {
        assert!(equal_as(
            ValueKind::Uuid,
            "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
        ));
        assert!(equal_as(
            ValueKind::Uuid,
            "{a0eebc999c0b4ef8bb6d6bb9bd380a11}",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
        ));
        assert!(!equal_as(
            ValueKind::Uuid,
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
        ));
    }

    #[test]
    fn string_literals_keep_case() {
        let previous = ColumnDefault::Value(DefaultValue::String("Hello".to_string()));
        let next = ColumnDefault::Value(DefaultValue::String("hello".to_string()));
        assert!(!defaults_are_equal(Some(&previous), Some(&next)));
    }
}
