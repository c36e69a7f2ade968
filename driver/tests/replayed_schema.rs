//! `replayed_schema::schema_built_by_migrations` on real databases: the interpreter's schema when
//! it follows every statement, a replay into a scratch database (SQLite in memory, a temporary
//! PostgreSQL database) when it does not, with the result saying which; and the PostgreSQL
//! scratch database gone again after a success and after an error, an error with a code of
//! its own when the user may not create databases or the server cannot be reached.
//!
//! To see which scratch database a replay used, the scripts name it themselves: a `DO` block
//! (which also forces the replay) creates a table named after `current_database()`, or raises
//! an error whose message holds it.

use comon_database::{ConnectionOptions, Database, DatabaseUrl};
use comon_driver::replayed_schema::{
    schema_built_by_migrations, MigrationScriptText, SchemaSource, ScratchServer,
    SCRATCH_NOT_PERMITTED_CODE, SCRATCH_REPLAY_FAILED_CODE, SCRATCH_UNAVAILABLE_CODE,
    SCRATCH_UNREACHABLE_CODE,
};
use planner::{database_schema_from_source, DatabaseSchema, Provider};
use tests::{postgres_admin_url, postgres_url_with_database, TemporaryPostgresDatabase};

fn script<'a>(origin: &'a str, sql: &'a str) -> MigrationScriptText<'a> {
    MigrationScriptText { origin, sql }
}

fn table_names(schema: &DatabaseSchema) -> Vec<String> {
    schema
        .tables
        .iter()
        .map(|table| table.name.clone())
        .collect()
}

fn scratch_server_of(database: &TemporaryPostgresDatabase) -> ScratchServer {
    ScratchServer::for_database(&database.open())
}

fn database_exists(name: &str) -> bool {
    let mut admin = Database::open(&postgres_admin_url()).expect("the admin database opens");
    let rows = admin
        .query_named_rows(
            "SELECT CAST(datname AS TEXT) AS name FROM pg_database WHERE datname = $1",
            &[comon_database::SqlValue::Text(name)],
        )
        .expect("pg_database can be read");
    let exists = rows.iter().next().is_some();
    exists
}

const CREATE_USERS: &str = "CREATE TABLE \"User\" (\"id\" INTEGER NOT NULL, CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\"));";

#[test]
fn the_interpreter_builds_the_schema_when_it_follows_every_statement() {
    for provider in [Provider::Sqlite, Provider::Postgresql] {
        let built = schema_built_by_migrations(
            provider,
            &DatabaseSchema::empty(provider),
            &[
                script("20260101000000_init", CREATE_USERS),
                script(
                    "20260102000000_posts",
                    "CREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL);\nINSERT INTO \"Post\" VALUES (1);",
                ),
            ],
            // No server: the interpreter needs none.
            &ScratchServer::Unavailable {
                remedy: String::new(),
            },
        )
        .expect("the interpreter follows these statements");
        assert_eq!(built.source, SchemaSource::Interpreted, "{provider}");
        assert_eq!(built.replay_notice(), None);
        assert_eq!(table_names(&built.schema), ["Post", "User"], "{provider}");
    }
}

