//! Convergence: every golden case is applied to a real SQLite file and a real PostgreSQL
//! database, with rows in it, and must end where building `next` from empty ends.
//!
//! A `harness = false` target: one libtest-mimic trial per case and provider, named after the
//! case folder with the provider as its kind, so one runs alone:
//! `cargo test -p tests --test convergence -- --exact "[sqlite] add_default"` (or every case
//! of a provider: `-- "[postgresql]"`).
//!
//! For each case and provider:
//! 1. build `previous` from empty and insert sample rows into every table;
//! 2. plan `previous -> next` with the real row counts and apply it. A plan flagged
//!    `unexecutable` must fail to apply and leave the database as it was; it is then applied
//!    to an empty copy instead;
//! 3. tables that no data-loss warning names keep their rows;
//! 4. introspect: the diff against `next` must be empty, and the catalog (tables, column types,
//!    nullability, defaults, key and index names and definitions, enums; column order aside)
//!    must equal the one that building `next` from empty gives.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use comon_database::Database;
use libtest_mimic::{Arguments, Failed, Trial};
use planner::database_schema::{ColumnTypeKind, DatabaseSchema, Table};
use planner::{
    database_schema_from_source, plan_migration, render_plan, DiffOptions, MigrationPlan,
    OnlineDdl, Provider, WarningKind,
};
use tests::catalog::{catalog, sequences};
use tests::{TemporaryPostgresDatabase, TemporarySqliteDatabase};

// The golden-case fixtures are the planner tests' own, so both read the folders alike.
#[path = "../../planner/tests/support/mod.rs"]
mod golden_support;
use golden_support::{diff_options_of, golden_cases, golden_schema, providers_of};

#[path = "../../planner/benches/support/generated_schema.rs"]
mod generated_schema;
use generated_schema::generated_schema;

/// A fresh database of the provider; the guard keeps it alive and removes it on drop.
enum TemporaryDatabase {
    Postgresql(TemporaryPostgresDatabase),
    Sqlite(TemporarySqliteDatabase),
}

impl TemporaryDatabase {
    fn new(provider: Provider) -> TemporaryDatabase {
        match provider {
            Provider::Postgresql => TemporaryDatabase::Postgresql(TemporaryPostgresDatabase::new()),
            Provider::Sqlite => TemporaryDatabase::Sqlite(TemporarySqliteDatabase::new()),
        }
    }

    fn open(&self) -> Database {
        match self {
            TemporaryDatabase::Postgresql(database) => database.open(),
            TemporaryDatabase::Sqlite(database) => database.open(),
        }
    }
}

fn plan(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    row_counts: Option<HashMap<String, u64>>,
) -> MigrationPlan {
    plan_with(previous, next, row_counts, &DiffOptions::default())
}

/// `plan`, with the case's options (its `options.txt`: online DDL, rename decisions).
fn plan_with(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    row_counts: Option<HashMap<String, u64>>,
    case_options: &DiffOptions,
) -> MigrationPlan {
    let options = DiffOptions {
        row_counts,
        ..case_options.clone()
    };
    plan_migration(previous, next, &options).expect("the case's plan is valid")
}

fn apply(database: &mut Database, plan: &MigrationPlan) -> Result<(), String> {
    database
        .apply_plan(plan)
        .map_err(|error| format!("{error}\n--- SQL ---\n{}", render_plan(plan).sql))
}

/// Checks one case on one provider; returns a description of what went wrong.
pub fn check_case(case: &Path, provider: Provider) -> Result<(), String> {
    let previous = golden_schema(case, "previous.prisma", provider);
    let next = golden_schema(case, "next.prisma", provider);
    check_pair(&previous, &next, provider, &diff_options_of(case))
}

