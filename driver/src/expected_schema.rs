//! The schema the history says the database has, and which migrations touch the same objects.
//!
//! Every history row carries the snapshots before and after it. In a linear history each row
//! starts where the previous one ended, so the latest row's `after_schema` describes the whole
//! database. A rollback of an older migration (or a migration applied again after it) does not
//! start there: its change is laid over the current state instead, object by object (a table
//! or an enum is one object), which is exact because a migration may only be rolled back alone
//! when no later migration touches or refers to the objects it changed.

use crate::command_error::CommandError;
use planner::database_schema::to_prisma::render_prisma_schema;
use planner::database_schema::{ColumnTypeKind, DatabaseSchema};
use planner::migrations::history::sort_in_replay_order;
use planner::migrations::{database_schema_from_snapshot, HistoryKind, HistoryRow, HistoryState};
use planner::Provider;
use std::collections::BTreeSet;

/// One object of a schema, as far as migrations are told apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SchemaObject {
    Table(String),
    Enum(String),
}

impl std::fmt::Display for SchemaObject {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaObject::Table(name) => write!(formatter, "table {name}"),
            SchemaObject::Enum(name) => write!(formatter, "enum {name}"),
        }
    }
}

/// Reads a snapshot into a schema in its normal order, so that two snapshots of the same
/// database compare equal.
pub fn parse_snapshot(
    provider: Provider,
    what: &str,
    text: &str,
) -> Result<DatabaseSchema, CommandError> {
    let mut schema = database_schema_from_snapshot(provider, text).map_err(|errors| {
        CommandError::refused(
            "invalid-snapshot",
            format!("{what} cannot be read:\n{errors}"),
        )
    })?;
    schema.normalize_order();
    Ok(schema)
}

/// The tables and enums that differ between `previous` and `next` (added, removed or changed).
pub fn touched_objects(previous: &DatabaseSchema, next: &DatabaseSchema) -> BTreeSet<SchemaObject> {
    let mut touched = BTreeSet::new();
    for (one, other) in [(previous, next), (next, previous)] {
        for table in &one.tables {
            if other.table(&table.name) != Some(table) {
                touched.insert(SchemaObject::Table(table.name.clone()));
            }
        }
        for enum_definition in &one.enums {
            if other
                .enums
                .iter()
                .find(|candidate| candidate.name == enum_definition.name)
                != Some(enum_definition)
            {
                touched.insert(SchemaObject::Enum(enum_definition.name.clone()));
            }
        }
    }
    touched
}

/// What `object` refers to in `schema`: the tables its foreign keys point to, the enums its
/// columns use.
fn references(schema: &DatabaseSchema, object: &SchemaObject) -> BTreeSet<SchemaObject> {
    let mut referenced = BTreeSet::new();
    if let SchemaObject::Table(name) = object {
        if let Some(table) = schema.table(name) {
            for foreign_key in &table.foreign_keys {
                referenced.insert(SchemaObject::Table(foreign_key.referenced_table.clone()));
            }
            for column in &table.columns {
                if let ColumnTypeKind::Enum(enum_name) = &column.column_type.kind {
                    referenced.insert(SchemaObject::Enum(enum_name.clone()));
                }
            }
        }
    }
    referenced
}

/// Whether the change `later` (its schemas before and after) touches, or refers to, an object
/// that the change `earlier` changed, or the other way round: then `earlier` cannot be undone
/// on its own.
pub fn changes_overlap(
    earlier: (&DatabaseSchema, &DatabaseSchema),
    later: (&DatabaseSchema, &DatabaseSchema),
) -> bool {
    let earlier_objects = touched_objects(earlier.0, earlier.1);
    let later_objects = touched_objects(later.0, later.1);
    if !earlier_objects.is_disjoint(&later_objects) {
        return true;
    }
    let refers = |objects: &BTreeSet<SchemaObject>,
                  schemas: [&DatabaseSchema; 2],
                  others: &BTreeSet<SchemaObject>| {
        objects.iter().any(|object| {
            schemas
                .iter()
                .any(|schema| !references(schema, object).is_disjoint(others))
        })
    };
    refers(&earlier_objects, [earlier.0, earlier.1], &later_objects)
        || refers(&later_objects, [later.0, later.1], &earlier_objects)
}

/// `current` with the change from `previous` to `next` made to the objects they differ in.
pub fn apply_change(
    current: &DatabaseSchema,
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
) -> DatabaseSchema {
    let touched = touched_objects(previous, next);
    let mut result = current.clone();
    result
        .tables
        .retain(|table| !touched.contains(&SchemaObject::Table(table.name.clone())));
    result.enums.retain(|enum_definition| {
        !touched.contains(&SchemaObject::Enum(enum_definition.name.clone()))
    });
    result.tables.extend(
        next.tables
            .iter()
            .filter(|table| touched.contains(&SchemaObject::Table(table.name.clone())))
            .cloned(),
    );
    result.enums.extend(
        next.enums
            .iter()
            .filter(|enum_definition| {
                touched.contains(&SchemaObject::Enum(enum_definition.name.clone()))
            })
            .cloned(),
    );
    result.normalize_order();
    result
}