#[test]
fn sqlite_replays_in_memory_when_a_trigger_is_not_followed() {
    let built = schema_built_by_migrations(
        Provider::Sqlite,
        &DatabaseSchema::empty(Provider::Sqlite),
        &[
            script("20260101000000_init", CREATE_USERS),
            script(
                "20260102000000_trigger",
                "CREATE TABLE \"Log\" (\"id\" INTEGER);\nCREATE TRIGGER \"log_user\" AFTER INSERT ON \"User\" BEGIN INSERT INTO \"Log\" VALUES (NEW.\"id\"); END;",
            ),
        ],
        &ScratchServer::SqliteInMemory,
    )
    .expect("the replay in memory succeeds");
    match &built.source {
        SchemaSource::Replayed {
            migration_count,
            origin,
            line,
            ..
        } => {
            assert_eq!(*migration_count, 2);
            assert_eq!(origin, "20260102000000_trigger");
            assert_eq!(*line, Some(2));
        }
        other => panic!("expected a replay, got {other:?}"),
    }
    let notice = built.replay_notice().expect("a replay notice");
    assert!(
        notice.starts_with("replayed 2 migrations into a scratch database because 20260102000000_trigger/migration.sql line 2: "),
        "{notice}"
    );
    assert_eq!(table_names(&built.schema), ["Log", "User"]);
    // The trigger is what introspection reads of the scratch database: the table's dependent.
    let user = built
        .schema
        .tables
        .iter()
        .find(|table| table.name == "User")
        .expect("User");
    assert!(
        format!("{:?}", built.schema).contains("log_user"),
        "the trigger is in the replayed schema: {user:?}"
    );
}

#[test]
fn a_replay_starts_from_the_previous_schema() {
    let previous = database_schema_from_source(
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\nmodel User {\n  id Int @id\n}\n",
    )
    .expect("schema");
    let built = schema_built_by_migrations(
        Provider::Sqlite,
        &previous,
        &[script(
            "20260102000000_trigger",
            "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT;\nCREATE TRIGGER \"t\" AFTER INSERT ON \"User\" BEGIN SELECT 1; END;",
        )],
        &ScratchServer::SqliteInMemory,
    )
    .expect("the replay succeeds");
    assert!(matches!(built.source, SchemaSource::Replayed { .. }));
    let user = &built.schema.tables[0];
    let columns: Vec<&str> = user
        .columns
        .iter()
        .map(|column| column.name.as_str())
        .collect();
    assert_eq!(columns, ["id", "name"]);
}

#[test]
fn a_script_that_cannot_be_split_is_an_error_naming_the_folder() {
    let error = schema_built_by_migrations(
        Provider::Sqlite,
        &DatabaseSchema::empty(Provider::Sqlite),
        &[script(
            "20260101000000_broken",
            "CREATE TABLE 'unterminated (id INTEGER);",
        )],
        &ScratchServer::SqliteInMemory,
    )
    .expect_err("an unterminated string is refused");
    assert_eq!(error.code(), "migration-sql-invalid-script");
    assert!(
        error.to_string().contains("20260101000000_broken"),
        "{error}"
    );
}

/// A DO block that creates a table named after the database it runs in.
const NAME_THE_SCRATCH_DATABASE: &str =
    "DO $$ BEGIN EXECUTE format('CREATE TABLE %I (id INTEGER)', current_database()); END $$;";

#[test]
fn postgresql_replays_a_do_block_into_a_scratch_database_that_is_dropped_afterwards() {
    let project = TemporaryPostgresDatabase::new();
    let built = schema_built_by_migrations(
        Provider::Postgresql,
        &DatabaseSchema::empty(Provider::Postgresql),
        &[
            script("20260101000000_init", CREATE_USERS),
            script(
                "20260102000000_do_block",
                &format!("-- names the database\n{NAME_THE_SCRATCH_DATABASE}"),
            ),
        ],
        &scratch_server_of(&project),
    )
    .expect("the replay succeeds");
    let notice = built.replay_notice().expect("a replay notice");
    assert!(
        notice.starts_with("replayed 2 migrations into a scratch database because 20260102000000_do_block/migration.sql line 2: a DO block"),
        "{notice}"
    );
    let names = table_names(&built.schema);
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"User".to_string()), "{names:?}");
    let scratch_name = names
        .iter()
        .find(|name| name.starts_with(comon_database::interrupt::SCRATCH_DATABASE_PREFIX))
        .unwrap_or_else(|| panic!("the DO block's table names the scratch database: {names:?}"));
    assert_ne!(scratch_name, project.name());
    assert!(
        !database_exists(scratch_name),
        "the scratch database {scratch_name} is dropped after the replay"
    );
    // The project's own database was not touched.
    assert!(project
        .open()
        .introspect()
        .expect("introspect")
        .tables
        .is_empty());
}

