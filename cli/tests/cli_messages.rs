//! Every message, status code and exit code of the `comon` binary, without a terminal: prompts
//! take their documented answer, `--yes` says yes.

mod support;

use support::{
    comon_in, diff_from_empty_to_schema, Project, Provider, TemporaryDatabase, USERS,
    USERS_AND_POSTS,
};
use tests::test_on_each_provider;

const USERS_WITH_DISPLAY_NAME: &str = "model User {\n  id          Int     @id @default(autoincrement())\n  email       String  @unique\n  name        String?\n  displayName String\n}\n";

#[test]
fn usage_errors_exit_64_and_help_exits_0() {
    let folder = tempfile::tempdir().expect("folder");
    comon_in(folder.path(), &[], &["migrate", "status"]).expect(
        64,
        &[
            "Could not find Prisma schema file.",
            "  - prisma/schema.prisma: file not found",
            "You can specify the schema path with --schema <path>.",
        ],
    );
    comon_in(
        folder.path(),
        &[],
        &["migrate", "status", "--schema", "missing.prisma"],
    )
    .expect(64, &["Schema file not found: missing.prisma"]);
    comon_in(folder.path(), &[], &["migrate", "frobnicate"]).expect(64, &["frobnicate"]);
    comon_in(folder.path(), &[], &["migrate", "deploy", "--no-such-flag"])
        .expect(64, &["--no-such-flag"]);
    comon_in(folder.path(), &[], &["--help"]).expect(
        0,
        &["Exit codes: 0 success, 1 error or status issues, 2 difference"],
    );
    comon_in(folder.path(), &[], &["--version"]).expect(0, &["comon"]);

    let project = Project::new(Provider::Sqlite, USERS);
    project.comon(&["migrate", "resolve"]).expect(
        64,
        &["Pass exactly one of --applied <migration> or --rolled-back <migration>."],
    );
    project
        .comon(&["migrate", "resolve", "--applied", "a", "--rolled-back", "b"])
        .expect(
            64,
            &["Pass exactly one of --applied <migration> or --rolled-back <migration>."],
        );
    project
        .comon(&["migrate", "diff", "--to-empty"])
        .expect(64, &["Pass exactly one of --from-empty, --from-schema, --from-database, --from-url, or --from-migrations."]);
    project.comon(&["migrate", "dev"]).expect(
        64,
        &["Missing migration name. Pass --name <migration> when stdin is not interactive."],
    );
    project
        .comon(&["migrate", "dev", "--name", "!!"])
        .expect(64, &["has no letter or digit"]);
    project
        .comon(&["migrate", "status", "--datasource", "other"])
        .expect(64, &["Unknown datasource \"other\"."]);
}

#[test]
fn schema_commands_validate_and_format() {
    let project = Project::new(Provider::Sqlite, USERS);
    project
        .comon(&["validate"])
        .expect(0, &["The schema at prisma/schema.prisma is valid."]);
    project.comon(&["check"]).expect(0, &["is valid."]);
    project
        .comon(&["format", "--check"])
        .expect(0, &["prisma/schema.prisma is already formatted."]);
    project.write(
        "prisma/schema.prisma",
        &project.schema_text("model User {\n id Int @id\n    email String\n}\n"),
    );
    project.comon(&["format", "--check"]).expect(
        1,
        &["prisma/schema.prisma is not formatted. Run `comon format` to format it."],
    );
    project
        .comon(&["format"])
        .expect(0, &["Formatted prisma/schema.prisma."]);
    assert!(project
        .read("prisma/schema.prisma")
        .contains("  id    Int    @id\n  email String\n"));
    project
        .comon(&["format", "--check"])
        .expect(0, &["already formatted"]);
    project.write(
        "prisma/schema.prisma",
        &project.schema_text("model User {\n  id Int @id\n  posts Post[]\n}\n"),
    );
    project
        .comon(&["validate"])
        .expect(1, &["prisma/schema.prisma:", "error[invalid-schema]"]);
}

