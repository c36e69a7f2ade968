//! Tables, columns, keys and indexes.

use crate::collections::{HashMap, HashSet};

use super::defaults::column_defaults_are_equal;
use super::enums::EnumPairing;
use super::{online, pair_items, renames, Differ, TablePairing};
use crate::database_schema::naming::{self, fit_identifier};
use crate::database_schema::{
    Column, ColumnType, ColumnTypeKind, DatabaseSchema, ForeignKey, Index, IndexColumn, Table,
};
use crate::plan::{
    ColumnChanges, EnumUsage, MigrationStep, TableChange, TableRebuild, WarningKind,
};
use crate::provider::Provider;
use crate::types::{postgresql, sqlite, TypeChangeRisk};

/// What changes inside one pair of tables, worked out before any step is emitted.
struct TableComparison<'schemas> {
    previous: &'schemas Table,
    next: &'schemas Table,
    column_pairs: Vec<(&'schemas Column, &'schemas Column, ColumnChanges)>,
    dropped_columns: Vec<&'schemas Column>,
    added_columns: Vec<&'schemas Column>,
    primary_key_columns_change: bool,
}

pub(crate) fn diff_tables(
    differ: &mut Differ,
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    enum_pairing: &EnumPairing,
) {
    let provider = differ.provider;
    let (mut pairs, mut previous_only, mut next_only) = pair_items(
        &previous.tables,
        &next.tables,
        |table| table.model_name.as_deref(),
        |table| table.name.as_str(),
    );
    renames::decide_table_renames(
        differ,
        &previous.tables,
        &next.tables,
        &mut pairs,
        &mut previous_only,
        &mut next_only,
    );

    let mut pairing = TablePairing {
        pairs: Vec::with_capacity(pairs.len()),
        next_table_name: HashMap::default(),
        next_column_name: HashMap::default(),
        tables_with_changed_primary_key: HashSet::default(),
        columns_with_changed_type: HashSet::default(),
    };
    let mut comparisons = Vec::with_capacity(pairs.len());
    for (previous_position, next_position) in pairs {
        let previous_table = &previous.tables[previous_position];
        let next_table = &next.tables[next_position];
        pairing.pairs.push((previous_table, next_table));
        pairing
            .next_table_name
            .insert(previous_table.name.as_str(), next_table.name.as_str());
        let comparison = compare_table(differ, previous_table, next_table, enum_pairing);
        let column_map: HashMap<&str, &str> = comparison
            .column_pairs
            .iter()
            .map(|(previous_column, next_column, _)| {
                (previous_column.name.as_str(), next_column.name.as_str())
            })
            .collect();
        pairing
            .next_column_name
            .insert(previous_table.name.as_str(), column_map);
        comparisons.push(comparison);
    }
    for comparison in &mut comparisons {
        let mapped_previous_key = comparison
            .previous
            .primary_key
            .as_ref()
            .map(|key| map_columns(&pairing, &comparison.previous.name, &key.columns));
        let next_key = comparison
            .next
            .primary_key
            .as_ref()
            .map(|key| key.columns.clone());
        comparison.primary_key_columns_change = mapped_previous_key != next_key;
        if comparison.primary_key_columns_change {
            pairing
                .tables_with_changed_primary_key
                .insert(comparison.next.name.as_str());
        }
        for (_, next_column, changes) in &comparison.column_pairs {
            if changes.column_type {
                pairing
                    .columns_with_changed_type
                    .insert((comparison.next.name.as_str(), next_column.name.as_str()));
            }
        }
    }

    for comparison in &comparisons {
        match provider {
            Provider::Postgresql => {
                emit_postgres_table_changes(differ, comparison, &pairing, enum_pairing)
            }
            Provider::Sqlite => emit_sqlite_table_changes(differ, comparison, &pairing),
        }
    }

    for position in previous_only {
        let table = &previous.tables[position];
        if provider == Provider::Postgresql {
            // Dropping the constraints first lets the tables go in any order.
            for foreign_key in &table.foreign_keys {
                if let Some(name) = &foreign_key.name {
                    differ.steps.push(MigrationStep::DropForeignKey {
                        table: table.name.clone(),
                        foreign_key_name: name.clone(),
                    });
                }
            }
        }
        if differ.may_have_rows(&table.name) {
            differ.warn(
                WarningKind::DataLoss,
                match &table.model_name {
                    None if table.name.starts_with("_comon_orm_m2m__") => {
                        format!("Potential data loss: the many-to-many relation table {} is removed from the target schema.", table.name)
                    }
                    _ => format!("Potential data loss: model {} is removed from the target schema.", table.display_name()),
                },
            );
        }
        differ.steps.push(MigrationStep::DropTable {
            table: table.name.clone(),
        });
    }

    for position in next_only {
        let table = &next.tables[position];
        differ.steps.push(MigrationStep::CreateTable {
            table: table.clone(),
        });
        // On SQLite a table's own unique constraints are part of `CREATE TABLE`.
        for index in table
            .indexes
            .iter()
            .filter(|index| provider != Provider::Sqlite || !index.is_sqlite_table_constraint())
        {
            differ.steps.push(MigrationStep::CreateIndex {
                table: table.name.clone(),
                index: index.clone(),
            });
        }
        if provider == Provider::Postgresql {
            for foreign_key in &table.foreign_keys {
                differ.steps.push(MigrationStep::AddForeignKey {
                    table: table.name.clone(),
                    foreign_key: foreign_key.clone(),
                });
            }
        }
    }

    emit_recreated_enums(differ, &comparisons, enum_pairing);
    add_foreign_keys_after_their_index_builds(differ);
}