/// Checks one pair of schemas on one provider, with the case's options (online DDL, rename
/// decisions).
fn check_pair(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    provider: Provider,
    case_options: &DiffOptions,
) -> Result<(), String> {
    let empty = DatabaseSchema::empty(provider);

    let reference = TemporaryDatabase::new(provider);
    let mut reference_connection = reference.open();
    apply(&mut reference_connection, &plan(&empty, next, None))
        .map_err(|error| format!("building next from empty failed: {error}"))?;
    let expected_catalog = Catalog {
        schema: catalog(
            reference_connection
                .introspect()
                .map_err(|error| error.to_string())?,
        ),
        sequences: sequences(&mut reference_connection)?,
    };

    let migrated = TemporaryDatabase::new(provider);
    let mut connection = migrated.open();
    apply(&mut connection, &plan(&empty, previous, None))
        .map_err(|error| format!("building previous from empty failed: {error}"))?;
    insert_sample_rows(&mut connection, previous)?;
    let counts_before = connection.row_counts().map_err(|error| error.to_string())?;
    let migration = plan_with(previous, next, Some(counts_before.clone()), case_options);
    let renamed = renamed_pairs(previous, next, case_options);
    let values_before = renamed_values(&mut connection, &renamed, Side::Previous)?;

    // A plan with a warning other than a rebuild notice has said that it may not go through
    // on these rows: it may fail, but then atomically, and it must go through on empty tables.
    // A plan without such a warning must apply on the sample rows.
    let failure_was_announced = migration
        .warnings
        .iter()
        .any(|warning| warning.kind.needs_consent());
    let before = catalog(connection.introspect().map_err(|error| error.to_string())?);
    let outcome = apply(&mut connection, &migration);
    if migration.unexecutable && outcome.is_ok() {
        return Err(format!(
            "the plan is flagged unexecutable but applied on a table with rows:\n{}",
            render_plan(&migration).sql
        ));
    }
    let connection = if let Err(error) = outcome {
        if !failure_was_announced {
            return Err(format!(
                "applying the plan failed without any warning: {error}"
            ));
        }
        let after = catalog(connection.introspect().map_err(|error| error.to_string())?);
        if before != after {
            return Err(format!(
                "a failed migration left the database changed: {error}"
            ));
        }
        // The same change on an empty database must go through.
        let empty_copy = TemporaryDatabase::new(provider);
        let mut empty_connection = empty_copy.open();
        apply(&mut empty_connection, &plan(&empty, previous, None))
            .map_err(|error| format!("building previous failed: {error}"))?;
        let zero_counts = previous
            .tables
            .iter()
            .map(|table| (table.name.clone(), 0))
            .collect();
        apply(
            &mut empty_connection,
            &plan_with(previous, next, Some(zero_counts), case_options),
        )
        .map_err(|error| format!("applying on empty tables failed: {error}"))?;
        check_converged(&mut empty_connection, next, &expected_catalog)?;
        return Ok(());
    } else {
        connection
    };
    let mut connection = connection;
    check_rows_survive(
        &mut connection,
        previous,
        next,
        &migration,
        &counts_before,
        case_options,
    )?;
    // What a rename decision renamed keeps its values, column by column.
    let values_after = renamed_values(&mut connection, &renamed, Side::Next)?;
    if values_before != values_after {
        return Err(format!(
            "the renamed tables and columns lost values: before {values_before:?}, after {values_after:?}"
        ));
    }
    check_converged(&mut connection, next, &expected_catalog)
}

/// A table of `previous` and its table in `next` that a rename decision touches (the table is
/// renamed, or one of its columns is), with their paired columns by name on each side.
struct RenamedPair {
    previous_table: String,
    next_table: String,
    columns: Vec<(String, String)>,
}

/// Which side of a rename a value is read on.
#[derive(Clone, Copy)]
enum Side {
    Previous,
    Next,
}

/// The pairs the case's rename decisions make, found as the planner pairs them: by model name,
/// then table name, then a decision; columns by field name, then column name, then a decision.
fn renamed_pairs(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    options: &DiffOptions,
) -> Vec<RenamedPair> {
    let renames: Vec<_> = options
        .renames
        .iter()
        .filter(|decision| decision.renamed)
        .collect();
    let mut pairs = Vec::new();
    for previous_table in &previous.tables {
        let model_decision = renames.iter().find(|decision| {
            decision.model.is_none() && decision.previous == previous_table.display_name()
        });
        let next_table = match model_decision {
            Some(decision) => next
                .tables
                .iter()
                .find(|table| table.display_name() == decision.next),
            None => next_table_of(previous_table, next),
        };
        let Some(next_table) = next_table else {
            continue;
        };
        let field_decisions: Vec<_> = renames
            .iter()
            .filter(|decision| {
                decision.model.as_deref() == Some(previous_table.display_name())
                    || decision.model.as_deref() == Some(next_table.display_name())
            })
            .collect();
        if model_decision.is_none() && field_decisions.is_empty() {
            continue;
        }
        let columns = previous_table
            .columns
            .iter()
            .filter_map(|previous_column| {
                let decided = field_decisions
                    .iter()
                    .find(|decision| decision.previous == previous_column.display_name());
                let next_column = match decided {
                    Some(decision) => next_table
                        .columns
                        .iter()
                        .find(|column| column.display_name() == decision.next),
                    None => next_table.columns.iter().find(|column| {
                        column.display_name() == previous_column.display_name()
                            || column.name == previous_column.name
                    }),
                }?;
                Some((previous_column.name.clone(), next_column.name.clone()))
            })
            .collect();
        pairs.push(RenamedPair {
            previous_table: previous_table.name.clone(),
            next_table: next_table.name.clone(),
            columns,
        });
    }
    let followed = join_tables_of_renamed_tables(previous, next, &pairs);
    pairs.extend(followed);
    pairs
}

