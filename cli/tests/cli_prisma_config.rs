//! Prisma 7 projects as they are: `prisma.config.ts` read without running it (schema folder,
//! migrations folder, seed, `datasource.url`/`directUrl`), multi-file schemas, `db seed`,
//! `db execute --stdin`, the datasource line, a missing PostgreSQL database created by
//! `migrate dev`, an empty `--create-only` migration, and the datasource's `extensions`. The example project
//! `examples/prisma7` runs `migrate dev`, `deploy` and `status` unchanged on SQLite, and on
//! PostgreSQL with only its provider changed and `DATABASE_URL` set in the environment.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use support::{Provider, Run, TemporaryDatabase, COMON};

/// Copies a folder's files, leaving out what a run of the example leaves behind.
fn copy_example(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().to_string();
        if ["dev.db", "dev.db-journal", "seed-ran.txt", "migrations"].contains(&name.as_str()) {
            continue;
        }
        if entry.path().is_dir() {
            copy_example(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).expect("copy file");
        }
    }
}

/// A copy of `examples/prisma7` in a temporary folder.
fn example_project() -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/prisma7");
    copy_example(&example, folder.path());
    folder
}

/// Runs comon in `folder` without the test process's `DATABASE_URL` (so that the project's
/// `.env` is what gives it), with `environment` added and `stdin` as standard input.
fn comon_at(
    folder: &Path,
    environment: &[(&str, &str)],
    stdin: Option<&str>,
    arguments: &[&str],
) -> Run {
    let mut command = Command::new(COMON);
    command
        .current_dir(folder)
        .args(arguments)
        .env_remove("DATABASE_URL")
        .env_remove("DIRECT_URL")
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in environment {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the comon binary starts");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    Run::from_output(child.wait_with_output().expect("the comon binary ends"))
}

fn write(folder: &Path, relative: &str, content: &str) {
    let path = folder.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
    std::fs::write(path, content).expect("write file");
}

fn migration_folders(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().is_dir())
                .map(|entry| entry.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `migrate dev`, `deploy`, `status`, a second `dev` and a diff from the live database to the
/// schema folder: the database built from the config's URL matches the multi-file schema.
fn run_example(folder: &Path, environment: &[(&str, &str)], datasource_line: &str) {
    let dev = comon_at(
        folder,
        environment,
        None,
        &["migrate", "dev", "--name", "init"],
    );
    dev.expect(
        0,
        &[
            "Loaded Prisma config from prisma.config.ts.",
            "Prisma schema loaded from prisma/schema.",
            datasource_line,
            "Your database is now in sync with your schema.",
        ],
    );
    let folders = migration_folders(&folder.join("prisma/migrations"));
    assert_eq!(
        folders.len(),
        1,
        "one migration in the config's migrations.path: {folders:?}"
    );
    assert!(folders[0].ends_with("_init"), "{folders:?}");
    let sql = std::fs::read_to_string(
        folder
            .join("prisma/migrations")
            .join(&folders[0])
            .join("migration.sql"),
    )
    .expect("migration.sql");
    for table in ["\"User\"", "\"Post\""] {
        assert!(
            sql.contains(table),
            "the tables of every schema file: {sql}"
        );
    }
    comon_at(folder, environment, None, &["migrate", "deploy"])
        .expect(0, &["No pending migrations to apply.", datasource_line]);
    comon_at(folder, environment, None, &["migrate", "status"])
        .expect(0, &["Active migrations: 1", "Issues: 0"]);
    comon_at(folder, environment, None, &["migrate", "dev"])
        .expect(0, &["Already in sync, no schema changes detected."]);
    comon_at(
        folder,
        environment,
        None,
        &[
            "migrate",
            "diff",
            "--from-database",
            "--to-schema",
            "prisma/schema",
            "--exit-code",
        ],
    )
    .expect(0, &[]);
}

#[test]
fn the_example_prisma7_project_runs_unchanged_on_sqlite() {
    let project = example_project();
    let folder = project.path();
    run_example(
        folder,
        &[],
        "Datasource \"db\": SQLite database \"dev.db\" at \"./dev.db\"",
    );
    assert!(
        folder.join("dev.db").is_file(),
        "the .env's file:./dev.db is taken from the config's folder"
    );
    // migrations.seed runs with db seed, and gets the .env values the process lacks.
    comon_at(folder, &[], None, &["db", "seed"]).expect(
        0,
        &[
            "Running seed command `sh prisma/seed.sh`",
            "The seed command has been executed.",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("seed-ran.txt")).expect("the seed ran"),
        "seeded file:./dev.db\n"
    );
}

#[test]
fn the_example_prisma7_project_runs_on_postgresql_with_its_url_from_the_environment() {
    let project = example_project();
    let folder = project.path();
    let schema = folder.join("prisma/schema/schema.prisma");
    let text = std::fs::read_to_string(&schema).expect("schema.prisma");
    std::fs::write(&schema, text.replace("\"sqlite\"", "\"postgresql\"")).expect("write");
    let database = TemporaryDatabase::new(Provider::Postgresql);
    let url = database.url();
    let line = format!(
        "Datasource \"db\": PostgreSQL database \"{}\", schema \"public\" at \"",
        database.postgres_name()
    );
    run_example(folder, &[("DATABASE_URL", &url)], &line);
    assert!(
        !folder.join("dev.db").exists(),
        "the process environment wins over .env"
    );
    let tables = database.column(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    let tables: Vec<&str> = tables.iter().flatten().map(String::as_str).collect();
    // The config file makes the new project a Prisma project: Prisma's history table.
    assert_eq!(tables, ["Post", "User", "_prisma_migrations"]);
}

/// A database name no test has created, dropped (if it exists) when the guard drops.
struct DatabaseToBeCreated {
    name: String,
}

impl Drop for DatabaseToBeCreated {
    fn drop(&mut self) {
        if let Ok(mut admin) = comon_database::Database::open(&tests::postgres_admin_url()) {
            let _ = admin.execute_batch(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                comon_database::quote_identifier(&self.name)
            ));
        }
    }
}

#[test]
fn migrate_dev_creates_a_missing_postgresql_database_and_never_prints_the_password() {
    // Fails with how to start a server when none answers (the database itself is not used).
    let _server_answers = TemporaryDatabase::new(Provider::Postgresql);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|duration| duration.subsec_nanos())
        .unwrap_or(0);
    let guard = DatabaseToBeCreated {
        name: format!("comon_config_{}_{nanos}", std::process::id()),
    };
    let server = tests::postgres_url_with_database(&tests::postgres_admin_url(), &guard.name);
    // Trust authentication ignores the password; it must still never be printed.
    let url = server.replacen("postgres@", "postgres:s3cret-word@", 1);
    let url = if url.contains("s3cret-word") {
        url
    } else {
        server.clone()
    };
    let project = tempfile::tempdir().expect("folder");
    write(
        project.path(),
        "prisma.config.ts",
        "import { defineConfig } from 'prisma/config';\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: { url: process.env.APP_DATABASE_URL },\n});\n",
    );
    write(
        project.path(),
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    let run = comon_at(
        project.path(),
        &[("APP_DATABASE_URL", &url)],
        None,
        &["migrate", "dev", "--name", "init"],
    );
    run.expect(
        0,
        &[
            &format!("PostgreSQL database {} created at", guard.name),
            &format!(
                "Datasource \"db\": PostgreSQL database \"{}\", schema \"public\"",
                guard.name
            ),
        ],
    );
    run.lacks("s3cret-word");
    // The second time the database exists: no creation line.
    comon_at(
        project.path(),
        &[("APP_DATABASE_URL", &url)],
        None,
        &["migrate", "status"],
    )
    .expect(0, &["Issues: 0"])
    .lacks("created at");
}

#[test]
fn direct_url_is_used_for_migrations_from_the_config_and_from_the_schema() {
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma.config.ts",
        "export default {\n  datasource: { url: env('POOLED_URL'), directUrl: env('DIRECT_URL') },\n};\n",
    );
    write(
        folder,
        ".env",
        "POOLED_URL=file:./pooled.db\nDIRECT_URL=file:./direct.db\n",
    );
    write(
        folder,
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    comon_at(folder, &[], None, &["migrate", "dev", "--name", "init"])
        .expect(0, &["SQLite database \"direct.db\""]);
    assert!(folder.join("direct.db").is_file());
    assert!(
        !folder.join("pooled.db").exists(),
        "the pooled URL is for the application"
    );

    // Without a config, the schema's own directUrl.
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma/schema.prisma",
        "datasource db {\n  provider  = \"sqlite\"\n  url       = \"file:./pooled.db\"\n  directUrl = \"file:./direct.db\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    comon_at(folder, &[], None, &["migrate", "dev", "--name", "init"]).expect(0, &[]);
    assert!(folder.join("prisma/direct.db").is_file());
    assert!(!folder.join("prisma/pooled.db").exists());
}

#[test]
fn a_config_value_computed_at_run_time_says_which_flag_to_pass() {
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma.config.ts",
        "import { defineConfig } from 'prisma/config';\nimport { databaseUrl } from './src/env';\n\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: { url: databaseUrl() },\n});\n",
    );
    write(
        folder,
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    comon_at(folder, &[], None, &["migrate", "dev", "--name", "init"]).expect(
        1,
        &[
            "error[prisma-config-value-unreadable]",
            "prisma.config.ts:6:22",
            "`datasource.url`",
            "Pass --url <URL>",
        ],
    );
    // The flag it names works, and the unreadable value is then never needed.
    comon_at(
        folder,
        &[],
        None,
        &[
            "migrate",
            "dev",
            "--name",
            "init",
            "--url",
            "file:./given.db",
        ],
    )
    .expect(0, &["Your database is now in sync"]);
    assert!(folder.join("prisma/given.db").is_file());
}

#[test]
fn a_config_that_does_not_parse_is_refused_with_its_line() {
    let project = tempfile::tempdir().expect("folder");
    write(
        project.path(),
        "prisma.config.ts",
        "export default defineConfig({\n  schema: 'x.prisma',,\n});\n",
    );
    comon_at(project.path(), &[], None, &["validate"])
        .expect(1, &["error[prisma-config-syntax]", "prisma.config.ts:2:"]);
    // --config names another file; one that does not exist is refused.
    comon_at(
        project.path(),
        &[],
        None,
        &["validate", "--config", "other.config.ts"],
    )
    .expect(1, &["error[prisma-config-not-found]", "other.config.ts"]);
}

#[test]
fn a_missing_variable_of_the_config_says_where_it_looked() {
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma.config.ts",
        "export default defineConfig({ datasource: { url: env('COMON_CONFIG_TEST_UNSET') } });\n",
    );
    write(folder, ".env", "OTHER=1\n");
    write(
        folder,
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    comon_at(folder, &[], None, &["migrate", "deploy"]).expect(
        1,
        &[
            "error[environment-variable-not-set]",
            "COMON_CONFIG_TEST_UNSET",
            "`datasource.url`",
            "Looked in: the process environment",
            ".env (read)",
            "prisma/.env (not found)",
        ],
    );
}

#[test]
fn a_schema_with_no_url_and_no_config_asks_for_one() {
    let project = tempfile::tempdir().expect("folder");
    write(
        project.path(),
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    comon_at(project.path(), &[], None, &["validate"]).expect(0, &["is valid"]);
    comon_at(project.path(), &[], None, &["migrate", "deploy"])
        .expect(64, &["has no url", "prisma.config.ts", "--url"]);
}

#[test]
fn a_model_defined_in_two_schema_files_names_both_files() {
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma/schema/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n}\n",
    );
    write(
        folder,
        "prisma/schema/a.prisma",
        "model User {\n  id Int @id\n}\n",
    );
    write(
        folder,
        "prisma/schema/b.prisma",
        "// Again.\nmodel User {\n  id Int @id\n}\n",
    );
    let run = comon_at(folder, &[], None, &["validate"]);
    run.expect(
        1,
        &[
            "error[invalid-schema]: The schema in prisma/schema is not valid (2 errors).",
            "duplicate-name",
            "prisma/schema/b.prisma:2:7",
            "prisma/schema/a.prisma:1:7",
            "first defined here",
        ],
    );
    // A syntax error is shown in its own file.
    write(
        folder,
        "prisma/schema/b.prisma",
        "model Broken {\n  id Int @id\n",
    );
    comon_at(
        folder,
        &[],
        None,
        &["validate", "--schema", "prisma/schema"],
    )
    .expect(1, &["prisma/schema/b.prisma:"])
    .lacks("prisma/schema/a.prisma:");
}

#[test]
fn a_schema_folder_keeps_its_migrations_beside_the_datasource_file_and_formats_each_file() {
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma/schema/main.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:./dev.db\"\n}\n",
    );
    write(
        folder,
        "prisma/schema/models/item.prisma",
        "model Item {\n  id    Int @id\n  name String\n}\n",
    );
    comon_at(folder, &[], None, &["migrate", "dev", "--name", "init"]).expect(0, &[]);
    assert_eq!(
        migration_folders(&folder.join("prisma/schema/migrations")).len(),
        1
    );
    assert!(
        folder.join("prisma/schema/dev.db").is_file(),
        "relative to the datasource's file"
    );
    // The migration's after.prisma (a .prisma file inside the folder) is not read as schema.
    comon_at(folder, &[], None, &["migrate", "dev"]).expect(0, &["Already in sync"]);
    comon_at(folder, &[], None, &["format", "--check"])
        .expect(1, &["prisma/schema/models/item.prisma is not formatted"]);
    comon_at(folder, &[], None, &["format"])
        .expect(0, &["Formatted prisma/schema/models/item.prisma."]);
    assert_eq!(
        std::fs::read_to_string(folder.join("prisma/schema/models/item.prisma")).expect("read"),
        "model Item {\n  id   Int    @id\n  name String\n}\n"
    );
    comon_at(folder, &[], None, &["db", "pull"]).expect(64, &["folder of schema files", "--print"]);
}