#[test]
fn schema_errors_show_their_line_with_a_caret_and_one_prefix_each() {
    let project = Project::new(Provider::Sqlite, USERS);
    project.write(
        "prisma/schema.prisma",
        &project.schema_text("model User {\n  id   Int @id\n  name Strin\n}\n"),
    );
    let run = project.comon(&["validate"]);
    run.expect(
        1,
        &[
            "error[invalid-schema]: prisma/schema.prisma is not a valid schema (1 error).",
            "error[unknown-type]: Type \"Strin\"",
            "--> prisma/schema.prisma:8:8",
            "8 |   name Strin",
            "  |        ^^^^^",
        ],
    );
    assert_eq!(
        run.all().matches("error[").count(),
        2,
        "one summary and one error, no doubled prefixes: {}",
        run.all()
    );
    assert!(
        !run.all().contains('\u{1b}'),
        "plain when piped: {}",
        run.all()
    );
    let coloured = project.comon(&["--color", "always", "validate"]);
    assert!(coloured.all().contains('\u{1b}'), "{}", coloured.all());
}

#[test]
fn the_datasource_url_comes_from_the_environment_or_url_and_sqlite_paths_are_relative_to_the_schema(
) {
    let project = Project::new(Provider::Sqlite, USERS);
    let comon_without_environment = |arguments: &[&str]| comon_in(project.path(), &[], arguments);
    comon_without_environment(&["migrate", "status"]).expect(
        1,
        &["Environment variable \"DATABASE_URL\" referenced by datasource db.url is not set."],
    );
    project.write(
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url      = \"file:./dev.db\"\n}\n\nmodel User {\n  id Int @id\n}\n",
    );
    comon_without_environment(&["migrate", "dev", "--name", "init"])
        .expect(0, &["Your database is now in sync"]);
    assert!(
        project.path().join("prisma/dev.db").is_file(),
        "file:./dev.db is relative to the schema's folder"
    );
    comon_without_environment(&["migrate", "deploy", "--url", "file:./other.db"])
        .expect(0, &["Applying migration `"]);
    assert!(
        project.path().join("prisma/other.db").is_file(),
        "--url is relative to the schema's folder too"
    );
    comon_without_environment(&["migrate", "status", "--url", "postgresql://localhost/x"]).expect(
        64,
        &["The schema's datasource provider is sqlite, but the URL names a postgresql database."],
    );
}

#[test]
fn warnings_are_refused_without_a_terminal_and_accepted_with_yes() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS_AND_POSTS);
    project
        .database
        .execute("INSERT INTO \"User\" (\"email\") VALUES ('a@example.com')");
    project
        .database
        .execute("INSERT INTO \"Post\" (\"title\", \"authorId\") VALUES ('t', 1)");
    project.write_schema(USERS);
    // Without a terminal the consent is a decision nobody gave: exit code 3, with the flag.
    project
        .comon(&["migrate", "dev", "--name", "drop_posts"])
        .expect(
            3,
            &[
                "error[decisions-required]",
                "[data-loss] The migration deletes data. Answer with --accept-data-loss.",
                "Potential data loss: model Post is removed from the target schema.",
            ],
        );
    assert_eq!(
        project.migration_names().len(),
        1,
        "nothing written when cancelled"
    );
    project
        .comon(&["migrate", "dev", "--name", "drop_posts", "--yes"])
        .expect(
            0,
            &[
                "Apply this migration despite warnings? yes (--yes)",
                "Your database is now in sync with your schema.",
            ],
        );
    let folder = project.migration("drop_posts");
    assert_eq!(
        project.read(&format!("prisma/migrations/{folder}/warnings.txt")),
        "Potential data loss: model Post is removed from the target schema.\n"
    );
    assert!(project
        .read(&format!("prisma/migrations/{folder}/metadata.txt"))
        .contains("\nwarning_count=1\n"));
}

#[test]
fn reset_asks_and_without_a_terminal_cancels() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS);
    project
        .database
        .execute("INSERT INTO \"User\" (\"email\") VALUES ('a@example.com')");
    project
        .comon(&["migrate", "reset"])
        .expect(1, &["Reset cancelled."]);
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"User\""), 1);
    project.comon(&["migrate", "reset", "--force"]).expect(
        0,
        &[
            "Database reset successful.",
            "1 migrations found in prisma/migrations",
            "All migrations have been successfully applied.",
        ],
    );
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"User\""), 0);
    project
        .comon(&["migrate", "reset", "--yes"])
        .expect(0, &["Database reset successful."]);
}

