//! Values bound to a statement's parameters, and rows read by column name.
//!
//! A value that comes from outside the program (a schema snapshot, a migration name, a
//! database's error message) is never spliced into SQL text: it is bound to a parameter (`$1`
//! on PostgreSQL, `?1` on SQLite), so that whatever it holds (quotes, backslashes, `$$`, a
//! megabyte of text) reaches the database exactly.

use planner::introspection::Row;

/// One value for a statement parameter. Each provider converts it to its own type: on
/// PostgreSQL an integer fits itself to the parameter's inferred type (`smallint`, `integer`,
/// `bigint`) and a boolean goes to a `boolean`; on SQLite a boolean is stored as 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlValue<'a> {
    Null,
    Text(&'a str),
    Integer(i64),
    Boolean(bool),
}

impl<'a> SqlValue<'a> {
    /// `Text`, or `Null` for `None`.
    pub fn optional_text(text: Option<&'a str>) -> SqlValue<'a> {
        text.map_or(SqlValue::Null, SqlValue::Text)
    }
}

/// The rows of a query with the names of its columns, every value as text (NULL as `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedRows {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

impl NamedRows {
    pub fn iter(&self) -> impl Iterator<Item = NamedRow<'_>> {
        self.rows.iter().map(|values| NamedRow {
            columns: &self.columns,
            values,
        })
    }

    pub fn first(&self) -> Option<NamedRow<'_>> {
        self.iter().next()
    }
}

/// One row, whose values are found by their column's name.
#[derive(Debug, Clone, Copy)]
pub struct NamedRow<'a> {
    columns: &'a [String],
    values: &'a Row,
}

impl<'a> NamedRow<'a> {
    /// The value of `column`: `None` when it is NULL or when the query has no such column.
    pub fn get(&self, column: &str) -> Option<&'a str> {
        let position = self.columns.iter().position(|name| name == column)?;
        self.values.get(position)?.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_column_name_whatever_the_order() {
        let rows = NamedRows {
            columns: vec!["b".to_string(), "a".to_string()],
            rows: vec![vec![Some("2".to_string()), None]],
        };
        let row = rows.first().unwrap();
        assert_eq!(row.get("b"), Some("2"));
        assert_eq!(row.get("a"), None);
        assert_eq!(row.get("missing"), None);
        assert_eq!(SqlValue::optional_text(None), SqlValue::Null);
        assert_eq!(SqlValue::optional_text(Some("x")), SqlValue::Text("x"));
    }
}