#[test]
fn db_execute_reads_a_script_from_stdin_or_a_file() {
    let database = TemporaryDatabase::new(Provider::Sqlite);
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = env(\"DATABASE_URL\")\n}\n",
    );
    let url = database.url();
    comon_at(
        folder,
        &[("DATABASE_URL", &url)],
        Some("CREATE TABLE from_stdin (id INTEGER PRIMARY KEY);\nINSERT INTO from_stdin VALUES (7);\n"),
        &["db", "execute", "--stdin"],
    )
    .expect(0, &["Script executed successfully."]);
    assert_eq!(
        database.column("SELECT id FROM from_stdin"),
        [Some("7".to_string())]
    );
    write(
        folder,
        "script.sql",
        "CREATE TABLE from_file (id INTEGER);\n",
    );
    comon_at(
        folder,
        &[("DATABASE_URL", &url)],
        None,
        &["db", "execute", "--file", "script.sql"],
    )
    .expect(0, &["Script executed successfully."]);
    assert_eq!(
        database.column("SELECT count(*) FROM from_file"),
        [Some("0".to_string())]
    );
    comon_at(folder, &[("DATABASE_URL", &url)], None, &["db", "execute"]).expect(64, &["--file"]);
    // A failing script from stdin names where it came from and changes nothing.
    comon_at(
        folder,
        &[("DATABASE_URL", &url)],
        Some("CREATE TABLE half (id INTEGER);\nNOT SQL AT ALL;\n"),
        &["db", "execute", "--stdin"],
    )
    .expect(1, &["standard input"]);
    assert_eq!(
        database.column("SELECT count(*) FROM sqlite_master WHERE name = 'half'"),
        [Some("0".to_string())]
    );
}