#[test]
fn drift_is_reported_by_status_and_blocks_dev() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS);
    let init = project.migration("init");
    project
        .database
        .execute("CREATE TABLE \"Extra\" (\"id\" INTEGER PRIMARY KEY)");
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            &format!("drift | Drift detected between the live database and the latest recorded migration `{init}`."),
            "The database differs:\n  - table \"Extra\": in the database only",
        ],
    );
    project
        .database
        .execute("ALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT");
    project.comon(&["migrate", "status"]).expect(
        1,
        &["  - column \"User\".\"nickname\": in the database only"],
    );
    let json = project.comon(&["migrate", "status", "--json"]);
    json.expect(1, &[]);
    let status: serde_json::Value =
        serde_json::from_str(&json.stdout).expect("status --json is JSON");
    assert_eq!(status["issues"][0]["code"], "drift");
    assert_eq!(status["issues"][0]["migration"], init.as_str());
    assert_eq!(status["activeMigrationCount"], 1);
    assert_eq!(status["activeMigrations"][0], init.as_str());
    project.write_schema(USERS_AND_POSTS);
    project.comon(&["migrate", "dev", "--name", "add_posts"]).expect(
        1,
        &[
            "error[drift]: Drift detected between the live database and the latest recorded migration",
            "  - table \"Extra\": in the database only",
            "Run `migrate reset` to realign the database before creating a new migration",
            "--script` prints the SQL that would undo the drift",
        ],
    );
}

#[test]
fn history_and_artifact_issues_have_their_codes() {
    let project = Project::new(Provider::Sqlite, USERS);
    // rollback undoes history in a database that must exist: a missing file is refused, never
    // created.
    project
        .comon(&["migrate", "rollback"])
        .expect(1, &["error[database-not-found]"]);
    drop(project.database.open());
    project
        .comon(&["migrate", "rollback"])
        .expect(1, &["No applied migrations available to roll back."]);
    project
        .comon(&["migrate", "status", "--json"])
        .expect(0, &["\"issues\": []"]);
    project.migrate_dev("init");
    project
        .comon(&["migrate", "rollback", "--name", "unknown"])
        .expect(1, &["Migration is not currently applied: unknown"]);
    project
        .comon(&["migrate", "resolve", "--applied", "unknown"])
        .expect(
            1,
            &["Migration unknown was not found in prisma/migrations."],
        );

    // A folder without after.prisma.
    project.write(
        "prisma/migrations/29990101000000_broken/migration.sql",
        "SELECT 1;\n",
    );
    project.write("prisma/migrations/29990101000000_broken/before.prisma", "");
    project.comon(&["migrate", "status"]).expect(
        1,
        &["invalid-local-artifacts | Migration artifact \"29990101000000_broken\" is incomplete in prisma/migrations/29990101000000_broken. Expected before.prisma, after.prisma, and migration.sql."],
    );
    project
        .comon(&["migrate", "deploy"])
        .expect(1, &["error[invalid-local-artifacts]"]);
    std::fs::remove_dir_all(project.migrations().join("29990101000000_broken")).expect("removed");

    // A row comon_orm wrote before it recorded snapshots, and one whose folder is gone.
    let init = project.migration("init");
    project.database.execute(&format!(
        "UPDATE \"_comon_orm_migrations\" SET before_schema = NULL WHERE name = '{init}'"
    ));
    project.database.execute(
        "INSERT INTO \"_comon_orm_migrations\" (name, applied_at, statement_count) VALUES ('00000000000000_legacy', '2020-01-01T00:00:00.000Z', 1)",
    );
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            &format!("missing-db-snapshot | Migration {init} was applied before database snapshots were recorded."),
            "applied-migration-missing-locally | Migration 00000000000000_legacy is active in the database but missing from prisma/migrations.",
        ],
    );
}

