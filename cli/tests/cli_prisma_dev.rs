//! `migrate dev`, `baseline`, `reset` and `rollback` in a Prisma Migrate project (issue 11's
//! "Done when"): every history of `../shared/corpus/prisma` is built the way Prisma builds it
//! (its `migration.sql` files run in order, with `_prisma_migrations` rows written as Prisma
//! writes them, or without rows), then opened with comon. `migrate status` is clean, the
//! database is what the latest schema describes, a schema edit followed by `migrate dev` writes
//! a Prisma-layout folder (`<timestamp>_<name>/migration.sql`, nothing else, the lock file
//! kept) and records it as Prisma does, and `migrate deploy` applies that folder to a second
//! database of the same history, whose catalog then equals the first one's.
//!
//! Two facts of rallly's history are asserted as they are:
//! - Its folder `20240224033808_option_start_time` holds a `DO` block that the migration SQL
//!   interpreter does not follow. On the whole history `status` says that drift was not
//!   checked and `migrate dev` and `migrate baseline` refuse naming the folder and line; these
//!   assertions are for the scratch-database replay (branch prisma-replay) to turn around.
//!   The whole "Done when" runs on rallly's 47 folders before that one, and `migrate dev`'s
//!   PostgreSQL side also on a Prisma project made from rallly's latest schema.
//! - Its database keeps a duplicate unique index on `users.email` that its latest schema does
//!   not have (`RALLLY_DUPLICATE_INDEX`), so `migrate diff --from-database --to-schema` shows
//!   exactly that, and the next `migrate dev` removes it, as Prisma's would.
//!
//! The rows are judged by Prisma Migrate's documented table contract
//! (`../shared/docs/engineering.md`, "Prisma Migrate's contract"). Prisma's own engine judges
//! them in `scripts/prisma-peer-interop.sh`, which needs an `npm ci` of the peer that CI does
//! not have.

mod support;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use support::{Project, Provider, Run, TemporaryDatabase};
use tests::catalog::{catalog_difference, sequences};

/// What the corpus README says rallly's environment provides.
const EXTENSIONS: &str = "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;";

/// rallly's folder with a `DO` block, and the line the block starts on, as the replay notice
/// names it.
const RALLLY_DO_BLOCK_IN_SCRIPT: &str = "20240224033808_option_start_time/migration.sql line 5";

/// What rallly's history builds beyond its schema: the init migration's unique index
/// "User_email_key" survived the rename of "User" to "users", and a later folder created
/// "users_email_key" beside it. Prisma's differ sees the same duplicate; comon's plan keeps
/// one index under the schema's name, and the next `migrate dev` includes that.
const RALLLY_DUPLICATE_INDEX: &[&str] = &[
    "DROP INDEX \"users_email_key\"",
    "ALTER INDEX \"User_email_key\" RENAME TO \"users_email_key\"",
];

/// `_prisma_migrations` exactly as Prisma creates it (the contract), per provider.
const PRISMA_TABLE_POSTGRESQL: &str = "CREATE TABLE \"_prisma_migrations\" (\"id\" VARCHAR(36) PRIMARY KEY, \"checksum\" VARCHAR(64) NOT NULL, \"finished_at\" TIMESTAMPTZ, \"migration_name\" VARCHAR(255) NOT NULL, \"logs\" TEXT, \"rolled_back_at\" TIMESTAMPTZ, \"started_at\" TIMESTAMPTZ NOT NULL DEFAULT now(), \"applied_steps_count\" INTEGER NOT NULL DEFAULT 0)";
const PRISMA_TABLE_SQLITE: &str = "CREATE TABLE \"_prisma_migrations\" (\"id\" TEXT PRIMARY KEY NOT NULL, \"checksum\" TEXT NOT NULL, \"finished_at\" DATETIME, \"migration_name\" TEXT NOT NULL, \"logs\" TEXT, \"rolled_back_at\" DATETIME, \"started_at\" DATETIME NOT NULL DEFAULT current_timestamp, \"applied_steps_count\" INTEGER UNSIGNED NOT NULL DEFAULT 0)";

/// Lowercase hex SHA-256, computed here independently of comon's code.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A corpus app's files: its migrations folder and its latest schema.
struct CorpusApp {
    migrations: PathBuf,
    latest_schema: String,
    /// The folder names, in order.
    names: Vec<String>,
}

