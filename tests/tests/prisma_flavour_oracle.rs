//! Oracle for the Prisma flavour's mapping: for every schema of the shared corpus, the catalog
//! of a database that comon builds from empty in the Prisma flavour equals the catalog of one
//! built from the SQL that Prisma's own planner writes for the same schema (tables, column
//! types, nullability, defaults, keys, indexes, foreign keys and their names, enums; column
//! order aside; on PostgreSQL the sequences, which tell `SERIAL` from identity columns), and
//! comon plans nothing from the database Prisma built to the schema.
//!
//! Prisma's SQL comes from `tests/fixtures/prisma_peer/<app>/`, which
//! `scripts/prisma-peer-fixtures.sh` writes with `../shared/tools/prisma-peer` (see its header);
//! schemas whose SQL is identical share one fixture, and `index.tsv` maps each corpus schema to
//! its fixture. rallly runs on PostgreSQL (with the extensions its migrations create by hand),
//! pingvin-share on SQLite (its first schema is a PostgreSQL one and runs there), and the
//! schemas of `tests/fixtures/prisma_peer_schemas/` (`mapping-rules`: native types, enums,
//! many-to-many tables, default referential actions and integer ids on both providers) on the
//! provider each names.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use comon_database::Database;
use planner::{
    database_schema_from_source_in_flavour, plan_migration, render_plan, DatabaseSchema,
    DiffOptions, Flavour, Provider,
};
use tests::catalog::{catalog_difference, sequences};
use tests::TemporaryDatabase;

/// Extensions the apps create by hand in their migrations; they belong to the environment.
const POSTGRES_EXTENSIONS: &str =
    "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;";

fn fixtures_directory() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/prisma_peer"))
}

/// One line of an application's `index.tsv`.
struct IndexEntry {
    schema: String,
    fixture: Option<String>,
}

fn read_index(application: &Path) -> Vec<IndexEntry> {
    let path = application.join("index.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let schema = fields.next().unwrap_or_default().to_string();
            let fixture = fields.next().unwrap_or_default();
            IndexEntry {
                schema,
                fixture: (fixture != "rejected").then(|| fixture.to_string()),
            }
        })
        .collect()
}

/// The two databases of one provider that every fixture is built in, one from Prisma's SQL
/// and one from comon's plan. Creating a PostgreSQL database takes about a second, so each
/// fixture starts by emptying them instead.
struct DatabasePair {
    _prisma_guard: TemporaryDatabase,
    prisma: Database,
    _comon_guard: TemporaryDatabase,
    comon: Database,
}

impl DatabasePair {
    fn new(provider: Provider) -> DatabasePair {
        let prisma_guard = TemporaryDatabase::new(provider);
        let comon_guard = TemporaryDatabase::new(provider);
        let mut pair = DatabasePair {
            prisma: prisma_guard.open(),
            _prisma_guard: prisma_guard,
            comon: comon_guard.open(),
            _comon_guard: comon_guard,
        };
        if provider == Provider::Postgresql {
            // These databases are thrown away: waiting for each commit to reach the disk
            // would only make the test slower.
            for connection in [&mut pair.prisma, &mut pair.comon] {
                connection
                    .execute_batch("SET synchronous_commit = off")
                    .expect("a session setting can be changed");
            }
        }
        pair
    }

    /// Empties both databases: on PostgreSQL the `public` schema is dropped and made again
    /// with the corpus extensions in it; on SQLite every table goes.
    fn reset(&mut self) -> Result<(), String> {
        for connection in [&mut self.prisma, &mut self.comon] {
            match connection.provider() {
                Provider::Postgresql => connection
                    .execute_batch(&format!(
                        "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; {POSTGRES_EXTENSIONS}"
                    ))
                    .map_err(|error| format!("cannot empty the database: {error}"))?,
                Provider::Sqlite => {
                    let tables = connection
                        .query_rows(
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                        )
                        .map_err(|error| error.to_string())?;
                    let drops: String = tables
                        .iter()
                        .filter_map(|row| row.first().cloned().flatten())
                        .map(|name| format!("DROP TABLE \"{}\";", name.replace('"', "\"\"")))
                        .collect();
                    connection
                        .execute_batch(&format!("PRAGMA foreign_keys = OFF; {drops} PRAGMA foreign_keys = ON;"))
                        .map_err(|error| format!("cannot empty the database: {error}"))?;
                }
            }
        }
        Ok(())
    }
}

