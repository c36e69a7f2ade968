//! The real schema histories in `../shared/corpus/prisma` (rallly on PostgreSQL, pingvin-share
//! on SQLite):
//! - round trip: every schema version, built from empty and introspected, diffs empty;
//! - replay: each history walked step by step on one database, applying our plan for each
//!   consecutive pair of schemas that `steps.tsv` marks usable. A pair it marks unusable
//!   (migrations removed or modified, previous step not an ancestor) is not planned from the
//!   previous schema; the database is re-based by planning from its introspected state
//!   instead. Every step must apply and converge.
//!
//! A `harness = false` target: one libtest-mimic trial per schema round trip, named
//! `round_trip::<app>::<schema file>`, and one per history replay, `replay::<app>`, so one runs
//! alone: `cargo test -p tests --test corpus -- --exact replay::rallly`.
//!
//! Where the corpus is absent, no trial is registered and a notice says so; under `CI=true` a
//! missing corpus fails instead (`tests::required_corpus_directory`), and `COMON_TEST_CORPUS`
//! points the test at another folder.

use std::path::{Path, PathBuf};

use comon_database::Database;
use libtest_mimic::{Arguments, Failed, Trial};
use planner::{
    database_schema_from_source, plan_migration, render_plan, DatabaseSchema, DiffOptions,
    MigrationPlan, Provider,
};
use tests::{required_corpus_directory, TemporaryPostgresDatabase, TemporarySqliteDatabase};

/// Extensions the apps create by hand in their migrations; they belong to the environment.
const POSTGRES_EXTENSIONS: &str =
    "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;";

struct Step {
    schema_path: PathBuf,
    usable_pair: bool,
    schema_changed: bool,
}

fn read_steps(application: &Path) -> Vec<Step> {
    let text =
        std::fs::read_to_string(application.join("steps.tsv")).expect("steps.tsv is readable");
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .expect("steps.tsv has a header")
        .split('\t')
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|column| *column == name)
            .unwrap_or_else(|| panic!("steps.tsv has no column {name}"))
    };
    let (schema_file, removed, modified, ancestor, changed) = (
        column("schema_file"),
        column("migrations_removed_since_prev_step"),
        column("migrations_modified_since_prev_step"),
        column("prev_step_is_ancestor"),
        column("schema_changed_vs_prev_step"),
    );
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Step {
                schema_path: application.join(cells[schema_file]),
                usable_pair: cells[removed] == "-"
                    && cells[modified] == "-"
                    && cells[ancestor] == "yes"
                    && cells[changed] == "yes",
                schema_changed: cells[changed] != "no",
            }
        })
        .collect()
}

fn load_schema(path: &Path) -> Result<DatabaseSchema, String> {
    let source =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    database_schema_from_source(&source)
        .map_err(|errors| format!("{} is rejected:\n{errors}", path.display()))
}

/// Held only so that dropping it removes the database; the schema file names its provider.
#[allow(dead_code)]
enum TemporaryDatabase {
    Postgresql(TemporaryPostgresDatabase),
    Sqlite(TemporarySqliteDatabase),
}

impl TemporaryDatabase {
    fn new(provider: Provider) -> (TemporaryDatabase, Database) {
        match provider {
            Provider::Postgresql => {
                let database = TemporaryPostgresDatabase::new();
                let mut connection = database.open();
                connection
                    .execute_batch(POSTGRES_EXTENSIONS)
                    .expect("the corpus extensions can be created");
                (TemporaryDatabase::Postgresql(database), connection)
            }
            Provider::Sqlite => {
                let database = TemporarySqliteDatabase::new();
                let connection = database.open();
                (TemporaryDatabase::Sqlite(database), connection)
            }
        }
    }
}

fn apply(connection: &mut Database, plan: &MigrationPlan) -> Result<(), String> {
    let rendered = render_plan(plan);
    connection
        .apply_statements(&rendered.statements)
        .map_err(|error| format!("{error}\n--- SQL ---\n{}", rendered.sql))
}

fn remaining_difference(
    connection: &mut Database,
    next: &DatabaseSchema,
) -> Result<Option<String>, String> {
    let live = connection.introspect().map_err(|error| error.to_string())?;
    let remaining =
        plan_migration(&live, next, &DiffOptions::default()).map_err(|error| error.to_string())?;
    Ok((!remaining.steps.is_empty()).then(|| render_plan(&remaining).sql))
}

