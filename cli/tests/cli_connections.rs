//! Connections, resets and output of the `comon` binary, on both providers: reset drops only
//! what its URL names and keeps a SQLite file's mode and links; passwords never reach messages
//! or artifacts; a mistyped folder or database file is an error, never read as empty or
//! created; unsupported databases get one error; string literals keep their backslashes; a
//! closed stdout does not stop a deploy; triggers survive a rename and a rebuild; `env("NAME")`
//! comes from the project's `.env` files.

mod support;

use std::process::{Command, Stdio};
use support::{
    comon_in, diff_from_empty_to_schema, eventually, spawn_comon, wait_at_most, Project, Provider,
    Run, TemporaryDatabase, COMON, USERS, USERS_AND_POSTS, USERS_WITH_BIO_AND_POSTS,
};
use tests::test_on_each_provider;

fn with_parameter(url: &str, parameter: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{parameter}")
}

// ----- #1: reset drops only the schema its URL names -----

#[test]
fn reset_and_force_reset_drop_only_the_schema_the_url_names_on_postgresql() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS);
    let row_count = |table: &str| {
        project
            .database
            .count(&format!("SELECT COUNT(*) FROM {table}"))
    };
    project
        .database
        .execute("INSERT INTO \"User\" (\"email\") VALUES ('public@example.com')");
    project.database.execute("CREATE SCHEMA keep; CREATE TABLE keep.important (id INTEGER); INSERT INTO keep.important VALUES (1)");
    let app_url = with_parameter(&project.database.url(), "schema=app");

    // `app` does not exist: reset creates it, empty, and applies the migrations there.
    project
        .comon_with_url(&app_url, &["migrate", "reset", "--force"])
        .expect(
            0,
            &[
                "Database reset successful.",
                "1 migrations found in prisma/migrations",
                "All migrations have been successfully applied.",
            ],
        );
    assert_eq!(
        row_count("public.\"User\""),
        1,
        "public is not the URL's schema"
    );
    assert_eq!(
        row_count("keep.important"),
        1,
        "another schema is never touched"
    );
    assert_eq!(row_count("app.\"_comon_orm_migrations\""), 1);
    project
        .comon_with_url(&app_url, &["migrate", "status"])
        .expect(0, &["Active migrations: 1", "Issues: 0"]);

    // `app` exists now: its rows go, the other schemas' stay.
    project
        .database
        .execute("INSERT INTO app.\"User\" (\"email\") VALUES ('app@example.com')");
    project
        .comon_with_url(&app_url, &["migrate", "reset", "--force"])
        .expect(0, &["Database reset successful."]);
    assert_eq!(row_count("app.\"User\""), 0);
    assert_eq!(row_count("public.\"User\""), 1);
    assert_eq!(row_count("keep.important"), 1);

    // db push --force-reset the same way.
    let pushed_url = with_parameter(&project.database.url(), "schema=pushed");
    project
        .comon_with_url(&pushed_url, &["db", "push", "--force-reset"])
        .expect(0, &["The database was reset.", "now in sync"]);
    assert_eq!(
        row_count(
            "information_schema.tables WHERE table_schema = 'pushed' AND table_name = 'User'"
        ),
        1
    );
    assert_eq!(row_count("public.\"User\""), 1);
    assert_eq!(row_count("keep.important"), 1);

    // Without ?schema= it is public, and only public.
    project
        .comon(&["migrate", "reset", "--force"])
        .expect(0, &["Database reset successful."]);
    assert_eq!(row_count("public.\"User\""), 0);
    assert_eq!(row_count("keep.important"), 1);
    assert_eq!(row_count("app.\"_comon_orm_migrations\""), 1);
}

