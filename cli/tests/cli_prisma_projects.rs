//! A Prisma Migrate project opened with comon as it is: real migrations folders (rallly on
//! PostgreSQL, pingvin-share on SQLite, with their `migration_lock.toml`) deployed to an empty
//! database, `_prisma_migrations` written with Prisma's checksums, and Prisma's status cases
//! (modified, missing locally, failed, drift against the schema the folders build) reported
//! with comon's codes. A failed row written as
//! Prisma leaves one blocks deploy until `migrate resolve --rolled-back`.

mod support;

use sha2::{Digest, Sha256};
use std::path::Path;
use support::{Project, Provider};

/// What the corpus README says rallly's environment provides.
const EXTENSIONS: &str = "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;";

/// Lowercase hex SHA-256, computed here independently of comon's code.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn copy_directory(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_directory(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A scratch project holding a copy of a corpus app's migrations folder, and its folder names.
fn corpus_project(provider: Provider, app: &str) -> Option<(Project, Vec<String>)> {
    let corpus = tests::required_corpus_directory()?;
    let project = Project::new(provider, "");
    if provider == Provider::Postgresql {
        project.database.execute(EXTENSIONS);
    }
    let migrations = project.migrations();
    copy_directory(&corpus.join(app).join("migrations"), &migrations);
    let names: Vec<String> = support::file_names(&migrations)
        .into_iter()
        .filter(|name| migrations.join(name).is_dir())
        .collect();
    Some((project, names))
}

/// `(migration_name, checksum, finished_at set, rolled_back_at set, applied_steps_count, id)`.
fn prisma_rows(project: &Project) -> Vec<Vec<Option<String>>> {
    let mut database = project.database.open();
    database
        .query_rows("SELECT migration_name, checksum, CAST(finished_at IS NOT NULL AS TEXT), CAST(rolled_back_at IS NOT NULL AS TEXT), CAST(applied_steps_count AS TEXT), id FROM \"_prisma_migrations\" ORDER BY migration_name")
        .expect("_prisma_migrations rows")
}

fn truth(text: &Option<String>) -> bool {
    matches!(text.as_deref(), Some("true" | "1"))
}

fn is_uuid_v4(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|group| group.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// A table made by hand is drift against the schema the folders build.
fn drift_is_reported(project: &Project, names: &[String]) {
    project
        .database
        .execute("CREATE TABLE \"Extra\" (\"id\" INTEGER)");
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            "drift | Drift detected",
            &format!("latest recorded migration `{}`", names[names.len() - 1]),
            "table \"Extra\": in the database only",
        ],
    );
    project.database.execute("DROP TABLE \"Extra\"");
    project
        .comon(&["migrate", "status"])
        .expect(0, &["Issues: 0"]);
}