/// The tables an implicit many-to-many join table (no model, columns `A` and `B`) links, by
/// the foreign keys of `A` and `B`.
fn join_table_sides(table: &Table) -> Option<(&str, &str)> {
    let names: Vec<&str> = table
        .columns
        .iter()
        .map(|column| column.name.as_str())
        .collect();
    if table.model_name.is_some() || names != ["A", "B"] {
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

/// The join tables of the implicit many-to-many relations of the renamed tables: each must
/// keep its link rows, whatever it is called now and whichever of its columns now holds
/// which side. The next join table is the one linking the same tables in next names, and
/// its columns are paired by the table they reference (by name for a relation to itself).
fn join_tables_of_renamed_tables(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    pairs: &[RenamedPair],
) -> Vec<RenamedPair> {
    let renamed: HashMap<&str, &str> = pairs
        .iter()
        .filter(|pair| pair.previous_table != pair.next_table)
        .map(|pair| (pair.previous_table.as_str(), pair.next_table.as_str()))
        .collect();
    let next_name = |name: &str| -> String {
        renamed
            .get(name)
            .map_or(name, |next_name| next_name)
            .to_string()
    };
    let mut followed = Vec::new();
    for previous_table in &previous.tables {
        let Some((previous_a, previous_b)) = join_table_sides(previous_table) else {
            continue;
        };
        if !renamed.contains_key(previous_a) && !renamed.contains_key(previous_b) {
            continue;
        }
        let (mapped_a, mapped_b) = (next_name(previous_a), next_name(previous_b));
        let Some((next_table, (next_a, _))) = next.tables.iter().find_map(|table| {
            let (next_a, next_b) = join_table_sides(table)?;
            let same = (next_a, next_b) == (mapped_a.as_str(), mapped_b.as_str())
                || (next_b, next_a) == (mapped_a.as_str(), mapped_b.as_str());
            same.then_some((table, (next_a, next_b)))
        }) else {
            continue;
        };
        let swapped = mapped_a != mapped_b && next_a != mapped_a;
        let columns = match swapped {
            true => vec![
                ("A".to_string(), "B".to_string()),
                ("B".to_string(), "A".to_string()),
            ],
            false => vec![
                ("A".to_string(), "A".to_string()),
                ("B".to_string(), "B".to_string()),
            ],
        };
        followed.push(RenamedPair {
            previous_table: previous_table.name.clone(),
            next_table: next_table.name.clone(),
            columns,
        });
    }
    followed
}

/// The next table a previous table is paired with without decisions.
fn next_table_of<'next>(
    previous_table: &Table,
    next: &'next DatabaseSchema,
) -> Option<&'next Table> {
    next.tables
        .iter()
        .find(|table| table.model_name.is_some() && table.model_name == previous_table.model_name)
        .or_else(|| {
            next.tables
                .iter()
                .find(|table| table.name == previous_table.name)
        })
}

