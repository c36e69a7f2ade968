//! The device-local upgrader and cache bootstrap on real SQLite files.
//!
//! Every test works on its own file in a temporary folder and opens it as an app would: a
//! plain rusqlite connection with foreign key enforcement on. "Exactly as before" is checked by
//! comparing a dump of the file (schema objects, every row, the version) taken before and after.

use comon_database::Database;
use comon_device_local::{
    CacheBootstrapOutcome, ColumnDefinition, DeviceLocalError, ForeignKeyDefinition,
    LocalDatabaseUpgrader, RebuildableCacheSchema, ReferentialAction, TableDefinition, UpgradeStep,
    UpgradedDatabase, CACHE_METADATA_TABLE,
};
use planner::migrations::database_schema_from_snapshot;
use planner::{plan_migration, DiffOptions, Provider};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

struct LocalFile {
    _folder: TempDir,
    path: PathBuf,
}

impl LocalFile {
    fn new() -> LocalFile {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("local.db");
        LocalFile {
            _folder: folder,
            path,
        }
    }

    /// A connection as an app opens one: foreign keys enforced.
    fn open(&self) -> Connection {
        open_with_foreign_keys(&self.path)
    }

    fn dump(&self) -> DatabaseDump {
        dump(&self.open())
    }
}

fn open_with_foreign_keys(path: &Path) -> Connection {
    let connection = Connection::open(path).expect("the file opens");
    connection
        .execute_batch("PRAGMA foreign_keys = ON")
        .expect("foreign keys switch on");
    connection
}

/// Schema objects, every row of every table (values as text) and the version.
#[derive(Debug, PartialEq)]
struct DatabaseDump {
    version: i64,
    objects: Vec<(String, String, Option<String>)>,
    rows: Vec<(String, Vec<Vec<Option<String>>>)>,
}

fn dump(connection: &Connection) -> DatabaseDump {
    let version = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    let objects: Vec<(String, String, Option<String>)> = connection
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let rows = objects
        .iter()
        .filter(|(object_type, _, _)| object_type == "table")
        .map(|(_, name, _)| (name.clone(), rows_of(connection, name)))
        .collect();
    DatabaseDump {
        version,
        objects,
        rows,
    }
}

fn rows_of(connection: &Connection, table: &str) -> Vec<Vec<Option<String>>> {
    let mut statement = connection
        .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
        .unwrap();
    let column_count = statement.column_count();
    let mut rows = statement.query([]).unwrap();
    let mut collected = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        collected.push(
            (0..column_count)
                .map(|index| match row.get_ref(index).unwrap() {
                    ValueRef::Null => None,
                    ValueRef::Integer(value) => Some(value.to_string()),
                    ValueRef::Real(value) => Some(value.to_string()),
                    ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                        Some(String::from_utf8_lossy(bytes).into_owned())
                    }
                })
                .collect(),
        );
    }
    collected
}

fn query_strings(connection: &Connection, sql: &str) -> Vec<String> {
    connection
        .prepare(sql)
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn count(connection: &Connection, table: &str) -> i64 {
    connection
        .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |row| {
            row.get(0)
        })
        .unwrap()
}

fn version_of(connection: &Connection) -> i64 {
    connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}

fn foreign_key_violation_count(connection: &Connection) -> usize {
    connection
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |_| Ok(()))
        .unwrap()
        .count()
}

fn upgrade(
    file: &LocalFile,
    app_version: u32,
    steps: Vec<UpgradeStep>,
) -> Result<UpgradedDatabase, DeviceLocalError> {
    LocalDatabaseUpgrader::new(app_version, steps)?.upgrade(file.open())
}

/// Upgrades to version 3 through the notes' first two steps and `third_step`, which must fail
/// and leave the file exactly as it was; the error it failed with.
fn failed_upgrade_to_version_3(file: &LocalFile, third_step: UpgradeStep) -> DeviceLocalError {
    let before = file.dump();
    let error = expect_error(upgrade(
        file,
        3,
        vec![create_notes_step(), add_body_step(), third_step],
    ));
    assert_eq!(file.dump(), before, "the file changed although {error}");
    error
}

fn expect_error(result: Result<UpgradedDatabase, DeviceLocalError>) -> DeviceLocalError {
    match result {
        Ok(upgraded) => panic!(
            "expected an error, the upgrade succeeded: {:?}",
            upgraded.report()
        ),
        Err(error) => error,
    }
}

// ----- the app's steps, as a notes app would grow them -----

/// Version 1: notes and their tags.
fn create_notes_step() -> UpgradeStep {
    UpgradeStep::schema(0, 1, "create notes", |schema| {
        schema
            .create_table(
                TableDefinition::new("notes")
                    .column(ColumnDefinition::required("id", "INTEGER").auto_increment())
                    .column(ColumnDefinition::required("title", "TEXT"))
                    .column(ColumnDefinition::required("done", "INTEGER").default_number("0"))
                    .primary_key(&["id"])
                    .index("notes_title_idx", &["title"]),
            )
            .create_table(
                TableDefinition::new("tags")
                    .column(ColumnDefinition::required("id", "INTEGER"))
                    .column(ColumnDefinition::required("note_id", "INTEGER"))
                    .column(ColumnDefinition::required("label", "TEXT"))
                    .primary_key(&["id"])
                    .foreign_key(
                        ForeignKeyDefinition::new(&["note_id"], "notes", &["id"])
                            .on_delete(ReferentialAction::Cascade),
                    ),
            );
    })
}

