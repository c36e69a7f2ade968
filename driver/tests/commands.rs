//! The driver's commands called as a front end calls them, on a real SQLite file and a real
//! PostgreSQL database: a migrations folder held in memory, an `Interaction` that records the
//! events and answers questions from a script, and a fixed clock. Each test checks the reports.

use comon_database::Database;
use comon_driver::backend::{backend_for, MigrationBackend};
use comon_driver::command_error::CommandError;
use comon_driver::commands::{
    self, BaselineInput, BaselineReport, Decisions, DevInput, DevReport, Event, Interaction,
    MigrationsFolder, PushInput, PushReport, Question, ResolveReport, ResolveRequest,
    RollbackRequest, TargetSchema,
};
use comon_driver::local_folders::LocalMigrations;
use planner::migrations::artifacts::{
    local_migrations_from_folders, AFTER_SCHEMA_FILE, BEFORE_SCHEMA_FILE, METADATA_FILE,
    MIGRATION_SQL_FILE, WARNINGS_FILE,
};
use planner::migrations::{MigrationDraft, MigrationFolderFiles};
use planner::schema_language::data_model::DataModel;
use planner::Provider;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};
use tests::{TemporaryPostgresDatabase, TemporarySqliteDatabase};

/// A migrations folder in memory: folder name to (file name to content).
#[derive(Default)]
struct MemoryFolder {
    folders: BTreeMap<String, BTreeMap<&'static str, String>>,
}

impl MigrationsFolder for MemoryFolder {
    fn location(&self) -> String {
        "memory/migrations".to_string()
    }

    fn read(&mut self, provider: Provider) -> Result<LocalMigrations, CommandError> {
        let folders = self
            .folders
            .iter()
            .map(|(name, files)| {
                let file = |file_name: &str| files.get(file_name).cloned();
                (
                    name.clone(),
                    format!("memory/migrations/{name}"),
                    MigrationFolderFiles {
                        migration_sql: file(MIGRATION_SQL_FILE),
                        metadata: file(METADATA_FILE),
                        before_schema: file(BEFORE_SCHEMA_FILE),
                        after_schema: file(AFTER_SCHEMA_FILE),
                        warnings: file(WARNINGS_FILE),
                    },
                )
            })
            .collect();
        Ok(local_migrations_from_folders(provider, folders))
    }

    fn write(&mut self, draft: &MigrationDraft) -> Result<String, CommandError> {
        self.folders
            .insert(draft.name.clone(), draft.files().into_iter().collect());
        Ok(format!("memory/migrations/{}", draft.name))
    }
}

/// Records events as short lines and answers every question with `answer`; a rename
/// candidate with `rename_answer` (`None`: nobody can be asked), recording it in
/// `rename_questions`. `cannot_confirm` is a front end without a terminal.
#[derive(Default)]
struct Script {
    answer: bool,
    migration_name: Option<String>,
    questions: Vec<Question>,
    events: Vec<String>,
    rename_answer: Option<bool>,
    rename_questions: Vec<String>,
    cannot_confirm: bool,
}

impl Interaction for Script {
    fn event(&mut self, event: Event<'_>) {
        self.events.push(match event {
            Event::WaitingForMigrationLock => "waiting".to_string(),
            Event::DeployStarting {
                local_migration_count,
            } => format!("deploy of {local_migration_count}"),
            Event::MigrationStarting { name, .. } => format!("starting {name}"),
            Event::MigrationFinished { name, .. } => format!("finished {name}"),
            Event::DeployFinished(Ok(report)) => format!("deployed {:?}", report.applied),
            Event::DeployFinished(Err(error)) => format!("deploy failed {}", error.code()),
            Event::HistoryIssues(issues) => format!("{} issues", issues.len()),
            Event::PlanWarnings(warnings) => format!("{} warnings", warnings.len()),
            Event::DatabaseWiped => "wiped".to_string(),
            Event::SchemaReplayed { notice } => format!("replayed: {notice}"),
            Event::MigrationFolderWritten { path } => format!("wrote {path}"),
            // The plan is checked through the report and the folder it becomes.
            Event::MigrationPlanned { .. } => return,
        });
    }

    fn confirm(&mut self, question: Question) -> bool {
        self.questions.push(question);
        self.answer
    }

    fn migration_name(&mut self) -> Result<String, CommandError> {
        self.migration_name
            .clone()
            .ok_or_else(|| CommandError::usage("no name"))
    }

    fn can_confirm(&self) -> bool {
        !self.cannot_confirm
    }

    fn decide_rename(&mut self, candidate: &planner::RenameCandidate) -> Option<bool> {
        self.rename_questions.push(candidate.answer());
        self.rename_answer
    }
}