#[test]
fn postgresql_drops_the_scratch_database_when_a_migration_fails_in_it() {
    let project = TemporaryPostgresDatabase::new();
    let error = schema_built_by_migrations(
        Provider::Postgresql,
        &DatabaseSchema::empty(Provider::Postgresql),
        &[
            script("20260101000000_init", CREATE_USERS),
            script(
                "20260102000000_fails",
                "DO $$ BEGIN RAISE EXCEPTION 'replayed in [%]', current_database(); END $$;",
            ),
        ],
        &scratch_server_of(&project),
    )
    .expect_err("the failing migration fails the replay");
    assert_eq!(error.code(), SCRATCH_REPLAY_FAILED_CODE, "{error}");
    let message = error.to_string();
    assert!(
        message.contains("20260102000000_fails/migration.sql"),
        "{message}"
    );
    let scratch_name = message
        .split("replayed in [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_else(|| panic!("the error names the scratch database: {message}"));
    assert!(
        scratch_name.starts_with(comon_database::interrupt::SCRATCH_DATABASE_PREFIX),
        "{scratch_name}"
    );
    assert!(
        !database_exists(scratch_name),
        "the scratch database {scratch_name} is dropped after the failure"
    );
}

#[test]
fn postgresql_without_the_createdb_right_is_an_error_with_its_code() {
    let project = TemporaryPostgresDatabase::new();
    let role = format!("{}_no_createdb", project.name());
    let mut admin = project.open();
    admin
        .execute_batch(&format!(
            "CREATE ROLE {role} LOGIN NOCREATEDB; GRANT CONNECT ON DATABASE {} TO {role}",
            project.name()
        ))
        .expect("a role without CREATEDB");
    let url = postgres_url_with_database(&postgres_admin_url(), project.name()).replacen(
        "postgres@",
        &format!("{role}@"),
        1,
    );
    let database = Database::open(&url).expect("the role connects");
    let result = schema_built_by_migrations(
        Provider::Postgresql,
        &DatabaseSchema::empty(Provider::Postgresql),
        &[script("20260102000000_do_block", NAME_THE_SCRATCH_DATABASE)],
        &ScratchServer::for_database(&database),
    );
    drop(database);
    let _ = admin.execute_batch(&format!("DROP ROLE IF EXISTS {role}"));
    let error = result.expect_err("the role may not create the scratch database");
    assert_eq!(error.code(), SCRATCH_NOT_PERMITTED_CODE, "{error}");
    assert!(error.to_string().contains("CREATEDB"), "{error}");
}

#[test]
fn postgresql_with_an_unreachable_server_is_an_error_with_its_code() {
    let url = DatabaseUrl::parse("postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
        .expect("url");
    let error = schema_built_by_migrations(
        Provider::Postgresql,
        &DatabaseSchema::empty(Provider::Postgresql),
        &[script("20260102000000_do_block", NAME_THE_SCRATCH_DATABASE)],
        &ScratchServer::for_url(&url, &ConnectionOptions::default()),
    )
    .expect_err("nothing listens on port 1");
    assert_eq!(error.code(), SCRATCH_UNREACHABLE_CODE, "{error}");
    assert!(error.to_string().contains("127.0.0.1:1/nowhere"), "{error}");

    let error = schema_built_by_migrations(
        Provider::Postgresql,
        &DatabaseSchema::empty(Provider::Postgresql),
        &[script("20260102000000_do_block", NAME_THE_SCRATCH_DATABASE)],
        &ScratchServer::Unavailable {
            remedy: "Pass --url.".to_string(),
        },
    )
    .expect_err("no server given");
    assert_eq!(error.code(), SCRATCH_UNAVAILABLE_CODE, "{error}");
    assert!(
        error
            .to_string()
            .contains("20260102000000_do_block/migration.sql line 1"),
        "{error}"
    );
}
