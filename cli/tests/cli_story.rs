//! The story of the seed page, end to end with the built binary, on a real SQLite file and a
//! real PostgreSQL database: `dev` (init), edit the schema, `dev`, `deploy` to a second
//! database, `status` clean, tamper with a `migration.sql`, delete a folder, restore,
//! `resolve`, `rollback`, apply again, `status` clean.

mod support;

use support::{Project, Provider, TemporaryDatabase, USERS, USERS_AND_POSTS};
use tests::test_on_each_provider;

fn seed_story(provider: Provider) {
    let project = Project::new(provider, USERS);

    // dev (init): a folder with the four artifacts, applied.
    project
        .comon(&["migrate", "dev", "--name", "init"])
        .expect(0, &["Migration draft written: prisma/migrations/"]);
    let init = project.migration("init");
    for file in [
        "migration.sql",
        "metadata.txt",
        "before.prisma",
        "after.prisma",
    ] {
        assert!(
            project.migrations().join(&init).join(file).is_file(),
            "{file} written"
        );
    }
    assert!(
        !project
            .migrations()
            .join(&init)
            .join("warnings.txt")
            .exists(),
        "no warnings, no warnings.txt"
    );
    assert_eq!(
        project.read(&format!("prisma/migrations/{init}/after.prisma")),
        project.schema_text(USERS)
    );
    let metadata = project.read(&format!("prisma/migrations/{init}/metadata.txt"));
    assert!(
        metadata.starts_with(&format!("name={init}\ngenerated_at=")),
        "{metadata}"
    );
    assert!(
        metadata.contains(&format!("\nprovider={}\n", provider.as_str())),
        "{metadata}"
    );

    // Edit the schema, dev again.
    project.write_schema(USERS_AND_POSTS);
    project
        .comon(&["migrate", "dev", "--name", "add_posts"])
        .expect(
            0,
            &[
                "Applying migration `",
                "_add_posts`",
                "Your database is now in sync with your schema.",
            ],
        );
    let add_posts = project.migration("add_posts");
    project
        .comon(&["migrate", "dev", "--name", "nothing"])
        .expect(0, &["Already in sync, no schema changes detected."]);
    project.comon(&["migrate", "status"]).expect(
        0,
        &["Active migrations: 2", "Local migrations: 2", "Issues: 0"],
    );

    // deploy to a second database, twice.
    let second = TemporaryDatabase::new(provider);
    project
        .comon_with_url(&second.url(), &["migrate", "deploy"])
        .expect(
            0,
            &[
                "2 migrations found in prisma/migrations",
                &format!("Applying migration `{init}`"),
                &format!("Applying migration `{add_posts}`"),
                "All migrations have been successfully applied.",
            ],
        );
    project
        .comon_with_url(&second.url(), &["migrate", "deploy"])
        .expect(
            0,
            &[
                "2 migrations found in prisma/migrations",
                "No pending migrations to apply.",
            ],
        );
    project.expect_no_status_issues_at(&second.url());
    assert_eq!(
        second.count("SELECT COUNT(*) FROM \"_comon_orm_migrations\""),
        2
    );

    // Tamper with a migration.sql: checksum-mismatch.
    let init_sql_path = format!("prisma/migrations/{init}/migration.sql");
    let reviewed_sql = project.read(&init_sql_path);
    project.write(&init_sql_path, &format!("{reviewed_sql}-- tampered\n"));
    project.comon(&["migrate", "status"]).expect(
        1,
        &["Issues: 1", &format!("checksum-mismatch | Migration {init} differs between database history and local artifacts.")],
    );
    project.write(&init_sql_path, &reviewed_sql);
    // A Windows checkout (CRLF) is not a change.
    project.write(&init_sql_path, &reviewed_sql.replace('\n', "\r\n"));
    project.expect_no_status_issues();
    project.write(&init_sql_path, &reviewed_sql);

    // Delete a folder: applied-migration-missing-locally; restore it: clean.
    let folder = project.migrations().join(&add_posts);
    let aside = project.path().join("aside");
    std::fs::rename(&folder, &aside).expect("folder moved aside");
    project.comon(&["migrate", "status"]).expect(
        1,
        &[&format!(
            "applied-migration-missing-locally | Migration {add_posts} is active in the database but missing from prisma/migrations."
        )],
    );
    std::fs::rename(&aside, &folder).expect("folder restored");
    project.expect_no_status_issues();

    // resolve: mark rolled back (the history says Post is gone, the database still has it:
    // drift), then applied again.
    project
        .comon(&["migrate", "resolve", "--rolled-back", &add_posts])
        .expect(
            0,
            &[&format!(
                "Migration {add_posts} has been marked as rolled back."
            )],
        );
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            &format!("local-migration-not-applied | Local migration {add_posts} exists in prisma/migrations but is not currently active in the database."),
            &format!("drift | Drift detected between the live database and the latest recorded migration `{init}`."),
        ],
    );
    project
        .comon(&["migrate", "resolve", "--rolled-back", &add_posts])
        .expect(
            0,
            &[&format!(
                "Migration {add_posts} was already marked as rolled back."
            )],
        );
    project
        .comon(&["migrate", "resolve", "--applied", &add_posts])
        .expect(
            0,
            &[&format!(
                "Migration {add_posts} has been marked as applied."
            )],
        );
    project
        .comon(&["migrate", "resolve", "--applied", &add_posts])
        .expect(
            0,
            &[&format!(
                "Migration {add_posts} was already marked as applied."
            )],
        );
    project.expect_no_status_issues();

    // rollback: refused while it would lose a row, then allowed.
    project
        .database
        .execute("INSERT INTO \"User\" (\"email\") VALUES ('ada@example.com')");
    project.database.execute(
        "INSERT INTO \"Post\" (\"title\", \"authorId\") SELECT 'Hello', \"id\" FROM \"User\"",
    );
    project
        .comon(&["migrate", "rollback"])
        .expect(1, &["Rollback plan contains warnings: Potential data loss: model Post is removed from the target schema.", "--allow-warnings"]);
    project
        .comon(&["migrate", "rollback", "--allow-warnings"])
        .expect(
            0,
            &[
                "Rolled back: true",
                &format!("Target migration: {add_posts}"),
                "Warnings: 1",
                "production usually wants a forward fix rather than a blind revert",
            ],
        );
    assert_eq!(
        project.database.count("SELECT COUNT(*) FROM \"User\""),
        1,
        "the rollback keeps other tables' rows"
    );
    project
        .comon(&["migrate", "status"])
        .expect(1, &["Active migrations: 1", "local-migration-not-applied"]);

    // Apply again: the same name gets a second apply row.
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[
            &format!("Applying migration `{add_posts}`"),
            "All migrations have been successfully applied.",
        ],
    );
    project
        .comon(&["migrate", "status"])
        .expect(0, &["Active migrations: 2", "Issues: 0"]);
    let apply_rows = project.database.count(&format!(
        "SELECT COUNT(*) FROM \"_comon_orm_migrations\" WHERE name = '{add_posts}' AND kind = 'apply'"
    ));
    assert_eq!(
        apply_rows, 3,
        "dev, resolve --applied and the second deploy each wrote an apply row"
    );
    let rollback_rows = project
        .database
        .column("SELECT name FROM \"_comon_orm_migrations\" WHERE kind = 'rollback' ORDER BY id");
    assert_eq!(rollback_rows.len(), 2);
    assert!(rollback_rows[0]
        .as_deref()
        .unwrap_or("")
        .starts_with(&format!("{add_posts}_resolve_rollback_")));
    assert!(rollback_rows[1]
        .as_deref()
        .unwrap_or("")
        .starts_with(&format!("{add_posts}_rollback_")));
}

test_on_each_provider!(
    seed_story,
    sqlite: the_seed_story_on_sqlite,
    postgresql: the_seed_story_on_postgresql,
);
