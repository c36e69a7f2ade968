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
        (DefaultValue::String(previous), DefaultValue::String(next)) => previous == next,
        (DefaultValue::List(previous), DefaultValue::List(next)) => {
            previous.len() == next.len() && previous.iter().zip(next).all(|(left, right)| values_are_equal(left, right))
        }
        _ => false,
    }
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
    fn string_literals_keep_case() {
        let previous = ColumnDefault::Value(DefaultValue::String("Hello".to_string()));
        let next = ColumnDefault::Value(DefaultValue::String("hello".to_string()));
        assert!(!defaults_are_equal(Some(&previous), Some(&next)));
    }
}
