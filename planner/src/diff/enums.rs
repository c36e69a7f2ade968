//! Enum types (PostgreSQL only; SQLite stores enums as TEXT and has none).

use crate::collections::{HashMap, HashSet};

use super::{pair_items, Differ};
use crate::database_schema::{ColumnDefault, ColumnTypeKind, DatabaseSchema, DefaultValue, Enum};
use crate::plan::WarningKind;
use crate::plan::{AddedEnumValue, MigrationStep};

/// How enums correspond across the diff, for comparing column types.
pub(crate) struct EnumPairing {
    /// Previous enum type name to next enum type name.
    pub next_enum_name: HashMap<String, String>,
    /// Enums re-created by the rename-create-convert-drop procedure, by next name. Their
    /// `RecreateEnum` step is emitted by the table differ, which knows the columns using them.
    pub recreated: HashMap<String, RecreatedEnum>,
}

/// An enum that `ALTER TYPE ... ADD VALUE` cannot change into its next definition.
pub(crate) struct RecreatedEnum {
    pub definition: Enum,
    /// Why it is re-created, as the end of a sentence (`to remove values`), for the warning
    /// about the tables its conversion rewrites.
    pub reason: String,
}

pub(crate) fn diff_enums(
    differ: &mut Differ,
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
) -> EnumPairing {
    let mut pairing = EnumPairing {
        next_enum_name: HashMap::default(),
        recreated: HashMap::default(),
    };
    let (pairs, previous_only, next_only) = pair_items(
        &previous.enums,
        &next.enums,
        |definition| definition.prisma_name.as_deref(),
        |definition| definition.name.as_str(),
    );

    // Values that next defaults use: adding one of those with ADD VALUE would make the default
    // unusable in the same transaction, so such enums are re-created instead.
    let mut values_used_by_defaults: HashSet<(&str, &str)> = HashSet::default();
    for table in &next.tables {
        for column in &table.columns {
            if let (ColumnTypeKind::Enum(enum_name), Some(ColumnDefault::Value(value))) =
                (&column.column_type.kind, &column.default)
            {
                let mut stack = vec![value];
                while let Some(value) = stack.pop() {
                    match value {
                        DefaultValue::String(text) => {
                            values_used_by_defaults.insert((enum_name.as_str(), text.as_str()));
                        }
                        DefaultValue::List(items) => stack.extend(items),
                        _ => {}
                    }
                }
            }
        }
    }

    for (previous_position, next_position) in pairs {
        let previous_enum = &previous.enums[previous_position];
        let next_enum = &next.enums[next_position];
        pairing
            .next_enum_name
            .insert(previous_enum.name.clone(), next_enum.name.clone());
        if previous_enum.name != next_enum.name {
            differ.steps.push(MigrationStep::RenameEnum {
                previous_name: previous_enum.name.clone(),
                next_name: next_enum.name.clone(),
            });
        }
        let (value_pairs, removed_positions, added_positions) = pair_items(
            &previous_enum.values,
            &next_enum.values,
            |value| value.prisma_name.as_deref(),
            |value| value.name.as_str(),
        );
        for &(previous_value, next_value) in &value_pairs {
            let previous_name = &previous_enum.values[previous_value].name;
            let next_name = &next_enum.values[next_value].name;
            if previous_name != next_name {
                differ.steps.push(MigrationStep::RenameEnumValue {
                    enum_name: next_enum.name.clone(),
                    previous_value: previous_name.clone(),
                    next_value: next_name.clone(),
                });
            }
        }
        // The kept values must stay in the same relative order for ADD VALUE to be enough.
        let mut kept_in_previous_order = value_pairs.clone();
        kept_in_previous_order.sort_by_key(|(previous_value, _)| *previous_value);
        let order_is_kept = kept_in_previous_order
            .windows(2)
            .all(|window| window[0].1 < window[1].1);
        let added_value_used_by_default = added_positions.iter().any(|&position| {
            values_used_by_defaults.contains(&(
                next_enum.name.as_str(),
                next_enum.values[position].name.as_str(),
            ))
        });

        if !removed_positions.is_empty() {
            let removed: Vec<&str> = removed_positions
                .iter()
                .map(|&position| previous_enum.values[position].name.as_str())
                .collect();
            differ.warn(
                WarningKind::DataLoss,
                format!(
                    "Potential data loss: enum values {} of {} are removed from the target schema. Rows that still use them make the migration fail.",
                    removed.join(", "),
                    next_enum.prisma_name.as_deref().unwrap_or(&next_enum.name)
                ),
            );
        }
        let mut reasons = Vec::new();
        if !removed_positions.is_empty() {
            reasons.push("to remove values");
        }
        if !order_is_kept {
            reasons.push("to reorder its values");
        }
        if added_value_used_by_default {
            reasons.push("because a default uses a value added by the same migration, which ADD VALUE would not allow inside the migration's transaction");
        }
        if !reasons.is_empty() {
            pairing.recreated.insert(
                next_enum.name.clone(),
                RecreatedEnum {
                    definition: next_enum.clone(),
                    reason: reasons.join(" and "),
                },
            );
        } else if !added_positions.is_empty() {
            let kept_next_positions: HashSet<usize> = value_pairs
                .iter()
                .map(|(_, next_value)| *next_value)
                .collect();
            let values = added_positions
                .iter()
                .map(|&position| AddedEnumValue {
                    value: next_enum.values[position].name.clone(),
                    before: (position + 1..next_enum.values.len())
                        .find(|later| kept_next_positions.contains(later))
                        .map(|later| next_enum.values[later].name.clone()),
                })
                .collect();
            differ.steps.push(MigrationStep::AddEnumValues {
                enum_name: next_enum.name.clone(),
                values,
            });
        }
    }
    // Dropping a type loses no rows by itself: the columns that used it are dropped or
    // converted by their own steps, which carry their own warnings.
    for position in previous_only {
        differ.steps.push(MigrationStep::DropEnum {
            enum_name: previous.enums[position].name.clone(),
        });
    }
    for position in next_only {
        differ.steps.push(MigrationStep::CreateEnum {
            enum_definition: next.enums[position].clone(),
        });
    }
    pairing
}