/// PostgreSQL accepts a foreign key only when its referenced columns have a unique index
/// (of those columns, in any order). When that index is new on a table that exists, online
/// DDL builds it `CONCURRENTLY` after the commit, so the foreign keys that reference it,
/// whether on new or existing tables, cannot be added inside the transaction: they become
/// `AddForeignKeyAfterIndexBuild` steps (with their validation), which run after the build.
fn add_foreign_keys_after_their_index_builds(differ: &mut Differ) {
    let sorted = |columns: &mut dyn Iterator<Item = &String>| {
        let mut columns: Vec<String> = columns.cloned().collect();
        columns.sort();
        columns
    };
    let keys_built_concurrently: HashSet<(String, Vec<String>)> = differ
        .steps
        .iter()
        .filter_map(|step| match step {
            MigrationStep::CreateIndexConcurrently { table, index } if index.unique => Some((
                table.clone(),
                sorted(&mut index.columns.iter().map(|column| &column.name)),
            )),
            _ => None,
        })
        .collect();
    if keys_built_concurrently.is_empty() {
        return;
    }
    let mut moved_constraints: HashSet<(String, String)> = HashSet::default();
    for step in &mut differ.steps {
        let (MigrationStep::AddForeignKey { table, foreign_key }
        | MigrationStep::AddForeignKeyNotValid { table, foreign_key }) = step
        else {
            continue;
        };
        let referenced = (
            foreign_key.referenced_table.clone(),
            sorted(&mut foreign_key.referenced_columns.iter()),
        );
        if !keys_built_concurrently.contains(&referenced) {
            continue;
        }
        let constraint_name = foreign_key.name.clone().unwrap_or_else(|| {
            let columns: Vec<&str> = foreign_key.columns.iter().map(String::as_str).collect();
            naming::foreign_key_name(table, &columns, Provider::Postgresql)
        });
        moved_constraints.insert((table.clone(), constraint_name.clone()));
        *step = MigrationStep::AddForeignKeyAfterIndexBuild {
            table: table.clone(),
            foreign_key: foreign_key.clone(),
            constraint_name,
        };
    }
    // The moved step validates the key itself, after adding it.
    differ.steps.retain(|step| match step {
        MigrationStep::ValidateConstraint {
            table,
            constraint_name,
        } => !moved_constraints.contains(&(table.clone(), constraint_name.clone())),
        _ => true,
    });
}

fn compare_table<'schemas>(
    differ: &mut Differ,
    previous: &'schemas Table,
    next: &'schemas Table,
    enum_pairing: &EnumPairing,
) -> TableComparison<'schemas> {
    let provider = differ.provider;
    let (mut pairs, mut dropped, mut added) =
        match differ.swapped_join_tables.contains(&previous.name) {
            true => swapped_join_columns(previous, next),
            false => pair_items(
                &previous.columns,
                &next.columns,
                |column| column.field_name.as_deref(),
                |column| column.name.as_str(),
            ),
        };
    renames::decide_column_renames(differ, previous, next, &mut pairs, &mut dropped, &mut added);
    let column_pairs: Vec<(&Column, &Column, ColumnChanges)> = pairs
        .into_iter()
        .map(|(previous_position, next_position)| {
            let previous_column = &previous.columns[previous_position];
            let next_column = &next.columns[next_position];
            let enum_is_recreated = matches!(&next_column.column_type.kind, ColumnTypeKind::Enum(name) if enum_pairing.recreated.contains_key(name));
            let changes = ColumnChanges {
                column_type: !column_types_are_equal(&previous_column.column_type, &next_column.column_type, provider, enum_pairing),
                nullability: previous_column.nullable != next_column.nullable,
                // A re-created enum's columns get their next default from the RecreateEnum step.
                default: !enum_is_recreated && !column_defaults_are_equal(previous_column, next_column, provider),
                auto_increment: previous_column.auto_increment != next_column.auto_increment,
            };
            (previous_column, next_column, changes)
        })
        .collect();
    let mut comparison = TableComparison {
        previous,
        next,
        column_pairs: Vec::new(),
        dropped_columns: dropped
            .into_iter()
            .map(|position| &previous.columns[position])
            .collect(),
        added_columns: added
            .into_iter()
            .map(|position| &next.columns[position])
            .collect(),
        primary_key_columns_change: false,
    };
    for (previous_column, next_column, changes) in column_pairs {
        // PostgreSQL has no cast between some types (timestamp to boolean, uuid to integer):
        // such a column is dropped and added again, and the data-loss warning says so.
        if provider == Provider::Postgresql
            && changes.column_type
            && postgresql::type_cast(&previous_column.column_type, &next_column.column_type)
                .is_none()
        {
            comparison.dropped_columns.push(previous_column);
            comparison.added_columns.push(next_column);
        } else {
            comparison
                .column_pairs
                .push((previous_column, next_column, changes));
        }
    }
    comparison
}

/// Orders renames of one table's constraints so that no rename meets a name still in use: a
/// rename whose target is another renamed constraint's current name (the foreign keys of a
/// join table whose columns `A` and `B` swap) first moves to a temporary name.
fn renames_through_temporary_names(renames: Vec<(String, String)>) -> Vec<(String, String)> {
    let renamed_away: HashSet<String> = renames
        .iter()
        .map(|(previous_name, _)| previous_name.clone())
        .collect();
    let mut ordered = Vec::with_capacity(renames.len());
    let mut through_temporary = Vec::new();
    for (previous_name, next_name) in &renames {
        if renamed_away.contains(next_name) {
            let temporary = format!("_comon_rename_{}", through_temporary.len());
            ordered.push((previous_name.clone(), temporary.clone()));
            through_temporary.push((temporary, next_name.clone()));
        }
    }
    ordered.extend(
        renames
            .into_iter()
            .filter(|(_, next_name)| !renamed_away.contains(next_name)),
    );
    ordered.extend(through_temporary);
    ordered
}

