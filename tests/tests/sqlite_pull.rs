//! `db pull` on real SQLite databases: the pulled schema must validate, describe its database
//! exactly (an empty plan both ways), and build a database from empty that diffs empty against
//! it too (so it names no index SQLite refuses to create, such as `sqlite_autoindex_*`).
//!
//! The databases: pingvin-share's, built by applying its Prisma migrations in order (from the
//! corpus), and the SQL fixtures in `tests/fixtures/sqlite/` (each says where it comes from):
//! the Chinook sample database, the foreign key examples of SQLite's own test suite, and one
//! column of every declared type in SQLite's datatype documentation.

use std::path::{Path, PathBuf};

use comon_database::Database;
use planner::database_schema::to_prisma::render_prisma_schema;
use planner::{
    database_schema_from_source, plan_migration, render_plan, DatabaseSchema, DiffOptions, Provider,
};
use tests::TemporarySqliteDatabase;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("sqlite")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn assert_no_difference(label: &str, previous: &DatabaseSchema, next: &DatabaseSchema) {
    let plan = plan_migration(previous, next, &DiffOptions::default()).unwrap();
    assert!(
        plan.steps.is_empty(),
        "{label}:\n{}",
        render_plan(&plan).sql
    );
}

/// Pulls the database's schema and checks it both ways; returns the pulled text.
fn check_pull(name: &str, database: &mut Database) -> String {
    let live = database.introspect().unwrap();
    assert!(!live.tables.is_empty(), "{name}: nothing was introspected");
    let pulled_text = render_prisma_schema(&live);
    let pulled = database_schema_from_source(&pulled_text).unwrap_or_else(|errors| {
        panic!("{name}: the pulled schema does not validate:\n{errors}\n{pulled_text}")
    });
    assert_no_difference(
        &format!("{name}: database -> pulled schema\n{pulled_text}"),
        &live,
        &pulled,
    );
    assert_no_difference(
        &format!("{name}: pulled schema -> database\n{pulled_text}"),
        &pulled,
        &live,
    );

    let rebuilt_file = TemporarySqliteDatabase::new();
    let mut rebuilt = rebuilt_file.open();
    let creation = plan_migration(
        &DatabaseSchema::empty(Provider::Sqlite),
        &pulled,
        &DiffOptions::default(),
    )
    .unwrap();
    if let Err(error) = rebuilt.apply_statements(&render_plan(&creation).statements) {
        panic!(
            "{name}: the pulled schema cannot be built from empty: {error}\n{}",
            render_plan(&creation).sql
        );
    }
    let rebuilt_live = rebuilt.introspect().unwrap();
    assert_no_difference(
        &format!("{name}: rebuilt database -> pulled schema"),
        &rebuilt_live,
        &pulled,
    );
    assert_no_difference(
        &format!("{name}: original database -> rebuilt database"),
        &live,
        &rebuilt_live,
    );
    pulled_text
}

fn database_from_sql(sql: &str) -> (TemporarySqliteDatabase, Database) {
    let file = TemporarySqliteDatabase::new();
    let mut database = file.open();
    database.execute_batch(sql).unwrap();
    (file, database)
}

#[test]
fn chinook_pulls_to_a_schema_that_describes_it() {
    let (_file, mut database) = database_from_sql(&fixture("chinook.sql"));
    let pulled = check_pull("chinook", &mut database);
    assert!(pulled.contains("@db.NVarChar(160)"), "{pulled}");
    assert!(
        pulled.contains("Decimal  @db.Numeric(10, 2)") || pulled.contains("@db.Numeric(10, 2)"),
        "{pulled}"
    );
    assert!(
        pulled.contains("DateTime? @db.DateTime") || pulled.contains("@db.DateTime"),
        "{pulled}"
    );
    assert!(!pulled.contains("Unsupported"), "{pulled}");
}

#[test]
fn sqlite_foreign_key_examples_pull_to_a_schema_that_describes_them() {
    let (_file, mut database) = database_from_sql(&fixture("sqlite_foreign_key_examples.sql"));
    let pulled = check_pull("sqlite foreign key examples", &mut database);
    assert!(!pulled.contains("sqlite_autoindex"), "{pulled}");
}