/// Version 2: a column filled from existing data.
fn add_body_step() -> UpgradeStep {
    UpgradeStep::schema(1, 2, "add body", |schema| {
        schema
            .alter_table("notes", |table| {
                table.add_column(ColumnDefinition::optional("body", "TEXT"));
            })
            .execute("UPDATE notes SET body = 'about ' || title");
    })
}

/// Version 3: raw SQL, several statements in one text.
fn add_archive_step() -> UpgradeStep {
    UpgradeStep::sql(
        2,
        3,
        "add archive",
        ["CREATE TABLE archive (note_id INTEGER NOT NULL, archived_at TEXT NOT NULL); CREATE INDEX archive_note_idx ON archive (note_id)"],
    )
}

fn notes_steps() -> Vec<UpgradeStep> {
    vec![create_notes_step(), add_body_step(), add_archive_step()]
}

fn insert_sample_notes(connection: &Connection) {
    connection
        .execute_batch(
            "INSERT INTO notes (title, done) VALUES ('milk', 0), ('bread', 1), ('eggs', 0);
             INSERT INTO tags (id, note_id, label) VALUES (1, 1, 'shop'), (2, 2, 'shop'), (3, 2, 'bakery');",
        )
        .unwrap();
}

// ----- versioned upgrades -----

#[test]
fn an_empty_database_is_upgraded_from_0_to_the_app_version() {
    let file = LocalFile::new();
    let upgraded = upgrade(&file, 3, notes_steps()).unwrap();
    assert_eq!(upgraded.report().previous_version, 0);
    assert_eq!(upgraded.report().version, 3);
    assert_eq!(
        upgraded.report().applied_steps,
        vec!["create notes", "add body", "add archive"]
    );
    let connection = upgraded.into_connection();
    assert_eq!(version_of(&connection), 3);
    assert_eq!(
        query_strings(&connection, "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name"),
        vec!["archive", "archive_note_idx", "notes", "notes_title_idx", "tags"]
    );
    assert_eq!(
        query_strings(
            &connection,
            "SELECT name FROM pragma_table_info('notes') ORDER BY cid"
        ),
        vec!["id", "title", "done", "body"]
    );
    // Foreign key enforcement is back on after the upgrade.
    assert_eq!(
        connection
            .pragma_query_value(None, "foreign_keys", |row| row.get::<_, i64>(0))
            .unwrap(),
        1
    );
}

#[test]
fn a_database_is_upgraded_from_n_to_m_keeping_its_rows() {
    let file = LocalFile::new();
    let at_version_1 = upgrade(&file, 1, vec![create_notes_step()]).unwrap();
    insert_sample_notes(at_version_1.connection());
    drop(at_version_1);

    let upgraded = upgrade(&file, 3, notes_steps()).unwrap();
    assert_eq!(upgraded.report().previous_version, 1);
    assert_eq!(
        upgraded.report().applied_steps,
        vec!["add body", "add archive"]
    );
    let connection = upgraded.into_connection();
    assert_eq!(version_of(&connection), 3);
    assert_eq!(
        query_strings(&connection, "SELECT body FROM notes ORDER BY id"),
        vec!["about milk", "about bread", "about eggs"]
    );
    assert_eq!(count(&connection, "tags"), 3);
}

#[test]
fn a_current_database_is_left_alone() {
    let file = LocalFile::new();
    drop(upgrade(&file, 3, notes_steps()).unwrap());
    let before = file.dump();
    let upgraded = upgrade(&file, 3, notes_steps()).unwrap();
    assert_eq!(upgraded.report().previous_version, 3);
    assert!(upgraded.report().applied_steps.is_empty());
    drop(upgraded);
    assert_eq!(file.dump(), before);
}

#[test]
fn a_database_newer_than_the_app_is_refused_untouched() {
    let file = LocalFile::new();
    drop(upgrade(&file, 3, notes_steps()).unwrap());
    let before = file.dump();
    let error = expect_error(upgrade(
        &file,
        2,
        vec![create_notes_step(), add_body_step()],
    ));
    assert_eq!(error.code(), "local-database-newer-than-app");
    assert_eq!(
        error.to_string(),
        "Local database version 3 is newer than app version 2."
    );
    assert_eq!(file.dump(), before);
}