/// The column pairs of a join table whose `A` and `B` swap: the previous `A` holds the ids
/// the next `B` references, and the other way round.
fn swapped_join_columns(
    previous: &Table,
    next: &Table,
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let position =
        |table: &Table, name: &str| table.columns.iter().position(|column| column.name == name);
    match (
        position(previous, "A"),
        position(previous, "B"),
        position(next, "A"),
        position(next, "B"),
    ) {
        (Some(previous_a), Some(previous_b), Some(next_a), Some(next_b)) => {
            let mut pairs = vec![(previous_a, next_b), (previous_b, next_a)];
            pairs.sort_by_key(|(_, next_position)| *next_position);
            (pairs, Vec::new(), Vec::new())
        }
        // `join_table_sides` found both columns on both sides; this is never reached.
        _ => pair_items(
            &previous.columns,
            &next.columns,
            |column| column.field_name.as_deref(),
            |column| column.name.as_str(),
        ),
    }
}

fn column_types_are_equal(
    previous: &ColumnType,
    next: &ColumnType,
    provider: Provider,
    enum_pairing: &EnumPairing,
) -> bool {
    if previous.is_array != next.is_array {
        return false;
    }
    match (&previous.kind, &next.kind) {
        (ColumnTypeKind::Enum(previous_name), ColumnTypeKind::Enum(next_name)) => enum_pairing
            .next_enum_name
            .get(previous_name)
            .map_or(previous_name == next_name, |mapped| mapped == next_name),
        (ColumnTypeKind::Enum(_), _) | (_, ColumnTypeKind::Enum(_)) => false,
        (previous_kind, next_kind) => match provider {
            Provider::Postgresql => previous_kind == next_kind,
            Provider::Sqlite => sqlite::declared_types_are_equal(previous, next),
        },
    }
}

fn map_columns(pairing: &TablePairing, previous_table: &str, columns: &[String]) -> Vec<String> {
    let map = pairing.next_column_name.get(previous_table);
    columns
        .iter()
        .map(|column| {
            map.and_then(|map| map.get(column.as_str()))
                .map(|name| name.to_string())
                .unwrap_or_else(|| format!("\u{0}dropped:{column}"))
        })
        .collect()
}

/// A previous foreign key in next names, so it can be compared with next foreign keys.
fn map_foreign_key(
    pairing: &TablePairing,
    previous_table: &str,
    foreign_key: &ForeignKey,
) -> ForeignKey {
    let referenced_table = pairing
        .next_table_name
        .get(foreign_key.referenced_table.as_str())
        .map(|name| name.to_string())
        .unwrap_or_else(|| format!("\u{0}dropped:{}", foreign_key.referenced_table));
    ForeignKey {
        name: foreign_key.name.clone(),
        columns: map_columns(pairing, previous_table, &foreign_key.columns),
        referenced_table,
        referenced_columns: map_columns(
            pairing,
            &foreign_key.referenced_table,
            &foreign_key.referenced_columns,
        ),
        on_delete: foreign_key.on_delete,
        on_update: foreign_key.on_update,
        not_validated: foreign_key.not_validated,
    }
}

fn map_index(pairing: &TablePairing, previous_table: &str, index: &Index) -> Index {
    let names = map_columns(
        pairing,
        previous_table,
        &index
            .columns
            .iter()
            .map(|column| column.name.clone())
            .collect::<Vec<_>>(),
    );
    Index {
        name: index.name.clone(),
        columns: index
            .columns
            .iter()
            .zip(names)
            .map(|(column, name)| IndexColumn {
                name,
                descending: column.descending,
                operator_class: column.operator_class.clone(),
            })
            .collect(),
        unique: index.unique,
        algorithm: index.algorithm.clone(),
        invalid: index.invalid,
    }
}

/// Whether a foreign key must be dropped and added again although its definition is the same:
/// PostgreSQL will not drop a primary key or change a column type under a constraint.
fn foreign_key_is_disturbed(
    pairing: &TablePairing,
    next_table: &str,
    foreign_key: &ForeignKey,
) -> bool {
    pairing
        .tables_with_changed_primary_key
        .contains(foreign_key.referenced_table.as_str())
        || foreign_key.columns.iter().any(|column| {
            pairing
                .columns_with_changed_type
                .contains(&(next_table, column.as_str()))
        })
        || foreign_key.referenced_columns.iter().any(|column| {
            pairing
                .columns_with_changed_type
                .contains(&(foreign_key.referenced_table.as_str(), column.as_str()))
        })
}

type ForeignKeyDefinition<'a> = (
    &'a [String],
    &'a str,
    &'a [String],
    crate::database_schema::ReferentialAction,
    crate::database_schema::ReferentialAction,
);

fn foreign_key_definition(foreign_key: &ForeignKey) -> ForeignKeyDefinition<'_> {
    (
        &foreign_key.columns,
        &foreign_key.referenced_table,
        &foreign_key.referenced_columns,
        foreign_key.on_delete,
        foreign_key.on_update,
    )
}

/// Foreign keys of a table pair: `(kept with a rename, dropped, added)`, and the kept ones
/// that `previous` has `NOT VALID` (`ForeignKey::not_validated`), by their next names. Kept
/// ones without a rename are left out of `renamed`.
struct ForeignKeyChanges {
    renamed: Vec<(String, String)>,
    dropped: Vec<ForeignKey>,
    added: Vec<ForeignKey>,
    to_validate: Vec<String>,
}