/// `migrate dev` and `migrate deploy` on a fresh database whose URL names a schema that does
/// not exist create it (quoted: the name has a hyphen) with a line saying so, as Prisma does;
/// they used to fail at their first `CREATE TABLE`. A second run says nothing about it.
#[test]
fn dev_and_deploy_create_the_schema_the_url_names_on_postgresql() {
    let project = Project::new(Provider::Postgresql, USERS);
    let dev_url = with_parameter(&project.database.url(), "schema=tenant-one");
    let created_line = |schema: &str, database: &str| {
        format!("PostgreSQL schema \"{schema}\" created in database {database}")
    };
    let database_name = project.database.postgres_name();
    project
        .comon_with_url(&dev_url, &["migrate", "dev", "--name", "init"])
        .expect(
            0,
            &[
                &created_line("tenant-one", &database_name),
                "Your database is now in sync with your schema.",
            ],
        );
    let tables_in = |database: &TemporaryDatabase, schema: &str| {
        database.count(&format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{schema}' AND table_name = 'User'"
        ))
    };
    assert_eq!(tables_in(&project.database, "tenant-one"), 1);
    assert_eq!(tables_in(&project.database, "public"), 0);
    project
        .comon_with_url(&dev_url, &["migrate", "dev"])
        .expect(0, &["Already in sync"])
        .lacks("created in database");

    let fresh = TemporaryDatabase::new(Provider::Postgresql);
    let deploy_url = with_parameter(&fresh.url(), "schema=tenant-two");
    project
        .comon_with_url(&deploy_url, &["migrate", "deploy"])
        .expect(
            0,
            &[
                &created_line("tenant-two", &fresh.postgres_name()),
                "All migrations have been successfully applied.",
            ],
        );
    assert_eq!(tables_in(&fresh, "tenant-two"), 1);
    project
        .comon_with_url(&deploy_url, &["migrate", "status"])
        .expect(0, &["Issues: 0"]);
}

// ----- #19: a SQLite reset empties the file in place -----

#[cfg(unix)]
fn sqlite_reset_in_place(wal: bool) {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new(Provider::Sqlite, USERS);
    let real = project.path().join("prisma/real.db");
    let link = project.path().join("prisma/link.db");
    std::fs::create_dir_all(real.parent().expect("folder")).expect("folder");
    std::fs::write(&real, b"").expect("an empty file is an empty database");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("mode set");
    std::os::unix::fs::symlink("real.db", &link).expect("symlink");
    let url = "file:./link.db";
    project
        .comon_with_url(url, &["migrate", "dev", "--name", "init"])
        .expect(0, &[]);
    let open =
        || comon_database::Database::open(&format!("file:{}", real.display())).expect("opens");
    let count = |sql: &str| -> String {
        open()
            .query_rows(sql)
            .expect("query")
            .remove(0)
            .remove(0)
            .expect("a value")
    };
    if wal {
        assert_eq!(count("PRAGMA journal_mode = WAL"), "wal");
    }
    open().execute_batch("INSERT INTO \"User\" (\"email\") VALUES ('a@example.com'); CREATE TABLE junk (id INTEGER); CREATE VIEW junk_view AS SELECT 1;").expect("rows");

    project
        .comon_with_url(url, &["migrate", "reset", "--force"])
        .expect(
            0,
            &[
                "Database reset successful.",
                "All migrations have been successfully applied.",
            ],
        );

    let link_metadata = std::fs::symlink_metadata(&link).expect("the link is still there");
    assert!(
        link_metadata.file_type().is_symlink(),
        "the symlink is kept, not replaced by a new file"
    );
    let mode = std::fs::metadata(&real)
        .expect("the file is still there")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640, "the file's mode is kept");
    assert_eq!(count("SELECT CAST(COUNT(*) AS TEXT) FROM \"User\""), "0");
    assert_eq!(
        count(
            "SELECT CAST(COUNT(*) AS TEXT) FROM sqlite_master WHERE name IN ('junk', 'junk_view')"
        ),
        "0",
        "objects outside the migrations are gone too"
    );
    assert_eq!(
        count("SELECT CAST(COUNT(*) AS TEXT) FROM \"_comon_orm_migrations\""),
        "1"
    );
    if wal {
        assert_eq!(
            count("PRAGMA journal_mode"),
            "wal",
            "a WAL database stays in WAL mode"
        );
    }
    open()
        .execute_batch("INSERT INTO \"User\" (\"email\") VALUES ('b@example.com')")
        .expect("the database works");
    project.expect_no_status_issues_at(url);
}