#[test]
fn a_missing_step_is_refused_before_anything_runs() {
    let file = LocalFile::new();
    drop(upgrade(&file, 1, vec![create_notes_step()]).unwrap());
    let before = file.dump();
    // Steps for 0 -> 1 and 2 -> 3, but none starts at 1.
    let error = expect_error(upgrade(
        &file,
        3,
        vec![create_notes_step(), add_archive_step()],
    ));
    assert_eq!(error.code(), "missing-local-migration");
    assert_eq!(error.to_string(), "Missing migration for version 1.");
    assert_eq!(file.dump(), before);

    let upgrader =
        LocalDatabaseUpgrader::new(3, vec![create_notes_step(), add_archive_step()]).unwrap();
    assert_eq!(
        upgrader
            .pending_steps(2)
            .unwrap()
            .iter()
            .map(|step| step.name())
            .collect::<Vec<_>>(),
        vec!["add archive"]
    );
    assert_eq!(
        upgrader.pending_steps(1).unwrap_err().to_string(),
        "Missing migration for version 1."
    );
}

#[test]
fn a_duplicate_step_is_refused_when_the_upgrader_is_built() {
    let duplicate = UpgradeStep::sql(
        1,
        2,
        "another body",
        ["ALTER TABLE notes ADD COLUMN body TEXT"],
    );
    let error = LocalDatabaseUpgrader::new(
        3,
        vec![
            create_notes_step(),
            add_body_step(),
            duplicate,
            add_archive_step(),
        ],
    )
    .unwrap_err();
    assert_eq!(error.code(), "duplicate-local-migration");
    assert_eq!(
        error.to_string(),
        "Duplicate migration starting at version 1."
    );
}

#[test]
fn steps_must_move_forward_and_stay_within_the_app_version() {
    let backwards =
        LocalDatabaseUpgrader::new(3, vec![UpgradeStep::sql(2, 2, "stand still", ["SELECT 1"])])
            .unwrap_err();
    assert_eq!(backwards.code(), "invalid-local-migration-versions");
    let past = LocalDatabaseUpgrader::new(2, vec![UpgradeStep::sql(1, 3, "leap", ["SELECT 1"])])
        .unwrap_err();
    assert_eq!(past.code(), "local-migration-past-app-version");
    let too_large = LocalDatabaseUpgrader::new(u32::MAX, Vec::new()).unwrap_err();
    assert_eq!(too_large.code(), "app-version-too-large");
}

#[test]
fn a_step_may_skip_versions() {
    let file = LocalFile::new();
    let leap = UpgradeStep::sql(
        1,
        3,
        "body and archive at once",
        [
            "ALTER TABLE notes ADD COLUMN body TEXT",
            "CREATE TABLE archive (note_id INTEGER)",
        ],
    );
    let upgraded = upgrade(&file, 3, vec![create_notes_step(), leap]).unwrap();
    assert_eq!(
        upgraded.report().applied_steps,
        vec!["create notes", "body and archive at once"]
    );
    assert_eq!(version_of(upgraded.connection()), 3);
}

#[test]
fn a_failure_in_the_middle_leaves_data_and_version_exactly_as_before() {
    let file = LocalFile::new();
    let at_version_1 = upgrade(&file, 1, vec![create_notes_step()]).unwrap();
    insert_sample_notes(at_version_1.connection());
    drop(at_version_1);

    // Step 1 -> 2 succeeds (a column and an UPDATE of every row), 2 -> 3 creates a table and
    // then fails.
    let failing = UpgradeStep::sql(
        2,
        3,
        "broken archive",
        [
            "CREATE TABLE archive (note_id INTEGER)",
            "INSERT INTO missing_table VALUES (1)",
        ],
    );
    let error = failed_upgrade_to_version_3(&file, failing);
    assert_eq!(error.code(), "local-migration-failed");
    let message = error.to_string();
    assert!(
        message.contains("Upgrade step `broken archive` failed"),
        "{message}"
    );
    assert!(
        message.contains("INSERT INTO missing_table VALUES (1)"),
        "{message}"
    );

    // The same database upgrades once the step is fixed.
    let upgraded = upgrade(&file, 3, notes_steps()).unwrap();
    assert_eq!(
        upgraded.report().applied_steps,
        vec!["add body", "add archive"]
    );
}