#[test]
fn create_only_writes_an_empty_migration_when_nothing_changed() {
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:./dev.db\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    comon_at(folder, &[], None, &["migrate", "dev", "--name", "init"]).expect(0, &[]);
    comon_at(
        folder,
        &[],
        None,
        &["migrate", "dev", "--create-only", "--name", "by_hand"],
    )
    .expect(0, &["Migration draft written"]);
    let folders = migration_folders(&folder.join("prisma/migrations"));
    assert_eq!(folders.len(), 2, "{folders:?}");
    let written = folder.join("prisma/migrations").join(&folders[1]);
    assert!(folders[1].ends_with("_by_hand"));
    assert_eq!(
        std::fs::read_to_string(written.join("migration.sql")).expect("migration.sql"),
        "-- This is an empty migration.\n"
    );
    // The empty migration deploys, and status is clean after it.
    comon_at(folder, &[], None, &["migrate", "deploy"]).expect(0, &[]);
    comon_at(folder, &[], None, &["migrate", "status"])
        .expect(0, &["Active migrations: 2", "Issues: 0"]);
    // Without --create-only nothing is written.
    comon_at(folder, &[], None, &["migrate", "dev", "--name", "again"])
        .expect(0, &["Already in sync"]);
    assert_eq!(
        migration_folders(&folder.join("prisma/migrations")).len(),
        2
    );
}