fn schema(provider: &str, models: &str) -> String {
    format!("datasource db {{\n  provider = \"{provider}\"\n  url = env(\"DATABASE_URL\")\n}}\n\n{models}")
}

const USERS: &str = "model User {\n  id    Int    @id\n  email String\n}\n";
const USERS_WITH_NAME: &str =
    "model User {\n  id    Int     @id\n  email String\n  name  String?\n}\n";

fn model(source: &str) -> DataModel {
    planner::parse_and_validate(source).expect("valid schema")
}

/// 2026-12-03 08:00:00 UTC plus `seconds`.
fn at(seconds: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_284_800 + seconds)
}

fn dev(
    database: &mut dyn MigrationBackend,
    folder: &mut MemoryFolder,
    script: &mut Script,
    source: &str,
    name: &str,
    now: SystemTime,
) -> Result<DevReport, CommandError> {
    commands::dev(
        database,
        folder,
        script,
        DevInput {
            schema: TargetSchema {
                path: "schema.prisma",
                source,
                data_model: &model(source),
            },
            name: Some(name.to_string()),
            create_only: false,
            now,
            online_ddl: planner::OnlineDdl::On,
            decisions: Decisions::default(),
        },
    )
}

fn history_names(database: &mut dyn MigrationBackend) -> Vec<String> {
    database
        .database()
        .query_rows("SELECT name FROM \"_comon_orm_migrations\" ORDER BY id")
        .expect("history")
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .collect()
}

/// dev, status, rollback, deploy, resolve and reset, one after the other on one database.
fn migration_commands_report_what_they_did(provider: &str, url: &str) {
    let mut database = backend_for(Database::open(url).expect("database"));
    let mut folder = MemoryFolder::default();
    let mut script = Script::default();
    let first = schema(provider, USERS);
    let second = schema(provider, USERS_WITH_NAME);

    let report = dev(
        database.as_mut(),
        &mut folder,
        &mut script,
        &first,
        "init",
        at(0),
    )
    .unwrap();
    assert!(
        matches!(&report, DevReport::Applied { folder_name, .. } if folder_name == "20261203080000_init"),
        "{report:?}"
    );
    assert_eq!(
        script.events,
        ["0 warnings", "wrote memory/migrations/20261203080000_init"]
    );
    let again = dev(
        database.as_mut(),
        &mut folder,
        &mut script,
        &first,
        "same",
        at(1),
    )
    .unwrap();
    assert_eq!(again, DevReport::AlreadyInSync);

    // The folder from the same second as the clock goes one second later.
    let report = dev(
        database.as_mut(),
        &mut folder,
        &mut script,
        &second,
        "name",
        at(0),
    )
    .unwrap();
    assert!(
        matches!(&report, DevReport::Applied { folder_name, .. } if folder_name == "20261203080001_name"),
        "{report:?}"
    );

    let status = commands::status(database.as_mut(), &mut folder).unwrap();
    assert_eq!(
        status.active_migrations,
        ["20261203080000_init", "20261203080001_name"]
    );
    assert!(status.is_clean(), "{status:?}");

    database
        .database()
        .execute_batch("INSERT INTO \"User\" (id, email, name) VALUES (1, 'a@example.com', 'A')")
        .unwrap();
    let rolled_back = commands::rollback(
        database.as_mut(),
        &mut folder,
        &mut script,
        RollbackRequest {
            name: None,
            rollback_name: None,
            allow_warnings: true,
            now: at(5),
        },
    )
    .unwrap();
    assert_eq!(rolled_back.target_name, "20261203080001_name");
    // Data loss, and on SQLite the table rebuild that drops the column.
    let expected_warnings = if provider == "sqlite" { 2 } else { 1 };
    assert_eq!(
        rolled_back.warnings.len(),
        expected_warnings,
        "{:?}",
        rolled_back.warnings
    );
    assert!(rolled_back.local_folder_remains);
    assert_eq!(
        history_names(database.as_mut()).last().map(String::as_str),
        Some("20261203080001_name_rollback_1796284805000")
    );
    let recorded_count = database
        .database()
        .query_rows("SELECT CAST(statement_count AS TEXT) FROM \"_comon_orm_migrations\" ORDER BY id DESC LIMIT 1")
        .unwrap();
    assert_eq!(
        recorded_count,
        vec![vec![Some(rolled_back.statement_count.to_string())]]
    );
    assert!(rolled_back.statement_count > 0);

    script.events.clear();
    let deployed = commands::deploy(database.as_mut(), &mut folder, &mut script).unwrap();
    assert_eq!(deployed.applied, ["20261203080001_name"]);
    assert_eq!(deployed.local_migration_count, 2);
    assert_eq!(
        script.events,
        [
            "deploy of 2",
            "starting 20261203080001_name",
            "finished 20261203080001_name",
            "deployed [\"20261203080001_name\"]"
        ]
    );

    let resolve = |database: &mut dyn MigrationBackend, folder: &mut MemoryFolder, request| {
        commands::resolve(database, folder, &mut Script::default(), request, at(9)).unwrap()
    };
    let name = "20261203080001_name".to_string();
    assert_eq!(
        resolve(
            database.as_mut(),
            &mut folder,
            ResolveRequest::RolledBack(name.clone())
        ),
        ResolveReport::MarkedRolledBack { name: name.clone() }
    );
    assert_eq!(
        resolve(
            database.as_mut(),
            &mut folder,
            ResolveRequest::RolledBack(name.clone())
        ),
        ResolveReport::AlreadyRolledBack { name: name.clone() }
    );
    assert_eq!(
        history_names(database.as_mut()).last().map(String::as_str),
        Some("20261203080001_name_resolve_rollback_1796284809000")
    );
    assert_eq!(
        resolve(
            database.as_mut(),
            &mut folder,
            ResolveRequest::Applied(name.clone())
        ),
        ResolveReport::MarkedApplied { name: name.clone() }
    );
    assert_eq!(
        resolve(
            database.as_mut(),
            &mut folder,
            ResolveRequest::Applied(name.clone())
        ),
        ResolveReport::AlreadyApplied { name: name.clone() }
    );

    // A declined reset does not even open the database.
    let mut declined = Script::default();
    let error = commands::reset(
        || panic!("a declined reset opened the database"),
        &mut folder,
        &mut declined,
        false,
    )
    .unwrap_err();
    assert_eq!(error.code(), "cancelled");
    assert_eq!(declined.questions, [Question::ResetDatabase]);
    drop(database);
    let mut forced = Script::default();
    let reset = commands::reset(
        || Ok(backend_for(Database::open(url)?)),
        &mut folder,
        &mut forced,
        true,
    )
    .unwrap();
    assert_eq!(
        reset.applied,
        ["20261203080000_init", "20261203080001_name"]
    );
    assert!(forced.questions.is_empty());
    assert_eq!(forced.events.first().map(String::as_str), Some("wiped"));
    let mut database = backend_for(Database::open(url).expect("database"));
    assert_eq!(
        history_names(database.as_mut()),
        ["20261203080000_init", "20261203080001_name"]
    );
}