#[test]
fn a_hand_written_rebuild_in_raw_sql_keeps_the_tables_triggers_and_partial_indexes() {
    let file = LocalFile::new();
    let at_version_1 = upgrade(&file, 1, vec![create_notes_step()]).unwrap();
    insert_sample_notes(at_version_1.connection());
    at_version_1
        .connection()
        .execute_batch(
            "CREATE TABLE note_log (title TEXT);
             CREATE TRIGGER notes_logged AFTER INSERT ON notes BEGIN INSERT INTO note_log VALUES (new.title); END;
             CREATE INDEX notes_open ON notes (title) WHERE done = 0;",
        )
        .unwrap();
    drop(at_version_1);
    // SQLite's rebuild procedure written by hand, as the `sqlite3` shell would run it: its
    // foreign key pragmas are the upgrader's business, and it re-creates none of the dependents.
    let rebuild = UpgradeStep::sql(
        1,
        2,
        "rebuild notes",
        ["PRAGMA foreign_keys=OFF;
          CREATE TABLE \"new_notes\" (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);
          INSERT INTO \"new_notes\" (id, title, done) SELECT id, title, done FROM notes;
          DROP TABLE notes;
          ALTER TABLE \"new_notes\" RENAME TO \"notes\";
          PRAGMA foreign_keys=ON;"],
    );
    let upgraded = upgrade(&file, 2, vec![create_notes_step(), rebuild]).unwrap();
    let connection = upgraded.connection();
    assert_eq!(
        query_strings(
            connection,
            "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ),
        vec!["notes_logged", "notes_open"]
    );
    connection
        .execute_batch("INSERT INTO notes (title) VALUES ('tea')")
        .unwrap();
    assert_eq!(
        query_strings(connection, "SELECT title FROM note_log"),
        vec!["tea"]
    );
    assert_eq!(version_of(connection), 2);
}

#[test]
fn raw_sql_that_ends_the_upgrade_transaction_is_refused_and_rolled_back() {
    let file = LocalFile::new();
    let at_version_1 = upgrade(&file, 1, vec![create_notes_step()]).unwrap();
    drop(at_version_1);
    let before = file.dump();
    let committing = UpgradeStep::sql(
        1,
        2,
        "commit early",
        ["CREATE TABLE archive (note_id INTEGER); COMMIT;"],
    );
    let error = expect_error(upgrade(&file, 2, vec![create_notes_step(), committing]));
    assert_eq!(error.code(), "transaction-control-statement");
    let message = error.to_string();
    assert!(
        message.starts_with("Upgrade step `commit early`: `COMMIT` ends the transaction"),
        "{message}"
    );
    assert_eq!(file.dump(), before);
}

#[test]
fn a_failing_copy_callback_rolls_back_the_whole_upgrade() {
    let file = LocalFile::new();
    let at_version_1 = upgrade(&file, 1, vec![create_notes_step()]).unwrap();
    insert_sample_notes(at_version_1.connection());
    drop(at_version_1);
    let rebuild = UpgradeStep::rebuild_table(2, 3, "rebuild notes", notes_with_status(), |copy| {
        copy.connection()
            .execute_batch("SELECT no_such_column FROM notes")
    });
    let error = failed_upgrade_to_version_3(&file, rebuild);
    assert_eq!(error.code(), "local-migration-failed");
    assert!(
        error
            .to_string()
            .contains("the copy callback from `notes` into `new_notes`"),
        "{error}"
    );
}

// ----- table rebuilds -----

/// Notes with `done` (an integer) turned into `status` (text), and `body` kept.
fn notes_with_status() -> TableDefinition {
    TableDefinition::new("notes")
        .column(ColumnDefinition::required("id", "INTEGER").auto_increment())
        .column(ColumnDefinition::required("title", "TEXT"))
        .column(ColumnDefinition::required("status", "TEXT").default_text("todo"))
        .column(ColumnDefinition::optional("body", "TEXT"))
        .primary_key(&["id"])
        .index("notes_title_idx", &["title"])
        .unique_index("notes_title_status_key", &["title", "status"])
}

fn rebuild_notes_step() -> UpgradeStep {
    UpgradeStep::rebuild_table(2, 3, "done becomes status", notes_with_status(), |copy| {
        copy.copy_with_expressions(&[
            ("id", "\"id\""),
            ("title", "\"title\""),
            (
                "status",
                "CASE WHEN \"done\" = 1 THEN 'done' ELSE 'todo' END",
            ),
            ("body", "\"body\""),
        ])?;
        Ok(())
    })
}

#[test]
fn a_rebuild_keeps_every_row_and_passes_the_foreign_key_check() {
    let file = LocalFile::new();
    let at_version_1 = upgrade(&file, 1, vec![create_notes_step()]).unwrap();
    insert_sample_notes(at_version_1.connection());
    drop(at_version_1);
    let at_version_2 = upgrade(&file, 2, vec![create_notes_step(), add_body_step()]).unwrap();
    let connection = at_version_2.connection();
    // A trigger on the rebuilt table and a view over it must survive the rebuild.
    connection
        .execute_batch(
            "CREATE TABLE note_log (note_id INTEGER, title TEXT);
             CREATE TRIGGER notes_logged AFTER INSERT ON notes BEGIN INSERT INTO note_log VALUES (new.id, new.title); END;
             CREATE VIEW open_notes AS SELECT id, title FROM notes WHERE id > 0;",
        )
        .unwrap();
    let tag_rows_before = rows_of(connection, "tags");
    drop(at_version_2);

    let upgraded = upgrade(
        &file,
        3,
        vec![create_notes_step(), add_body_step(), rebuild_notes_step()],
    )
    .unwrap();
    assert_eq!(upgraded.report().applied_steps, vec!["done becomes status"]);
    let connection = upgraded.into_connection();
    assert_eq!(version_of(&connection), 3);
    assert_eq!(
        rows_of(&connection, "notes"),
        vec![
            vec![
                Some("1".into()),
                Some("milk".into()),
                Some("todo".into()),
                Some("about milk".into())
            ],
            vec![
                Some("2".into()),
                Some("bread".into()),
                Some("done".into()),
                Some("about bread".into())
            ],
            vec![
                Some("3".into()),
                Some("eggs".into()),
                Some("todo".into()),
                Some("about eggs".into())
            ],
        ]
    );
    // The rows that reference the rebuilt table are untouched and their references hold.
    assert_eq!(rows_of(&connection, "tags"), tag_rows_before);
    assert_eq!(foreign_key_violation_count(&connection), 0);
    assert_eq!(
        query_strings(
            &connection,
            "SELECT name FROM sqlite_master WHERE tbl_name = 'notes' ORDER BY name"
        ),
        vec![
            "notes",
            "notes_logged",
            "notes_title_idx",
            "notes_title_status_key"
        ]
    );
    assert_eq!(count(&connection, "open_notes"), 3);
    // The AUTOINCREMENT counter continues, the trigger still fires, and the foreign key from
    // tags still cascades.
    connection
        .execute("INSERT INTO notes (title) VALUES ('jam')", [])
        .unwrap();
    assert_eq!(
        query_strings(&connection, "SELECT title FROM note_log"),
        vec!["jam"]
    );
    assert_eq!(
        connection
            .query_row("SELECT max(id) FROM notes", [], |row| row.get::<_, i64>(0))
            .unwrap(),
        4
    );
    connection
        .execute("DELETE FROM notes WHERE id = 2", [])
        .unwrap();
    assert_eq!(count(&connection, "tags"), 1);
}

#[test]
fn a_rebuild_that_loses_rows_is_rolled_back() {
    let file = LocalFile::new();
    let at_version_2 = upgrade(&file, 2, vec![create_notes_step(), add_body_step()]).unwrap();
    insert_sample_notes(at_version_2.connection());
    drop(at_version_2);
    let lossy = UpgradeStep::rebuild_table(2, 3, "only open notes", notes_with_status(), |copy| {
        let source = copy.source_table().to_string();
        let target = copy.target_table().to_string();
        copy.connection().execute(&format!("INSERT INTO \"{target}\" (id, title, body) SELECT id, title, body FROM \"{source}\" WHERE done = 0"), [])?;
        Ok(())
    });
    let error = failed_upgrade_to_version_3(&file, lossy);
    assert_eq!(error.code(), "local-rebuild-changed-row-count");
    assert_eq!(
        error.to_string(),
        "Upgrade step `only open notes` rebuilt table `notes` with 2 row(s) but it had 3; a rebuild keeps every row, so the upgrade was rolled back."
    );
}

#[test]
fn a_rebuild_that_breaks_references_is_rolled_back() {
    let file = LocalFile::new();
    let at_version_2 = upgrade(&file, 2, vec![create_notes_step(), add_body_step()]).unwrap();
    insert_sample_notes(at_version_2.connection());
    drop(at_version_2);
    // Every id is shifted, so the tags point at notes that no longer exist.
    let renumbering =
        UpgradeStep::rebuild_table(2, 3, "renumber notes", notes_with_status(), |copy| {
            copy.copy_with_expressions(&[
                ("id", "\"id\" + 100"),
                ("title", "\"title\""),
                ("body", "\"body\""),
            ])?;
            Ok(())
        });
    let error = failed_upgrade_to_version_3(&file, renumbering);
    assert_eq!(error.code(), "foreign-key-violation");
    assert!(
        error
            .to_string()
            .contains("`tags` row 1 references a missing row of `notes`"),
        "{error}"
    );
}

// ----- schema diffs -----

/// The start of every notes schema.
macro_rules! notes_datasource {
    () => {
        "\ndatasource db {\n  provider = \"sqlite\"\n}\n"
    };
}

/// The folders of versions 2 to 4, which no step changes.
macro_rules! folder_model {
    () => {
        r#"
model Folder {
  id   Int    @id @default(autoincrement())
  name String @unique
}
"#
    };
}

const NOTES_SCHEMA_V1: &str = concat!(
    notes_datasource!(),
    r#"
model Note {
  id    Int    @id @default(autoincrement())
  title String
  done  Boolean @default(false)
}
"#
);

/// Adds an optional column and a table: no warnings.
const NOTES_SCHEMA_V2: &str = concat!(
    notes_datasource!(),
    r#"
model Note {
  id    Int     @id @default(autoincrement())
  title String
  done  Boolean @default(false)
  body  String?
}
"#,
    folder_model!()
);

/// Drops `done`: a data-loss warning.
const NOTES_SCHEMA_V3: &str = concat!(
    notes_datasource!(),
    r#"
model Note {
  id    Int     @id @default(autoincrement())
  title String
  body  String?
}
"#,
    folder_model!()
);

/// `body` becomes required with a default: SQLite rebuilds the table.
const NOTES_SCHEMA_V4: &str = concat!(
    notes_datasource!(),
    r#"
model Note {
  id    Int    @id @default(autoincrement())
  title String
  body  String @default("")
}
"#,
    folder_model!()
);

/// Version 3, with its data-loss warning allowed.
fn drop_done_step() -> UpgradeStep {
    UpgradeStep::schema_diff_allowing_warnings(2, 3, "drop done", NOTES_SCHEMA_V2, NOTES_SCHEMA_V3)
}

/// Version 4, with its warning (rows with NULL may fail) allowed.
fn body_required_step() -> UpgradeStep {
    UpgradeStep::schema_diff_allowing_warnings(
        3,
        4,
        "body required",
        NOTES_SCHEMA_V3,
        NOTES_SCHEMA_V4,
    )
}

fn schema_diff_steps() -> Vec<UpgradeStep> {
    vec![
        UpgradeStep::schema_diff(0, 1, "notes", "", NOTES_SCHEMA_V1),
        UpgradeStep::schema_diff(1, 2, "bodies and folders", NOTES_SCHEMA_V1, NOTES_SCHEMA_V2),
    ]
}

/// The live schema, introspected by the runner, planned against `expected`: no steps means
/// the database is exactly what the schema describes.
fn assert_database_matches_schema(path: &Path, expected: &str) {
    let mut database = Database::open(&format!("file:{}", path.display())).unwrap();
    let mut live = database.introspect().unwrap();
    live.tables.retain(|table| table.name != "sqlite_sequence");
    let expected = database_schema_from_snapshot(Provider::Sqlite, expected).unwrap();
    let plan = plan_migration(&live, &expected, &DiffOptions::default()).unwrap();
    let summaries: Vec<String> = plan.steps.iter().map(|step| step.summary()).collect();
    assert!(
        plan.is_empty(),
        "the database differs from the schema: {summaries:?}"
    );
}

#[test]
fn schema_diff_steps_without_warnings_are_planned_and_applied() {
    let file = LocalFile::new();
    let at_version_1 = upgrade(
        &file,
        1,
        vec![UpgradeStep::schema_diff(0, 1, "notes", "", NOTES_SCHEMA_V1)],
    )
    .unwrap();
    at_version_1
        .connection()
        .execute_batch("INSERT INTO Note (title) VALUES ('milk'), ('bread')")
        .unwrap();
    drop(at_version_1);
    let upgraded = upgrade(&file, 2, schema_diff_steps()).unwrap();
    assert_eq!(upgraded.report().applied_steps, vec!["bodies and folders"]);
    assert_eq!(count(upgraded.connection(), "Note"), 2);
    drop(upgraded);
    assert_database_matches_schema(&file.path, NOTES_SCHEMA_V2);
}

#[test]
fn schema_diff_steps_with_warnings_are_refused_unless_allowed() {
    let file = LocalFile::new();
    let at_version_2 = upgrade(&file, 2, schema_diff_steps()).unwrap();
    at_version_2
        .connection()
        .execute_batch("INSERT INTO Note (title, body) VALUES ('milk', 'two litres')")
        .unwrap();
    drop(at_version_2);
    let before = file.dump();

    let mut refused_steps = schema_diff_steps();
    refused_steps.push(UpgradeStep::schema_diff(
        2,
        3,
        "drop done",
        NOTES_SCHEMA_V2,
        NOTES_SCHEMA_V3,
    ));
    let upgrader = LocalDatabaseUpgrader::new(3, refused_steps).unwrap();
    assert_eq!(
        upgrader.check_steps().unwrap_err().code(),
        "local-migration-has-warnings"
    );
    let error = expect_error(upgrader.upgrade(file.open()));
    assert_eq!(error.code(), "local-migration-has-warnings");
    let message = error.to_string();
    assert!(
        message.contains("Upgrade step `drop done` was refused"),
        "{message}"
    );
    assert!(message.contains("[data-loss]"), "{message}");
    assert_eq!(file.dump(), before);

    let mut allowed_steps = schema_diff_steps();
    allowed_steps.push(drop_done_step());
    let upgraded = upgrade(&file, 3, allowed_steps).unwrap();
    assert_eq!(upgraded.report().applied_steps, vec!["drop done"]);
    assert_eq!(
        query_strings(upgraded.connection(), "SELECT body FROM Note"),
        vec!["two litres"]
    );
    drop(upgraded);
    assert_database_matches_schema(&file.path, NOTES_SCHEMA_V3);
}

#[test]
fn a_schema_diff_that_rebuilds_a_table_keeps_its_rows() {
    let file = LocalFile::new();
    let mut steps = schema_diff_steps();
    steps.push(drop_done_step());
    let at_version_3 = upgrade(&file, 3, steps).unwrap();
    // A view over the table and a trigger on it, which the planner knows nothing about, must
    // survive the planner's rebuild.
    at_version_3
        .connection()
        .execute_batch(
            "INSERT INTO Note (title, body) VALUES ('milk', 'two litres'), ('bread', NULL);
             CREATE VIEW note_titles AS SELECT title FROM Note;
             CREATE TRIGGER note_title_trimmed AFTER INSERT ON Note BEGIN UPDATE Note SET title = trim(title) WHERE id = new.id; END;",
        )
        .unwrap();
    drop(at_version_3);

    let mut steps = schema_diff_steps();
    steps.push(drop_done_step());
    // Making `body` required may fail on rows with NULL: a warning, accepted here; the
    // planner's rebuild copies the rows, and the NULL row fails the NOT NULL column.
    steps.push(body_required_step());
    let before = file.dump();
    let error = expect_error(upgrade(&file, 4, steps));
    assert_eq!(error.code(), "local-migration-failed");
    assert_eq!(file.dump(), before);

    // With every body filled in first, the rebuild keeps both rows.
    file.open()
        .execute_batch("UPDATE Note SET body = 'fresh' WHERE body IS NULL")
        .unwrap();
    let mut steps = schema_diff_steps();
    steps.push(drop_done_step());
    steps.push(body_required_step());
    let upgraded = upgrade(&file, 4, steps).unwrap();
    let connection = upgraded.connection();
    assert_eq!(
        query_strings(connection, "SELECT body FROM Note ORDER BY id"),
        vec!["two litres", "fresh"]
    );
    assert_eq!(foreign_key_violation_count(connection), 0);
    connection
        .execute_batch("INSERT INTO Note (title) VALUES ('  jam  ')")
        .unwrap();
    assert_eq!(
        query_strings(connection, "SELECT title FROM note_titles ORDER BY title"),
        vec!["bread", "jam", "milk"]
    );
    drop(upgraded);
    assert_database_matches_schema(&file.path, NOTES_SCHEMA_V4);
}

#[test]
fn an_invalid_schema_text_is_reported_with_its_side() {
    let upgrader = LocalDatabaseUpgrader::new(
        1,
        vec![UpgradeStep::schema_diff(0, 1, "broken", "", "model {")],
    )
    .unwrap();
    let error = upgrader.check_steps().unwrap_err();
    assert_eq!(error.code(), "invalid-local-migration-schema");
    assert!(
        error
            .to_string()
            .starts_with("Upgrade step `broken` has an invalid next schema"),
        "{error}"
    );
    let postgres = "datasource db {\n  provider = \"postgresql\"\n}\nmodel A {\n  id Int @id\n}\n";
    let upgrader = LocalDatabaseUpgrader::new(
        1,
        vec![UpgradeStep::schema_diff(0, 1, "postgres", "", postgres)],
    )
    .unwrap();
    assert_eq!(
        upgrader.check_steps().unwrap_err().code(),
        "invalid-local-migration-schema"
    );
}

// ----- the rebuildable cache -----

const CACHE_SCHEMA_V1: &str = r#"
model Article {
  id    Int    @id
  title String
}
"#;

const CACHE_SCHEMA_V2: &str = r#"
model Article {
  id     Int    @id
  title  String
  author String
}
"#;

#[test]
fn the_bootstrap_creates_the_schema_on_an_empty_database_and_then_leaves_it_alone() {
    let file = LocalFile::new();
    let schema = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V1).unwrap();
    let created = schema.bootstrap(file.open()).unwrap();
    assert_eq!(created.outcome(), &CacheBootstrapOutcome::Created);
    created
        .connection()
        .execute_batch("INSERT INTO Article (id, title) VALUES (1, 'hello')")
        .unwrap();
    assert_eq!(
        query_strings(
            created.connection(),
            &format!("SELECT schema_fingerprint FROM {CACHE_METADATA_TABLE}")
        ),
        vec![schema.fingerprint().to_string()]
    );
    assert_eq!(version_of(created.connection()), 0);
    drop(created);

    let again = schema.bootstrap(file.open()).unwrap();
    assert_eq!(again.outcome(), &CacheBootstrapOutcome::AlreadyCurrent);
    assert_eq!(count(again.connection(), "Article"), 1);
}

#[test]
fn the_bootstrap_resets_a_cache_with_another_fingerprint() {
    let file = LocalFile::new();
    let first = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V1).unwrap();
    let cache = first.bootstrap(file.open()).unwrap();
    cache.connection().execute_batch("INSERT INTO Article (id, title) VALUES (1, 'hello'); CREATE VIEW titles AS SELECT title FROM Article;").unwrap();
    drop(cache);

    let second = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V2).unwrap();
    assert_ne!(first.fingerprint(), second.fingerprint());
    let reset = second.bootstrap(file.open()).unwrap();
    assert_eq!(
        reset.outcome(),
        &CacheBootstrapOutcome::Reset {
            previous_fingerprint: Some(first.fingerprint().to_string())
        }
    );
    let connection = reset.into_connection();
    assert_eq!(count(&connection, "Article"), 0);
    assert_eq!(
        query_strings(
            &connection,
            "SELECT name FROM pragma_table_info('Article') ORDER BY cid"
        ),
        vec!["id", "title", "author"]
    );
    assert_eq!(
        query_strings(
            &connection,
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ),
        vec!["Article", CACHE_METADATA_TABLE]
    );
    assert_eq!(
        connection
            .pragma_query_value(None, "foreign_keys", |row| row.get::<_, i64>(0))
            .unwrap(),
        1
    );
    drop(connection);
    assert_eq!(
        second.bootstrap(file.open()).unwrap().outcome(),
        &CacheBootstrapOutcome::AlreadyCurrent
    );
}

