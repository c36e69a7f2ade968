//! Rename decisions: a model or field that disappears while another of the same shape appears
//! is never guessed to be a rename. A decision (`DiffOptions::renames`) pairs the two, or says
//! they are not a pair; without one the pair is reported as a `RenameCandidate` and the plan
//! drops and creates.
//!
//! Only items that the identity and name pairing left unpaired are considered, through hash
//! maps, so that planning stays linear in the schema (the candidates of one shape are every
//! removed item of that shape with every added one, which is what has to be answered).

use std::collections::{HashMap, HashSet};

use super::{Differ, RenameDecision};
use crate::database_schema::{Column, DatabaseSchema, Table};
use crate::plan::{RenameCandidate, RenameKind};

/// The name a decision and a candidate use for a table: its model name, or its table name
/// when the side has no model names (an introspected schema).
fn table_identity(table: &Table) -> &str {
    table.display_name()
}

fn column_identity(column: &Column) -> &str {
    column.display_name()
}

/// What must be equal for a removed and an added table to be offered as a rename: the
/// columns, by name, type and nullability.
fn table_shape(table: &Table, schema_types: bool) -> String {
    let mut columns: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            format!(
                "{}\u{0}{}\u{0}{}",
                column.name,
                column_shape(column, schema_types),
                column.nullable
            )
        })
        .collect();
    columns.sort();
    columns.join("\u{1}")
}

/// What must be equal for a removed and an added column to be offered as a rename: the
/// database type, and the schema type when both sides come from schema text
/// (`schema_types`), so that a candidate is the same on every provider: on SQLite an enum
/// field and a `String` field are both `TEXT`, on PostgreSQL they are not.
fn column_shape(column: &Column, schema_types: bool) -> String {
    match schema_types {
        true => format!(
            "{:?}\u{0}{}",
            column.column_type,
            column.schema_type.as_deref().unwrap_or_default()
        ),
        false => format!("{:?}", column.column_type),
    }
}

/// Whether a side carries schema types: it has some, and every column with a field name has
/// one (a schema lowered from text, not an introspected one or one serialized before schema
/// types existed). Candidates compare schema types only when both sides carry them;
/// otherwise they compare what both sides know, the database types.
pub(super) fn carries_schema_types(schema: &DatabaseSchema) -> bool {
    let mut columns = schema.tables.iter().flat_map(|table| &table.columns);
    columns.clone().any(|column| column.schema_type.is_some())
        && columns.all(|column| column.field_name.is_none() || column.schema_type.is_some())
}

/// Follows the decisions among the unpaired items: a rename moves the pair from the unpaired
/// lists to `pairs`; a "not a rename" is remembered so that the pair is not offered again.
/// Renames go first, so that a "not a rename" of a pair a rename took is unmatched.
#[allow(clippy::too_many_arguments)]
fn follow_decisions<T>(
    decisions: &[(usize, &RenameDecision)],
    used: &mut [bool],
    previous: &[T],
    next: &[T],
    identity: impl Fn(&T) -> &str,
    pairs: &mut Vec<(usize, usize)>,
    previous_only: &mut Vec<usize>,
    next_only: &mut Vec<usize>,
) -> HashSet<(usize, usize)> {
    let mut declined = HashSet::new();
    if decisions.is_empty() {
        return declined;
    }
    for renamed in [true, false] {
        let previous_by_identity: HashMap<&str, usize> = previous_only
            .iter()
            .map(|&position| (identity(&previous[position]), position))
            .collect();
        let next_by_identity: HashMap<&str, usize> = next_only
            .iter()
            .map(|&position| (identity(&next[position]), position))
            .collect();
        let mut taken_previous = HashSet::new();
        let mut taken_next = HashSet::new();
        for &(index, decision) in decisions.iter().filter(|(_, d)| d.renamed == renamed) {
            let (Some(&previous_position), Some(&next_position)) = (
                previous_by_identity.get(decision.previous.as_str()),
                next_by_identity.get(decision.next.as_str()),
            ) else {
                continue;
            };
            if renamed {
                if taken_previous.contains(&previous_position)
                    || taken_next.contains(&next_position)
                {
                    continue;
                }
                taken_previous.insert(previous_position);
                taken_next.insert(next_position);
                pairs.push((previous_position, next_position));
            } else {
                declined.insert((previous_position, next_position));
            }
            used[index] = true;
        }
        if renamed && !taken_previous.is_empty() {
            previous_only.retain(|position| !taken_previous.contains(position));
            next_only.retain(|position| !taken_next.contains(position));
            pairs.sort_by_key(|(_, next_position)| *next_position);
        }
    }
    declined
}