fn compare_foreign_keys(
    pairing: &TablePairing,
    comparison: &TableComparison,
    provider: Provider,
) -> ForeignKeyChanges {
    let mapped: Vec<ForeignKey> = comparison
        .previous
        .foreign_keys
        .iter()
        .map(|foreign_key| map_foreign_key(pairing, &comparison.previous.name, foreign_key))
        .collect();
    let mut changes = ForeignKeyChanges {
        renamed: Vec::new(),
        dropped: Vec::new(),
        added: Vec::new(),
        to_validate: Vec::new(),
    };
    let mut next_by_definition: HashMap<ForeignKeyDefinition, Vec<usize>> = HashMap::default();
    for (position, foreign_key) in comparison.next.foreign_keys.iter().enumerate() {
        // SQLite keeps foreign keys as text in the table definition, so nothing disturbs them.
        if provider == Provider::Sqlite
            || !foreign_key_is_disturbed(pairing, &comparison.next.name, foreign_key)
        {
            next_by_definition
                .entry(foreign_key_definition(foreign_key))
                .or_default()
                .push(position);
        }
    }
    let mut next_taken = vec![false; comparison.next.foreign_keys.len()];
    for (previous_position, mapped_foreign_key) in mapped.iter().enumerate() {
        let candidates = next_by_definition.get(&foreign_key_definition(mapped_foreign_key));
        // Prefer the candidate with the same name, so that unchanged keys stay unchanged.
        let chosen = candidates.and_then(|candidates| {
            candidates
                .iter()
                .copied()
                .filter(|position| !next_taken[*position])
                .min_by_key(|position| {
                    comparison.next.foreign_keys[*position].name != mapped_foreign_key.name
                })
        });
        match chosen {
            Some(next_position) => {
                next_taken[next_position] = true;
                let next_foreign_key = &comparison.next.foreign_keys[next_position];
                let next_name = &next_foreign_key.name;
                // The key is there, but its existing rows were never checked: validating it is
                // the repair (a scan that lets reads and writes go on), not a drop and re-add.
                if mapped_foreign_key.not_validated && !next_foreign_key.not_validated {
                    if let Some(name) = next_name.as_ref().or(mapped_foreign_key.name.as_ref()) {
                        changes.to_validate.push(name.clone());
                    }
                }
                if let (Some(previous_name), Some(next_name)) =
                    (&mapped_foreign_key.name, next_name)
                {
                    if previous_name != next_name {
                        changes
                            .renamed
                            .push((previous_name.clone(), next_name.clone()));
                    }
                }
            }
            None => changes
                .dropped
                .push(comparison.previous.foreign_keys[previous_position].clone()),
        }
    }
    for (position, foreign_key) in comparison.next.foreign_keys.iter().enumerate() {
        if !next_taken[position] {
            changes.added.push(foreign_key.clone());
        }
    }
    changes
}

type IndexDefinition<'a> = (Vec<&'a IndexColumn>, bool, Option<&'a str>, bool);

/// What makes two indexes the same index. Validity is part of it: an INVALID index (see
/// `Index::invalid`) never pairs with a valid one, so it is dropped and created again, and the
/// drop comes first (phases), so the re-created index can take its name.
fn index_definition(index: &Index) -> IndexDefinition<'_> {
    (
        index.columns.iter().collect(),
        index.unique,
        index.algorithm.as_deref(),
        index.invalid,
    )
}

/// Indexes of a table pair: `(renamed (previous name, next index), dropped names, added)`.
struct IndexChanges {
    renamed: Vec<(String, Index)>,
    dropped: Vec<String>,
    added: Vec<Index>,
}

fn compare_indexes(
    pairing: &TablePairing,
    comparison: &TableComparison,
    provider: Provider,
) -> IndexChanges {
    let mapped: Vec<Index> = comparison
        .previous
        .indexes
        .iter()
        .map(|index| map_index(pairing, &comparison.previous.name, index))
        .collect();
    let mut changes = IndexChanges {
        renamed: Vec::new(),
        dropped: Vec::new(),
        added: Vec::new(),
    };
    let mut next_by_definition: HashMap<IndexDefinition, Vec<usize>> = HashMap::default();
    for (position, index) in comparison.next.indexes.iter().enumerate() {
        next_by_definition
            .entry(index_definition(index))
            .or_default()
            .push(position);
    }
    let mut next_taken = vec![false; comparison.next.indexes.len()];
    for mapped_index in &mapped {
        let chosen = next_by_definition
            .get(&index_definition(mapped_index))
            .and_then(|candidates| {
                candidates
                    .iter()
                    .copied()
                    .filter(|position| !next_taken[*position])
                    .min_by_key(|position| {
                        comparison.next.indexes[*position].name != mapped_index.name
                    })
            });
        match chosen {
            Some(next_position) => {
                next_taken[next_position] = true;
                let next_index = &comparison.next.indexes[next_position];
                // A SQLite table's own unique constraint has a name SQLite chose and nobody can
                // change: the same definition under another name is the same index.
                let is_table_constraint = provider == Provider::Sqlite
                    && (next_index.is_sqlite_table_constraint()
                        || mapped_index.is_sqlite_table_constraint());
                if next_index.name != mapped_index.name && !is_table_constraint {
                    changes
                        .renamed
                        .push((mapped_index.name.clone(), next_index.clone()));
                }
            }
            None => changes.dropped.push(mapped_index.name.clone()),
        }
    }
    for (position, index) in comparison.next.indexes.iter().enumerate() {
        if !next_taken[position] {
            changes.added.push(index.clone());
        }
    }
    // A dropped index whose name an added or renamed index takes must go before; the phases
    // already order drops first, so nothing more is needed here.
    changes
}