#[test]
fn migration_commands_report_what_they_did_on_sqlite() {
    let database = TemporarySqliteDatabase::new();
    migration_commands_report_what_they_did("sqlite", &database.url());
}

#[test]
fn migration_commands_report_what_they_did_on_postgresql() {
    let database = TemporaryPostgresDatabase::new();
    migration_commands_report_what_they_did("postgresql", database.url());
}

/// `baseline` on a database `db push` built: the report, the folder it wrote, the history row,
/// and the refusals of a second baseline and of a deploy onto another pushed database.
fn baseline_records_a_pushed_database(provider: &str, url: &str, other_url: &str) {
    let source = schema(provider, USERS_WITH_NAME);
    let push = |database: &mut dyn MigrationBackend| {
        commands::push(
            database,
            &mut Script::default(),
            PushInput {
                data_model: &model(&source),
                accept_data_loss: false,
                force_reset: false,
                online_ddl: planner::OnlineDdl::Off,
                flavour: planner::Flavour::ComonOrm,
            },
        )
        .expect("push")
    };
    let baseline = |database: &mut dyn MigrationBackend, folder: &mut MemoryFolder| {
        commands::baseline(
            database,
            folder,
            &mut Script::default(),
            BaselineInput {
                schema: TargetSchema {
                    path: "schema.prisma",
                    source: &source,
                    data_model: &model(&source),
                },
                name: commands::DEFAULT_BASELINE_NAME.to_string(),
                now: at(0),
            },
        )
    };
    let mut database = backend_for(Database::open(url).expect("database"));
    push(database.as_mut());
    let mut folder = MemoryFolder::default();
    let report = baseline(database.as_mut(), &mut folder).expect("baseline");
    assert_eq!(
        report,
        BaselineReport {
            folder_name: "20261203080000_baseline".to_string(),
            folder_path: "memory/migrations/20261203080000_baseline".to_string(),
            statement_count: 1,
            table_names: vec!["User".to_string()],
            existing_folders_recorded: Vec::new(),
        }
    );
    let files = &folder.folders["20261203080000_baseline"];
    assert!(
        files[MIGRATION_SQL_FILE].starts_with("CREATE TABLE \"User\""),
        "{}",
        files[MIGRATION_SQL_FILE]
    );
    assert_eq!(files[AFTER_SCHEMA_FILE], source);
    assert!(!files[BEFORE_SCHEMA_FILE].contains("model"));
    assert_eq!(
        history_names(database.as_mut()),
        ["20261203080000_baseline"]
    );
    let status = commands::status(database.as_mut(), &mut folder).expect("status");
    assert!(status.is_clean(), "{:?}", status.issues);
    let mut script = Script::default();
    assert_eq!(
        dev(
            database.as_mut(),
            &mut folder,
            &mut script,
            &source,
            "next",
            at(1)
        )
        .unwrap(),
        DevReport::AlreadyInSync
    );
    let again = baseline(database.as_mut(), &mut folder).unwrap_err();
    assert_eq!(again.code(), "baseline-history-exists");

    // The same folder onto another database that db push built: refused before the deploy
    // starts, nothing recorded.
    let mut other = backend_for(Database::open(other_url).expect("database"));
    push(other.as_mut());
    let mut deploying = Script::default();
    let refused = commands::deploy(other.as_mut(), &mut folder, &mut deploying).unwrap_err();
    assert_eq!(refused.code(), "deploy-onto-unrecorded-database");
    assert!(
        !deploying
            .events
            .iter()
            .any(|event| event.starts_with("deploy")),
        "{:?}",
        deploying.events
    );
    assert!(history_names(other.as_mut()).is_empty());
    let occupied = baseline(other.as_mut(), &mut folder).unwrap_err();
    assert_eq!(occupied.code(), "baseline-migrations-exist");
}