/// The undecided pairs of one shape, in the order of `next`, then of `previous`.
fn candidates<T>(
    previous: &[T],
    next: &[T],
    previous_only: &[usize],
    next_only: &[usize],
    declined: &HashSet<(usize, usize)>,
    shape: impl Fn(&T) -> String,
) -> Vec<(usize, usize)> {
    if previous_only.is_empty() || next_only.is_empty() {
        return Vec::new();
    }
    let mut previous_by_shape: HashMap<String, Vec<usize>> = HashMap::new();
    for &position in previous_only {
        previous_by_shape
            .entry(shape(&previous[position]))
            .or_default()
            .push(position);
    }
    let mut found = Vec::new();
    for &next_position in next_only {
        if let Some(positions) = previous_by_shape.get(&shape(&next[next_position])) {
            for &previous_position in positions {
                if !declined.contains(&(previous_position, next_position)) {
                    found.push((previous_position, next_position));
                }
            }
        }
    }
    found
}

/// Model decisions and candidates among the tables `pair_items` left unpaired.
pub(super) fn decide_table_renames(
    differ: &mut Differ,
    previous: &[Table],
    next: &[Table],
    pairs: &mut Vec<(usize, usize)>,
    previous_only: &mut Vec<usize>,
    next_only: &mut Vec<usize>,
) {
    let decisions: Vec<(usize, &RenameDecision)> = differ
        .options
        .renames
        .iter()
        .enumerate()
        .filter(|(_, decision)| decision.model.is_none())
        .collect();
    let declined = follow_decisions(
        &decisions,
        &mut differ.rename_decision_used,
        previous,
        next,
        table_identity,
        pairs,
        previous_only,
        next_only,
    );
    follow_model_renames_into_join_tables(
        differ,
        previous,
        next,
        &declined,
        pairs,
        previous_only,
        next_only,
    );
    // A join table that links a table which is itself unpaired is no question of its own: it
    // follows that table's rename once decided, and goes with the table otherwise.
    let unpaired_previous_tables: HashSet<&str> = previous_only
        .iter()
        .map(|&position| previous[position].name.as_str())
        .collect();
    let links_an_unpaired_table = |table: &Table| {
        join_table_sides(table).is_some_and(|(side_a, side_b)| {
            unpaired_previous_tables.contains(side_a) || unpaired_previous_tables.contains(side_b)
        })
    };
    for (previous_position, next_position) in candidates(
        previous,
        next,
        previous_only,
        next_only,
        &declined,
        |table| table_shape(table, differ.rename_shapes_use_schema_types),
    ) {
        if links_an_unpaired_table(&previous[previous_position]) {
            continue;
        }
        differ.rename_candidates.push(RenameCandidate {
            kind: RenameKind::Model,
            model: None,
            previous: table_identity(&previous[previous_position]).to_string(),
            next: table_identity(&next[next_position]).to_string(),
        });
    }
}