fn warn_about_column_changes(differ: &mut Differ, comparison: &TableComparison) {
    let previous_name = comparison.previous.name.as_str();
    let model = comparison.next.display_name();
    for column in &comparison.dropped_columns {
        if !differ.may_have_rows(previous_name) {
            continue;
        }
        let recreated = comparison
            .added_columns
            .iter()
            .find(|added| added.field_name.is_some() && added.field_name == column.field_name);
        let message = match recreated {
            Some(added) => format!(
                "Potential data loss: field {model}.{} changes type from {} to {}, which cannot be converted: the column is dropped and re-created, and its values are lost.",
                added.display_name(),
                column.column_type.describe(),
                added.column_type.describe()
            ),
            None => format!("Potential data loss: field {model}.{} is removed from the target schema.", column.display_name()),
        };
        differ.warn(WarningKind::DataLoss, message);
    }
    for column in &comparison.added_columns {
        if differ.provider == Provider::Postgresql && differ.may_have_rows(previous_name) {
            if let Some(fill) = online::volatile_fill_of_new_column(column) {
                differ.warn(
                    WarningKind::Blocking,
                    online::volatile_default_warning(
                        model,
                        column.display_name(),
                        &fill,
                        &comparison.next.name,
                    ),
                );
            }
        }
        if !column.nullable && column.default.is_none() && !column.auto_increment {
            differ.warn_if_rows(
                previous_name,
                format!(
                    "Adding required field {model}.{} without default {}",
                    column.display_name(),
                    crate::plan::MANUAL_MIGRATION_SUFFIX
                ),
            );
        }
    }
    for (previous_column, next_column, changes) in &comparison.column_pairs {
        if changes.column_type && differ.may_have_rows(previous_name) {
            let from = previous_column.column_type.describe();
            let to = next_column.column_type.describe();
            let field = next_column.display_name();
            let risk = match differ.provider {
                Provider::Postgresql => postgresql::type_change_risk(
                    &previous_column.column_type,
                    &next_column.column_type,
                ),
                Provider::Sqlite => {
                    sqlite::type_change_risk(&previous_column.column_type, &next_column.column_type)
                }
            };
            if differ.provider == Provider::Postgresql
                && !online::type_change_keeps_the_table(
                    &previous_column.column_type,
                    &next_column.column_type,
                )
            {
                differ.warn(
                    WarningKind::Blocking,
                    online::type_change_warning(model, field, &from, &to, &comparison.next.name),
                );
            }
            match risk {
                Some(TypeChangeRisk::DataLoss) => differ.warn(
                    WarningKind::DataLoss,
                    format!("Potential data loss: field {model}.{field} changes type from {from} to {to}; values that do not fit exactly are rounded or cut."),
                ),
                Some(TypeChangeRisk::MayFail) => differ.warn(
                    WarningKind::MayFail,
                    format!("Field {model}.{field} changes type from {from} to {to}: the migration fails if existing values cannot be converted."),
                ),
                None => {}
            }
        }
        if changes.nullability && !next_column.nullable && differ.may_have_rows(previous_name) {
            differ.warn(
                WarningKind::MayFail,
                format!(
                    "Field {model}.{} changes from optional to required: the migration fails if existing rows hold NULL in it.",
                    next_column.display_name()
                ),
            );
        }
    }
}