/// The database as the history describes it.
#[derive(Debug, Clone)]
pub struct HistorySchema {
    /// The latest active migration, or when none is active the rollback that left none.
    pub latest_name: String,
    /// The description as snapshot text: the latest row's own snapshot when the history is
    /// linear, else the combined schema written out.
    pub text: String,
    pub schema: DatabaseSchema,
}

enum Described {
    Unknown,
    /// Exactly this snapshot text.
    Text(String),
    Combined(DatabaseSchema),
}

/// What the finished rows of the history, replayed in order, say the database holds; `None`
/// when there are no such rows, or the latest ones have no snapshots (old comon_orm rows).
pub fn schema_described_by_history(
    provider: Provider,
    rows: &[HistoryRow],
) -> Result<Option<HistorySchema>, CommandError> {
    let mut ordered = rows.to_vec();
    sort_in_replay_order(&mut ordered);
    // Active migrations in the order of their latest apply, as the replay lists them.
    let mut active: Vec<String> = Vec::new();
    let mut described = Described::Unknown;
    let mut latest_name = None;
    for row in &ordered {
        match (row.kind, row.state) {
            (HistoryKind::Apply, HistoryState::Finished) => {
                active.retain(|name| *name != row.name);
                active.push(row.name.clone());
            }
            (HistoryKind::Rollback, HistoryState::Finished) => {
                // A rollback of a migration that was not active changed nothing.
                let Some(position) = active
                    .iter()
                    .position(|name| Some(name) == row.target_name.as_ref())
                else {
                    continue;
                };
                active.remove(position);
            }
            _ => continue,
        }
        latest_name = Some(active.last().cloned().unwrap_or_else(|| row.name.clone()));
        let what = |file: &str| format!("The {file} recorded for {}", row.name);
        described = match (
            row.before_schema.as_deref(),
            row.after_schema.as_deref(),
            described,
        ) {
            (_, None, _) => Described::Unknown,
            (None, Some(after), _) | (Some(_), Some(after), Described::Unknown) => {
                Described::Text(after.to_string())
            }
            (Some(before), Some(after), Described::Text(text)) if text == before => {
                Described::Text(after.to_string())
            }
            (Some(before), Some(after), Described::Text(text)) => {
                let current = parse_snapshot(provider, &what("state before"), &text)?;
                let previous = parse_snapshot(provider, &what("before_schema"), before)?;
                let next = parse_snapshot(provider, &what("after_schema"), after)?;
                Described::Combined(apply_change(&current, &previous, &next))
            }
            (Some(before), Some(after), Described::Combined(current)) => {
                let previous = parse_snapshot(provider, &what("before_schema"), before)?;
                if previous == current {
                    Described::Text(after.to_string())
                } else {
                    let next = parse_snapshot(provider, &what("after_schema"), after)?;
                    Described::Combined(apply_change(&current, &previous, &next))
                }
            }
        };
    }
    let Some(latest_name) = latest_name else {
        return Ok(None);
    };
    Ok(match described {
        Described::Unknown => None,
        Described::Text(text) => {
            let schema = parse_snapshot(
                provider,
                &format!("The after_schema recorded for {latest_name}"),
                &text,
            )?;
            Some(HistorySchema {
                latest_name,
                text,
                schema,
            })
        }
        Described::Combined(schema) => Some(HistorySchema {
            latest_name,
            text: render_prisma_schema(&schema),
            schema,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(models: &str) -> DatabaseSchema {
        parse_snapshot(
            Provider::Sqlite,
            "test",
            &format!("datasource db {{\n  provider = \"sqlite\"\n}}\n{models}"),
        )
        .unwrap()
    }

    const USER: &str = "model User {\n  id Int @id\n}\n";
    const POST: &str = "model Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n";
    const TAG: &str = "model Tag {\n  id Int @id\n}\n";

    fn with_relation(models: &str) -> String {
        models.replace(
            "model User {\n  id Int @id\n}",
            "model User {\n  id Int @id\n  posts Post[]\n}",
        )
    }

    #[test]
    fn an_older_change_is_undone_over_a_later_independent_one() {
        let init = schema(USER);
        let posts = schema(&with_relation(&format!("{USER}{POST}")));
        let tags = schema(&with_relation(&format!("{USER}{POST}{TAG}")));
        assert_eq!(
            touched_objects(&init, &posts)
                .into_iter()
                .collect::<Vec<_>>(),
            vec![SchemaObject::Table("Post".to_string())]
        );
        assert!(!changes_overlap((&init, &posts), (&posts, &tags)));
        assert_eq!(
            apply_change(&tags, &posts, &init),
            schema(&format!("{USER}{TAG}"))
        );
    }

    #[test]
    fn a_later_change_that_refers_to_an_earlier_one_overlaps() {
        let init = schema(USER);
        let posts = schema(&with_relation(&format!("{USER}{POST}")));
        let comment = "model Comment {\n  id Int @id\n  postId Int\n  post Post @relation(fields: [postId], references: [id])\n}\n";
        let comments = schema(
            &with_relation(&format!("{USER}{POST}{comment}"))
                .replace("  author User", "  comments Comment[]\n  author User"),
        );
        assert!(changes_overlap((&init, &posts), (&posts, &comments)));
    }
}
