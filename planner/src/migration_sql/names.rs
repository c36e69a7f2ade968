//! Identifiers as each database reads them, and the names PostgreSQL gives constraints and
//! indexes declared without one.

use crate::provider::Provider;
use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

/// The name an identifier denotes: PostgreSQL folds unquoted names to lower case; SQLite keeps
/// the spelling (and compares without regard to ASCII case, see `same_name`).
pub(crate) fn identifier(provider: Provider, ident: &Ident) -> String {
    match (provider, ident.quote_style) {
        (Provider::Postgresql, None) => ident.value.to_lowercase(),
        _ => ident.value.clone(),
    }
}

/// The object's own name, without a schema qualifier. `None` for a name computed by a function.
pub(crate) fn object_name(provider: Provider, name: &ObjectName) -> Option<String> {
    match name.0.last()? {
        ObjectNamePart::Identifier(ident) => Some(identifier(provider, ident)),
        ObjectNamePart::Function(_) => None,
    }
}

/// Whether two names denote the same object: exactly on PostgreSQL, without regard to ASCII
/// case on SQLite.
pub(crate) fn same_name(provider: Provider, left: &str, right: &str) -> bool {
    match provider {
        Provider::Postgresql => left == right,
        Provider::Sqlite => left.eq_ignore_ascii_case(right),
    }
}

/// PostgreSQL's longest identifier in bytes (`NAMEDATALEN - 1`).
const POSTGRES_MAX_IDENTIFIER_BYTES: usize = 63;

/// PostgreSQL's `makeObjectName(name1, name2, label)`: `name1_name2_label`, with `name1` and
/// `name2` cut (the longer one first, a byte at a time, on character boundaries) so that the
/// whole fits in 63 bytes.
pub(super) fn postgres_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let available = POSTGRES_MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut first_length = name1.len();
    let mut second_length = name2.map_or(0, str::len);
    while first_length + second_length > available {
        if first_length > second_length {
            first_length -= 1;
        } else {
            second_length -= 1;
        }
    }
    let first = clip_to_boundary(name1, first_length);
    let mut name = first.to_string();
    if let Some(name2) = name2 {
        name.push('_');
        name.push_str(clip_to_boundary(name2, second_length));
    }
    name.push('_');
    name.push_str(label);
    name
}

/// PostgreSQL's `ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`: the
/// column names joined with `_`, stopping once 63 bytes are reached.
pub(super) fn postgres_column_names_addition(columns: &[String]) -> String {
    let mut addition = String::new();
    for column in columns {
        if !addition.is_empty() {
            addition.push('_');
        }
        addition.push_str(column);
        if addition.len() >= POSTGRES_MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    clip_to_boundary(&addition, POSTGRES_MAX_IDENTIFIER_BYTES).to_string()
}

/// The longest prefix of `text` of at most `length` bytes that ends on a character boundary.
fn clip_to_boundary(text: &str, length: usize) -> &str {
    let mut end = length.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_follow_make_object_name() {
        assert_eq!(postgres_object_name("User", None, "pkey"), "User_pkey");
        assert_eq!(
            postgres_object_name("User", Some("email"), "key"),
            "User_email_key"
        );
        let long = "a".repeat(70);
        let name = postgres_object_name(&long, Some("b"), "fkey");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_b_fkey"));
    }

    #[test]
    fn column_additions_join_names() {
        assert_eq!(
            postgres_column_names_addition(&["a".to_string(), "b".to_string()]),
            "a_b"
        );
    }
}