/// A required column on a table with rows cannot be added as generated: `dev` refuses,
/// `--create-only` writes the folder, a hand-written backfill is applied exactly as written.
fn hand_edited_backfill(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    project.database.execute(
        "INSERT INTO \"User\" (\"email\") VALUES ('ada@example.com'), ('alan@example.com')",
    );
    project.write_schema(USERS_WITH_DISPLAY_NAME);
    project
        .comon(&["migrate", "dev", "--name", "display_name"])
        .expect(
            1,
            &[
                "Adding required field User.displayName without default requires manual migration.",
                "error[manual-migration-required]",
                "--create-only",
            ],
        );
    project
        .comon(&["migrate", "dev", "--name", "display_name", "--create-only"])
        .expect(0, &["Migration draft written: prisma/migrations/"]);
    let folder = project.migration("display_name");
    assert!(project
        .read(&format!("prisma/migrations/{folder}/warnings.txt"))
        .contains(
            "Adding required field User.displayName without default requires manual migration."
        ));
    let backfill = match provider {
        Provider::Postgresql => {
            "-- Add the column, fill it from email, then require it.\nALTER TABLE \"User\" ADD COLUMN \"displayName\" TEXT;\nUPDATE \"User\" SET \"displayName\" = split_part(\"email\", '@', 1);\nALTER TABLE \"User\" ALTER COLUMN \"displayName\" SET NOT NULL;\n"
        }
        Provider::Sqlite => {
            "-- SQLite cannot add a required column to rows: rebuild the table and fill it from email.\nCREATE TABLE \"new_User\" (\n    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \"email\" TEXT NOT NULL,\n    \"name\" TEXT,\n    \"displayName\" TEXT NOT NULL\n);\nINSERT INTO \"new_User\" (\"id\", \"email\", \"name\", \"displayName\") SELECT \"id\", \"email\", \"name\", substr(\"email\", 1, instr(\"email\", '@') - 1) FROM \"User\";\nDROP TABLE \"User\";\nALTER TABLE \"new_User\" RENAME TO \"User\";\nCREATE UNIQUE INDEX \"User_email_key\" ON \"User\" (\"email\");\n"
        }
    };
    project.write(
        &format!("prisma/migrations/{folder}/migration.sql"),
        backfill,
    );
    project.comon(&["migrate", "dev"]).expect(
        0,
        &[
            &format!("Applying migration `{folder}`"),
            "Already in sync, no schema changes detected.",
        ],
    );
    let names = project
        .database
        .column("SELECT \"displayName\" FROM \"User\" ORDER BY \"id\"");
    assert_eq!(
        names,
        vec![Some("ada".to_string()), Some("alan".to_string())]
    );
    project.expect_no_status_issues();
    // The history keeps the hand-edited file's checksum, so a second database gets the same SQL.
    let second = TemporaryDatabase::new(provider);
    project
        .comon_with_url(&second.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    project.expect_no_status_issues_at(&second.url());
}

test_on_each_provider!(
    hand_edited_backfill,
    sqlite: a_hand_edited_backfill_is_applied_as_written_on_sqlite,
    postgresql: a_hand_edited_backfill_is_applied_as_written_on_postgresql,
);

#[test]
fn postgresql_rolls_back_a_migration_that_does_not_match_its_after_prisma() {
    let project = Project::new(Provider::Postgresql, USERS);
    project
        .comon(&["migrate", "dev", "--name", "init", "--create-only"])
        .expect(0, &[]);
    let init = project.migration("init");
    project.remove_migration_statements(&init, "INDEX");
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &[
            "error[verification-failed]",
            &format!("Migration {init} was rolled back: after its statements ran, the database does not match its schema snapshot."),
            "unique index \"User_email_key\" on table \"User\": missing from the database (email)",
        ],
    );
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'User'"),
        0
    );
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM \"_comon_orm_migrations\""),
        0
    );
}