#[test]
fn baseline_records_a_pushed_database_on_sqlite() {
    let database = TemporarySqliteDatabase::new();
    let other = TemporarySqliteDatabase::new();
    baseline_records_a_pushed_database("sqlite", &database.url(), &other.url());
}

#[test]
fn baseline_records_a_pushed_database_on_postgresql() {
    let database = TemporaryPostgresDatabase::new();
    let other = TemporaryPostgresDatabase::new();
    baseline_records_a_pushed_database("postgresql", database.url(), other.url());
}

/// `db push` asks before it loses data, refuses on no, applies on yes.
fn push_asks_before_losing_data(provider: &str, url: &str) {
    let mut database = backend_for(Database::open(url).expect("database"));
    let push = |database: &mut dyn MigrationBackend, script: &mut Script, source: &str| {
        commands::push(
            database,
            script,
            PushInput {
                data_model: &model(source),
                accept_data_loss: false,
                force_reset: false,
                online_ddl: planner::OnlineDdl::On,
                flavour: planner::Flavour::ComonOrm,
            },
        )
    };
    let with_name = schema(provider, USERS_WITH_NAME);
    let without_name = schema(provider, USERS);
    let mut script = Script::default();
    assert_eq!(
        push(database.as_mut(), &mut script, &with_name).unwrap(),
        PushReport::Applied
    );
    assert_eq!(
        push(database.as_mut(), &mut script, &with_name).unwrap(),
        PushReport::AlreadyInSync
    );
    database
        .database()
        .execute_batch("INSERT INTO \"User\" (id, email, name) VALUES (1, 'a@example.com', 'A')")
        .unwrap();
    let mut declining = Script::default();
    let error = push(database.as_mut(), &mut declining, &without_name).unwrap_err();
    assert_eq!(error.code(), "data-loss");
    assert_eq!(declining.questions, [Question::PushDespiteDataLoss]);
    // Data loss, and on SQLite the table rebuild that drops the column.
    let expected_warnings = if provider == "sqlite" { 2 } else { 1 };
    assert_eq!(declining.events, [format!("{expected_warnings} warnings")]);
    let mut agreeing = Script {
        answer: true,
        ..Script::default()
    };
    assert_eq!(
        push(database.as_mut(), &mut agreeing, &without_name).unwrap(),
        PushReport::Applied
    );
    let live = database.introspect().unwrap();
    assert_eq!(live.tables[0].columns.len(), 2);
}

#[test]
fn push_asks_before_losing_data_on_sqlite() {
    let database = TemporarySqliteDatabase::new();
    push_asks_before_losing_data("sqlite", &database.url());
}

#[test]
fn push_asks_before_losing_data_on_postgresql() {
    let database = TemporaryPostgresDatabase::new();
    push_asks_before_losing_data("postgresql", database.url());
}

