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
fn table_shape(table: &Table) -> String {
    let mut columns: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            format!(
                "{}\u{0}{:?}\u{0}{}",
                column.name, column.column_type, column.nullable
            )
        })
        .collect();
    columns.sort();
    columns.join("\u{1}")
}

/// What must be equal for a removed and an added column to be offered as a rename: the type.
fn column_shape(column: &Column) -> String {
    format!("{:?}", column.column_type)
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
    for (previous_position, next_position) in candidates(
        previous,
        next,
        previous_only,
        next_only,
        &declined,
        table_shape,
    ) {
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
        column_shape,
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