#[test]
fn the_bootstrap_resets_a_database_without_a_fingerprint() {
    let file = LocalFile::new();
    file.open()
        .execute_batch(
            "CREATE TABLE leftovers (id INTEGER PRIMARY KEY); INSERT INTO leftovers VALUES (1);",
        )
        .unwrap();
    let schema = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V1).unwrap();
    let reset = schema.bootstrap(file.open()).unwrap();
    assert_eq!(
        reset.outcome(),
        &CacheBootstrapOutcome::Reset {
            previous_fingerprint: None
        }
    );
    assert_eq!(
        query_strings(
            reset.connection(),
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ),
        vec!["Article", CACHE_METADATA_TABLE]
    );
}

#[test]
fn the_fingerprint_follows_the_sql_not_the_way_the_schema_is_written() {
    let commented = "// The articles shown offline.\nmodel Article {\n    id Int @id\n    title String // the headline\n}\n";
    let plain = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V1).unwrap();
    let reformatted = RebuildableCacheSchema::from_prisma_schema(commented).unwrap();
    assert_eq!(plain.fingerprint(), reformatted.fingerprint());
    // npm/test/device-local.test.mjs pins the same value: the JS bootstrap computes it too.
    assert_eq!(
        plain.fingerprint(),
        "a3b5e7a4b8f3516f880a8e4b54a920d4fc245e2038dc9deb5bb86dc271819bd5"
    );
    // The same statements given as SQL give the same fingerprint.
    let as_sql = RebuildableCacheSchema::from_sql([plain.statements().join(";\n")]).unwrap();
    assert_eq!(as_sql.fingerprint(), plain.fingerprint());
}