/// A plan with a warning is applied only after a yes; the answer no leaves no folder behind.
#[test]
fn dev_asks_before_applying_a_migration_with_warnings() {
    let database = TemporarySqliteDatabase::new();
    let mut connection = backend_for(Database::open(&database.url()).unwrap());
    let mut folder = MemoryFolder::default();
    let mut script = Script::default();
    let with_name = schema("sqlite", USERS_WITH_NAME);
    dev(
        connection.as_mut(),
        &mut folder,
        &mut script,
        &with_name,
        "init",
        at(0),
    )
    .unwrap();
    connection
        .database()
        .execute_batch("INSERT INTO \"User\" (id, email, name) VALUES (1, 'a@example.com', 'A')")
        .unwrap();
    let mut declining = Script {
        migration_name: Some("drop_name".to_string()),
        ..Script::default()
    };
    let without_name = schema("sqlite", USERS);
    let error = commands::dev(
        connection.as_mut(),
        &mut folder,
        &mut declining,
        DevInput {
            schema: TargetSchema {
                path: "schema.prisma",
                source: &without_name,
                data_model: &model(&without_name),
            },
            name: None,
            create_only: false,
            now: at(60),
            online_ddl: planner::OnlineDdl::On,
            decisions: Decisions::default(),
        },
    )
    .unwrap_err();
    assert_eq!(error.code(), "cancelled");
    assert_eq!(
        declining.questions,
        [Question::ApplyMigrationDespiteWarnings]
    );
    assert_eq!(folder.folders.len(), 1);
    let mut agreeing = Script {
        answer: true,
        ..Script::default()
    };
    let report = dev(
        connection.as_mut(),
        &mut folder,
        &mut agreeing,
        &without_name,
        "drop_name",
        at(60),
    )
    .unwrap();
    assert!(
        matches!(&report, DevReport::Applied { folder_name, .. } if folder_name == "20261203080100_drop_name"),
        "{report:?}"
    );
    let metadata = &folder.folders["20261203080100_drop_name"][METADATA_FILE];
    assert!(metadata.contains("2026-12-03"), "{metadata}");
}

fn history_states(database: &mut Database) -> Vec<String> {
    database
        .query_rows("SELECT state FROM \"_comon_orm_migrations\" ORDER BY id")
        .expect("history")
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .collect()
}

fn index_validity(database: &mut Database, name: &str) -> Vec<Vec<Option<String>>> {
    database
        .query_rows(&format!(
            "SELECT index_row.indisvalid::text FROM pg_index index_row JOIN pg_class class ON class.oid = index_row.indexrelid WHERE class.relname = '{name}'"
        ))
        .expect("pg_index")
}

const USERS_WITH_UNIQUE_EMAIL: &str =
    "model User {\n  id    Int    @id\n  email String @unique\n}\n";
const USERS_WITH_EMAIL_INDEX: &str =
    "model User {\n  id    Int    @id\n  email String\n\n  @@index([email])\n}\n";