/// `not_followed`: the folder with a statement the interpreter does not follow, if any.
fn deploys_a_prisma_history_and_reports_prismas_cases(
    provider: Provider,
    app: &str,
    not_followed: Option<&str>,
) {
    let Some((project, names)) = corpus_project(provider, app) else {
        return;
    };
    assert!(
        project.migrations().join("migration_lock.toml").is_file(),
        "{app} keeps its lock file"
    );
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    project.comon(&["migrate", "status"]).expect(
        0,
        &[
            "Project flavour: prisma (migration_lock.toml",
            &format!("Active migrations: {}", names.len()),
            "Issues: 0",
        ],
    );
    let json = project.comon(&["migrate", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&json.stdout).expect("status JSON");
    assert_eq!(status["flavour"], "prisma");

    // One finished row per folder, with Prisma's checksum of the file's bytes.
    let rows = prisma_rows(&project);
    assert_eq!(rows.len(), names.len(), "{rows:?}");
    for (row, name) in rows.iter().zip(&names) {
        let bytes = std::fs::read(project.migrations().join(name).join("migration.sql"))
            .expect("migration.sql");
        assert_eq!(row[0].as_deref(), Some(name.as_str()));
        assert_eq!(row[1], Some(sha256_hex(&bytes)), "checksum of {name}");
        assert!(
            truth(&row[2]) && !truth(&row[3]),
            "{name} is finished: {row:?}"
        );
        assert_eq!(row[4].as_deref(), Some("1"), "{name}: one applied step");
        assert!(is_uuid_v4(row[5].as_deref().unwrap_or("")), "{row:?}");
    }
    // The history was written by comon's Prisma table only.
    let comon_orm_tables = project.database.count(match provider {
        Provider::Postgresql => "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_comon_orm_migrations'",
        Provider::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE name = '_comon_orm_migrations'",
    });
    assert_eq!(comon_orm_tables, 0);

    // Drift: the schema the folders build (the migration SQL interpreter) against the
    // database, which a table made by hand no longer matches. Where a folder holds a statement
    // the interpreter does not follow, the folders are replayed into a scratch database
    // instead, and status says so and why; drift is checked either way.
    if let Some(folder) = not_followed {
        project.comon(&["migrate", "status"]).expect(
            0,
            &[
                &format!(
                    "Drift checked: replayed {} migrations into a scratch database because {folder}/migration.sql line",
                    names.len()
                ),
                "Issues: 0",
            ],
        );
        let json = project.comon(&["migrate", "status", "--json"]);
        let status: serde_json::Value = serde_json::from_str(&json.stdout).expect("status JSON");
        assert!(
            status["schemaReplayed"]
                .as_str()
                .is_some_and(|notice| notice.contains(folder)),
            "{status}"
        );
        assert!(status.get("driftNotChecked").is_none(), "{status}");
    } else {
        project
            .comon(&["migrate", "status"])
            .lacks("Drift not checked")
            .lacks("scratch database");
    }
    project
        .comon(&["migrate", "status"])
        .lacks("Drift not checked");
    drift_is_reported(&project, &names);

    // A modified migration.sql is a checksum mismatch.
    let first = format!("prisma/migrations/{}/migration.sql", names[0]);
    let original = project.read(&first);
    project.write(
        &first,
        &format!("{original}\n-- edited after it was applied\n"),
    );
    project
        .comon(&["migrate", "status"])
        .expect(1, &["checksum-mismatch", &names[0]]);
    project.write(&first, &original);

    // A history row whose folder is gone is reported.
    let last = names.last().expect("a folder");
    let last_folder = project.migrations().join(last);
    let aside = project.path().join("aside");
    std::fs::rename(&last_folder, &aside).expect("move the folder away");
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            "applied-migration-missing-locally",
            &format!("Migration {last} is active in the database but missing from"),
        ],
    );
    std::fs::rename(&aside, &last_folder).expect("move the folder back");
    project
        .comon(&["migrate", "status"])
        .expect(0, &["Issues: 0"]);
}

#[test]
fn rallly_deploys_as_a_prisma_project_on_postgresql() {
    deploys_a_prisma_history_and_reports_prismas_cases(
        Provider::Postgresql,
        "rallly",
        // A DO block.
        Some("20240224033808_option_start_time"),
    );
}

#[test]
fn pingvin_share_deploys_as_a_prisma_project_on_sqlite() {
    deploys_a_prisma_history_and_reports_prismas_cases(Provider::Sqlite, "pingvin-share", None);
}

const LOCK_FILE_SQLITE: &str = "# Please do not edit this file manually\n# It should be added in your version-control system (i.e. Git)\nprovider = \"sqlite\"\n";
const LOCK_FILE_POSTGRESQL: &str = "# Please do not edit this file manually\n# It should be added in your version-control system (i.e. Git)\nprovider = \"postgresql\"\n";

fn lock_file(provider: Provider) -> &'static str {
    match provider {
        Provider::Sqlite => LOCK_FILE_SQLITE,
        Provider::Postgresql => LOCK_FILE_POSTGRESQL,
    }
}

/// A small Prisma project: a lock file and two folders.
fn small_prisma_project(provider: Provider) -> Project {
    let project = Project::new(provider, "");
    project.write("prisma/migrations/migration_lock.toml", lock_file(provider));
    project.write(
        "prisma/migrations/20240101000000_init/migration.sql",
        "-- CreateTable\nCREATE TABLE \"User\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n",
    );
    project.write(
        "prisma/migrations/20240102000000_post/migration.sql",
        "-- CreateTable\nCREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n",
    );
    project
}