#[test]
fn neither_path_runs_on_the_other_paths_database() {
    // The bootstrap never resets a database that versioned upgrades manage.
    let data = LocalFile::new();
    drop(upgrade(&data, 3, notes_steps()).unwrap());
    let before = data.dump();
    let schema = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V1).unwrap();
    let error = schema.bootstrap(data.open()).unwrap_err();
    assert_eq!(error.code(), "local-cache-is-versioned");
    assert_eq!(data.dump(), before);

    // The upgrader refuses a cache.
    let cache = LocalFile::new();
    drop(schema.bootstrap(cache.open()).unwrap());
    let before = cache.dump();
    let error = expect_error(upgrade(&cache, 3, notes_steps()));
    assert_eq!(error.code(), "local-database-is-cache");
    assert_eq!(cache.dump(), before);
}

#[test]
fn a_failing_cache_schema_leaves_the_old_cache_in_place() {
    let file = LocalFile::new();
    let first = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V1).unwrap();
    let cache = first.bootstrap(file.open()).unwrap();
    cache
        .connection()
        .execute_batch("INSERT INTO Article (id, title) VALUES (1, 'hello')")
        .unwrap();
    drop(cache);
    let before = file.dump();
    let broken = RebuildableCacheSchema::from_sql([
        "CREATE TABLE a (id INTEGER); CREATE TABLE a (id INTEGER)",
    ])
    .unwrap();
    let error = broken.bootstrap(file.open()).unwrap_err();
    assert_eq!(error.code(), "invalid-local-cache-schema");
    assert_eq!(file.dump(), before);
}

