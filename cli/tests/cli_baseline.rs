//! `migrate baseline` adopts a database that has tables but no migration history, and
//! `migrate deploy` refuses to run migrations onto such a database. Every scenario runs on
//! SQLite and on PostgreSQL.

mod support;

use support::{
    diff_from_empty_to_schema, Project, Provider, TemporaryDatabase, USERS, USERS_AND_POSTS,
};
use tests::catalog::{catalog_difference, sequences};
use tests::test_on_each_provider;

fn history_count(database: &TemporaryDatabase) -> u64 {
    database.count("SELECT COUNT(*) FROM \"_comon_orm_migrations\"")
}

/// The tables of the database besides the history table, sorted.
fn user_tables(database: &TemporaryDatabase) -> Vec<String> {
    let mut names: Vec<String> = database
        .open()
        .introspect()
        .expect("introspection")
        .tables
        .into_iter()
        .map(|table| table.name)
        .filter(|name| name != "_comon_orm_migrations")
        .collect();
    names.sort();
    names
}

/// A project whose database `db push` built from `models`, with no history.
fn pushed_project(provider: Provider, models: &str) -> Project {
    let project = Project::new(provider, models);
    project.comon(&["db", "push"]).expect(0, &[]);
    project
}

fn baseline_then_replay(provider: Provider) {
    let project = pushed_project(provider, USERS_AND_POSTS);
    project
        .comon(&["migrate", "dev", "--name", "init"])
        .expect(1, &["error[baseline-required]", "comon migrate baseline"]);
    project.comon(&["migrate", "baseline"]).expect(
        0,
        &[
            "Baseline written: prisma/migrations/",
            "_baseline",
            "has been marked as applied without running it",
        ],
    );
    let folder = project.migration("baseline");
    assert_eq!(project.migration_names(), vec![folder.clone()]);

    // The folder is the whole schema from empty, as `migrate diff --from-empty` renders it,
    // with the artifacts a first `migrate dev` writes.
    let from_empty = project.comon(&diff_from_empty_to_schema(&["--script"]));
    from_empty.expect(0, &[]);
    assert_eq!(project.read_migration_sql(&folder), from_empty.stdout);
    assert_eq!(
        project.read(&format!("prisma/migrations/{folder}/after.prisma")),
        project.read("prisma/schema.prisma")
    );
    let before = project.read(&format!("prisma/migrations/{folder}/before.prisma"));
    assert!(
        !before.contains("model "),
        "before.prisma is the empty schema: {before}"
    );
    let metadata = project.read(&format!("prisma/migrations/{folder}/metadata.txt"));
    assert!(
        metadata.contains(&format!("name={folder}"))
            && metadata.contains(&format!("provider={}", provider.as_str())),
        "{metadata}"
    );

    // Recorded, not run: one history row, and the database is clean by every measure.
    assert_eq!(history_count(&project.database), 1);
    project.expect_no_status_issues();
    project.expect_no_difference_from_database();
    project
        .comon(&["migrate", "dev", "--name", "nothing"])
        .expect(0, &["Already in sync, no schema changes detected."]);

    // The history replays on an empty database, to the same catalog.
    let replay = TemporaryDatabase::new(provider);
    project
        .comon_with_url(&replay.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    project.expect_no_status_issues_at(&replay.url());
    let adopted_schema = project.database.open().introspect().expect("introspection");
    let replayed_schema = replay.open().introspect().expect("introspection");
    if let Some(difference) =
        catalog_difference("adopted", &adopted_schema, "replayed", &replayed_schema)
    {
        panic!("the replayed database differs from the adopted one: {difference}");
    }
    assert_eq!(
        sequences(&mut project.database.open()),
        sequences(&mut replay.open()),
        "the sequences behind the id columns"
    );
    assert_eq!(user_tables(&replay), vec!["Post", "User"]);
}

test_on_each_provider!(
    baseline_then_replay,
    sqlite: a_baseline_records_the_database_and_replays_on_an_empty_one_on_sqlite,
    postgresql: a_baseline_records_the_database_and_replays_on_an_empty_one_on_postgresql,
);

fn baseline_refusals(provider: Provider) {
    // Drift: the database has a column the schema lacks. Said in words; nothing written.
    let drifted = pushed_project(provider, USERS);
    drifted.write(
        "extra.sql",
        "ALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT;\n",
    );
    drifted
        .comon(&["db", "execute", "--file", "extra.sql"])
        .expect(0, &[]);
    drifted.comon(&["migrate", "baseline"]).expect(
        1,
        &[
            "error[baseline-drift]",
            "column \"User\".\"nickname\": in the database only",
            "comon db pull",
        ],
    );
    assert!(drifted.migration_names().is_empty());
    assert_eq!(history_count(&drifted.database), 0);

    // A database with history already.
    let migrated = Project::with_init_migration(provider, USERS);
    migrated
        .comon(&["migrate", "baseline"])
        .expect(1, &["error[baseline-history-exists]"]);
    assert_eq!(migrated.migration_names().len(), 1);
    assert_eq!(history_count(&migrated.database), 1);

    // A folder that already holds migrations, on a database without history. The folder has
    // comon_orm's artifacts: one with only migration.sql would make this a Prisma project.
    let unrecorded = pushed_project(provider, USERS);
    unrecorded.write(
        "prisma/migrations/20200101000000_init/migration.sql",
        "CREATE TABLE \"Other\" (\"id\" INTEGER PRIMARY KEY);\n",
    );
    unrecorded.write(
        "prisma/migrations/20200101000000_init/before.prisma",
        &unrecorded.schema_text(""),
    );
    unrecorded.write(
        "prisma/migrations/20200101000000_init/after.prisma",
        &unrecorded.schema_text("model Other {\n  id Int @id\n}\n"),
    );
    unrecorded
        .comon(&["migrate", "baseline", "--name", "adopt"])
        .expect(
            1,
            &[
                "error[baseline-migrations-exist]",
                "migrate resolve --applied 20200101000000_init",
            ],
        );
    assert_eq!(unrecorded.migration_names(), vec!["20200101000000_init"]);
    assert_eq!(history_count(&unrecorded.database), 0);

    // A SQLite file that does not exist is refused as such, and not created.
    let empty = Project::new(provider, USERS);
    if let TemporaryDatabase::Sqlite(file) = &empty.database {
        empty
            .comon(&["migrate", "baseline"])
            .expect(1, &["error[database-not-found]"]);
        assert!(
            !file.path().exists(),
            "baseline created {}",
            file.path().display()
        );
        drop(file.open());
    }
    // An empty database has nothing to baseline.
    empty
        .comon(&["migrate", "baseline"])
        .expect(1, &["error[baseline-empty-database]", "comon migrate dev"]);
    assert!(empty.migration_names().is_empty());
}

test_on_each_provider!(
    baseline_refusals,
    sqlite: a_baseline_is_refused_on_drift_history_migrations_or_nothing_on_sqlite,
    postgresql: a_baseline_is_refused_on_drift_history_migrations_or_nothing_on_postgresql,
);

fn deploy_onto_unrecorded_database(provider: Provider) {
    // The migrations of one project, deployed onto another database that db push built.
    let source = Project::with_init_migration(provider, USERS);
    source.migrate_dev_to(USERS_AND_POSTS, "posts");
    let target = TemporaryDatabase::new(provider);
    source
        .comon_with_url(&target.url(), &["db", "push"])
        .expect(0, &[]);
    let init = source.migration("init");
    source
        .comon_with_url(&target.url(), &["migrate", "deploy"])
        .expect(
            1,
            &[
                "error[deploy-onto-unrecorded-database]",
                "(Post, User)",
                &format!("comon migrate resolve --applied {init}"),
                "comon migrate baseline",
                "nothing was applied",
            ],
        )
        .lacks("migrations found");
    assert_eq!(history_count(&target), 0, "no history row written");
    assert_eq!(user_tables(&target), vec!["Post", "User"]);

    // The way out the message gives: the database holds the first migration, so it is
    // recorded, and deploy runs the rest.
    let without_posts = TemporaryDatabase::new(provider);
    let init_only = Project::new(provider, USERS);
    init_only
        .comon_with_url(&without_posts.url(), &["db", "push"])
        .expect(0, &[]);
    source
        .comon_with_url(&without_posts.url(), &["migrate", "deploy"])
        .expect(1, &["error[deploy-onto-unrecorded-database]"]);
    source
        .comon_with_url(
            &without_posts.url(),
            &["migrate", "resolve", "--applied", &init],
        )
        .expect(0, &[]);
    source
        .comon_with_url(&without_posts.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    source.expect_no_status_issues_at(&without_posts.url());

    // An empty database (the history table alone counts as empty) deploys as before.
    let empty = TemporaryDatabase::new(provider);
    source
        .comon_with_url(&empty.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
}

test_on_each_provider!(
    deploy_onto_unrecorded_database,
    sqlite: deploy_refuses_a_database_with_tables_and_no_history_on_sqlite,
    postgresql: deploy_refuses_a_database_with_tables_and_no_history_on_postgresql,
);