/// Builds both databases for one fixture and compares them; `Err` says how they differ.
fn check_fixture(
    databases: &mut DatabasePair,
    schema_text: &str,
    prisma_sql: &str,
) -> Result<(), String> {
    let next = database_schema_from_source_in_flavour(schema_text, Flavour::Prisma)
        .map_err(|errors| format!("comon rejects the schema: {errors}"))?;
    let provider = next.provider;
    databases.reset()?;

    databases
        .prisma
        .execute_batch(prisma_sql)
        .map_err(|error| format!("Prisma's SQL does not apply: {error}"))?;
    let prisma_schema = databases
        .prisma
        .introspect()
        .map_err(|error| error.to_string())?;

    let plan = plan_migration(
        &DatabaseSchema::empty(provider),
        &next,
        &DiffOptions::default(),
    )
    .map_err(|error| error.to_string())?;
    let rendered = render_plan(&plan);
    databases
        .comon
        .apply_statements(&rendered.statements)
        .map_err(|error| format!("comon's plan does not apply: {error}"))?;
    let comon_schema = databases
        .comon
        .introspect()
        .map_err(|error| error.to_string())?;

    if let Some(difference) = catalog_difference("comon", &comon_schema, "Prisma", &prisma_schema) {
        return Err(difference);
    }
    let (comon_sequences, prisma_sequences) = (
        sequences(&mut databases.comon)?,
        sequences(&mut databases.prisma)?,
    );
    if comon_sequences != prisma_sequences {
        return Err(format!(
            "sequences: comon {comon_sequences:?}, Prisma {prisma_sequences:?}"
        ));
    }
    let drift = plan_migration(&prisma_schema, &next, &DiffOptions::default())
        .map_err(|error| error.to_string())?;
    if !drift.steps.is_empty() {
        return Err(format!(
            "comon plans a change from the database Prisma built to its schema:\n{}",
            render_plan(&drift).sql
        ));
    }
    Ok(())
}

/// The provider a schema's datasource names, read as the planner reads it.
fn provider_of(schema_text: &str) -> Result<Provider, String> {
    planner::parse_and_validate(schema_text)
        .map(|data_model| data_model.provider)
        .map_err(|errors| format!("comon rejects the schema: {errors}"))
}

/// Checks every fixture of one application; returns (corpus schemas covered, fixtures
/// checked, failures).
fn check_application(name: &str) -> (usize, usize, Vec<String>) {
    let application = fixtures_directory().join(name);
    let entries = read_index(&application);
    let mut failures = Vec::new();
    let mut databases: HashMap<Provider, DatabasePair> = HashMap::new();
    let mut fixtures: Vec<&str> = entries
        .iter()
        .filter_map(|entry| entry.fixture.as_deref())
        .collect();
    fixtures.sort_unstable();
    fixtures.dedup();
    for entry in entries.iter().filter(|entry| entry.fixture.is_none()) {
        println!(
            "{name}/{}: Prisma rejects this schema; not checked",
            entry.schema
        );
    }
    for fixture in &fixtures {
        let origin = format!("{name}/{fixture}");
        let read = |extension: &str| {
            let path = application.join(format!("{fixture}.{extension}"));
            std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        };
        let schema_text = read("prisma");
        let result = provider_of(&schema_text).and_then(|provider| {
            let databases = databases
                .entry(provider)
                .or_insert_with(|| DatabasePair::new(provider));
            check_fixture(databases, &schema_text, &read("sql"))
        });
        if let Err(difference) = result {
            failures.push(format!("{origin}: {difference}"));
        }
    }
    let covered = entries
        .iter()
        .filter(|entry| entry.fixture.is_some())
        .count();
    println!(
        "{name}: {covered} schemas ({} distinct Prisma scripts) checked, {} differ",
        fixtures.len(),
        failures.len()
    );
    (covered, fixtures.len(), failures)
}

fn assert_application_matches(name: &str, expected_schemas: usize) {
    let (covered, fixtures, failures) = check_application(name);
    assert!(
        failures.is_empty(),
        "{} of {fixtures} fixtures differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        covered, expected_schemas,
        "{name}: every corpus schema is covered by a fixture"
    );
}

#[test]
fn rallly_schemas_build_the_catalog_prisma_builds_on_postgresql() {
    assert_application_matches("rallly", 123);
}

#[test]
fn pingvin_share_schemas_build_the_catalog_prisma_builds_on_sqlite() {
    assert_application_matches("pingvin-share", 28);
}

#[test]
fn mapping_rule_schemas_build_the_catalog_prisma_builds_on_both_providers() {
    assert_application_matches("mapping-rules", 10);
}