#[test]
fn the_file_helpers_create_missing_files() {
    let folder = tempfile::tempdir().unwrap();
    let data_path = folder.path().join("data.db");
    let upgrader = LocalDatabaseUpgrader::new(3, notes_steps()).unwrap();
    assert_eq!(
        upgrader.upgrade_file(&data_path).unwrap().report().version,
        3
    );
    let cache_path = folder.path().join("cache.db");
    let schema = RebuildableCacheSchema::from_prisma_schema(CACHE_SCHEMA_V1).unwrap();
    assert_eq!(
        schema.bootstrap_file(&cache_path).unwrap().outcome(),
        &CacheBootstrapOutcome::Created
    );
}

#[test]
fn two_processes_upgrading_at_once_run_each_step_once() {
    let file = LocalFile::new();
    let path = file.path.clone();
    // Each thread stands for a process of the app (a window, a background worker) with its
    // own connection. Whichever takes the write lock second finds the work done.
    let upgrade_in_thread = || {
        let path = path.clone();
        std::thread::spawn(move || {
            LocalDatabaseUpgrader::new(3, notes_steps())
                .and_then(|upgrader| upgrader.upgrade_file(&path))
                .map(|upgraded| upgraded.report().applied_steps.clone())
        })
    };
    let first = upgrade_in_thread();
    let second = upgrade_in_thread();
    let mut applied: Vec<String> = Vec::new();
    for thread in [first, second] {
        applied.extend(
            thread
                .join()
                .expect("the thread finishes")
                .expect("the upgrade succeeds"),
        );
    }
    applied.sort();
    assert_eq!(applied, vec!["add archive", "add body", "create notes"]);
    assert_eq!(version_of(&file.open()), 3);
}