#[test]
fn package_json_seed_runs_after_reset_unless_skipped_and_a_config_seed_only_with_db_seed() {
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    write(
        folder,
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url = \"file:./dev.db\"\n}\n\nmodel Item {\n  id Int @id\n}\n",
    );
    write(
        folder,
        "package.json",
        "{\"name\": \"app\", \"prisma\": {\"seed\": \"echo ran >> seeds.txt\"}}\n",
    );
    let seeds = || std::fs::read_to_string(folder.join("seeds.txt")).unwrap_or_default();
    // Prisma 6 seeds when migrate dev creates the database.
    comon_at(folder, &[], None, &["migrate", "dev", "--name", "init"]).expect(
        0,
        &["Running seed command `echo ran >> seeds.txt` (from package.json (prisma.seed))"],
    );
    assert_eq!(seeds(), "ran\n");
    comon_at(folder, &[], None, &["migrate", "reset", "--force"])
        .expect(0, &["The seed command has been executed."]);
    assert_eq!(seeds(), "ran\nran\n");
    comon_at(
        folder,
        &[],
        None,
        &["migrate", "reset", "--force", "--skip-seed"],
    )
    .expect(
        0,
        &["--skip-seed: the seed command of package.json (prisma.seed) was not run."],
    );
    assert_eq!(seeds(), "ran\nran\n");
    comon_at(
        folder,
        &[],
        None,
        &["db", "seed", "--", "--environment", "it's"],
    )
    .expect(0, &[]);
    assert_eq!(seeds(), "ran\nran\nran --environment it's\n");

    // prisma.config.ts's seed wins over package.json's, and only db seed runs it (Prisma 7).
    write(folder, "prisma.config.ts", "export default { schema: 'prisma/schema.prisma', migrations: { seed: 'echo config >> seeds.txt' } };\n");
    comon_at(folder, &[], None, &["migrate", "reset", "--force"])
        .expect(0, &["runs with `comon db seed`"]);
    assert_eq!(seeds(), "ran\nran\nran --environment it's\n");
    comon_at(folder, &[], None, &["db", "seed"]).expect(0, &[]);
    assert!(seeds().ends_with("config\n"));

    // A failing seed is an error with a code; no seed at all is one too.
    write(
        folder,
        "prisma.config.ts",
        "export default { schema: 'prisma/schema.prisma', migrations: { seed: 'exit 3' } };\n",
    );
    comon_at(folder, &[], None, &["db", "seed"]).expect(1, &["error[seed-failed]", "exit 3"]);
    std::fs::remove_file(folder.join("prisma.config.ts")).expect("remove");
    std::fs::remove_file(folder.join("package.json")).expect("remove");
    comon_at(folder, &[], None, &["db", "seed"]).expect(1, &["error[seed-not-configured]"]);
}