/// `None` (after a notice) when this checkout has no corpus; under CI a missing corpus fails.
fn corpus_app(app: &str) -> Option<CorpusApp> {
    let corpus = tests::required_corpus_directory()?;
    let migrations = corpus.join(app).join("migrations");
    let latest_schema =
        std::fs::read_to_string(corpus.join(app).join("schema.latest.prisma")).expect("schema");
    let names: Vec<String> = support::file_names(&migrations)
        .into_iter()
        .filter(|name| migrations.join(name).is_dir())
        .collect();
    assert!(!names.is_empty(), "{app} has migrations");
    Some(CorpusApp {
        migrations,
        latest_schema,
        names,
    })
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

/// The database built the way Prisma builds it: every `migration.sql` of `names` run in order
/// as one script, and with `with_rows` a `_prisma_migrations` row for each, as
/// `prisma migrate deploy` writes it (a UUID, the checksum, one applied step, start and finish
/// times in order).
fn build_the_prisma_way(
    database: &TemporaryDatabase,
    migrations: &Path,
    names: &[String],
    with_rows: bool,
) {
    let provider = database.provider();
    let mut connection = database.open();
    if provider == Provider::Postgresql {
        connection.execute_batch(EXTENSIONS).expect("extensions");
    }
    if with_rows {
        let table = match provider {
            Provider::Postgresql => PRISMA_TABLE_POSTGRESQL,
            Provider::Sqlite => PRISMA_TABLE_SQLITE,
        };
        connection.execute_batch(table).expect("_prisma_migrations");
    }
    for (position, name) in names.iter().enumerate() {
        let bytes = std::fs::read(migrations.join(name).join("migration.sql")).expect("sql");
        let sql = String::from_utf8(bytes.clone()).expect("UTF-8");
        connection
            .execute_batch(&sql)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        if !with_rows {
            continue;
        }
        let id = format!("{position:08x}-0000-4000-8000-{position:012x}");
        // Prisma's SQLite driver stores a date as Unix milliseconds.
        let time = match provider {
            Provider::Postgresql => {
                format!("TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL '{position} seconds'")
            }
            Provider::Sqlite => format!("{}", 1_704_067_200_000_i64 + position as i64 * 1000),
        };
        connection
            .execute_batch(&format!(
                "INSERT INTO \"_prisma_migrations\" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ('{id}', '{}', {time}, '{name}', NULL, NULL, {time}, 1)",
                sha256_hex(&bytes)
            ))
            .expect("history row");
    }
}

/// rallly as it stood at its corpus step 0035, before the `DO` block: its first 47 folders
/// (none edited after that step) and that step's schema.
fn rallly_before_its_do_block() -> Option<CorpusApp> {
    let mut app = corpus_app("rallly")?;
    let corpus = tests::required_corpus_directory()?;
    app.latest_schema =
        std::fs::read_to_string(corpus.join("rallly/schemas/0035_44a0d95355.prisma"))
            .expect("step 0035's schema");
    app.names.retain(|name| name.as_str() < "20240224033808");
    assert_eq!(app.names.len(), 47, "rallly's folders before the DO block");
    Some(app)
}

/// A scratch project holding a copy of the app's migration folders (`app.names`) with the
/// lock file, and its latest schema.
fn project_of(provider: Provider, app: &CorpusApp) -> Project {
    let project = Project::new(provider, "");
    for name in &app.names {
        copy_directory(&app.migrations.join(name), &project.migrations().join(name));
    }
    std::fs::copy(
        app.migrations.join("migration_lock.toml"),
        project.migrations().join("migration_lock.toml"),
    )
    .expect("lock file copied");
    project.write("prisma/schema.prisma", &app.latest_schema);
    project
}

/// Runs comon on the database at `url`, passed with `--url` (rallly's datasource has none,
/// as Prisma 7 schemas do not).
fn comon_at(project: &Project, url: &str, arguments: &[&str]) -> Run {
    let mut with_url: Vec<&str> = arguments.to_vec();
    with_url.extend(["--url", url]);
    project.comon_with_url(url, &with_url)
}

/// Inserts `lines` at the end of the body of `model`.
fn add_to_model(schema: &str, model: &str, lines: &str) -> String {
    let start = schema
        .find(&format!("model {model} {{"))
        .unwrap_or_else(|| panic!("model {model}"));
    let end = start + schema[start..].find("\n}").expect("end of the model");
    format!("{}\n{lines}{}", &schema[..end], &schema[end..])
}

/// The catalog of the database, and on PostgreSQL its sequences.
fn catalog_of(database: &TemporaryDatabase) -> (planner::DatabaseSchema, Vec<Vec<Option<String>>>) {
    let mut connection = database.open();
    let schema = connection.introspect().expect("introspection");
    (schema, sequences(&mut connection).expect("sequences"))
}

#[track_caller]
fn assert_same_catalogs(left: &TemporaryDatabase, right: &TemporaryDatabase, context: &str) {
    let (left_schema, left_sequences) = catalog_of(left);
    let (right_schema, right_sequences) = catalog_of(right);
    if let Some(difference) =
        catalog_difference("the first", &left_schema, "the second", &right_schema)
    {
        panic!("{context}: the catalogs differ: {difference}");
    }
    assert_eq!(left_sequences, right_sequences, "{context}: sequences");
}

/// `(migration_name, checksum, finished, rolled back, applied_steps_count)` of every row, in
/// name order.
fn history_rows(database: &TemporaryDatabase) -> Vec<(String, String, bool, bool, String)> {
    database
        .open()
        .query_rows("SELECT migration_name, checksum, CAST(finished_at IS NOT NULL AS TEXT), CAST(rolled_back_at IS NOT NULL AS TEXT), CAST(applied_steps_count AS TEXT) FROM \"_prisma_migrations\" ORDER BY migration_name")
        .expect("_prisma_migrations")
        .into_iter()
        .map(|row| {
            let text = |index: usize| row[index].clone().unwrap_or_default();
            let truth = |index: usize| matches!(row[index].as_deref(), Some("true" | "1"));
            (text(0), text(1), truth(2), truth(3), text(4))
        })
        .collect()
}

/// The folders of the project's migrations folder, and its other files.
fn folder_entries(project: &Project) -> Vec<String> {
    support::file_names(&project.migrations())
}

/// The one new folder `migrate dev` wrote: Prisma's layout (`<14 digits>_<name>` holding only
/// `migration.sql`), the lock file left as it was, and a finished row with the file's
/// checksum and one applied step, as `prisma migrate deploy` writes one. Returns its name.
#[track_caller]
fn assert_prisma_folder_written(
    project: &Project,
    database: &TemporaryDatabase,
    before: &[String],
    lock_file: &str,
    name: &str,
) -> String {
    let after = folder_entries(project);
    let new: Vec<&String> = after
        .iter()
        .filter(|entry| !before.contains(entry))
        .collect();
    assert_eq!(new.len(), 1, "one new folder: {new:?}");
    let folder = new[0].clone();
    let (timestamp, rest) = folder.split_at(14);
    assert!(
        timestamp.chars().all(|c| c.is_ascii_digit()) && rest == format!("_{name}"),
        "Prisma's folder name: {folder}"
    );
    assert_eq!(
        support::file_names(&project.migrations().join(&folder)),
        ["migration.sql"],
        "a Prisma folder holds only migration.sql"
    );
    assert_eq!(
        project.read("prisma/migrations/migration_lock.toml"),
        lock_file,
        "the lock file is kept"
    );
    let sql = std::fs::read(project.migrations().join(&folder).join("migration.sql")).expect("sql");
    let rows = history_rows(database);
    let row = rows
        .iter()
        .find(|row| row.0 == folder)
        .unwrap_or_else(|| panic!("a row for {folder}: {rows:?}"));
    assert_eq!(
        row,
        &(
            folder.clone(),
            sha256_hex(&sql),
            true,
            false,
            "1".to_string()
        ),
        "the row of {folder}"
    );
    folder
}

/// Issue 11's "Done when" for one corpus history with rows: status clean, no difference from
/// the latest schema, a schema edit made into a Prisma folder by `migrate dev` and deployed to
/// a second database of the same history, the two catalogs equal.
fn prisma_history_continues_under_comon(
    provider: Provider,
    app_name: &str,
    app: Option<CorpusApp>,
    edit: &dyn Fn(&str) -> String,
    known_difference: &[&str],
) {
    let Some(app) = app else {
        return;
    };
    let project = project_of(provider, &app);
    let first = &project.database;
    let second = TemporaryDatabase::new(provider);
    build_the_prisma_way(first, &app.migrations, &app.names, true);
    build_the_prisma_way(&second, &app.migrations, &app.names, true);
    let url = first.url();

    comon_at(&project, &url, &["migrate", "status"])
        .expect(
            0,
            &[
                "Project flavour: prisma (migration_lock.toml",
                &format!("Active migrations: {}", app.names.len()),
                "Issues: 0",
            ],
        )
        .lacks("Drift not checked");
    let diff = comon_at(
        &project,
        &url,
        &[
            "migrate",
            "diff",
            "--flavour",
            "prisma",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code",
        ],
    );
    let statements: Vec<&str> = diff
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .collect();
    assert_eq!(statements, known_difference, "{}", diff.all());
    diff.expect(if known_difference.is_empty() { 0 } else { 2 }, &[]);

    let lock_file = project.read("prisma/migrations/migration_lock.toml");
    let before = folder_entries(&project);
    project.write("prisma/schema.prisma", &edit(&app.latest_schema));
    comon_at(&project, &url, &["migrate", "dev", "--name", "comon_edit"]).expect(
        0,
        &[
            "_comon_edit",
            "Your database is now in sync with your schema.",
        ],
    );
    let folder = assert_prisma_folder_written(&project, first, &before, &lock_file, "comon_edit");
    let sql = project.read_migration_sql(&folder);
    assert!(
        !sql.contains("CONCURRENTLY") && !sql.contains("NOT VALID"),
        "plain DDL, as a Prisma script must be:\n{sql}"
    );
    comon_at(&project, &url, &["migrate", "status"]).expect(0, &["Issues: 0"]);
    comon_at(
        &project,
        &url,
        &[
            "migrate",
            "diff",
            "--flavour",
            "prisma",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code",
        ],
    )
    .expect(0, &["No schema differences detected."]);

    let second_url = second.url();
    comon_at(&project, &second_url, &["migrate", "deploy"]).expect(
        0,
        &[&folder, "All migrations have been successfully applied."],
    );
    assert_same_catalogs(first, &second, app_name);
    comon_at(&project, &second_url, &["migrate", "status"]).expect(0, &["Issues: 0"]);
    assert_eq!(
        history_rows(&second).last().map(|row| row.0.clone()),
        Some(folder)
    );
}

fn pingvin_share_edit(schema: &str) -> String {
    let schema = add_to_model(schema, "User", "  nickname String?\n  tags Tag[]");
    format!("{schema}\nmodel Tag {{\n  id     Int    @id @default(autoincrement())\n  name   String\n  userId String\n  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)\n\n  @@index([userId])\n}}\n")
}

/// An optional column and an index on a table that already exists: comon_orm's flavour would
/// build that index CONCURRENTLY after the commit, which a Prisma script cannot hold.
fn rallly_edit(schema: &str) -> String {
    add_to_model(schema, "User", "  nickname String?\n  @@index([name])")
}

#[test]
fn pingvin_shares_prisma_history_continues_under_comon_on_sqlite() {
    prisma_history_continues_under_comon(
        Provider::Sqlite,
        "pingvin-share",
        corpus_app("pingvin-share"),
        &pingvin_share_edit,
        &[],
    );
}

/// The same on PostgreSQL, on rallly's history up to its `DO` block (47 folders, drift
/// checked by the interpreter): the folders' own BEGIN/COMMIT enum blocks, renames and
/// hand-written SQL are followed, and the next folder is planned from what they build.
#[test]
fn rallly_history_before_its_do_block_continues_under_comon_on_postgresql() {
    prisma_history_continues_under_comon(
        Provider::Postgresql,
        "rallly before its DO block",
        rallly_before_its_do_block(),
        &rallly_edit,
        RALLLY_DUPLICATE_INDEX,
    );
}

/// rallly with rows: its `DO` block is past what the interpreter follows, so status replays the
/// folders into a scratch database (and says so) and is clean with drift checked; the latest
/// schema differs from the database only by the duplicate index rallly's history leaves; and
/// `migrate dev` (through the same replay) writes a Prisma folder that `deploy` applies to a
/// second database of the same history, the two catalogs then equal.
#[test]
fn rallly_history_continues_under_comon_through_a_scratch_replay_on_postgresql() {
    let Some(app) = corpus_app("rallly") else {
        return;
    };
    let project = project_of(Provider::Postgresql, &app);
    let database = &project.database;
    build_the_prisma_way(database, &app.migrations, &app.names, true);
    let url = database.url();
    comon_at(&project, &url, &["migrate", "status"]).expect(
        0,
        &[
            "Project flavour: prisma (migration_lock.toml",
            &format!("Active migrations: {}", app.names.len()),
            "Issues: 0",
            &format!("Drift checked: replayed {} migrations into a scratch database because {RALLLY_DO_BLOCK_IN_SCRIPT}", app.names.len()),
        ],
    )
    .lacks("Drift not checked");
    // The database rallly's own history builds is not quite its latest schema: the init
    // migration's unique index "User_email_key" survived the rename of "User" to "users", and
    // a later folder created "users_email_key" beside it. Prisma's differ sees the same
    // duplicate; comon's plan keeps one index under the schema's name. Nothing else differs.
    let diff = comon_at(
        &project,
        &url,
        &[
            "migrate",
            "diff",
            "--flavour",
            "prisma",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code",
        ],
    );
    let statements: Vec<&str> = diff
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .collect();
    assert_eq!(statements, RALLLY_DUPLICATE_INDEX, "{}", diff.all());
    diff.expect(2, &[]);

    let second = TemporaryDatabase::new(Provider::Postgresql);
    build_the_prisma_way(&second, &app.migrations, &app.names, true);
    let lock_file = project.read("prisma/migrations/migration_lock.toml");
    let before = folder_entries(&project);
    project.write("prisma/schema.prisma", &rallly_edit(&app.latest_schema));
    comon_at(&project, &url, &["migrate", "dev", "--name", "comon_edit"]).expect(
        0,
        &[
            &format!("replayed {} migrations into a scratch database because {RALLLY_DO_BLOCK_IN_SCRIPT}", app.names.len()),
            "_comon_edit",
            "Your database is now in sync with your schema.",
        ],
    );
    let folder =
        assert_prisma_folder_written(&project, database, &before, &lock_file, "comon_edit");
    let sql = project.read_migration_sql(&folder);
    assert!(
        !sql.contains("CONCURRENTLY") && !sql.contains("NOT VALID"),
        "plain DDL, as a Prisma script must be:\n{sql}"
    );
    comon_at(
        &project,
        &url,
        &[
            "migrate",
            "diff",
            "--flavour",
            "prisma",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code",
        ],
    )
    .expect(0, &["No schema differences detected."]);
    comon_at(&project, &second.url(), &["migrate", "deploy"]).expect(
        0,
        &[&folder, "All migrations have been successfully applied."],
    );
    assert_same_catalogs(database, &second, "rallly");
    comon_at(&project, &second.url(), &["migrate", "status"])
        .expect(0, &["Issues: 0", "Drift checked: replayed"]);
}

/// The PostgreSQL side of `migrate dev` in a Prisma project, on rallly's latest schema: a
/// project with only Prisma's lock file gets its first folder from empty and then a second one
/// (an index on a table that exists, which stays plain DDL), both deployed to a second
/// database whose catalog equals the first's and what the schema describes.
#[test]
fn migrate_dev_writes_prisma_folders_for_rallly_schema_on_postgresql() {
    let Some(app) = corpus_app("rallly") else {
        return;
    };
    let project = Project::new(Provider::Postgresql, "");
    project.write("prisma/schema.prisma", &app.latest_schema);
    let lock_file =
        std::fs::read_to_string(app.migrations.join("migration_lock.toml")).expect("lock");
    project.write("prisma/migrations/migration_lock.toml", &lock_file);
    let first = &project.database;
    let second = TemporaryDatabase::new(Provider::Postgresql);
    first.execute(EXTENSIONS);
    second.execute(EXTENSIONS);
    let url = first.url();

    let before = folder_entries(&project);
    comon_at(&project, &url, &["migrate", "dev", "--name", "init"])
        .expect(0, &["Your database is now in sync with your schema."]);
    let init = assert_prisma_folder_written(&project, first, &before, &lock_file, "init");
    let before = folder_entries(&project);
    project.write("prisma/schema.prisma", &rallly_edit(&app.latest_schema));
    comon_at(&project, &url, &["migrate", "dev", "--name", "nickname"])
        .expect(0, &["Your database is now in sync with your schema."]);
    let nickname = assert_prisma_folder_written(&project, first, &before, &lock_file, "nickname");
    let sql = project.read_migration_sql(&nickname);
    assert!(
        sql.contains("CREATE INDEX \"users_name_idx\" ON \"users\"")
            && !sql.contains("CONCURRENTLY"),
        "a plain index with Prisma's name:\n{sql}"
    );
    comon_at(&project, &url, &["migrate", "status"])
        .expect(0, &["Active migrations: 2", "Issues: 0"])
        .lacks("Drift not checked");

    comon_at(&project, &second.url(), &["migrate", "deploy"]).expect(
        0,
        &[
            &init,
            &nickname,
            "All migrations have been successfully applied.",
        ],
    );
    assert_same_catalogs(first, &second, "rallly's schema through two Prisma folders");
    comon_at(
        &project,
        &second.url(),
        &[
            "migrate",
            "diff",
            "--flavour",
            "prisma",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code",
        ],
    )
    .expect(0, &["No schema differences detected."]);
}

/// Issue 11's baseline situation: pingvin-share's SQL run without `_prisma_migrations` rows.
/// comon sees 24 pending folders, `deploy` refuses to run them onto tables no history
/// describes (and names `migrate baseline`), and `migrate baseline` checks that the database is
/// what the folders build and records each as applied as `prisma migrate resolve --applied`
/// does (a finished row with the checksum and no applied steps). The history then continues:
/// `migrate dev` writes a Prisma folder on it.
#[test]
fn pingvin_shares_history_without_rows_is_baselined_on_sqlite() {
    let Some(app) = corpus_app("pingvin-share") else {
        return;
    };
    let project = project_of(Provider::Sqlite, &app);
    let database = &project.database;
    build_the_prisma_way(database, &app.migrations, &app.names, false);
    let url = database.url();
    let status = comon_at(&project, &url, &["migrate", "status"]);
    status.expect(
        1,
        &[
            "Active migrations: 0",
            &format!("Issues: {}", app.names.len()),
            "local-migration-not-applied",
        ],
    );
    comon_at(&project, &url, &["migrate", "deploy"]).expect(
        1,
        &[
            "error[deploy-onto-unrecorded-database]",
            "nothing was applied",
            "`comon migrate baseline` records each of them as applied",
        ],
    );
    comon_at(&project, &url, &["migrate", "dev", "--name", "too_early"])
        .expect(1, &["error[deploy-onto-unrecorded-database]"]);

    // A change no folder describes is refused, with nothing recorded.
    database.execute("CREATE TABLE \"Extra\" (\"id\" INTEGER)");
    comon_at(&project, &url, &["migrate", "baseline"]).expect(
        1,
        &[
            "error[baseline-drift]",
            "table \"Extra\": in the database only",
            "Nothing was recorded.",
        ],
    );
    database.execute("DROP TABLE \"Extra\"");
    assert_eq!(
        database.count("SELECT COUNT(*) FROM \"_prisma_migrations\""),
        0,
        "nothing recorded"
    );

    let before = folder_entries(&project);
    comon_at(&project, &url, &["migrate", "baseline"]).expect(
        0,
        &[&format!(
            "is what the {} migrations in prisma/migrations build: each was marked as applied without running it ({} first, {} last)",
            app.names.len(),
            app.names[0],
            app.names[app.names.len() - 1]
        )],
    );
    assert_eq!(folder_entries(&project), before, "no folder written");
    let expected: Vec<(String, String, bool, bool, String)> = app
        .names
        .iter()
        .map(|name| {
            let bytes =
                std::fs::read(app.migrations.join(name).join("migration.sql")).expect("sql");
            (
                name.clone(),
                sha256_hex(&bytes),
                true,
                false,
                "0".to_string(),
            )
        })
        .collect();
    assert_eq!(history_rows(database), expected);
    comon_at(&project, &url, &["migrate", "status"])
        .expect(0, &["Issues: 0"])
        .lacks("Drift not checked");

    let lock_file = project.read("prisma/migrations/migration_lock.toml");
    project.write(
        "prisma/schema.prisma",
        &pingvin_share_edit(&app.latest_schema),
    );
    comon_at(
        &project,
        &url,
        &["migrate", "dev", "--name", "after_baseline"],
    )
    .expect(0, &["Your database is now in sync with your schema."]);
    assert_prisma_folder_written(&project, database, &before, &lock_file, "after_baseline");
}

/// rallly's 47 folders before its `DO` block, run without rows: `migrate baseline` records
/// each as applied (the database is what they build, duplicate index included), and the
/// history continues with `migrate dev`.
#[test]
fn rallly_history_before_its_do_block_without_rows_is_baselined_on_postgresql() {
    let Some(app) = rallly_before_its_do_block() else {
        return;
    };
    let project = project_of(Provider::Postgresql, &app);
    let database = &project.database;
    build_the_prisma_way(database, &app.migrations, &app.names, false);
    let url = database.url();
    comon_at(&project, &url, &["migrate", "deploy"])
        .expect(1, &["error[deploy-onto-unrecorded-database]"]);
    comon_at(&project, &url, &["migrate", "baseline"]).expect(
        0,
        &[&format!(
            "is what the {} migrations in prisma/migrations build",
            app.names.len()
        )],
    );
    let rows = history_rows(database);
    assert_eq!(
        rows.iter().map(|row| row.0.as_str()).collect::<Vec<_>>(),
        app.names
    );
    assert!(
        rows.iter().all(|row| row.2 && !row.3 && row.4 == "0"),
        "{rows:?}"
    );
    comon_at(&project, &url, &["migrate", "status"])
        .expect(0, &["Issues: 0"])
        .lacks("Drift not checked");
    let lock_file = project.read("prisma/migrations/migration_lock.toml");
    let before = folder_entries(&project);
    project.write("prisma/schema.prisma", &rallly_edit(&app.latest_schema));
    comon_at(
        &project,
        &url,
        &["migrate", "dev", "--name", "after_baseline"],
    )
    .expect(0, &["Your database is now in sync with your schema."]);
    assert_prisma_folder_written(&project, database, &before, &lock_file, "after_baseline");
}

/// rallly without rows: its `DO` block is past what the interpreter follows, so `migrate
/// baseline` replays the folders into a scratch database (and says so), finds the database is
/// what they build, and records each as applied; status is then clean with drift checked.
#[test]
fn rallly_history_without_rows_is_baselined_through_a_scratch_replay_on_postgresql() {
    let Some(app) = corpus_app("rallly") else {
        return;
    };
    let project = project_of(Provider::Postgresql, &app);
    let database = &project.database;
    build_the_prisma_way(database, &app.migrations, &app.names, false);
    let url = database.url();
    comon_at(&project, &url, &["migrate", "deploy"])
        .expect(1, &["error[deploy-onto-unrecorded-database]"]);
    comon_at(&project, &url, &["migrate", "baseline"]).expect(
        0,
        &[
            &format!("replayed {} migrations into a scratch database because {RALLLY_DO_BLOCK_IN_SCRIPT}", app.names.len()),
            &format!(
                "each was marked as applied without running it ({} first, {} last)",
                app.names[0],
                app.names[app.names.len() - 1]
            ),
        ],
    );
    assert_eq!(
        database
            .count("SELECT COUNT(*) FROM \"_prisma_migrations\" WHERE \"finished_at\" IS NOT NULL"),
        app.names.len() as u64,
        "every folder recorded as applied"
    );
    comon_at(&project, &url, &["migrate", "status"])
        .expect(0, &["Issues: 0", "Drift checked: replayed"])
        .lacks("Drift not checked");
}

/// Prisma's documented baseline (`migrate diff --from-empty --to-schema ... --script` into
/// `<timestamp>_<name>/migration.sql`, then `migrate resolve --applied`), as one comon command
/// on a database built by pingvin-share's history whose migrations folder holds only the lock
/// file: the folder is Prisma's layout, its row a finished one with no applied steps, and the
/// folder deployed to an empty database builds the same catalog.
#[test]
fn baseline_writes_prismas_baseline_folder_on_sqlite() {
    let Some(app) = corpus_app("pingvin-share") else {
        return;
    };
    let project = project_of(Provider::Sqlite, &app);
    let database = &project.database;
    build_the_prisma_way(database, &app.migrations, &app.names, false);
    let lock_file = project.read("prisma/migrations/migration_lock.toml");
    for name in &app.names {
        std::fs::remove_dir_all(project.migrations().join(name)).expect("folder removed");
    }
    let url = database.url();
    comon_at(&project, &url, &["migrate", "baseline", "--name", "0_init"])
        .expect(0, &["Baseline written: prisma/migrations/", "_0_init"]);
    let folders: Vec<String> = folder_entries(&project)
        .into_iter()
        .filter(|entry| entry != "migration_lock.toml")
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let folder = &folders[0];
    assert_eq!(
        support::file_names(&project.migrations().join(folder)),
        ["migration.sql"]
    );
    assert_eq!(
        project.read("prisma/migrations/migration_lock.toml"),
        lock_file
    );
    let sql = std::fs::read(project.migrations().join(folder).join("migration.sql")).expect("sql");
    assert_eq!(
        history_rows(database),
        [(
            folder.clone(),
            sha256_hex(&sql),
            true,
            false,
            "0".to_string()
        )]
    );
    comon_at(&project, &url, &["migrate", "status"])
        .expect(0, &["Active migrations: 1", "Issues: 0"])
        .lacks("Drift not checked");

    let second = TemporaryDatabase::new(Provider::Sqlite);
    comon_at(&project, &second.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    assert_same_catalogs(database, &second, "the baseline deployed");
}

/// The same on PostgreSQL, on rallly's latest schema (the database built by a first comon
/// `migrate dev` in a Prisma project, its folder and history then dropped, as a database made
/// without migrations would be): the baseline describes exactly the database, and deployed
/// to an empty one builds the same catalog and sequences.
#[test]
fn baseline_writes_prismas_baseline_folder_on_postgresql() {
    let Some(app) = corpus_app("rallly") else {
        return;
    };
    let project = Project::new(Provider::Postgresql, "");
    project.write("prisma/schema.prisma", &app.latest_schema);
    let database = &project.database;
    database.execute(EXTENSIONS);
    let url = database.url();
    comon_at(
        &project,
        &url,
        &["--flavour", "prisma", "migrate", "dev", "--name", "built"],
    )
    .expect(0, &[]);
    std::fs::remove_dir_all(project.migrations()).expect("the folder removed");
    database.execute("DROP TABLE \"_prisma_migrations\"");
    comon_at(
        &project,
        &url,
        &["--flavour", "prisma", "migrate", "baseline"],
    )
    .expect(0, &["Baseline written: prisma/migrations/"]);
    let lock_file = project.read("prisma/migrations/migration_lock.toml");
    assert!(
        lock_file.ends_with("provider = \"postgresql\"\n"),
        "a lock file as Prisma writes it:\n{lock_file}"
    );
    let rows = history_rows(database);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].2, rows[0].3, rows[0].4.as_str()),
        (true, false, "0")
    );
    comon_at(&project, &url, &["migrate", "status"]).expect(0, &["Issues: 0"]);

    let second = TemporaryDatabase::new(Provider::Postgresql);
    second.execute(EXTENSIONS);
    comon_at(&project, &second.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    assert_same_catalogs(database, &second, "the baseline deployed");
}

