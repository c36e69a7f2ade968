//! Two deploys at once apply each migration exactly once; a statement that cannot run in a
//! transaction (`CREATE INDEX CONCURRENTLY`) makes its migration run outside one, with
//! `started`/`finished` states, and a failure there leaves a `failed` row that blocks deploys
//! until `migrate resolve`.

mod support;

use support::{
    spawn_comon, wait, Project, Provider, TemporaryDatabase, USERS, USERS_AND_POSTS,
    USERS_WITH_BIO_AND_POSTS,
};
use tests::test_on_each_provider;

fn concurrent_deploys(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    project.migrate_dev_to(USERS_AND_POSTS, "posts");
    project.migrate_dev_to(USERS_WITH_BIO_AND_POSTS, "bio");
    for round in 0..3 {
        let target = TemporaryDatabase::new(provider);
        let url = target.url();
        let environment = [("DATABASE_URL", url.as_str())];
        let first = spawn_comon(project.path(), &environment, &["migrate", "deploy"]);
        let second = spawn_comon(project.path(), &environment, &["migrate", "deploy"]);
        let (first, second) = (wait(first), wait(second));
        first.expect(0, &[]);
        second.expect(0, &[]);
        let applied_lines = first.stdout.matches("Applying migration `").count()
            + second.stdout.matches("Applying migration `").count();
        assert_eq!(
            applied_lines, 3,
            "round {round}: each migration is applied by one of the two\n{first:?}\n{second:?}"
        );
        let rows = target.column("SELECT name FROM \"_comon_orm_migrations\" ORDER BY name");
        assert_eq!(
            rows.len(),
            3,
            "round {round}: one history row per migration: {rows:?}"
        );
        project.expect_no_status_issues_at(&url);
    }
}

test_on_each_provider!(
    concurrent_deploys,
    sqlite: two_concurrent_deploys_apply_each_migration_once_on_sqlite,
    postgresql: two_concurrent_deploys_apply_each_migration_once_on_postgresql,
);

#[test]
fn create_index_concurrently_runs_outside_a_transaction_and_a_failure_blocks_until_resolved() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS_AND_POSTS);

    // An index on an existing table: dev writes it CONCURRENTLY, in the online phase after the
    // commit, and deploy runs it there.
    project.write_schema(&USERS_AND_POSTS.replace(
        "  @@index([title])\n",
        "  @@index([title])\n  @@index([authorId])\n",
    ));
    project
        .comon(&["migrate", "dev", "--name", "author_index", "--create-only"])
        .expect(0, &[]);
    let author_index = project.migration("author_index");
    let sql_path = format!("prisma/migrations/{author_index}/migration.sql");
    let sql = project.read(&sql_path);
    assert!(
        sql.starts_with("-- comon:after-commit\n")
            && sql.contains("CREATE INDEX CONCURRENTLY \"Post_authorId_idx\""),
        "{sql}"
    );
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[
            &format!("Applying migration `{author_index}`"),
            "online phase after the commit",
        ],
    );
    assert_eq!(
        project.database.column(&format!(
            "SELECT state FROM \"_comon_orm_migrations\" WHERE name = '{author_index}'"
        )),
        vec![Some("finished".to_string())]
    );
    project.expect_no_status_issues();

    // A failing one: the row stays `failed`, status reports it, deploy refuses until resolved.
    project.write_schema(&USERS_AND_POSTS.replace(
        "  @@index([title])\n",
        "  @@index([title])\n  @@index([authorId])\n  @@index([title, authorId])\n",
    ));
    project
        .comon(&["migrate", "dev", "--name", "pair_index", "--create-only"])
        .expect(0, &[]);
    let pair_index = project.migration("pair_index");
    let pair_path = format!("prisma/migrations/{pair_index}/migration.sql");
    let reviewed = project.read(&pair_path);
    project.write(
        &pair_path,
        "CREATE INDEX CONCURRENTLY \"Post_title_authorId_idx\" ON \"Missing\" (\"title\");\n",
    );
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &[
            "error[statement-failed]",
            "relation \"Missing\" does not exist",
        ],
    );
    assert_eq!(
        project.database.column(&format!(
            "SELECT state FROM \"_comon_orm_migrations\" WHERE name = '{pair_index}'"
        )),
        vec![Some("failed".to_string())]
    );
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            &format!("failed-migration | Migration {pair_index} failed: statement 1 failed:"),
            "migrate resolve --rolled-back",
        ],
    );
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &[
            "error[failed-migration]",
            &format!("Migration {pair_index} failed earlier"),
        ],
    );
    project
        .comon(&["migrate", "dev", "--name", "more"])
        .expect(1, &["failed-migration"]);
    project
        .comon(&["migrate", "resolve", "--rolled-back", &pair_index])
        .expect(
            0,
            &[&format!(
                "Migration {pair_index} has been marked as rolled back."
            )],
        );
    project.write(&pair_path, &reviewed);
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[
            &format!("Applying migration `{pair_index}`"),
            "online phase after the commit",
        ],
    );
    project.expect_no_status_issues();

    // db execute follows the same line: what comes after it runs after the commit, on its own.
    project.write(
        "online.sql",
        "CREATE TABLE \"Scratch\" (\"x\" INTEGER);\n-- comon:after-commit\nCREATE INDEX CONCURRENTLY \"Scratch_x_idx\" ON \"Scratch\" (\"x\");\n",
    );
    project
        .comon(&["db", "execute", "--file", "online.sql"])
        .expect(0, &["Script executed successfully."]);
    assert_eq!(
        project.database.column(
            "SELECT index_row.indisvalid::text FROM pg_index index_row JOIN pg_class class ON class.oid = index_row.indexrelid WHERE class.relname = 'Scratch_x_idx'"
        ),
        vec![Some("true".to_string())]
    );
}

/// Found by the online-deploy trial: a deploy killed while its concurrent build ran leaves the
/// build to finish in the server, and running the migration's `CREATE INDEX CONCURRENTLY` again
/// (the documented repair) fails because the index exists. The runner then dropped "the INVALID
/// index of the failed build", which was the working index built by the first run.
#[test]
fn a_concurrent_build_refused_because_its_name_is_taken_leaves_that_index_alone() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS_AND_POSTS);
    project.write(
        "online.sql",
        "-- comon:after-commit\nCREATE INDEX CONCURRENTLY \"Post_authorId_built\" ON \"Post\" (\"authorId\");\n",
    );
    project
        .comon(&["db", "execute", "--file", "online.sql"])
        .expect(0, &["Script executed successfully."]);
    project
        .comon(&["db", "execute", "--file", "online.sql"])
        .expect(1, &["error[statement-failed]", "already exists"]);
    assert_eq!(
        project.database.column(
            "SELECT index_row.indisvalid::text FROM pg_index index_row JOIN pg_class class ON class.oid = index_row.indexrelid WHERE class.relname = 'Post_authorId_built'"
        ),
        vec![Some("true".to_string())],
        "the index the first run built is still there, and valid"
    );
}