/// Field decisions and candidates among the columns of one pair of tables that `pair_items`
/// left unpaired. A field decision names its model by either side's name.
pub(super) fn decide_column_renames(
    differ: &mut Differ,
    previous_table: &Table,
    next_table: &Table,
    pairs: &mut Vec<(usize, usize)>,
    dropped: &mut Vec<usize>,
    added: &mut Vec<usize>,
) {
    let previous_model = table_identity(previous_table);
    let next_model = table_identity(next_table);
    let decisions: Vec<(usize, &RenameDecision)> = differ
        .options
        .renames
        .iter()
        .enumerate()
        .filter(|(_, decision)| {
            decision
                .model
                .as_deref()
                .is_some_and(|model| model == previous_model || model == next_model)
        })
        .collect();
    let declined = follow_decisions(
        &decisions,
        &mut differ.rename_decision_used,
        &previous_table.columns,
        &next_table.columns,
        column_identity,
        pairs,
        dropped,
        added,
    );
    for (previous_position, next_position) in candidates(
        &previous_table.columns,
        &next_table.columns,
        dropped,
        added,
        &declined,
        |column| column_shape(column, differ.rename_shapes_use_schema_types),
    ) {
        differ.rename_candidates.push(RenameCandidate {
            kind: RenameKind::Field,
            model: Some(next_model.to_string()),
            previous: column_identity(&previous_table.columns[previous_position]).to_string(),
            next: column_identity(&next_table.columns[next_position]).to_string(),
        });
    }
}

/// Whether a decision that paired nothing describes a change that is done already: `previous`
/// and `next` both have the decision's new name and not its old one (for a field, in the
/// model named either way). That is the state after the migration the decision made, so a
/// job that passes the same answers on every run is not refused. A name found on neither
/// side (a typo), or a pair written the wrong way round, is still unmatched.
pub(super) fn decision_is_done(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    decision: &RenameDecision,
) -> bool {
    [previous, next]
        .into_iter()
        .all(|schema| side_shows_decision_done(schema, decision))
}

fn side_shows_decision_done(schema: &DatabaseSchema, decision: &RenameDecision) -> bool {
    match &decision.model {
        None => {
            let has = |name: &str| {
                schema
                    .tables
                    .iter()
                    .any(|table| table_identity(table) == name)
            };
            has(&decision.next) && !has(&decision.previous)
        }
        Some(model) => schema
            .tables
            .iter()
            .filter(|table| table_identity(table) == model)
            .any(|table| {
                let has = |name: &str| {
                    table
                        .columns
                        .iter()
                        .any(|column| column_identity(column) == name)
                };
                has(&decision.next) && !has(&decision.previous)
            }),
    }
}

/// The tables an implicit many-to-many join table links, as (the table column `A` references,
/// the table column `B` references), read from its foreign keys; `None` for any other table.
/// A join table has no model, and exactly the columns `A` and `B`.
fn join_table_sides(table: &Table) -> Option<(&str, &str)> {
    if table.model_name.is_some()
        || table.columns.len() != 2
        || table.column("A").is_none()
        || table.column("B").is_none()
    {
        return None;
    }
    let referenced = |column: &str| {
        table
            .foreign_keys
            .iter()
            .find(|foreign_key| foreign_key.columns == [column])
            .map(|foreign_key| foreign_key.referenced_table.as_str())
    };
    Some((referenced("A")?, referenced("B")?))
}

/// Whether a pair of tables is a model rename: its names differ, and either both sides carry
/// model names or a decision made the pair (a side without model names, whose table names
/// differ for another reason, is no evidence of a rename).
fn is_model_rename(differ: &Differ, previous_table: &Table, next_table: &Table) -> bool {
    let (previous_name, next_name) = (table_identity(previous_table), table_identity(next_table));
    previous_name != next_name
        && ((previous_table.model_name.is_some() && next_table.model_name.is_some())
            || differ.options.renames.iter().any(|decision| {
                decision.renamed
                    && decision.model.is_none()
                    && decision.previous == previous_name
                    && decision.next == next_name
            }))
}