fn emit_postgres_table_changes(
    differ: &mut Differ,
    comparison: &TableComparison,
    pairing: &TablePairing,
    enum_pairing: &EnumPairing,
) {
    let previous = comparison.previous;
    let next = comparison.next;
    warn_about_column_changes(differ, comparison);

    let foreign_keys = compare_foreign_keys(pairing, comparison, differ.provider);
    warn_about_new_keys(differ, pairing, comparison, &foreign_keys.added);
    for foreign_key in &foreign_keys.dropped {
        if let Some(name) = &foreign_key.name {
            differ.steps.push(MigrationStep::DropForeignKey {
                table: previous.name.clone(),
                foreign_key_name: name.clone(),
            });
        }
    }
    let indexes = compare_indexes(pairing, comparison, differ.provider);
    for name in &indexes.dropped {
        differ.steps.push(MigrationStep::DropIndex {
            table: previous.name.clone(),
            index_name: name.clone(),
        });
    }
    if previous.name != next.name {
        differ.steps.push(MigrationStep::RenameTable {
            previous_name: previous.name.clone(),
            next_name: next.name.clone(),
        });
    }

    let mut changes = Vec::new();
    for (previous_column, next_column, _) in &comparison.column_pairs {
        if previous_column.name != next_column.name {
            changes.push(TableChange::RenameColumn {
                previous_name: previous_column.name.clone(),
                next_name: next_column.name.clone(),
            });
        }
    }
    if comparison.primary_key_columns_change {
        if let Some(key) = &previous.primary_key {
            changes.push(TableChange::DropPrimaryKey {
                name: key.name.clone(),
            });
        }
    }
    for column in &comparison.dropped_columns {
        changes.push(TableChange::DropColumn {
            name: column.name.clone(),
        });
    }
    for column in &comparison.added_columns {
        changes.push(TableChange::AddColumn {
            column: (*column).clone(),
        });
    }
    let mut online_not_null_columns = Vec::new();
    for (previous_column, next_column, column_changes) in &comparison.column_pairs {
        let mut column_changes = *column_changes;
        // A type change rewrites the table anyway, and the rewrite checks NOT NULL with it.
        if differ.online_ddl()
            && column_changes.nullability
            && !next_column.nullable
            && !column_changes.column_type
        {
            column_changes.nullability = false;
            online_not_null_columns.push(next_column.name.clone());
        }
        if column_changes.any() {
            // Only convertible type changes reach this point (see `compare_table`).
            let type_cast = column_changes
                .column_type
                .then(|| {
                    postgresql::type_cast(&previous_column.column_type, &next_column.column_type)
                })
                .flatten();
            changes.push(TableChange::AlterColumn {
                previous: (*previous_column).clone(),
                next: (*next_column).clone(),
                changes: column_changes,
                type_cast,
            });
        }
    }
    if comparison.primary_key_columns_change {
        if let Some(key) = &next.primary_key {
            changes.push(TableChange::AddPrimaryKey {
                primary_key: key.clone(),
            });
        }
    }
    if !changes.is_empty() {
        differ.steps.push(MigrationStep::AlterTable {
            table: next.name.clone(),
            changes,
        });
    }
    if !comparison.primary_key_columns_change {
        if let (Some(previous_key), Some(next_key)) = (&previous.primary_key, &next.primary_key) {
            if let (Some(previous_name), Some(next_name)) = (&previous_key.name, &next_key.name) {
                if previous_name != next_name {
                    differ.steps.push(MigrationStep::RenameConstraint {
                        table: next.name.clone(),
                        previous_name: previous_name.clone(),
                        next_name: next_name.clone(),
                    });
                }
            }
        }
    }
    for (previous_name, next_name) in renames_through_temporary_names(foreign_keys.renamed) {
        differ.steps.push(MigrationStep::RenameConstraint {
            table: next.name.clone(),
            previous_name,
            next_name,
        });
    }
    // After the commit, with the key's next name (renames come first).
    for constraint_name in foreign_keys.to_validate {
        if differ.may_have_rows(&comparison.previous.name) {
            differ.warn(
                WarningKind::MayFail,
                format!(
                    "The foreign key {constraint_name} on the table {} is NOT VALID: its existing rows were never checked, and validating it fails if some of them reference rows that do not exist.",
                    next.name
                ),
            );
        }
        differ.steps.push(MigrationStep::ValidateConstraint {
            table: next.name.clone(),
            constraint_name,
        });
    }
    // PostgreSQL names an identity's sequence `<table>_<column>_seq` when it is created and
    // keeps that name through renames; renaming it too leaves what building from empty gives.
    for (previous_column, next_column, _) in &comparison.column_pairs {
        if previous_column.auto_increment
            && next_column.auto_increment
            && (previous.name != next.name || previous_column.name != next_column.name)
        {
            differ.steps.push(MigrationStep::RenameSequence {
                previous_name: fit_identifier(
                    format!("{}_{}_seq", previous.name, previous_column.name),
                    Provider::Postgresql,
                ),
                next_name: fit_identifier(
                    format!("{}_{}_seq", next.name, next_column.name),
                    Provider::Postgresql,
                ),
            });
        }
    }
    for (previous_name, index) in indexes.renamed {
        differ.steps.push(MigrationStep::RenameIndex {
            table: next.name.clone(),
            previous_name,
            index,
        });
    }
    for index in indexes.added {
        warn_about_new_unique_index(differ, pairing, comparison, &index);
        // A foreign key added in this migration may need this unique index: such keys are
        // moved after the build by `add_foreign_keys_after_their_index_builds`.
        let table = next.name.clone();
        differ.steps.push(if differ.online_ddl() {
            MigrationStep::CreateIndexConcurrently { table, index }
        } else {
            MigrationStep::CreateIndex { table, index }
        });
    }
    for foreign_key in foreign_keys.added {
        let table = next.name.clone();
        if differ.online_ddl() {
            let constraint_name = foreign_key.name.clone().unwrap_or_else(|| {
                let columns: Vec<&str> = foreign_key.columns.iter().map(String::as_str).collect();
                naming::foreign_key_name(&table, &columns, Provider::Postgresql)
            });
            differ.steps.push(MigrationStep::AddForeignKeyNotValid {
                table: table.clone(),
                foreign_key,
            });
            differ.steps.push(MigrationStep::ValidateConstraint {
                table,
                constraint_name,
            });
        } else {
            differ
                .steps
                .push(MigrationStep::AddForeignKey { table, foreign_key });
        }
    }
    for column in online_not_null_columns {
        let check_name = online::not_null_check_name(&next.name, &column);
        differ.steps.push(MigrationStep::AddNotNullCheck {
            table: next.name.clone(),
            column: column.clone(),
            check_name: check_name.clone(),
        });
        differ.steps.push(MigrationStep::ValidateConstraint {
            table: next.name.clone(),
            constraint_name: check_name.clone(),
        });
        differ.steps.push(MigrationStep::SetNotNullFromCheck {
            table: next.name.clone(),
            column,
            check_name,
        });
    }
    let _ = enum_pairing;
}

fn warn_about_new_unique_index(
    differ: &mut Differ,
    pairing: &TablePairing,
    comparison: &TableComparison,
    index: &Index,
) {
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|column| column.name.clone())
        .collect();
    if index.unique
        && differ.may_have_rows(&comparison.previous.name)
        && !columns_already_unique(pairing, comparison, &columns)
    {
        differ.warn(
            WarningKind::MayFail,
            format!(
                "A unique constraint covering the columns [{}] on the table {} will be added. If there are existing duplicate values, this will fail.",
                columns.join(","),
                comparison.next.name
            ),
        );
    }
}

