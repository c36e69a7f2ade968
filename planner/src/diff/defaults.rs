//! Comparing column defaults. The two sides come from different places (a `@default(...)` and
//! the text a database reports), so equality is semantic: numbers compare by value, and
//! expressions ignore case, white space and outer parentheses.

use crate::database_schema::{ColumnDefault, DefaultValue};

pub fn defaults_are_equal(previous: Option<&ColumnDefault>, next: Option<&ColumnDefault>) -> bool {
    match (previous, next) {
        (None, None) => true,
        (Some(ColumnDefault::Now), Some(ColumnDefault::Now)) => true,
        (Some(ColumnDefault::Value(previous)), Some(ColumnDefault::Value(next))) => values_are_equal(previous, next),
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

fn values_are_equal(previous: &DefaultValue, next: &DefaultValue) -> bool {
    match (previous, next) {
        (DefaultValue::Number(previous), DefaultValue::Number(next)) => numbers_are_equal(previous, next),
        // A number may be reported as a string by a database that keeps defaults as text.
        (DefaultValue::Number(number), DefaultValue::String(text)) | (DefaultValue::String(text), DefaultValue::Number(number)) => {
            numbers_are_equal(number, text)
        }
        (DefaultValue::Boolean(previous), DefaultValue::Boolean(next)) => previous == next,
        (DefaultValue::Boolean(flag), DefaultValue::Number(number)) | (DefaultValue::Number(number), DefaultValue::Boolean(flag)) => {
            numbers_are_equal(number, if *flag { "1" } else { "0" })
        }
        // PostgreSQL prints a timestamp default in its own format and the session's time
        // zone, so two spellings of the same instant are the same default.
        (DefaultValue::String(previous), DefaultValue::String(next)) => {
            previous == next || matches!((timestamp_instant(previous), timestamp_instant(next)), (Some(left), Some(right)) if left == right)
        }
        (DefaultValue::List(previous), DefaultValue::List(next)) => {
            previous.len() == next.len() && previous.iter().zip(next).all(|(left, right)| values_are_equal(left, right))
        }
        _ => false,
    }
}

/// Parses `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.fraction]]` and an
/// offset (`Z`, `+HH`, `+HH:MM`, `-HHMM`), into (seconds since the epoch in UTC, nanoseconds).
/// A time without an offset is taken as UTC. Anything else is not a timestamp.
fn timestamp_instant(text: &str) -> Option<(i64, u32)> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes().all(|byte| byte.is_ascii_digit()).then(|| part.parse().ok())?
    };
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut nanoseconds = 0u32;
    let mut rest = &text[10..];
    if let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) {
        let time_bytes = time.as_bytes();
        if time_bytes.len() < 5 || time_bytes[2] != b':' {
            return None;
        }
        let hours: i64 = time.get(0..2)?.parse().ok()?;
        let minutes: i64 = time.get(3..5)?.parse().ok()?;
        seconds += hours * 3600 + minutes * 60;
        rest = &time[5..];
        if let Some(after) = rest.strip_prefix(':') {
            let whole: i64 = after.get(0..2)?.parse().ok()?;
            seconds += whole;
            rest = &after[2..];
            if let Some(fraction) = rest.strip_prefix('.') {
                let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
                let padded = format!("{digits:0<9}");
                nanoseconds = padded.get(0..9)?.parse().ok()?;
                rest = &fraction[digits.len()..];
            }
        }
        rest = rest.trim_start();
        if rest == "Z" || rest.is_empty() {
            rest = "";
        } else {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let (offset_hours, offset_minutes): (i64, i64) = match digits.len() {
                2 => (digits.parse().ok()?, 0),
                4 => (digits[0..2].parse().ok()?, digits[2..4].parse().ok()?),
                _ => return None,
            };
            seconds -= sign * (offset_hours * 3600 + offset_minutes * 60);
            rest = "";
        }
    }
    rest.is_empty().then_some((seconds, nanoseconds))
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
        DefaultValue::List(items) => format!("[{}]", items.iter().map(literal_text).collect::<Vec<_>>().join(",")),
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
        assert!(defaults_are_equal(Some(&number("1.50")), Some(&number("1.5"))));
        assert!(!defaults_are_equal(Some(&number("1")), Some(&number("2"))));
    }

    #[test]
    fn expressions_ignore_case_space_and_outer_parentheses() {
        let previous = ColumnDefault::Expression("(lower(hex(randomblob(16))))".to_string());
        let next = ColumnDefault::Expression("LOWER( hex(randomblob(16)) )".to_string());
        assert!(defaults_are_equal(Some(&previous), Some(&next)));
        let different = ColumnDefault::Expression("(a) + (b)".to_string());
        assert!(!defaults_are_equal(Some(&different), Some(&ColumnDefault::Expression("a) + (b".to_string()))));
    }

    #[test]
    fn timestamps_compare_by_instant() {
        let written = ColumnDefault::Value(DefaultValue::String("2024-01-01T00:00:00Z".to_string()));
        let reported = ColumnDefault::Value(DefaultValue::String("2024-01-01 01:00:00+01".to_string()));
        let other = ColumnDefault::Value(DefaultValue::String("2024-01-02 00:00:00+00".to_string()));
        assert!(defaults_are_equal(Some(&written), Some(&reported)));
        assert!(!defaults_are_equal(Some(&written), Some(&other)));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn string_literals_keep_case() {
        let previous = ColumnDefault::Value(DefaultValue::String("Hello".to_string()));
        let next = ColumnDefault::Value(DefaultValue::String("hello".to_string()));
        assert!(!defaults_are_equal(Some(&previous), Some(&next)));
    }
}