#[cfg(unix)]
#[test]
fn reset_empties_a_sqlite_file_in_place_keeping_its_mode_and_symlink() {
    sqlite_reset_in_place(false);
}

#[cfg(unix)]
#[test]
fn reset_empties_a_wal_mode_sqlite_file_in_place() {
    sqlite_reset_in_place(true);
}

// ----- #5: passwords never reach messages or artifacts -----

#[test]
fn connection_errors_name_host_port_database_and_user_never_the_password_on_postgresql() {
    let project = Project::new(Provider::Postgresql, USERS);
    let missing = format!("{}_missing", project.database.postgres_name());
    let location = format!("127.0.0.1:5432/{missing} as postgres");
    // Passwords that parse: the server is reached and says the database does not exist.
    for (url, password) in [
        (format!("postgresql://postgres:p%2Fss%3Fw%40rd@127.0.0.1:5432/{missing}"), "p/ss?w@rd"),
        (format!("postgresql://postgres:pa@ss@127.0.0.1:5432/{missing}"), "pa@ss"),
        (format!("postgresql://postgres@127.0.0.1:5432/{missing}?password=hunter2secret"), "hunter2secret"),
        (format!("postgresql://postgres@127.0.0.1:5432/{missing}?sslmode=disable&password=hunter2secret"), "hunter2secret"),
    ] {
        let run = project.comon_with_url(&url, &["migrate", "status"]);
        run.expect(1, &["error[database-connection]", &format!("Could not connect to the database at {location}")]);
        for secret in [password, "p%2Fss", "pa@ss", "hunter2"] {
            run.lacks(secret);
        }
    }
    // Passwords with an unencoded `/`, `?` or `#` cannot be parsed: the error says how to
    // write them, and quotes nothing of the URL.
    for url in [
        format!("postgresql://postgres:se/cret@127.0.0.1:5432/{missing}"),
        format!("postgresql://postgres:1234/secret@127.0.0.1:5432/{missing}"),
        format!("postgresql://postgres:se?cret@127.0.0.1:5432/{missing}"),
        format!("postgresql://postgres:1234?secret@127.0.0.1:5432/{missing}"),
        format!("postgresql://postgres:1234#secret@127.0.0.1:5432/{missing}"),
    ] {
        let run = project.comon_with_url(&url, &["migrate", "status"]);
        run.expect(
            1,
            &[
                "error[invalid-database-url]",
                "percent-encode special characters",
                "%2F",
            ],
        );
        for secret in ["secret", "cret", "1234"] {
            run.lacks(secret);
        }
    }
    // A database that does not exist is not created by any command.
    project
        .comon_with_url(
            &format!("postgresql://postgres@127.0.0.1:5432/{missing}"),
            &["migrate", "deploy"],
        )
        .expect(1, &[&location]);
    assert_eq!(
        project.database.count(&format!(
            "SELECT COUNT(*) FROM pg_database WHERE datname = '{missing}'"
        )),
        0
    );
}

#[test]
fn connection_errors_name_the_sqlite_path() {
    let project = Project::new(Provider::Sqlite, USERS);
    project
        .comon_with_url(
            "file:/nonexistent-folder-of-comon/app.db",
            &["migrate", "deploy"],
        )
        .expect(
            1,
            &[
                "error[database-connection]",
                "Could not connect to the database at /nonexistent-folder-of-comon/app.db",
            ],
        );
}

fn literal_url_schema(provider: Provider, url: &str, models: &str) -> String {
    format!(
        "datasource db {{\n  provider = \"{}\"\n  url      = \"{url}\"\n}}\n\n{models}",
        provider.as_str()
    )
}