/// Whether existing rows are already unique on these columns (next names): they include all
/// columns of the previous primary key or of a previous unique index.
fn columns_already_unique(
    pairing: &TablePairing,
    comparison: &TableComparison,
    columns: &[String],
) -> bool {
    let previous = comparison.previous;
    let covers =
        |unique_columns: Vec<String>| unique_columns.iter().all(|column| columns.contains(column));
    previous
        .primary_key
        .as_ref()
        .is_some_and(|key| covers(map_columns(pairing, &previous.name, &key.columns)))
        || previous
            .indexes
            .iter()
            .filter(|index| index.unique && !index.invalid)
            .any(|index| {
                covers(map_columns(
                    pairing,
                    &previous.name,
                    &index
                        .columns
                        .iter()
                        .map(|column| column.name.clone())
                        .collect::<Vec<_>>(),
                ))
            })
}

/// Warnings for keys a table gains while it may hold rows: a new primary key fails on
/// duplicates, and a new foreign key on existing columns fails on rows that point nowhere.
fn warn_about_new_keys(
    differ: &mut Differ,
    pairing: &TablePairing,
    comparison: &TableComparison,
    added_foreign_keys: &[ForeignKey],
) {
    let previous_name = comparison.previous.name.as_str();
    if !differ.may_have_rows(previous_name) {
        return;
    }
    if comparison.primary_key_columns_change {
        if let Some(key) = &comparison.next.primary_key {
            if differ.provider == Provider::Postgresql {
                differ.warn(
                    WarningKind::Blocking,
                    online::new_primary_key_warning(&comparison.next.name, &key.columns),
                );
            }
            if !columns_already_unique(pairing, comparison, &key.columns) {
                differ.warn(
                    WarningKind::MayFail,
                    format!(
                        "The primary key of the table {} changes to ({}): the migration fails if existing rows hold duplicate values in these columns.",
                        comparison.next.name,
                        key.columns.join(", ")
                    ),
                );
            }
        }
    }
    let existing_columns: HashSet<&str> = comparison
        .column_pairs
        .iter()
        .map(|(_, next_column, _)| next_column.name.as_str())
        .collect();
    // A key that existed with other actions or another name is only re-created: the rows
    // already satisfy it.
    let previous_references: Vec<ForeignKey> = comparison
        .previous
        .foreign_keys
        .iter()
        .map(|foreign_key| map_foreign_key(pairing, &comparison.previous.name, foreign_key))
        .collect();
    for foreign_key in added_foreign_keys {
        let already_enforced = previous_references.iter().any(|previous| {
            previous.columns == foreign_key.columns
                && previous.referenced_table == foreign_key.referenced_table
                && previous.referenced_columns == foreign_key.referenced_columns
        });
        if !already_enforced
            && foreign_key
                .columns
                .iter()
                .all(|column| existing_columns.contains(column.as_str()))
        {
            differ.warn(
                WarningKind::MayFail,
                format!(
                    "A foreign key on {}({}) referencing {} will be added. If existing rows reference rows that do not exist, this will fail.",
                    comparison.next.name,
                    foreign_key.columns.join(", "),
                    foreign_key.referenced_table
                ),
            );
        }
    }
}

/// SQLite's `ALTER TABLE` can rename, add a plain column and little else: anything more is a
/// rebuild of this one table.
fn emit_sqlite_table_changes(
    differ: &mut Differ,
    comparison: &TableComparison,
    pairing: &TablePairing,
) {
    let previous = comparison.previous;
    let next = comparison.next;
    warn_about_column_changes(differ, comparison);
    let foreign_keys = compare_foreign_keys(pairing, comparison, differ.provider);
    warn_about_new_keys(differ, pairing, comparison, &foreign_keys.added);

    let mut rebuild_reasons: Vec<&str> = Vec::new();
    if !comparison.dropped_columns.is_empty() {
        rebuild_reasons.push("a column is dropped");
    }
    if comparison
        .column_pairs
        .iter()
        .any(|(_, _, changes)| changes.any())
    {
        rebuild_reasons.push("a column changes");
    }
    if comparison.primary_key_columns_change {
        rebuild_reasons.push("the primary key changes");
    }
    if !foreign_keys.dropped.is_empty() || !foreign_keys.added.is_empty() {
        rebuild_reasons.push("a foreign key changes");
    }
    if comparison
        .added_columns
        .iter()
        .any(|column| !sqlite_can_add_column(column, next))
    {
        rebuild_reasons.push("a new column cannot be added in place");
    }
    let indexes = compare_indexes(pairing, comparison, differ.provider);
    let dropped_table_constraint = indexes.dropped.iter().any(|name| {
        previous
            .indexes
            .iter()
            .any(|index| &index.name == name && index.is_sqlite_table_constraint())
    });
    if dropped_table_constraint || indexes.added.iter().any(Index::is_sqlite_table_constraint) {
        rebuild_reasons.push("a UNIQUE constraint inside its CREATE TABLE changes");
    }

    if !rebuild_reasons.is_empty() {
        differ.warn(
            WarningKind::Rebuild,
            format!(
                "The table {} is rebuilt because {}: SQLite cannot alter it in place, so its rows are copied into a new table.",
                next.name,
                rebuild_reasons.join(" and ")
            ),
        );
        for index in &next.indexes {
            let is_new = !previous.indexes.iter().any(|previous_index| {
                map_index(pairing, &previous.name, previous_index).columns == index.columns
                    && previous_index.unique == index.unique
            });
            if is_new {
                warn_about_new_unique_index(differ, pairing, comparison, index);
            }
        }
        // Renaming first lets SQLite rewrite the references other tables hold to this one;
        // the rebuild then copies from the table under its next name.
        if previous.name != next.name {
            differ.steps.push(MigrationStep::RenameTable {
                previous_name: previous.name.clone(),
                next_name: next.name.clone(),
            });
        }
        let rebuild = TableRebuild {
            previous_name: next.name.clone(),
            next: next.clone(),
            copied_columns: comparison
                .column_pairs
                .iter()
                .map(|(previous_column, next_column, _)| {
                    (next_column.name.clone(), previous_column.name.clone())
                })
                .collect(),
            // A renamed table's dependents name it by its old name: SQLite rewrites them at
            // the rename, into a text the planner cannot know, so the runners put those back
            // from the live database.
            recreated_dependents: if previous.name == next.name {
                differ
                    .previous_schema
                    .dependents_of(&previous.name)
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            },
        };
        differ.table_rebuilds.push(rebuild);
        return;
    }

    for name in &indexes.dropped {
        differ.steps.push(MigrationStep::DropIndex {
            table: previous.name.clone(),
            index_name: name.clone(),
        });
    }
    if previous.name != next.name {
        differ.steps.push(MigrationStep::RenameTable {
            previous_name: previous.name.clone(),
            next_name: next.name.clone(),
        });
    }
    let mut changes = Vec::new();
    for (previous_column, next_column, _) in &comparison.column_pairs {
        if previous_column.name != next_column.name {
            changes.push(TableChange::RenameColumn {
                previous_name: previous_column.name.clone(),
                next_name: next_column.name.clone(),
            });
        }
    }
    for column in &comparison.added_columns {
        changes.push(TableChange::AddColumn {
            column: (*column).clone(),
        });
    }
    if !changes.is_empty() {
        differ.steps.push(MigrationStep::AlterTable {
            table: next.name.clone(),
            changes,
        });
    }
    for (previous_name, index) in indexes.renamed {
        differ.steps.push(MigrationStep::RenameIndex {
            table: next.name.clone(),
            previous_name,
            index,
        });
    }
    for index in indexes.added {
        warn_about_new_unique_index(differ, pairing, comparison, &index);
        differ.steps.push(MigrationStep::CreateIndex {
            table: next.name.clone(),
            index,
        });
    }
}