/// The histories, each with its provider's database: rallly on PostgreSQL, pingvin-share on
/// SQLite.
const APPLICATIONS: [&str; 2] = ["rallly", "pingvin-share"];

fn main() {
    let mut arguments = Arguments::from_args();
    // Each round trip mostly waits on creating and dropping its database, so four at a time
    // shorten the run even on two cores; `--test-threads` still decides when given.
    arguments.test_threads = arguments.test_threads.or(Some(4));
    let mut trials = Vec::new();
    if let Some(corpus) = required_corpus_directory() {
        for application_name in APPLICATIONS {
            let application = corpus.join(application_name);
            for step in read_steps(&application) {
                let schema_file = step
                    .schema_path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let schema_path = step.schema_path;
                trials.push(Trial::test(
                    format!("round_trip::{application_name}::{schema_file}"),
                    move || {
                        schema_round_trips_through_a_real_database(&schema_path).map_err(
                            |problem| Failed::from(format!("{}: {problem}", schema_path.display())),
                        )
                    },
                ));
            }
            trials.push(Trial::test(
                format!("replay::{application_name}"),
                move || history_replays_step_by_step(&application),
            ));
        }
    }
    libtest_mimic::run(&arguments, trials).exit();
}

/// The schema built from empty on a fresh database, introspected, diffs empty against itself.
fn schema_round_trips_through_a_real_database(schema_path: &Path) -> Result<(), String> {
    let schema = load_schema(schema_path)?;
    let (_guard, mut connection) = TemporaryDatabase::new(schema.provider);
    apply(
        &mut connection,
        &plan_migration(
            &DatabaseSchema::empty(schema.provider),
            &schema,
            &DiffOptions::default(),
        )
        .map_err(|error| error.to_string())?,
    )?;
    match remaining_difference(&mut connection, &schema)? {
        None => Ok(()),
        Some(sql) => Err(format!(
            "introspected schema differs from the source:\n{sql}"
        )),
    }
}

/// Walks the application's history on one database; every step must apply and converge.
fn history_replays_step_by_step(application: &Path) -> Result<(), Failed> {
    let mut failures = Vec::new();
    let steps = read_steps(application);
    let mut planned_pairs = 0;
    let mut rebased = 0;
    let mut current: Option<(TemporaryDatabase, Database, DatabaseSchema)> = None;
    for step in &steps {
        let next = match load_schema(&step.schema_path) {
            Ok(schema) => schema,
            Err(problem) => {
                failures.push(problem);
                continue;
            }
        };
        let provider_changed = current
            .as_ref()
            .is_none_or(|(_, _, previous)| previous.provider != next.provider);
        if provider_changed {
            let (guard, connection) = TemporaryDatabase::new(next.provider);
            current = Some((guard, connection, DatabaseSchema::empty(next.provider)));
        }
        let Some((_, connection, previous)) = current.as_mut() else {
            continue;
        };
        if !step.schema_changed && !provider_changed {
            continue;
        }
        let plan_base = if step.usable_pair || provider_changed {
            planned_pairs += usize::from(!provider_changed);
            previous.clone()
        } else {
            rebased += 1;
            match connection.introspect() {
                Ok(live) => live,
                Err(error) => {
                    failures.push(format!(
                        "{}: introspection failed: {error}",
                        step.schema_path.display()
                    ));
                    continue;
                }
            }
        };
        let result = plan_migration(&plan_base, &next, &DiffOptions::default())
            .map_err(|error| error.to_string())
            .and_then(|plan| apply(connection, &plan))
            .and_then(|()| match remaining_difference(connection, &next)? {
                None => Ok(()),
                Some(sql) => Err(format!("not converged:\n{sql}")),
            });
        if let Err(problem) = result {
            failures.push(format!("{}: {problem}", step.schema_path.display()));
            // Continue from what the database now holds, so one failure does not hide the rest.
        }
        *previous = next;
    }
    println!(
        "{}: {} steps, {planned_pairs} consecutive pairs planned and applied, {rebased} re-based from the live database",
        application.file_name().unwrap_or_default().to_string_lossy(),
        steps.len()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} replay failures:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        )
        .into())
    }
}