#[test]
fn a_literal_datasource_password_stays_out_of_artifacts_and_history_on_postgresql() {
    let project = Project::new(Provider::Postgresql, USERS);
    let url = project.database.url();
    let secret_url = with_parameter(
        &url.replacen("postgres@", "postgres:s3cret-word@", 1),
        "password=other-s3cret",
    );
    assert!(secret_url.contains("s3cret-word"), "{secret_url}");
    project.write(
        "prisma/schema.prisma",
        &literal_url_schema(Provider::Postgresql, &secret_url, USERS),
    );
    comon_in(project.path(), &[], &["migrate", "dev", "--name", "init"])
        .expect(0, &["Your database is now in sync"]);
    project.write(
        "prisma/schema.prisma",
        &literal_url_schema(Provider::Postgresql, &secret_url, USERS_AND_POSTS),
    );
    comon_in(project.path(), &[], &["migrate", "dev", "--name", "posts"])
        .expect(0, &["Your database is now in sync"]);

    let blanked = literal_url_schema(Provider::Postgresql, &url, "");
    for name in project.migration_names() {
        for file in [
            "before.prisma",
            "after.prisma",
            "metadata.txt",
            "migration.sql",
        ] {
            let path = format!("prisma/migrations/{name}/{file}");
            let text = project.read(&path);
            assert!(
                !text.contains("s3cret"),
                "{path} holds the password:\n{text}"
            );
        }
        let after = project.read(&format!("prisma/migrations/{name}/after.prisma"));
        assert!(
            after.starts_with(&blanked),
            "only the password is removed:\n{after}\nexpected to start with:\n{blanked}"
        );
    }
    let posts = project.migration("posts");
    assert!(project
        .read(&format!("prisma/migrations/{posts}/before.prisma"))
        .starts_with(&blanked));
    let leaks = project
        .database
        .count("SELECT COUNT(*) FROM \"_comon_orm_migrations\" WHERE before_schema LIKE '%s3cret%' OR after_schema LIKE '%s3cret%'");
    assert_eq!(leaks, 0, "the history table holds no password");
    comon_in(project.path(), &[], &["migrate", "status"])
        .expect(0, &["Active migrations: 2", "Issues: 0"]);
}

#[test]
fn a_literal_sqlite_url_is_kept_in_artifacts_as_written() {
    let project = Project::new(Provider::Sqlite, USERS);
    let schema = literal_url_schema(Provider::Sqlite, "file:./dev.db", USERS);
    project.write("prisma/schema.prisma", &schema);
    comon_in(project.path(), &[], &["migrate", "dev", "--name", "init"]).expect(0, &[]);
    let init = project.migration("init");
    assert_eq!(
        project.read(&format!("prisma/migrations/{init}/after.prisma")),
        schema
    );
}

// ----- #11: a migrations folder named on the command line must exist -----

fn mistyped_migrations_folder(provider: Provider) {
    let project = Project::new(provider, USERS);
    // The project's own folder may be missing before the first migration: no migrations.
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[
            "0 migrations found in prisma/migrations",
            "No pending migrations to apply.",
        ],
    );
    project.migrate_dev("init");
    for arguments in [
        ["--from-database", "--to-migrations", "prisma/migratoins"],
        ["--from-migrations", "prisma/migratoins", "--to-database"],
        ["--from-migrations", "prisma/migratoins", "--to-empty"],
    ] {
        let mut command = vec!["migrate", "diff"];
        command.extend(arguments);
        command.extend(["--script", "--exit-code"]);
        project
            .comon(&command)
            .expect(
                1,
                &[
                    "error[migrations-folder-not-found]",
                    "The migrations folder prisma/migratoins does not exist.",
                ],
            )
            .lacks("DROP TABLE");
    }
    project.write("prisma/not-a-folder", "");
    project
        .comon(&[
            "migrate",
            "diff",
            "--from-migrations",
            "prisma/not-a-folder",
            "--to-database",
        ])
        .expect(
            1,
            &[
                "error[migrations-folder-not-found]",
                "prisma/not-a-folder is not a folder",
            ],
        );
    project
        .comon(&[
            "migrate",
            "diff",
            "--from-database",
            "--to-migrations",
            "prisma/migrations",
            "--exit-code",
        ])
        .expect(0, &["No schema differences detected."]);
}