/// The rows of each renamed pair's columns on one side, as text, sorted.
fn renamed_values(
    connection: &mut Database,
    pairs: &[RenamedPair],
    side: Side,
) -> Result<Vec<Vec<Vec<Option<String>>>>, String> {
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut values = Vec::new();
    for pair in pairs {
        let (table, columns): (&str, Vec<&str>) = match side {
            Side::Previous => (
                &pair.previous_table,
                pair.columns
                    .iter()
                    .map(|(column, _)| column.as_str())
                    .collect(),
            ),
            Side::Next => (
                &pair.next_table,
                pair.columns
                    .iter()
                    .map(|(_, column)| column.as_str())
                    .collect(),
            ),
        };
        let selected: Vec<String> = columns
            .iter()
            .map(|column| format!("CAST({} AS TEXT)", quote(column)))
            .collect();
        let order: Vec<String> = (1..=columns.len())
            .map(|position| position.to_string())
            .collect();
        let rows = connection
            .query_rows(&format!(
                "SELECT {} FROM {} ORDER BY {}",
                selected.join(", "),
                quote(table),
                order.join(", ")
            ))
            .map_err(|error| format!("reading {table}: {error}"))?;
        if rows.is_empty() {
            return Err(format!("the renamed table {table} has no rows to compare"));
        }
        values.push(rows);
    }
    Ok(values)
}

/// What building `next` from empty gives: the introspected schema, and on PostgreSQL the
/// sequences (behind identity and serial columns), which introspection leaves out.
struct Catalog {
    schema: DatabaseSchema,
    sequences: Vec<Vec<Option<String>>>,
}

fn check_converged(
    connection: &mut Database,
    next: &DatabaseSchema,
    expected_catalog: &Catalog,
) -> Result<(), String> {
    let live = connection.introspect().map_err(|error| error.to_string())?;
    let remaining = plan(&live, next, None);
    if !remaining.steps.is_empty() {
        return Err(format!(
            "not converged, the diff against next is not empty:\n{}",
            render_plan(&remaining).sql
        ));
    }
    let live_catalog = catalog(live);
    if live_catalog != expected_catalog.schema {
        return Err(format!(
            "the catalog differs from building next from empty:\n--- migrated ---\n{}\n--- from empty ---\n{}",
            serde_json::to_string_pretty(&live_catalog).unwrap_or_default(),
            serde_json::to_string_pretty(&expected_catalog.schema).unwrap_or_default()
        ));
    }
    let live_sequences = sequences(connection)?;
    if live_sequences != expected_catalog.sequences {
        return Err(format!(
            "sequences differ from building next from empty: migrated {live_sequences:?}, from empty {:?}",
            expected_catalog.sequences
        ));
    }
    Ok(())
}

fn check_rows_survive(
    connection: &mut Database,
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    migration: &MigrationPlan,
    counts_before: &HashMap<String, u64>,
    options: &DiffOptions,
) -> Result<(), String> {
    let data_loss_warnings: Vec<&str> = migration
        .warnings
        .iter()
        .filter(|warning| warning.kind == WarningKind::DataLoss)
        .map(|warning| warning.message.as_str())
        .collect();
    let counts_after = connection.row_counts().map_err(|error| error.to_string())?;
    for previous_table in &previous.tables {
        // A table renamed by a decision is paired with its new name.
        let decided = options.renames.iter().find(|decision| {
            decision.renamed
                && decision.model.is_none()
                && decision.previous == previous_table.display_name()
        });
        let next_table = match decided {
            Some(decision) => next
                .tables
                .iter()
                .find(|table| table.display_name() == decision.next),
            None => next_table_of(previous_table, next),
        };
        let Some(next_table) = next_table else {
            continue;
        };
        let named_in_warning = data_loss_warnings
            .iter()
            .any(|message| message.contains(previous_table.display_name()));
        let before = counts_before
            .get(&previous_table.name)
            .copied()
            .unwrap_or(0);
        let after = counts_after.get(&next_table.name).copied().unwrap_or(0);
        if before != after && !named_in_warning {
            return Err(format!("the table {} had {before} rows and has {after} after the migration, with no data-loss warning", next_table.name));
        }
    }
    Ok(())
}