/// `reset` drops everything and replays the Prisma folders, recording them as `deploy` does;
/// `rollback` refuses (Prisma folders hold no snapshots) and says what to do instead, with
/// nothing changed; `--create-only` writes the folder and leaves it pending; drift (a table
/// made by hand) is refused before planning, with nothing written; a lock file for another
/// provider is refused before anything is written.
#[test]
fn reset_rollback_create_only_drift_and_lock_file_in_a_prisma_project_on_sqlite() {
    let Some(app) = corpus_app("pingvin-share") else {
        return;
    };
    let project = project_of(Provider::Sqlite, &app);
    let database = &project.database;
    build_the_prisma_way(database, &app.migrations, &app.names, true);
    let url = database.url();
    database.execute("INSERT INTO \"Config\" (\"updatedAt\", \"name\", \"category\", \"type\", \"defaultValue\", \"order\") VALUES (0, 'kept', 'test', 'string', '', 1)");

    let rows_before = history_rows(database);
    comon_at(&project, &url, &["migrate", "rollback"]).expect(
        1,
        &[
            "error[rollback-needs-snapshots]",
            "Nothing was changed.",
            "comon migrate resolve --rolled-back <migration>",
        ],
    );
    assert_eq!(history_rows(database), rows_before);

    let before = folder_entries(&project);
    project.write(
        "prisma/schema.prisma",
        &pingvin_share_edit(&app.latest_schema),
    );
    database.execute("CREATE TABLE \"Extra\" (\"id\" INTEGER)");
    comon_at(&project, &url, &["migrate", "dev", "--name", "drifted"]).expect(
        1,
        &[
            "error[drift]",
            &format!(
                "latest recorded migration `{}`",
                app.names[app.names.len() - 1]
            ),
            "table \"Extra\"",
        ],
    );
    assert_eq!(folder_entries(&project), before, "nothing written");
    database.execute("DROP TABLE \"Extra\"");

    // A folder edited after it was applied, and an applied folder that is gone: refused as
    // history drift, each named, before anything is planned.
    let last = &app.names[app.names.len() - 1];
    let last_sql = project.read_migration_sql(last);
    project.write_migration_sql(last, &format!("{last_sql}-- edited\n"));
    comon_at(&project, &url, &["migrate", "dev", "--name", "edited"]).expect(
        1,
        &["error[history-drift]", "checksum-mismatch", last.as_str()],
    );
    project.write_migration_sql(last, &last_sql);
    let moved = project.path().join("moved");
    std::fs::rename(project.migrations().join(last), &moved).expect("folder moved");
    comon_at(&project, &url, &["migrate", "dev", "--name", "gone"]).expect(
        1,
        &[
            "error[history-drift]",
            "applied-migration-missing-locally",
            last.as_str(),
        ],
    );
    std::fs::rename(&moved, project.migrations().join(last)).expect("folder back");
    assert_eq!(folder_entries(&project), before, "nothing written");
    assert_eq!(history_rows(database), rows_before, "nothing recorded");

    let lock_file = project.read("prisma/migrations/migration_lock.toml");
    project.write(
        "prisma/migrations/migration_lock.toml",
        &lock_file.replace("sqlite", "postgresql"),
    );
    comon_at(&project, &url, &["migrate", "dev", "--name", "wrong_lock"]).expect(
        1,
        &["error[lock-file-provider-mismatch]", "migration_lock.toml"],
    );
    assert_eq!(folder_entries(&project), before, "nothing written");
    project.write("prisma/migrations/migration_lock.toml", &lock_file);

    comon_at(
        &project,
        &url,
        &["migrate", "dev", "--name", "drafted", "--create-only"],
    )
    .expect(0, &["Migration draft written"]);
    let drafted = folder_entries(&project)
        .into_iter()
        .find(|entry| entry.ends_with("_drafted"))
        .expect("the draft");
    assert_eq!(
        support::file_names(&project.migrations().join(&drafted)),
        ["migration.sql"]
    );
    comon_at(&project, &url, &["migrate", "status"])
        .expect(1, &["local-migration-not-applied", &drafted]);
    comon_at(&project, &url, &["migrate", "deploy"]).expect(0, &[&drafted]);
    comon_at(&project, &url, &["migrate", "status"]).expect(0, &["Issues: 0"]);

    comon_at(&project, &url, &["migrate", "reset", "--force"]).expect(
        0,
        &[
            "Database reset successful.",
            "All migrations have been successfully applied.",
        ],
    );
    assert_eq!(
        database.count("SELECT COUNT(*) FROM \"Config\" WHERE \"name\" = 'kept'"),
        0,
        "reset empties the tables"
    );
    let rows = history_rows(database);
    assert_eq!(rows.len(), app.names.len() + 1);
    assert!(
        rows.iter().all(|row| row.2 && !row.3 && row.4 == "1"),
        "{rows:?}"
    );
    comon_at(&project, &url, &["migrate", "status"])
        .expect(0, &["Issues: 0"])
        .lacks("Drift not checked");
}