test_on_each_provider!(
    mistyped_migrations_folder,
    sqlite: a_mistyped_migrations_folder_is_an_error_on_sqlite,
    postgresql: a_mistyped_migrations_folder_is_an_error_on_postgresql,
);

// ----- #12: read-only commands never create a database -----

#[test]
fn read_only_commands_never_create_a_sqlite_file() {
    let project = Project::new(Provider::Sqlite, USERS);
    let typo = project.path().join("prisma/dve.db");
    let environment = [("DATABASE_URL", "file:./dve.db")];
    for arguments in [
        vec!["migrate", "status"],
        vec!["migrate", "status", "--json"],
        vec![
            "migrate",
            "diff",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
        ],
        vec![
            "migrate",
            "diff",
            "--from-schema",
            "prisma/schema.prisma",
            "--to-database",
            "--script",
        ],
        vec!["db", "pull", "--print"],
        vec!["db", "pull"],
    ] {
        comon_in(project.path(), &environment, &arguments).expect(
            1,
            &[
                "error[database-not-found]",
                "The SQLite database file prisma/./dve.db does not exist.",
            ],
        );
        assert!(!typo.exists(), "{arguments:?} created {}", typo.display());
    }
    assert!(
        project.read("prisma/schema.prisma").contains("model User"),
        "db pull left the schema alone"
    );
    comon_in(project.path(), &environment, &["migrate", "deploy"])
        .expect(0, &["No pending migrations to apply."]);
    assert!(typo.is_file(), "deploy creates the file");
    comon_in(project.path(), &environment, &["migrate", "status"]).expect(0, &["Issues: 0"]);
}

/// `migrate resolve`, `rollback` and `baseline` record or undo the history of a database that
/// must already be there: on a mistyped SQLite path they refuse with the read-only commands'
/// code and leave no file behind (they used to create an empty one, and baseline then refused).
#[test]
fn history_commands_refuse_a_missing_sqlite_file_without_creating_it() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS);
    let init = project.migration("init");
    let typo = project.path().join("prisma/dve.db");
    let environment = [("DATABASE_URL", "file:./dve.db")];
    for arguments in [
        vec!["migrate", "baseline"],
        vec!["migrate", "resolve", "--applied", init.as_str()],
        vec!["migrate", "resolve", "--rolled-back", init.as_str()],
        vec!["migrate", "rollback"],
        vec!["migrate", "rollback", "--json"],
    ] {
        comon_in(project.path(), &environment, &arguments).expect(
            1,
            &[
                "database-not-found",
                "The SQLite database file prisma/./dve.db does not exist.",
            ],
        );
        assert!(!typo.exists(), "{arguments:?} created {}", typo.display());
    }
}

#[test]
fn read_only_commands_on_a_missing_postgresql_database_name_it() {
    let project = Project::new(Provider::Postgresql, USERS);
    let missing = format!("{}_typo", project.database.postgres_name());
    let url = format!("postgresql://postgres@127.0.0.1:5432/{missing}");
    for arguments in [
        vec!["migrate", "status"],
        vec!["db", "pull", "--print"],
        vec!["migrate", "diff", "--from-database", "--to-empty"],
    ] {
        project.comon_with_url(&url, &arguments).expect(
            1,
            &[
                "error[database-connection]",
                &format!(
                    "Could not connect to the database at 127.0.0.1:5432/{missing} as postgres"
                ),
            ],
        );
    }
    assert_eq!(
        project.database.count(&format!(
            "SELECT COUNT(*) FROM pg_database WHERE datname = '{missing}'"
        )),
        0
    );
}

// ----- #21: unsupported databases get one error; strings keep their backslashes -----

fn error_lines(run: &Run) -> usize {
    run.all()
        .lines()
        .filter(|line| line.starts_with("error["))
        .count()
}