/// Online DDL through the commands: an index on an existing table is built CONCURRENTLY after
/// the commit and the migration ends `finished`; a concurrent build that fails has its INVALID
/// index dropped again and the migration is `failed` (its transactional part committed) with the
/// repair in the error; an INVALID index left behind (an interrupted build) is reported by
/// `status` with its code and refused by `deploy` until it is repaired.
#[test]
fn online_index_builds_on_postgresql_finish_or_fail_and_invalid_indexes_are_reported() {
    let temporary = TemporaryPostgresDatabase::new();
    let mut backend = backend_for(Database::open(temporary.url()).expect("database"));
    let mut folder = MemoryFolder::default();
    let mut script = Script {
        answer: true,
        ..Script::default()
    };
    let provider = "postgresql";
    dev(
        backend.as_mut(),
        &mut folder,
        &mut script,
        &schema(provider, USERS),
        "init",
        at(0),
    )
    .unwrap();
    backend
        .database()
        .execute_batch("INSERT INTO \"User\" VALUES (1, 'same'), (2, 'same')")
        .unwrap();

    dev(
        backend.as_mut(),
        &mut folder,
        &mut script,
        &schema(provider, USERS_WITH_EMAIL_INDEX),
        "email_index",
        at(1),
    )
    .unwrap();
    let written = &folder.folders["20261203080001_email_index"][MIGRATION_SQL_FILE];
    assert!(
        written.contains("-- comon:after-commit\n")
            && written.contains("CREATE INDEX CONCURRENTLY \"User_email_idx\""),
        "{written}"
    );
    assert_eq!(history_states(backend.database()), ["finished", "finished"]);
    assert_eq!(
        index_validity(backend.database(), "User_email_idx"),
        [[Some("true".to_string())]]
    );

    let error = dev(
        backend.as_mut(),
        &mut folder,
        &mut script,
        &schema(provider, USERS_WITH_UNIQUE_EMAIL),
        "unique_email",
        at(2),
    )
    .unwrap_err();
    let message = error.to_string();
    assert_eq!(error.code(), "statement-failed", "{message}");
    assert!(
        message.contains("online phase")
            && message.contains("migrate resolve --applied 20261203080002_unique_email"),
        "{message}"
    );
    // The transactional part (dropping the plain index) committed; the unique build failed and
    // its INVALID index was dropped again.
    assert_eq!(
        history_states(backend.database()),
        ["finished", "finished", "failed"]
    );
    assert!(index_validity(backend.database(), "User_email_idx").is_empty());
    assert!(index_validity(backend.database(), "User_email_key").is_empty());

    // The repair the message gives: the rest of the online phase by hand, then resolve.
    backend
        .database()
        .execute_batch("UPDATE \"User\" SET email = 'other' WHERE id = 2")
        .unwrap();
    backend
        .database()
        .execute_batch(
            "CREATE UNIQUE INDEX CONCURRENTLY \"User_email_key\" ON \"User\" (\"email\")",
        )
        .unwrap();
    commands::resolve(
        backend.as_mut(),
        &mut folder,
        &mut Script::default(),
        ResolveRequest::Applied("20261203080002_unique_email".to_string()),
        at(3),
    )
    .unwrap();
    let status = commands::status(backend.as_mut(), &mut folder).unwrap();
    assert!(status.is_clean(), "{status:?}");

    // An interrupted build leaves its index INVALID (here: one that fails outside comon).
    backend
        .database()
        .execute_batch("DROP INDEX \"User_email_key\"")
        .unwrap();
    backend
        .database()
        .execute_batch("INSERT INTO \"User\" VALUES (3, 'other')")
        .unwrap();
    assert!(backend
        .database()
        .execute_batch(
            "CREATE UNIQUE INDEX CONCURRENTLY \"User_email_key\" ON \"User\" (\"email\")"
        )
        .is_err());
    assert_eq!(
        index_validity(backend.database(), "User_email_key"),
        [[Some("false".to_string())]]
    );
    let status = commands::status(backend.as_mut(), &mut folder).unwrap();
    let invalid: Vec<&str> = status
        .issues
        .iter()
        .filter(|issue| issue.code == "invalid-index")
        .map(|issue| issue.message.as_str())
        .collect();
    assert_eq!(invalid.len(), 1, "{status:?}");
    assert!(
        invalid[0].contains("DROP INDEX CONCURRENTLY \"User_email_key\";"),
        "{}",
        invalid[0]
    );
    let refused = commands::deploy(backend.as_mut(), &mut folder, &mut script).unwrap_err();
    assert_eq!(refused.code(), "invalid-index", "{refused}");
    assert!(
        refused
            .to_string()
            .contains("DROP INDEX CONCURRENTLY \"User_email_key\";"),
        "{refused}"
    );
    for statement in [
        "DROP INDEX CONCURRENTLY \"User_email_key\"",
        "DELETE FROM \"User\" WHERE id = 3",
        "CREATE UNIQUE INDEX CONCURRENTLY \"User_email_key\" ON \"User\" (\"email\")",
    ] {
        backend.database().execute_batch(statement).unwrap();
    }
    let status = commands::status(backend.as_mut(), &mut folder).unwrap();
    assert!(status.is_clean(), "{status:?}");
    commands::deploy(backend.as_mut(), &mut folder, &mut script).unwrap();
}

/// `dev` with the given answers, as a front end passes the command line's.
fn dev_deciding(
    database: &mut dyn MigrationBackend,
    folder: &mut MemoryFolder,
    script: &mut Script,
    source: &str,
    name: &str,
    decisions: Decisions,
) -> Result<DevReport, CommandError> {
    commands::dev(
        database,
        folder,
        script,
        DevInput {
            schema: TargetSchema {
                path: "schema.prisma",
                source,
                data_model: &model(source),
            },
            name: Some(name.to_string()),
            create_only: false,
            now: at(0),
            online_ddl: planner::OnlineDdl::On,
            decisions,
        },
    )
}

fn rename(text: &str) -> Decisions {
    Decisions {
        renames: vec![planner::RenameDecision::parse(text, true).expect("a decision")],
        ..Decisions::default()
    }
}

fn rows(database: &mut dyn MigrationBackend, sql: &str) -> Vec<Vec<Option<String>>> {
    database.database().query_rows(sql).expect("the query runs")
}