#[test]
fn datasource_extensions_are_created_once_and_never_dropped() {
    let database = TemporaryDatabase::new(Provider::Postgresql);
    let url = database.url();
    let project = tempfile::tempdir().expect("folder");
    let folder = project.path();
    let schema = |extensions: &str| {
        format!(
            "generator client {{\n  provider        = \"prisma-client\"\n  previewFeatures = [\"postgresqlExtensions\"]\n}}\n\ndatasource db {{\n  provider   = \"postgresql\"\n  url        = env(\"APP_URL\")\n  extensions = [{extensions}]\n}}\n\nmodel Account {{\n  id    Int    @id @default(autoincrement())\n  email String @db.Citext\n}}\n"
        )
    };
    write(folder, "prisma/schema.prisma", &schema("citext"));
    let environment = [("APP_URL", url.as_str())];
    comon_at(
        folder,
        &environment,
        None,
        &["migrate", "dev", "--name", "init"],
    )
    .expect(0, &[]);
    let folders = migration_folders(&folder.join("prisma/migrations"));
    let sql = std::fs::read_to_string(
        folder
            .join("prisma/migrations")
            .join(&folders[0])
            .join("migration.sql"),
    )
    .expect("migration.sql");
    let extension_at = sql
        .find("CREATE EXTENSION IF NOT EXISTS \"citext\";")
        .expect(&sql);
    assert!(
        extension_at < sql.find("CREATE TABLE").expect(&sql),
        "before the table that uses it:\n{sql}"
    );
    assert_eq!(
        database.column("SELECT extname FROM pg_extension WHERE extname = 'citext'"),
        [Some("citext".to_string())]
    );
    // Installed now: nothing more to plan, no drift, the live database matches the schema.
    comon_at(folder, &environment, None, &["migrate", "dev"]).expect(0, &["Already in sync"]);
    comon_at(folder, &environment, None, &["migrate", "status"]).expect(0, &["Issues: 0"]);
    comon_at(
        folder,
        &environment,
        None,
        &[
            "migrate",
            "diff",
            "--from-database",
            "--to-schema",
            "prisma/schema.prisma",
            "--exit-code",
        ],
    )
    .expect(0, &[]);
    // One more is created; the one removed from the list stays (it may serve others).
    write(
        folder,
        "prisma/schema.prisma",
        &schema("pg_trgm").replace("@db.Citext", ""),
    );
    comon_at(
        folder,
        &environment,
        None,
        &["migrate", "dev", "--name", "trgm"],
    )
    .expect(0, &[]);
    let folders = migration_folders(&folder.join("prisma/migrations"));
    let sql = std::fs::read_to_string(
        folder
            .join("prisma/migrations")
            .join(&folders[1])
            .join("migration.sql"),
    )
    .expect("migration.sql");
    assert!(
        sql.contains("CREATE EXTENSION IF NOT EXISTS \"pg_trgm\";"),
        "{sql}"
    );
    assert!(!sql.to_uppercase().contains("DROP EXTENSION"), "{sql}");
    let installed = database
        .column("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname");
    assert_eq!(
        installed,
        [Some("citext".to_string()), Some("pg_trgm".to_string())]
    );
}
