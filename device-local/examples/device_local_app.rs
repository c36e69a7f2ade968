//! A notes app that keeps the user's notes in a local SQLite file and a cache of articles it
//! can download again, both through rusqlite and without the `comon` command line.
//!
//! `cargo run -p comon-device-local --example device_local_app -- [folder]`
//!
//! It plays three builds of the app against the same files: release 1 creates the notes
//! database, release 4 upgrades it with the four kinds of upgrade step, and release 1 started
//! again (the user went back to an old build) is refused. The article cache is bootstrapped,
//! then reset when a later build changes its schema. Without a folder argument the files go
//! to a temporary folder that is removed at the end; a folder from an earlier run fails at
//! once, because release 1 meets the version-4 file it left. See
//! examples/device-local-rust/README.md.

use comon_device_local::{
    BootstrappedCache, CacheBootstrapOutcome, ColumnDefinition, DeviceLocalError,
    LocalDatabaseUpgrader, RebuildableCacheSchema, TableDefinition, UpgradeStep, UpgradedDatabase,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The notes table at version 3, as `schema.prisma` text: the `previous` side of the schema
/// diff that makes version 4. It must describe what versions 1 to 3 built.
const NOTES_SCHEMA_AT_VERSION_3: &str = r#"
model Note {
  id     Int     @id @default(autoincrement())
  title  String
  status String  @default("todo")
  pinned Boolean @default(false)

  @@map("notes")
}
"#;

/// Version 4: a colour for notes and a table of folders.
const NOTES_SCHEMA_AT_VERSION_4: &str = r#"
model Note {
  id     Int     @id @default(autoincrement())
  title  String
  status String  @default("todo")
  pinned Boolean @default(false)
  color  String?

  @@map("notes")
}

model Folder {
  id   Int    @id @default(autoincrement())
  name String @unique

  @@map("folders")
}
"#;

/// Every upgrade step the app has ever shipped, oldest first. A release includes the steps up
/// to its own version.
fn notes_upgrade_steps() -> Vec<UpgradeStep> {
    vec![
        // 0 -> 1, the schema builder: SQL rendered by comon's planner.
        UpgradeStep::schema(0, 1, "create notes", |schema| {
            schema.create_table(
                TableDefinition::new("notes")
                    .column(ColumnDefinition::required("id", "INTEGER").auto_increment())
                    .column(ColumnDefinition::required("title", "TEXT"))
                    .column(ColumnDefinition::required("done", "INTEGER").default_number("0"))
                    .primary_key(&["id"])
                    .index("notes_title_idx", &["title"]),
            );
        }),
        // 1 -> 2, raw SQL.
        UpgradeStep::sql(
            1,
            2,
            "add pinned",
            ["ALTER TABLE notes ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false"],
        ),
        // 2 -> 3, a table rebuild: `done` (0 or 1) becomes `status` ('todo' or 'done'), which
        // ALTER TABLE cannot do in place. The callback converts every row.
        UpgradeStep::rebuild_table(
            2,
            3,
            "done becomes status",
            TableDefinition::new("notes")
                .column(ColumnDefinition::required("id", "INTEGER").auto_increment())
                .column(ColumnDefinition::required("title", "TEXT"))
                .column(ColumnDefinition::required("status", "TEXT").default_text("todo"))
                .column(ColumnDefinition::required("pinned", "BOOLEAN").default_boolean(false))
                .primary_key(&["id"])
                .index("notes_title_idx", &["title"]),
            |copy| {
                copy.copy_with_expressions(&[
                    ("id", "\"id\""),
                    ("title", "\"title\""),
                    (
                        "status",
                        "CASE WHEN \"done\" = 1 THEN 'done' ELSE 'todo' END",
                    ),
                    ("pinned", "\"pinned\""),
                ])?;
                Ok(())
            },
        ),
        // 3 -> 4, a schema diff planned by comon's planner; it would be refused if the plan
        // had warnings (say, a dropped column), unless built with
        // `schema_diff_allowing_warnings`.
        UpgradeStep::schema_diff(
            3,
            4,
            "colors and folders",
            NOTES_SCHEMA_AT_VERSION_3,
            NOTES_SCHEMA_AT_VERSION_4,
        ),
    ]
}

fn notes_upgrader_of_release(app_version: u32) -> Result<LocalDatabaseUpgrader, DeviceLocalError> {
    let steps = notes_upgrade_steps()
        .into_iter()
        .filter(|step| step.to_version() <= app_version)
        .collect();
    LocalDatabaseUpgrader::new(app_version, steps)
}

/// The app's own database handle.
struct Notes {
    connection: rusqlite::Connection,
}

/// The app's normal opener. It takes an `UpgradedDatabase`, which only the upgrader makes, so
/// it cannot run before the upgrade, and it plans nothing.
fn open_notes(database: UpgradedDatabase) -> Notes {
    Notes {
        connection: database.into_connection(),
    }
}

/// The article cache's schema in two builds of the app: the later one adds `author`.
const ARTICLE_CACHE_OF_RELEASE_1: &str = "model Article {\n  id    Int    @id\n  title String\n}\n";
const ARTICLE_CACHE_OF_RELEASE_4: &str =
    "model Article {\n  id     Int    @id\n  title  String\n  author String\n}\n";

/// The cache's opener takes a `BootstrappedCache`, as the notes opener takes an
/// `UpgradedDatabase`.
fn open_article_cache(cache: BootstrappedCache) -> rusqlite::Connection {
    cache.into_connection()
}

fn run(folder: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let notes_path = folder.join("notes.db");
    let cache_path = folder.join("articles-cache.db");

    // Release 1: the upgrade call comes first, then the opener.
    let release_1 = notes_upgrader_of_release(1)?;
    let upgraded = release_1.upgrade_file(&notes_path)?;
    print_upgrade("release 1", &upgraded);
    let notes = open_notes(upgraded);
    notes.connection.execute_batch(
        "INSERT INTO notes (title, done) VALUES ('milk', 0), ('bread', 1), ('eggs', 0)",
    )?;
    println!("  the user wrote 3 notes");
    drop(notes);

    // Release 4, some months later, on the same file.
    let release_4 = notes_upgrader_of_release(4)?;
    let upgraded = release_4.upgrade_file(&notes_path)?;
    print_upgrade("release 4", &upgraded);
    let notes = open_notes(upgraded);
    let mut statement = notes
        .connection
        .prepare("SELECT title, status FROM notes ORDER BY id")?;
    let titles: Vec<String> = statement
        .query_map([], |row| {
            Ok(format!(
                "{} [{}]",
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?
            ))
        })?
        .collect::<Result<_, _>>()?;
    println!("  notes kept: {}", titles.join(", "));
    drop(statement);
    drop(notes);

    // The user goes back to release 1: the file is newer than that build knows.
    match release_1.upgrade_file(&notes_path) {
        Ok(_) => println!("release 1 again: opened (unexpected)"),
        Err(error) => println!("release 1 again: refused [{}] {error}", error.code()),
    }

    // The article cache: created by release 1, reset by release 4, whose schema differs.
    let cache_of_release_1 =
        RebuildableCacheSchema::from_prisma_schema(ARTICLE_CACHE_OF_RELEASE_1)?;
    let cache = cache_of_release_1.bootstrap_file(&cache_path)?;
    print_bootstrap("release 1", &cache_of_release_1, &cache);
    let articles = open_article_cache(cache);
    articles.execute_batch(
        "INSERT INTO Article (id, title) VALUES (1, 'Offline first'), (2, 'Sync later')",
    )?;
    println!("  the app downloaded 2 articles");
    drop(articles);

    let cache_of_release_4 =
        RebuildableCacheSchema::from_prisma_schema(ARTICLE_CACHE_OF_RELEASE_4)?;
    let cache = cache_of_release_4.bootstrap_file(&cache_path)?;
    print_bootstrap("release 4", &cache_of_release_4, &cache);
    let articles = open_article_cache(cache);
    let article_count: i64 =
        articles.query_row("SELECT count(*) FROM Article", [], |row| row.get(0))?;
    println!("  {article_count} articles: the app downloads them again");
    Ok(())
}

fn print_bootstrap(release: &str, schema: &RebuildableCacheSchema, cache: &BootstrappedCache) {
    let outcome = match cache.outcome() {
        CacheBootstrapOutcome::Created => "created".to_string(),
        CacheBootstrapOutcome::AlreadyCurrent => "already current".to_string(),
        CacheBootstrapOutcome::Reset {
            previous_fingerprint: Some(previous),
        } => format!("reset (it had schema {})", short(previous)),
        CacheBootstrapOutcome::Reset {
            previous_fingerprint: None,
        } => "reset (it had no fingerprint)".to_string(),
    };
    println!(
        "{release}: article cache {outcome}, schema {}",
        short(schema.fingerprint())
    );
}

/// The first 12 hex digits of a fingerprint, enough to tell two apart in a log line.
fn short(fingerprint: &str) -> &str {
    fingerprint.get(..12).unwrap_or(fingerprint)
}

fn print_upgrade(release: &str, upgraded: &UpgradedDatabase) {
    let report = upgraded.report();
    let steps = if report.applied_steps.is_empty() {
        "nothing to do".to_string()
    } else {
        report.applied_steps.join(", ")
    };
    println!(
        "{release}: notes database {} -> {} ({steps})",
        report.previous_version, report.version
    );
}

fn main() -> ExitCode {
    let (folder, _temporary) = match std::env::args().nth(1) {
        Some(folder) => (PathBuf::from(folder), None),
        None => match tempfile::tempdir() {
            Ok(temporary) => (temporary.path().to_path_buf(), Some(temporary)),
            Err(error) => {
                eprintln!("Cannot create a temporary folder: {error}");
                return ExitCode::FAILURE;
            }
        },
    };
    if let Err(error) = std::fs::create_dir_all(&folder) {
        eprintln!("Cannot create {}: {error}", folder.display());
        return ExitCode::FAILURE;
    }
    match run(&folder) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            match error.downcast_ref::<DeviceLocalError>() {
                Some(local_error) => eprintln!("[{}] {local_error}", local_error.code()),
                None => eprintln!("{error}"),
            }
            ExitCode::FAILURE
        }
    }
}