/// A new project told it is a Prisma project (`--flavour prisma`, no folder yet): the first
/// `migrate dev` writes Prisma's layout and creates the lock file as Prisma writes it.
#[test]
fn first_migrate_dev_of_a_new_prisma_project_creates_the_lock_file_on_sqlite() {
    let project = Project::new(
        Provider::Sqlite,
        "model Account {\n  id        Int      @id @default(autoincrement())\n  email     String   @unique\n  createdAt DateTime @default(now())\n}\n",
    );
    project
        .comon(&["--flavour", "prisma", "migrate", "dev", "--name", "init"])
        .expect(0, &["Your database is now in sync with your schema."]);
    assert_eq!(
        project.read("prisma/migrations/migration_lock.toml"),
        "# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = \"sqlite\"\n"
    );
    let init = project.migration("init");
    assert_eq!(
        support::file_names(&project.migrations().join(&init)),
        ["migration.sql"]
    );
    // Prisma's SQLite mapping: DATETIME, not comon_orm's TEXT.
    assert!(
        project
            .read_migration_sql(&init)
            .contains("\"createdAt\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"),
        "{}",
        project.read_migration_sql(&init)
    );
    // From now on the lock file says which kind of project this is.
    project.comon(&["migrate", "status"]).expect(
        0,
        &["Project flavour: prisma (migration_lock.toml", "Issues: 0"],
    );

    // An applied folder whose SQL does not parse: the interpreter cannot read it, the replay
    // into a scratch database fails on it too, so the schema the history builds is not known
    // and `migrate dev` refuses naming the folder and the database's error, and writes nothing.
    project.write(
        "prisma/migrations/29990101000000_broken/migration.sql",
        "-- by hand\nCREATE TABLE (;\n",
    );
    project
        .comon(&["migrate", "resolve", "--applied", "29990101000000_broken"])
        .expect(0, &[]);
    let before = project.migration_names();
    project.comon(&["migrate", "dev", "--name", "next"]).expect(
        1,
        &[
            "error[scratch-replay-failed]",
            "29990101000000_broken/migration.sql",
            "syntax error",
            "Nothing was planned, written or recorded.",
        ],
    );
    assert_eq!(project.migration_names(), before, "nothing written");
}