/// SQLite's `ADD COLUMN` refuses primary key columns, NOT NULL without a constant default,
/// and non-constant defaults (CURRENT_TIMESTAMP, expressions).
fn sqlite_can_add_column(column: &Column, table: &Table) -> bool {
    use crate::database_schema::ColumnDefault;
    if column.auto_increment
        || table
            .primary_key
            .as_ref()
            .is_some_and(|key| key.columns.contains(&column.name))
    {
        return false;
    }
    if table
        .foreign_keys
        .iter()
        .any(|foreign_key| foreign_key.columns.contains(&column.name))
    {
        return false;
    }
    match &column.default {
        Some(ColumnDefault::Now) | Some(ColumnDefault::Expression(_)) => false,
        Some(ColumnDefault::Value(_)) => true,
        None => column.nullable,
    }
}

/// Emits the re-creation of enums that lose values. The columns converted are those that use
/// the enum before and after the migration, named as they are before it (the step runs
/// before renames); columns and tables being dropped keep the old type until they go, and
/// the old type is dropped after them.
fn emit_recreated_enums(
    differ: &mut Differ,
    comparisons: &[TableComparison],
    enum_pairing: &EnumPairing,
) {
    let mut names: Vec<&String> = enum_pairing.recreated.keys().collect();
    names.sort();
    for name in names {
        let mut usages = Vec::new();
        // `Model.field` of each converted column, and the tables they are in (next names),
        // for those that may hold rows: converting a column through text rewrites its table.
        let mut rewritten_fields = Vec::new();
        let mut rewritten_tables: Vec<&str> = Vec::new();
        for comparison in comparisons {
            for (previous_column, next_column, _) in &comparison.column_pairs {
                let next_uses_it = matches!(&next_column.column_type.kind, ColumnTypeKind::Enum(enum_name) if enum_name == name);
                let previous_uses_it = matches!(&previous_column.column_type.kind,
                    ColumnTypeKind::Enum(enum_name) if enum_pairing.next_enum_name.get(enum_name).unwrap_or(enum_name) == name);
                if next_uses_it
                    && previous_uses_it
                    && previous_column.column_type.is_array == next_column.column_type.is_array
                {
                    usages.push(EnumUsage {
                        table: comparison.previous.name.clone(),
                        column: previous_column.name.clone(),
                        is_array: next_column.column_type.is_array,
                        default: next_column.default.clone(),
                    });
                    if differ.may_have_rows(&comparison.previous.name) {
                        rewritten_fields.push(format!(
                            "{}.{}",
                            comparison.next.display_name(),
                            next_column.display_name()
                        ));
                        if !rewritten_tables.contains(&comparison.next.name.as_str()) {
                            rewritten_tables.push(&comparison.next.name);
                        }
                    }
                }
            }
        }
        let recreated = &enum_pairing.recreated[name];
        if !rewritten_tables.is_empty() {
            differ.warn(
                WarningKind::Blocking,
                online::enum_recreation_warning(
                    recreated
                        .definition
                        .prisma_name
                        .as_deref()
                        .unwrap_or(&recreated.definition.name),
                    &recreated.reason,
                    &rewritten_fields,
                    &rewritten_tables,
                ),
            );
        }
        let previous_type_name = fit_identifier(format!("{name}_old"), Provider::Postgresql);
        differ.steps.push(MigrationStep::RecreateEnum {
            enum_definition: recreated.definition.clone(),
            previous_type_name: previous_type_name.clone(),
            usages,
        });
        differ.steps.push(MigrationStep::DropEnum {
            enum_name: previous_type_name,
        });
    }
}