#[test]
fn unsupported_database_urls_and_providers_get_one_clear_error() {
    for provider in [Provider::Sqlite, Provider::Postgresql] {
        let project = Project::new(provider, USERS);
        for (url, scheme) in [
            ("mysql://root:secret@localhost:3306/app", "mysql"),
            ("sqlserver://localhost:1433;database=app", "sqlserver"),
            ("mongodb+srv://cluster.example/app", "mongodb+srv"),
        ] {
            for arguments in [
                vec!["migrate", "status"],
                vec!["migrate", "deploy"],
                vec!["db", "push"],
            ] {
                let run = project.comon_with_url(url, &arguments);
                run.expect(
                    1,
                    &[
                        "error[unknown-provider]",
                        &format!("The database URL is a `{scheme}://` URL"),
                        "PostgreSQL",
                        "SQLite",
                    ],
                );
                run.lacks("secret");
                assert_eq!(error_lines(&run), 1, "one error\n{run:?}");
            }
        }
        let cwd_files = support::file_names(&project.path().join("prisma"));
        assert_eq!(
            cwd_files,
            vec!["schema.prisma".to_string()],
            "no file was created for a mysql URL"
        );
    }
    let project = Project::new(Provider::Sqlite, USERS);
    for provider in ["mysql", "sqlserver", "mongodb"] {
        project.write(
            "prisma/schema.prisma",
            &format!("datasource db {{\n  provider = \"{provider}\"\n  url      = env(\"DATABASE_URL\")\n}}\n\n{USERS}"),
        );
        for arguments in [vec!["validate"], vec!["migrate", "status"]] {
            let run = project.comon(&arguments);
            run.expect(1, &["error[invalid-schema]", &format!("error[unknown-provider]: The datasource provider `{provider}` is not supported: comon supports \"postgresql\" and \"sqlite\".")]);
            run.lacks("missing-provider");
            assert_eq!(
                run.all().matches("error[unknown-provider]").count(),
                1,
                "{run:?}"
            );
        }
    }
}

const NOTE_WITH_BACKSLASHES: &str = "model Note {\n  id   Int    @id @default(autoincrement())\n  text String @default(\"C:\\\\temp\\\\new \\\\' done\")\n}\n";

fn backslashes_in_string_defaults(provider: Provider, standard_conforming_strings_off: bool) {
    let project = Project::new(provider, NOTE_WITH_BACKSLASHES);
    if standard_conforming_strings_off {
        let name = project.database.postgres_name();
        project.database.execute(&format!(
            "ALTER DATABASE \"{name}\" SET standard_conforming_strings = off"
        ));
    }
    project
        .comon(&["migrate", "dev", "--name", "init"])
        .expect(0, &["Your database is now in sync"]);
    let second = TemporaryDatabase::new(provider);
    if standard_conforming_strings_off {
        let name = second.postgres_name();
        second.execute(&format!(
            "ALTER DATABASE \"{name}\" SET standard_conforming_strings = off"
        ));
    }
    project
        .comon_with_url(&second.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    for database in [&project.database, &second] {
        database.execute("INSERT INTO \"Note\" DEFAULT VALUES");
        assert_eq!(
            database.column("SELECT \"text\" FROM \"Note\""),
            vec![Some("C:\\temp\\new \\' done".to_string())]
        );
    }
    project.expect_no_status_issues();
    project
        .comon(&["migrate", "dev", "--name", "again"])
        .expect(0, &["Already in sync, no schema changes detected."]);
}

#[test]
fn string_defaults_keep_their_backslashes_when_standard_conforming_strings_is_off_on_postgresql() {
    backslashes_in_string_defaults(Provider::Postgresql, true);
}

#[test]
fn string_defaults_keep_their_backslashes_on_sqlite() {
    backslashes_in_string_defaults(Provider::Sqlite, false);
}

// ----- #16: a closed stdout never stops a deploy half way -----

fn deploy_with_closed_stdout(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    project.migrate_dev_to(USERS_AND_POSTS, "posts");
    project.migrate_dev_to(USERS_WITH_BIO_AND_POSTS, "bio");
    let target = TemporaryDatabase::new(provider);
    for arguments in [
        vec!["migrate", "deploy"],
        vec!["migrate", "status"],
        diff_from_empty_to_schema(&["--script"]),
    ] {
        // A pipe whose reader is gone before the command starts: every write to stdout fails
        // with EPIPE, as with `comon migrate deploy | head -1` once head has exited.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let output = Command::new(COMON)
            .current_dir(project.path())
            .args(&arguments)
            .env("DATABASE_URL", target.url())
            .stdin(Stdio::null())
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .expect("the comon binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked"),
            "{arguments:?} panicked:\n{stderr}"
        );
        assert_eq!(output.status.code(), Some(0), "{arguments:?}:\n{stderr}");
    }
    assert_eq!(
        target.count("SELECT COUNT(*) FROM \"_comon_orm_migrations\""),
        3,
        "every migration was applied"
    );
    project
        .comon_with_url(&target.url(), &["migrate", "status"])
        .expect(0, &["Active migrations: 3", "Issues: 0"]);
}