fn a_failed_prisma_migration_blocks_deploy_until_resolved(provider: Provider) {
    let project = small_prisma_project(provider);
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    // What Prisma leaves when a migration fails half-way: a row with finished_at and
    // rolled_back_at NULL, and the error in logs.
    let failing = "20240103000000_comments";
    let sql = "CREATE TABLE \"Comment\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n";
    project.write(&format!("prisma/migrations/{failing}/migration.sql"), sql);
    project.database.execute(&format!(
        "INSERT INTO \"_prisma_migrations\" (id, checksum, migration_name, logs, started_at, applied_steps_count) VALUES ('0b6ad2a8-4b1c-4f0e-9a53-2f0d7d8c1e11', '{}', '{failing}', 'Database error: relation already exists', CURRENT_TIMESTAMP, 0)",
        sha256_hex(sql.as_bytes())
    ));
    project
        .comon(&["migrate", "status"])
        .expect(1, &["failed-migration", failing]);
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &[
            "error[failed-migration]",
            &format!("migrate resolve --rolled-back {failing}"),
        ],
    );
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM \"_prisma_migrations\""),
        3,
        "the blocked deploy recorded nothing"
    );
    project
        .comon(&["migrate", "resolve", "--rolled-back", failing])
        .expect(
            0,
            &[&format!(
                "Migration {failing} has been marked as rolled back."
            )],
        );
    let rolled_back = project.database.count(&format!(
        "SELECT COUNT(*) FROM \"_prisma_migrations\" WHERE migration_name = '{failing}' AND rolled_back_at IS NOT NULL AND finished_at IS NULL"
    ));
    assert_eq!(
        rolled_back, 1,
        "Prisma's rolled_back_at is set on the failed row"
    );
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    project
        .comon(&["migrate", "status"])
        .expect(0, &["Active migrations: 3", "Issues: 0"]);
    let finished = project.database.count(&format!(
        "SELECT COUNT(*) FROM \"_prisma_migrations\" WHERE migration_name = '{failing}' AND finished_at IS NOT NULL AND rolled_back_at IS NULL AND applied_steps_count = 1"
    ));
    assert_eq!(finished, 1, "applied again, in a new row");
}

#[test]
fn a_failed_prisma_migration_blocks_deploy_until_resolved_on_sqlite() {
    a_failed_prisma_migration_blocks_deploy_until_resolved(Provider::Sqlite);
}

#[test]
fn a_failed_prisma_migration_blocks_deploy_until_resolved_on_postgresql() {
    a_failed_prisma_migration_blocks_deploy_until_resolved(Provider::Postgresql);
}

#[test]
fn resolve_applied_records_a_prisma_row_without_steps() {
    let project = small_prisma_project(Provider::Sqlite);
    // Resolve records history in a database that exists: a missing file is refused, not made.
    project
        .comon(&["migrate", "resolve", "--applied", "20240101000000_init"])
        .expect(1, &["error[database-not-found]"]);
    drop(project.database.open());
    project
        .comon(&["migrate", "resolve", "--applied", "20240101000000_init"])
        .expect(0, &["has been marked as applied"]);
    let rows = prisma_rows(&project);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let sql = project.read("prisma/migrations/20240101000000_init/migration.sql");
    assert_eq!(rows[0][1], Some(sha256_hex(sql.as_bytes())));
    assert!(truth(&rows[0][2]) && !truth(&rows[0][3]), "{rows:?}");
    assert_eq!(rows[0][4].as_deref(), Some("0"));
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            "Active migrations: 1",
            "local-migration-not-applied | Local migration 20240102000000_post",
        ],
    );
}

#[test]
fn a_lock_file_for_another_provider_is_refused_and_nothing_is_applied() {
    let project = small_prisma_project(Provider::Sqlite);
    project.write(
        "prisma/migrations/migration_lock.toml",
        LOCK_FILE_POSTGRESQL,
    );
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &[
            "error[lock-file-provider-mismatch]",
            "migration_lock.toml locks these migrations to postgresql, but the database is sqlite",
        ],
    );
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('User', 'Post')"),
        0
    );
}

#[test]
fn disagreeing_artifacts_are_an_error_until_the_flavour_is_chosen() {
    let project = Project::with_init_migration(Provider::Sqlite, "model User {\n  id Int @id\n}\n");
    project.write("prisma/migrations/migration_lock.toml", LOCK_FILE_SQLITE);
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            "error[flavour-conflict]",
            "migration_lock.toml",
            "the table _comon_orm_migrations",
            "--flavour comon-orm",
            "COMON_PROJECT_FLAVOUR=prisma",
        ],
    );
    project
        .comon(&["migrate", "status", "--flavour", "comon-orm"])
        .expect(
            0,
            &["Project flavour: comon-orm (set by --flavour", "Issues: 0"],
        );
    support::comon_in(
        project.path(),
        &[
            ("DATABASE_URL", &project.database.url()),
            ("COMON_PROJECT_FLAVOUR", "comon-orm"),
        ],
        &["migrate", "status"],
    )
    .expect(0, &["Project flavour: comon-orm", "Issues: 0"]);
}

#[test]
fn a_new_project_is_a_comon_orm_project() {
    let project = Project::with_init_migration(Provider::Sqlite, "model User {\n  id Int @id\n}\n");
    project
        .comon(&["migrate", "status"])
        .expect(0, &["Project flavour: comon-orm (", "Issues: 0"]);
    assert!(!project.migrations().join("migration_lock.toml").exists());
}
