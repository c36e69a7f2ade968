//! rallly's real migrations folder replayed in order on PostgreSQL, through `db execute` on one
//! database and `migrate deploy` on another. Five of its folders hold `BEGIN; ... COMMIT;`
//! blocks that Prisma wrote around enum changes: inside comon's transaction they must neither
//! commit early nor leave half a migration behind when a later statement fails.

mod support;

use comon_database::Database;
use planner::database_schema::to_prisma::render_prisma_schema;
use planner::migrations::database_schema_from_snapshot;
use planner::{plan_migration, DiffOptions};
use std::path::PathBuf;
use support::{comon_in, Project, Provider};
use tests::TemporaryPostgresDatabase;

/// The corpus, or `None` (after a notice) when this checkout has none; under CI, which must
/// run the replay, a missing corpus fails.
fn rallly_migrations() -> Option<PathBuf> {
    tests::required_corpus_directory().map(|corpus| corpus.join("rallly").join("migrations"))
}

/// What the corpus README says rallly's environment provides.
const EXTENSIONS: &str = "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;";

fn has_transaction_block(sql: &str) -> bool {
    sql.lines()
        .any(|line| line.trim().eq_ignore_ascii_case("BEGIN;"))
}

fn snapshot(database: &mut Database) -> String {
    render_prisma_schema(&database.introspect().expect("introspection"))
}

/// The live database matches the snapshot exactly.
fn assert_at_snapshot(database: &mut Database, snapshot: &str, context: &str) {
    let expected = database_schema_from_snapshot(planner::Provider::Postgresql, snapshot)
        .expect("snapshot reads");
    let live = database.introspect().expect("introspection");
    let plan = plan_migration(&live, &expected, &DiffOptions::default()).expect("plan");
    let steps: Vec<String> = plan.steps.iter().map(|step| step.summary()).collect();
    assert!(
        steps.is_empty(),
        "{context}: the database is not where it was: {steps:?}"
    );
}

const FAILING_TAIL: &str =
    "\n-- A statement that fails after the block committed.\nSELECT 1 / 0;\n";

#[test]
fn rallly_replays_with_its_transaction_blocks_on_postgresql() {
    let Some(migrations) = rallly_migrations() else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(&migrations)
        .expect("rallly migrations")
        .map(|entry| entry.expect("entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();

    // The reference database: every script as Prisma runs it, the five with blocks through
    // `db execute` (first with a failing statement appended, which must change nothing).
    let project = Project::new(Provider::Postgresql, "");
    project.database.execute(EXTENSIONS);
    let reference = TemporaryPostgresDatabase::new();
    let mut reference_connection = reference.open();
    reference_connection
        .execute_batch(EXTENSIONS)
        .expect("extensions");
    let environment = [("DATABASE_URL", reference.url())];
    let mut with_blocks = Vec::new();
    for name in &names {
        let sql = std::fs::read_to_string(migrations.join(name).join("migration.sql"))
            .expect("migration.sql");
        let before = snapshot(&mut reference_connection);
        if has_transaction_block(&sql) {
            with_blocks.push(name.clone());
            project.write("failing.sql", &format!("{sql}{FAILING_TAIL}"));
            comon_in(
                project.path(),
                &environment,
                &["db", "execute", "--file", "failing.sql"],
            )
            .expect(1, &["error[statement-failed]", "division by zero"]);
            assert_at_snapshot(
                &mut reference_connection,
                &before,
                &format!("db execute of {name} with a failing tail"),
            );
            project.write("script.sql", &sql);
            comon_in(
                project.path(),
                &environment,
                &["db", "execute", "--file", "script.sql"],
            )
            .expect(0, &["Script executed successfully."]);
        } else {
            reference_connection
                .execute_batch(&sql)
                .unwrap_or_else(|error| panic!("{name}: {error}"));
        }
        let after = snapshot(&mut reference_connection);
        let folder = format!("prisma/migrations/{name}");
        project.write(&format!("{folder}/migration.sql"), &sql);
        project.write(&format!("{folder}/before.prisma"), &before);
        project.write(&format!("{folder}/after.prisma"), &after);
    }
    assert_eq!(
        with_blocks.len(),
        5,
        "rallly has five folders with BEGIN; ... COMMIT; blocks: {with_blocks:?}"
    );

    // The deploy: each folder with a block first fails on an appended statement, which must
    // leave the database where the previous migration left it and record nothing.
    let mut connection = Database::open(&project.database.url()).expect("the deploy database");
    for name in &with_blocks {
        let path = format!("prisma/migrations/{name}/migration.sql");
        let sql = project.read(&path);
        project.write(&path, &format!("{sql}{FAILING_TAIL}"));
        project
            .comon(&["migrate", "deploy"])
            .expect(1, &["error[statement-failed]", name, "division by zero"]);
        let before = project.read(&format!("prisma/migrations/{name}/before.prisma"));
        assert_at_snapshot(
            &mut connection,
            &before,
            &format!("deploy of {name} with a failing tail"),
        );
        let recorded = connection
            .query_rows(&format!(
                "SELECT COUNT(*)::text FROM \"_comon_orm_migrations\" WHERE name = '{name}'"
            ))
            .expect("history");
        assert_eq!(
            recorded[0][0].as_deref(),
            Some("0"),
            "{name} is not recorded"
        );
        project.write(&path, &sql);
    }
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[
            &format!("{} migrations found", names.len()),
            "All migrations have been successfully applied.",
        ],
    );
    let last = names.last().expect("a migration");
    assert_at_snapshot(
        &mut connection,
        &project.read(&format!("prisma/migrations/{last}/after.prisma")),
        "after the deploy",
    );
    let finished = connection
        .query_rows("SELECT COUNT(*)::text FROM \"_comon_orm_migrations\" WHERE state = 'finished'")
        .expect("history");
    assert_eq!(
        finished[0][0].as_deref(),
        Some(names.len().to_string().as_str())
    );
    project.expect_no_status_issues();
}