/// Inserts three rows into every table, parents before children, with values that fit each
/// column's type and satisfy its foreign keys.
fn insert_sample_rows(connection: &mut Database, schema: &DatabaseSchema) -> Result<(), String> {
    let provider = schema.provider;
    let tables_by_name: HashMap<&str, &Table> = schema
        .tables
        .iter()
        .map(|table| (table.name.as_str(), table))
        .collect();
    let mut inserted: HashSet<&str> = HashSet::new();
    let mut remaining: Vec<&Table> = schema.tables.iter().collect();
    while !remaining.is_empty() {
        // Parents first; a table whose missing parents are only referenced through nullable
        // columns comes when nothing else is ready (its references are left NULL).
        let fully_ready = remaining.iter().position(|table| {
            table.foreign_keys.iter().all(|foreign_key| {
                foreign_key.referenced_table == table.name
                    || inserted.contains(foreign_key.referenced_table.as_str())
            })
        });
        let ready_position = fully_ready.or_else(|| {
            remaining.iter().position(|table| {
                table.foreign_keys.iter().all(|foreign_key| {
                    foreign_key.referenced_table == table.name
                        || inserted.contains(foreign_key.referenced_table.as_str())
                        || foreign_key.columns.iter().all(|column| {
                            table.column(column).is_some_and(|column| column.nullable)
                        })
                })
            })
        });
        let Some(ready_position) = ready_position else {
            // A cycle of required foreign keys: leave those tables empty.
            break;
        };
        let table = remaining.remove(ready_position);
        // A join table's links are not the diagonal (1, 1), (2, 2), (3, 3), so that a change
        // that swaps its columns' meaning shows in the values.
        let is_join_table = join_table_sides(table).is_some();
        for row_number in 1..=3u32 {
            let mut names = Vec::new();
            let mut values = Vec::new();
            for column in &table.columns {
                let foreign_key = table
                    .foreign_keys
                    .iter()
                    .find(|foreign_key| foreign_key.columns.contains(&column.name));
                let value = match foreign_key {
                    Some(foreign_key)
                        if foreign_key.referenced_table != table.name
                            && !inserted.contains(foreign_key.referenced_table.as_str()) =>
                    {
                        "NULL".to_string()
                    }
                    Some(foreign_key) => {
                        let position = foreign_key
                            .columns
                            .iter()
                            .position(|name| name == &column.name)
                            .unwrap_or(0);
                        let referenced_column = tables_by_name
                            .get(foreign_key.referenced_table.as_str())
                            .and_then(|referenced| {
                                referenced.column(&foreign_key.referenced_columns[position])
                            });
                        let referenced_row = match is_join_table && column.name == "B" {
                            true => row_number % 3 + 1,
                            false => row_number,
                        };
                        match referenced_column {
                            Some(referenced_column) => {
                                sample_value(schema, referenced_column, provider, referenced_row)
                            }
                            None => "NULL".to_string(),
                        }
                    }
                    None => sample_value(schema, column, provider, row_number),
                };
                names.push(format!("\"{}\"", column.name.replace('"', "\"\"")));
                values.push(value);
            }
            let sql = format!(
                "INSERT INTO \"{}\" ({}) VALUES ({})",
                table.name.replace('"', "\"\""),
                names.join(", "),
                values.join(", ")
            );
            connection
                .execute_batch(&sql)
                .map_err(|error| format!("inserting sample rows failed: {error}\n{sql}"))?;
        }
        inserted.insert(table.name.as_str());
    }
    Ok(())
}

fn sample_value(
    schema: &DatabaseSchema,
    column: &planner::database_schema::Column,
    provider: Provider,
    row_number: u32,
) -> String {
    if column.column_type.is_array {
        return "'{}'".to_string();
    }
    match &column.column_type.kind {
        ColumnTypeKind::Enum(enum_name) => {
            let values = schema
                .enums
                .iter()
                .find(|definition| &definition.name == enum_name)
                .map(|definition| &definition.values);
            match values {
                Some(values) if !values.is_empty() => {
                    format!(
                        "'{}'",
                        values[(row_number as usize - 1) % values.len()]
                            .name
                            .replace('\'', "''")
                    )
                }
                _ => "NULL".to_string(),
            }
        }
        native => {
            let lower = native.native_spelling().unwrap_or_default().to_lowercase();
            let before_modifiers = lower.split('(').next().unwrap_or("").trim().to_string();
            let base = before_modifiers
                .split(" with")
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            match provider {
                Provider::Sqlite => match base.as_str() {
                    "integer" | "real" | "numeric" | "bigint" | "decimal" => row_number.to_string(),
                    "boolean" => (row_number % 2).to_string(),
                    "blob" => format!("X'0{row_number}'"),
                    _ => format!("'{row_number}'"),
                },
                Provider::Postgresql => match base.as_str() {
                    "integer" | "bigint" | "smallint" | "numeric" | "real" | "double precision"
                    | "oid" | "money" => row_number.to_string(),
                    "boolean" => if row_number.is_multiple_of(2) {
                        "true"
                    } else {
                        "false"
                    }
                    .to_string(),
                    "uuid" => format!("'00000000-0000-0000-0000-00000000000{row_number}'"),
                    "timestamp" | "date" => format!("'2020-01-0{row_number}'"),
                    "time" => format!("'00:00:0{row_number}'"),
                    "json" | "jsonb" => format!("'{row_number}'"),
                    "bytea" => format!("'\\x0{row_number}'"),
                    "inet" => format!("'10.0.0.{row_number}'"),
                    "xml" => format!("'<n>{row_number}</n>'"),
                    "bit" | "bit varying" => "B'1'".to_string(),
                    _ => format!("'{row_number}'"),
                },
            }
        }
    }
}