#[test]
fn diff_prints_summaries_scripts_and_json() {
    let project = Project::new(Provider::Sqlite, USERS);
    project
        .comon(&diff_from_empty_to_schema(&["--script"]))
        .expect(
            0,
            &[
                "CREATE TABLE \"User\" (",
                "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\" (\"email\");",
            ],
        );
    project
        .comon(&diff_from_empty_to_schema(&["--exit-code"]))
        .expect(
            2,
            &[
                "Schema differences detected.",
                "Statements:",
                "- CREATE TABLE \"User\"",
            ],
        );
    project
        .comon(&[
            "migrate",
            "diff",
            "--from-schema",
            "prisma/schema.prisma",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code",
        ])
        .expect(0, &["No schema differences detected."]);
    // An empty database file: a diff only reads the database and never creates the file.
    project.database.execute("VACUUM");
    project
        .comon(&[
            "migrate",
            "diff",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
            "--script",
            "-o",
            "out/diff.sql",
        ])
        .expect(0, &["Diff output written: out/diff.sql"]);
    assert!(project
        .read("out/diff.sql")
        .starts_with("CREATE TABLE \"User\""));
    let json = project.comon(&diff_from_empty_to_schema(&["--json"]));
    json.expect(0, &[]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("diff --json is JSON");
    assert_eq!(value["empty"], false);
    assert_eq!(value["provider"], "sqlite");
    assert_eq!(value["steps"][0], "CreateTable User");
    assert_eq!(value["requiresRebuild"], false);
    assert_eq!(value["unexecutable"], false);
    assert!(value["statements"]
        .as_array()
        .is_some_and(|statements| statements.len() == 2));
    assert!(value["warnings"].as_array().is_some_and(Vec::is_empty));

    project.migrate_dev("init");
    project
        .comon(&[
            "migrate",
            "diff",
            "--from-migrations",
            "prisma/migrations",
            "--to-database",
            "--exit-code",
        ])
        .expect(0, &["No schema differences detected."]);
    project
        .comon(&[
            "migrate",
            "diff",
            "--from-migrations",
            "prisma/migrations",
            "--to-empty",
            "--script",
        ])
        .expect(0, &["DROP TABLE \"User\""]);
}

#[test]
fn output_has_no_colour_without_a_terminal_or_with_no_color() {
    let project = Project::new(Provider::Sqlite, USERS);
    let run = project.comon(&["migrate", "dev", "--name", "init"]);
    run.expect(0, &[]);
    assert!(
        !run.all().contains('\u{1b}'),
        "no escape codes when stdout is not a terminal"
    );
    let run = support::comon_in(
        project.path(),
        &[("DATABASE_URL", &project.database.url()), ("NO_COLOR", "1")],
        &["migrate", "status"],
    );
    assert!(!run.all().contains('\u{1b}'));
}

#[test]
fn prisma_script_flags_are_accepted_and_say_what_they_skip() {
    let project = Project::new(Provider::Sqlite, USERS);
    project
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "init",
            "--skip-generate",
            "--skip-seed",
        ])
        .expect(
            0,
            &[
                "--skip-generate: comon generates no client",
                "--skip-seed: ",
            ],
        );
    assert_eq!(
        project.migration_names().len(),
        1,
        "the migration was still made"
    );
    project
        .comon(&["migrate", "reset", "--force", "--skip-seed"])
        .expect(
            0,
            &["--skip-seed: no seed command is configured, so there is nothing to skip."],
        );
    project
        .comon(&["db", "push", "--skip-generate"])
        .expect(0, &["--skip-generate: comon generates no client"]);
    project
        .comon(&["migrate", "deploy", "--skip-generate"])
        .expect(64, &["--skip-generate"]);
}

fn diff_from_and_to_a_url(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    let url = project.database.url();
    // Run from another folder with no schema: the URL alone names the database.
    let elsewhere = tempfile::tempdir().expect("folder");
    let schema_path = project.schema_path();
    let schema = schema_path.to_str().expect("a UTF-8 path");
    comon_in(
        elsewhere.path(),
        &[],
        &[
            "migrate",
            "diff",
            "--from-url",
            &url,
            "--to-schema",
            schema,
            "--exit-code",
        ],
    )
    .expect(0, &["No schema differences detected."]);
    comon_in(
        elsewhere.path(),
        &[],
        &[
            "migrate",
            "diff",
            "--from-empty",
            "--to-url",
            &url,
            "--script",
        ],
    )
    .expect(0, &["CREATE TABLE", "User"]);
    comon_in(
        elsewhere.path(),
        &[],
        &[
            "migrate",
            "diff",
            "--from-url",
            &url,
            "--to-empty",
            "--exit-code",
        ],
    )
    .expect(2, &["DROP TABLE"]);
}

test_on_each_provider!(
    diff_from_and_to_a_url,
    sqlite: migrate_diff_reads_a_database_by_url_on_sqlite,
    postgresql: migrate_diff_reads_a_database_by_url_on_postgresql,
);

#[test]
fn migrate_diff_never_creates_the_sqlite_file_a_url_names() {
    let folder = tempfile::tempdir().expect("folder");
    comon_in(
        folder.path(),
        &[],
        &[
            "migrate",
            "diff",
            "--from-url",
            "file:./missing.db",
            "--to-empty",
            "--script",
        ],
    )
    .expect(1, &["missing.db"]);
    assert!(!folder.path().join("missing.db").exists());
    comon_in(
        folder.path(),
        &[],
        &[
            "migrate",
            "diff",
            "--from-url",
            "file:./a.db",
            "--from-empty",
            "--to-empty",
        ],
    )
    .expect(64, &["--from-url"]);
}