test_on_each_provider!(
    deploy_with_closed_stdout,
    sqlite: a_closed_stdout_does_not_stop_a_deploy_on_sqlite,
    postgresql: a_closed_stdout_does_not_stop_a_deploy_on_postgresql,
);

// ----- #7: triggers survive a table renamed and rebuilt in one migration -----

const ORDERS: &str = "model Order {\n  id    Int @id\n  total Int\n}\n\nmodel Audit {\n  id      Int @id @default(autoincrement())\n  orderId Int\n}\n";
const ORDERS_RENAMED_AND_RETYPED: &str = "model Order {\n  id    Int   @id\n  total Float\n\n  @@map(\"orders\")\n}\n\nmodel Audit {\n  id      Int @id @default(autoincrement())\n  orderId Int\n}\n";

fn trigger_after_rename_and_rebuild(provider: Provider) {
    let project = Project::with_init_migration(provider, ORDERS);
    project.database.execute(match provider {
        Provider::Sqlite => "CREATE TRIGGER order_audit AFTER INSERT ON \"Order\" BEGIN INSERT INTO \"Audit\" (\"orderId\") VALUES (new.id); END",
        Provider::Postgresql => "CREATE FUNCTION order_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO \"Audit\" (\"orderId\") VALUES (NEW.id); RETURN NEW; END $$; CREATE TRIGGER order_audit AFTER INSERT ON \"Order\" FOR EACH ROW EXECUTE FUNCTION order_audit()",
    });
    project
        .database
        .execute("INSERT INTO \"Order\" (\"id\", \"total\") VALUES (1, 10)");
    project.write_schema(ORDERS_RENAMED_AND_RETYPED);
    project
        .comon(&["migrate", "dev", "--name", "rename_and_retype"])
        .expect(0, &["Your database is now in sync"]);
    let folder = project.migration("rename_and_retype");
    let sql = project.read(&format!("prisma/migrations/{folder}/migration.sql"));
    assert!(
        sql.contains("RENAME TO \"orders\""),
        "the migration renames the table:\n{sql}"
    );
    if provider == Provider::Sqlite {
        assert!(
            sql.contains("CREATE TABLE \"new_orders\""),
            "and rebuilds it:\n{sql}"
        );
    }
    project
        .database
        .execute("INSERT INTO \"orders\" (\"id\", \"total\") VALUES (2, 2.5)");
    let audited = project
        .database
        .column("SELECT CAST(\"orderId\" AS TEXT) FROM \"Audit\" ORDER BY \"id\"");
    assert_eq!(
        audited,
        vec![Some("1".to_string()), Some("2".to_string())],
        "the trigger still fires on the renamed table"
    );
    project.expect_no_status_issues();
}

test_on_each_provider!(
    trigger_after_rename_and_rebuild,
    sqlite: a_trigger_survives_its_table_renamed_and_rebuilt_in_one_migration_on_sqlite,
    postgresql: a_trigger_survives_its_table_renamed_and_retyped_in_one_migration_on_postgresql,
);