fn main() {
    let mut arguments = Arguments::from_args();
    // The work is mostly waiting on the database, so four cases at a time make the run several
    // times shorter even on two cores; `--test-threads` still decides when given.
    arguments.test_threads = arguments.test_threads.or(Some(4));
    let mut trials = Vec::new();
    for provider in [Provider::Sqlite, Provider::Postgresql] {
        let cases: Vec<PathBuf> = golden_cases()
            .into_iter()
            .filter(|case| providers_of(case).contains(&provider))
            .collect();
        assert!(!cases.is_empty(), "no golden case applies to {provider}");
        for case in cases {
            let name = case
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            trials.push(
                Trial::test(name, move || {
                    check_case(&case, provider).map_err(Failed::from)
                })
                .with_kind(provider.as_str()),
            );
        }
    }
    // The benchmark pair's shapes (`planner/benches/support/generated_schema.rs`) at a size
    // that runs in seconds: what the benchmarks time must be a migration that works.
    for provider in [Provider::Sqlite, Provider::Postgresql] {
        trials.push(
            Trial::test("generated_benchmark_pair_60_models", move || {
                let schema = |side| {
                    let source = generated_schema(provider.as_str(), 60, side);
                    database_schema_from_source(&source).map_err(|errors| {
                        Failed::from(format!(
                            "the generated schema is invalid: {}",
                            errors.errors[0]
                        ))
                    })
                };
                let previous = schema(generated_schema::Side::Previous)?;
                let next = schema(generated_schema::Side::Next)?;
                check_pair(
                    &previous,
                    &next,
                    provider,
                    &DiffOptions {
                        online_ddl: OnlineDdl::On,
                        ..DiffOptions::default()
                    },
                )
                .map_err(Failed::from)
            })
            .with_kind(provider.as_str()),
        );
    }
    trials.push(Trial::test(
        "sqlite_rebuild_keeps_a_view_over_the_rebuilt_table",
        || {
            sqlite_rebuild_keeps_a_view_over_the_rebuilt_table();
            Ok(())
        },
    ));
    libtest_mimic::run(&arguments, trials).exit();
}

/// A SQLite table rebuild must not trip over a view that reads the rebuilt table: the view is
/// not in the schema (the planner never touches it) and must still work afterwards.
fn sqlite_rebuild_keeps_a_view_over_the_rebuilt_table() {
    let database = TemporarySqliteDatabase::new();
    let mut connection = database.open();
    let source = |total_type: &str| {
        format!("datasource db {{\n  provider = \"sqlite\"\n}}\nmodel Order {{\n  id Int @id\n  total {total_type}\n}}\n")
    };
    let previous = database_schema_from_source(&source("Int")).expect("valid");
    let next = database_schema_from_source(&source("Float")).expect("valid");
    apply(
        &mut connection,
        &plan(&DatabaseSchema::empty(Provider::Sqlite), &previous, None),
    )
    .expect("previous builds");
    connection
        .execute_batch("INSERT INTO \"Order\" VALUES (1, 5); CREATE VIEW big_orders AS SELECT id FROM \"Order\" WHERE total > 1;")
        .expect("the view is created");
    let migration = plan(&previous, &next, None);
    assert!(
        migration.requires_rebuild,
        "an Int to Float change rebuilds the table on SQLite"
    );
    apply(&mut connection, &migration).expect("the rebuild applies with a view over the table");
    let rows = connection
        .query_rows("SELECT CAST(COUNT(*) AS TEXT) FROM big_orders")
        .expect("the view still works");
    assert_eq!(rows, vec![vec![Some("1".to_string())]]);
}
