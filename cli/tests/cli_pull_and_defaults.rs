//! The `comon` binary end to end on what the planner must not get wrong: `db pull` on a real
//! SQLite file gives a schema that describes it and builds again from empty, and defaults that
//! PostgreSQL rewrites (jsonb, bytea, ...) neither block `migrate dev` nor show as drift.

mod support;

use support::{Project, Provider, TemporaryDatabase};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/sqlite")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn db_pull_on_sqlite_files_describes_them_and_builds_again() {
    for name in [
        "sqlite_declared_types.sql",
        "sqlite_foreign_key_examples.sql",
        "chinook.sql",
    ] {
        let source = Project::new(Provider::Sqlite, "");
        source.database.execute(&fixture(name));
        source.comon(&["db", "pull"]).expect(0, &["Introspected"]);
        let pulled = source.read("prisma/schema.prisma");
        assert!(!pulled.contains("sqlite_autoindex"), "{name}:\n{pulled}");
        source.comon(&["validate"]).expect(0, &[]);
        source.expect_no_difference_from_database();

        // The same schema on an empty file: built from empty, then no difference either.
        let empty = TemporaryDatabase::new(Provider::Sqlite);
        source.comon_with_url(&empty.url(), &["db", "push"]).expect(
            0,
            &["Your database is now in sync with your Prisma schema."],
        );
        source.expect_no_difference_from_database_at(&empty.url());
    }
}

/// PostgreSQL stores `jsonb` defaults normalised and prints `bytea` in hex: `migrate dev` once
/// rolled such a migration back, its post-apply check seeing drift.
#[test]
fn migrate_dev_applies_defaults_postgresql_rewrites_and_sees_no_drift() {
    let models = "model Setting {\n  id    Int   @id\n  value Json  @default(\"{\\\"zeta\\\": 1, \\\"alpha\\\": {\\\"b\\\":2,\\\"a\\\":[1.50]}}\")\n  blob  Bytes @default(\"hello\")\n  at    DateTime @default(\"1970-01-01T08:00:00Z\") @db.Time(0)\n}\n";
    let project = Project::new(Provider::Postgresql, models);
    project
        .comon(&["migrate", "dev", "--name", "init"])
        .expect(0, &["Migration draft written: prisma/migrations/"]);
    project
        .comon(&["migrate", "status"])
        .expect(0, &[])
        .lacks("drift");
    project
        .comon(&["migrate", "dev", "--name", "again"])
        .expect(0, &["Already in sync, no schema changes detected."]);
    project.expect_no_difference_from_database();
}