// ----- `.env` files, read as Prisma reads them -----

/// Runs the binary in the project with `DATABASE_URL` taken out of its environment, so that only
/// the project's `.env` files can provide it.
fn comon_without_database_url(project: &Project, arguments: &[&str]) -> Run {
    let output = Command::new(COMON)
        .current_dir(project.path())
        .args(arguments)
        .stdin(Stdio::null())
        .env_remove("DATABASE_URL")
        .output()
        .expect("the comon binary runs");
    Run::from_output(output)
}

#[test]
fn the_database_url_comes_from_a_dotenv_file_beside_the_schema_or_in_the_root() {
    let project = Project::new(Provider::Sqlite, USERS);
    let missing = comon_without_database_url(&project, &["migrate", "status"]);
    missing.expect(
        1,
        &[
            "environment-variable-not-set",
            "DATABASE_URL",
            "the process environment",
            ".env (not found)",
        ],
    );

    project.write(
        "prisma/.env",
        &format!("DATABASE_URL=\"{}\"\n", project.database.url()),
    );
    comon_without_database_url(&project, &["migrate", "dev", "--name", "init"]).expect(0, &[]);
    comon_without_database_url(&project, &["migrate", "status"]).expect(0, &["Issues: 0"]);

    std::fs::remove_file(project.path().join("prisma/.env")).expect("removed");
    project.write(
        ".env",
        &format!("export DATABASE_URL={}\n", project.database.url()),
    );
    comon_without_database_url(&project, &["migrate", "status"]).expect(0, &["Issues: 0"]);
}

#[test]
fn dotenv_files_that_disagree_or_do_not_parse_are_named_without_their_values() {
    let project = Project::new(Provider::Sqlite, USERS);
    project.write(".env", "DATABASE_URL=file:./one.db\n");
    project.write("prisma/.env", "DATABASE_URL=file:./two.db\n");
    comon_without_database_url(&project, &["migrate", "status"])
        .expect(1, &["environment-files-conflict", "DATABASE_URL"])
        .lacks("one.db")
        .lacks("two.db");

    std::fs::remove_file(project.path().join("prisma/.env")).expect("removed");
    project.write(
        ".env",
        "OTHER=1\nDATABASE_URL='postgresql://user:hunter2@localhost/db\n",
    );
    comon_without_database_url(&project, &["migrate", "status"])
        .expect(1, &["invalid-environment-file", ".env:2"])
        .lacks("hunter2");
}

// ----- a lost connection has its own code -----

/// A connection that ends under a running statement (here `pg_terminate_backend`, as an
/// administrator or a failover would) is `connection-lost`, not `statement-failed`, and the
/// message says what may have taken effect.
#[test]
fn a_connection_terminated_under_a_statement_is_reported_as_connection_lost() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS);
    project.write("slow.sql", "SELECT pg_sleep(60);\n");
    let application = format!("comon_connection_lost_{}", std::process::id());
    let url = with_parameter(
        &project.database.url(),
        &format!("application_name={application}"),
    );
    let child = spawn_comon(
        project.path(),
        &[("DATABASE_URL", &url)],
        &["db", "execute", "--file", "slow.sql"],
    );
    let terminate = format!(
        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = '{application}' AND query LIKE 'SELECT pg_sleep%'"
    );
    assert!(
        eventually(std::time::Duration::from_secs(30), || project
            .database
            .column(&terminate)
            .contains(&Some("true".to_string()))),
        "the script's backend was never seen running pg_sleep"
    );
    wait_at_most(child, std::time::Duration::from_secs(30), "db execute")
        .expect(
            1,
            &[
                "error[connection-lost]",
                "The connection to the database was lost while",
                "a statement inside one did not take effect",
                "may have completed",
            ],
        )
        .lacks("statement-failed");
    // The server's own reason ("terminating connection due to administrator command") reaches
    // the client only when its notice arrives before the socket closes; on a loaded machine the
    // client may see only "connection closed", which is the same case.
}