/// A renamed model or field is never guessed: without an answer `dev` fails with
/// `decisions-required` (exit code 3) and writes nothing; a `--rename` answer or a terminal's
/// yes renames, and the rows are still there; consent to data loss is a decision too.
fn dev_asks_or_fails_for_renames_and_keeps_the_data(provider: &str, url: &str) {
    let mut database = backend_for(Database::open(url).expect("database"));
    let mut folder = MemoryFolder::default();
    let customers = schema(
        provider,
        "model Customer {\n  id    Int    @id\n  email String\n}\n",
    );
    let mut script = Script::default();
    dev(
        database.as_mut(),
        &mut folder,
        &mut script,
        &customers,
        "init",
        at(0),
    )
    .expect("init");
    database
        .database()
        .execute_batch("INSERT INTO \"Customer\" (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com')")
        .expect("rows");

    // No flag and nobody to ask: the decisions are the error, nothing is written.
    let clients = schema(
        provider,
        "model Client {\n  id    Int    @id\n  email String\n}\n",
    );
    let mut nobody = Script {
        cannot_confirm: true,
        ..Script::default()
    };
    let error = dev_deciding(
        database.as_mut(),
        &mut folder,
        &mut nobody,
        &clients,
        "rename",
        Decisions::default(),
    )
    .expect_err("a rename candidate needs a decision");
    assert_eq!((error.code(), error.exit_code()), ("decisions-required", 3));
    let CommandError::DecisionsRequired {
        decisions, plan, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    let codes: Vec<&str> = decisions
        .iter()
        .map(|decision| decision.code.as_str())
        .collect();
    assert_eq!(codes, ["rename-model", "data-loss"]);
    assert_eq!(
        decisions[0].answers,
        ["--rename Customer=Client", "--no-rename Customer=Client"]
    );
    assert!(plan
        .steps
        .iter()
        .any(|step| matches!(step, planner::MigrationStep::DropTable { .. })));
    let message = error.to_string();
    assert!(
        message.contains("[rename-model] Model Customer was removed"),
        "{message}"
    );
    assert!(message.contains("--accept-data-loss"), "{message}");
    assert_eq!(folder.folders.len(), 1);
    assert_eq!(nobody.rename_questions, ["Customer=Client"]);
    // `--yes` (a front end that confirms) still does not answer a rename.
    let mut yes = Script {
        answer: true,
        ..Script::default()
    };
    let error = dev_deciding(
        database.as_mut(),
        &mut folder,
        &mut yes,
        &clients,
        "rename",
        Decisions::default(),
    )
    .expect_err("consent is not a rename decision");
    let CommandError::DecisionsRequired { decisions, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decisions.len(), 1, "{decisions:?}");
    assert!(yes.questions.is_empty());

    // `--rename Customer=Client`: a rename, no data-loss question, the rows are kept.
    let mut quiet = Script {
        cannot_confirm: true,
        ..Script::default()
    };
    let report = dev_deciding(
        database.as_mut(),
        &mut folder,
        &mut quiet,
        &clients,
        "rename",
        rename("Customer=Client"),
    )
    .expect("renamed");
    assert!(matches!(report, DevReport::Applied { .. }), "{report:?}");
    assert_eq!(
        rows(
            database.as_mut(),
            "SELECT CAST(id AS TEXT), email FROM \"Client\" ORDER BY id"
        ),
        [
            [Some("1".to_string()), Some("a@example.com".to_string())],
            [Some("2".to_string()), Some("b@example.com".to_string())],
        ]
    );

    // A terminal that answers yes: the field is renamed, its values kept.
    let mailed = schema(
        provider,
        "model Client {\n  id   Int    @id\n  mail String\n}\n",
    );
    let mut terminal = Script {
        rename_answer: Some(true),
        ..Script::default()
    };
    dev_deciding(
        database.as_mut(),
        &mut folder,
        &mut terminal,
        &mailed,
        "mail",
        Decisions::default(),
    )
    .expect("renamed on the terminal's answer");
    assert_eq!(terminal.rename_questions, ["Client.email=mail"]);
    assert!(
        terminal.questions.is_empty(),
        "a rename loses nothing: {:?}",
        terminal.questions
    );
    assert_eq!(
        rows(database.as_mut(), "SELECT mail FROM \"Client\" ORDER BY id"),
        [
            [Some("a@example.com".to_string())],
            [Some("b@example.com".to_string())]
        ]
    );

    // Data loss without a terminal needs `--accept-data-loss`, and then asks nothing.
    let without_mail = schema(provider, "model Client {\n  id Int @id\n}\n");
    let error = dev_deciding(
        database.as_mut(),
        &mut folder,
        &mut quiet,
        &without_mail,
        "drop_mail",
        Decisions::default(),
    )
    .expect_err("consent needed");
    let CommandError::DecisionsRequired { decisions, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        decisions
            .iter()
            .map(|decision| decision.code.as_str())
            .collect::<Vec<_>>(),
        ["data-loss"]
    );
    let accepting = Decisions {
        accept_data_loss: true,
        ..Decisions::default()
    };
    dev_deciding(
        database.as_mut(),
        &mut folder,
        &mut quiet,
        &without_mail,
        "drop_mail",
        accepting,
    )
    .expect("accepted by the flag");
    assert!(quiet.questions.is_empty());
    assert_eq!(folder.folders.len(), 4);

    // A decision that answers nothing is an error of its own.
    let error = dev_deciding(
        database.as_mut(),
        &mut folder,
        &mut quiet,
        &without_mail,
        "nothing",
        rename("Client=Account"),
    )
    .expect_err("unmatched");
    assert_eq!(error.code(), "rename-decision-unmatched");
}

#[test]
fn dev_asks_or_fails_for_renames_and_keeps_the_data_on_sqlite() {
    let database = TemporarySqliteDatabase::new();
    dev_asks_or_fails_for_renames_and_keeps_the_data("sqlite", &database.url());
}

#[test]
fn dev_asks_or_fails_for_renames_and_keeps_the_data_on_postgresql() {
    let database = TemporaryPostgresDatabase::new();
    dev_asks_or_fails_for_renames_and_keeps_the_data("postgresql", database.url());
}

const AUTHORS_AND_POSTS: &str =
    "model Author {\n  id Int @id\n}\n\nmodel Post {\n  id       Int @id\n  authorId Int\n}\n";
const POSTS_WITH_AUTHOR: &str = "model Author {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id       Int    @id\n  authorId Int\n  author   Author @relation(fields: [authorId], references: [id])\n}\n";

/// A foreign key whose online `VALIDATE CONSTRAINT` failed (a row points nowhere) stays
/// `NOT VALID`. Resolved as applied without the validation, it is drift that `status` names,
/// with the repair; once validated, `status` is clean.
#[test]
fn a_foreign_key_left_not_valid_is_drift_in_status_until_it_is_validated() {
    let temporary = TemporaryPostgresDatabase::new();
    let mut backend = backend_for(Database::open(temporary.url()).expect("database"));
    let mut folder = MemoryFolder::default();
    let mut script = Script {
        answer: true,
        ..Script::default()
    };
    let provider = "postgresql";
    dev(
        backend.as_mut(),
        &mut folder,
        &mut script,
        &schema(provider, AUTHORS_AND_POSTS),
        "init",
        at(0),
    )
    .unwrap();
    backend
        .database()
        .execute_batch(
            "INSERT INTO \"Author\" VALUES (1); INSERT INTO \"Post\" VALUES (1, 1), (2, 7)",
        )
        .unwrap();
    let error = dev(
        backend.as_mut(),
        &mut folder,
        &mut script,
        &schema(provider, POSTS_WITH_AUTHOR),
        "post_author",
        at(1),
    )
    .unwrap_err();
    assert_eq!(error.code(), "statement-failed", "{error}");
    assert_eq!(history_states(backend.database()), ["finished", "failed"]);
    commands::resolve(
        backend.as_mut(),
        &mut folder,
        &mut Script::default(),
        ResolveRequest::Applied("20261203080001_post_author".to_string()),
        at(2),
    )
    .unwrap();

    let status = commands::status(backend.as_mut(), &mut folder).unwrap();
    let drift: Vec<&str> = status
        .issues
        .iter()
        .filter(|issue| issue.code == "drift")
        .map(|issue| issue.message.as_str())
        .collect();
    assert_eq!(drift.len(), 1, "{status:?}");
    assert!(
        drift[0].contains("foreign key \"Post_authorId_fkey\" on table \"Post\": NOT VALID in the database: it was added but never validated")
            && drift[0].contains("Repair: ALTER TABLE \"Post\" VALIDATE CONSTRAINT \"Post_authorId_fkey\";"),
        "{}",
        drift[0]
    );

    for statement in [
        "DELETE FROM \"Post\" WHERE id = 2",
        "ALTER TABLE \"Post\" VALIDATE CONSTRAINT \"Post_authorId_fkey\"",
    ] {
        backend.database().execute_batch(statement).unwrap();
    }
    let status = commands::status(backend.as_mut(), &mut folder).unwrap();
    assert!(status.is_clean(), "{status:?}");
}