/// The join table of an implicit many-to-many relation is named after its models (Prisma's
/// `_PostToTag`, comon_orm's `_comon_orm_m2m__...`), so a decided model rename changes its
/// name too, and a plain diff would drop it and every link row with it. The join table
/// follows the rename instead: a removed and an added join table that link the same tables
/// once the renamed tables are mapped to their next names are paired, as one rename. Its
/// columns are named by the order of the model names (`A` references the first), so when
/// the rename changes that order, `A` and `B` swap (`Differ::swapped_join_tables`); that is
/// also checked for a join table that kept its name (a relation with a `name`). Only a pair
/// that is the single one of its tables on each side is followed; several relations between
/// the same two models stay rename candidates. A pair a decision declined is not followed.
fn follow_model_renames_into_join_tables(
    differ: &mut Differ,
    previous: &[Table],
    next: &[Table],
    declined: &HashSet<(usize, usize)>,
    pairs: &mut Vec<(usize, usize)>,
    previous_only: &mut Vec<usize>,
    next_only: &mut Vec<usize>,
) {
    let renamed_tables: HashSet<&str> = pairs
        .iter()
        .filter(|(previous_position, next_position)| {
            is_model_rename(differ, &previous[*previous_position], &next[*next_position])
        })
        .map(|(previous_position, _)| previous[*previous_position].name.as_str())
        .collect();
    if renamed_tables.is_empty() {
        return;
    }
    let next_table_name: HashMap<&str, &str> = pairs
        .iter()
        .map(|(previous_position, next_position)| {
            (
                previous[*previous_position].name.as_str(),
                next[*next_position].name.as_str(),
            )
        })
        .collect();
    // The sides of a previous join table that links a renamed table, in next names.
    let mapped_sides = |table: &Table| -> Option<(&str, &str)> {
        let (side_a, side_b) = join_table_sides(table)?;
        if !renamed_tables.contains(side_a) && !renamed_tables.contains(side_b) {
            return None;
        }
        Some((*next_table_name.get(side_a)?, *next_table_name.get(side_b)?))
    };
    let unordered = |(side_a, side_b): (&str, &str)| -> (String, String) {
        if side_a <= side_b {
            (side_a.to_string(), side_b.to_string())
        } else {
            (side_b.to_string(), side_a.to_string())
        }
    };
    let mut previous_by_sides: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for &position in previous_only.iter() {
        if let Some(sides) = mapped_sides(&previous[position]) {
            previous_by_sides
                .entry(unordered(sides))
                .or_default()
                .push(position);
        }
    }
    let mut next_by_sides: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for &position in next_only.iter() {
        if let Some(sides) = join_table_sides(&next[position]) {
            next_by_sides
                .entry(unordered(sides))
                .or_default()
                .push(position);
        }
    }
    let mut followed = Vec::new();
    for (sides, previous_positions) in &previous_by_sides {
        if let ([previous_position], Some([next_position])) = (
            previous_positions.as_slice(),
            next_by_sides.get(sides).map(Vec::as_slice),
        ) {
            if !declined.contains(&(*previous_position, *next_position)) {
                followed.push((*previous_position, *next_position));
            }
        }
    }
    if !followed.is_empty() {
        let taken_previous: HashSet<usize> =
            followed.iter().map(|(position, _)| *position).collect();
        let taken_next: HashSet<usize> = followed.iter().map(|(_, position)| *position).collect();
        previous_only.retain(|position| !taken_previous.contains(position));
        next_only.retain(|position| !taken_next.contains(position));
        pairs.extend(followed);
        pairs.sort_by_key(|(_, next_position)| *next_position);
    }
    for (previous_position, next_position) in pairs.iter() {
        let (previous_table, next_table) = (&previous[*previous_position], &next[*next_position]);
        let (Some((mapped_a, mapped_b)), Some((next_a, next_b))) =
            (mapped_sides(previous_table), join_table_sides(next_table))
        else {
            continue;
        };
        if (mapped_a, mapped_b) != (next_a, next_b) && (mapped_a, mapped_b) == (next_b, next_a) {
            differ
                .swapped_join_tables
                .insert(previous_table.name.clone());
        }
    }
}