#[test]
fn every_declared_type_pulls_to_a_field_that_lowers_back_to_it() {
    let (_file, mut database) = database_from_sql(&fixture("sqlite_declared_types.sql"));
    let pulled = check_pull("sqlite declared types", &mut database);
    assert!(!pulled.contains("sqlite_autoindex"), "{pulled}");
    for expected in [
        "@default(now()) @db.DateTime",
        "@db.Date",
        "@db.Decimal(10, 5)",
        "@db.BigInt",
        "@db.VarChar(255)",
        "@db.DateTime(3)",
        "@db.Json",
        "@db.DoublePrecision",
    ] {
        assert!(
            pulled.contains(expected),
            "`{expected}` is missing:\n{pulled}"
        );
    }
    // Declared types no native type spells stay `Unsupported`, which still lowers back to them.
    for unsupported in [
        "UNSIGNED BIG INT",
        "VARYING CHARACTER(255)",
        "NATIVE CHARACTER(70)",
    ] {
        assert!(
            pulled.contains(&format!("Unsupported(\"{unsupported}\")")),
            "{unsupported}:\n{pulled}"
        );
    }
}

/// Inline UNIQUE constraints are part of the table: pulled without a name, built back as an
/// index of the default name (the differ sees the same constraint), and a constraint that goes
/// away rebuilds the table rather than dropping an index SQLite will not drop.
#[test]
fn inline_unique_constraints_are_pulled_as_unique_fields() {
    let (_file, mut database) = database_from_sql(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT UNIQUE, a INT, b INT, UNIQUE (a, b));",
    );
    let pulled = check_pull("inline unique", &mut database);
    assert!(pulled.contains("code String? @unique\n"), "{pulled}");
    assert!(pulled.contains("@@unique([a, b])\n"), "{pulled}");

    let live = database.introspect().unwrap();
    let without_unique =
        database_schema_from_source(&pulled.replace("code String? @unique", "code String?"))
            .unwrap();
    let plan = plan_migration(&live, &without_unique, &DiffOptions::default()).unwrap();
    let sql = render_plan(&plan).sql;
    assert!(!sql.contains("DROP INDEX"), "{sql}");
    assert!(plan.requires_rebuild, "{sql}");
    database
        .apply_statements(&render_plan(&plan).statements)
        .unwrap();
    assert_no_difference(
        "after dropping the constraint",
        &database.introspect().unwrap(),
        &without_unique,
    );
}

/// A pulled constraint whose default name another index already has gets a free name.
#[test]
fn inline_unique_constraint_next_to_an_index_of_its_default_name() {
    let (_file, mut database) = database_from_sql(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT UNIQUE); CREATE INDEX t_code_key ON t (id);",
    );
    let pulled = check_pull("inline unique beside a taken name", &mut database);
    assert!(
        pulled.contains("@unique(map: \"t_code_key_2\")"),
        "{pulled}"
    );
}

/// The migrations folder of pingvin-share, applied in order as Prisma applied them.
fn pingvin_migration_files() -> Option<Vec<PathBuf>> {
    let migrations = tests::required_corpus_directory()?
        .join("pingvin-share")
        .join("migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&migrations)
        .unwrap_or_else(|error| panic!("{}: {error}", migrations.display()))
        .map(|entry| entry.expect("readable entry").path().join("migration.sql"))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn pingvin_share_built_by_its_migrations_pulls_to_a_schema_that_describes_it() {
    let Some(files) = pingvin_migration_files() else {
        return;
    };
    assert!(files.len() > 20, "{} migrations", files.len());
    let file = TemporarySqliteDatabase::new();
    let mut database = file.open();
    for path in &files {
        let sql = std::fs::read_to_string(path).unwrap();
        database
            .execute_batch(&sql)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    }
    let pulled = check_pull("pingvin-share", &mut database);
    assert!(!pulled.contains("Unsupported"), "{pulled}");
    assert!(pulled.contains("@default(now()) @db.DateTime"), "{pulled}");
}
