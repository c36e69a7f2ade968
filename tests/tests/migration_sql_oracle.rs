//! Oracle for the migration SQL interpreter (`planner::migration_sql`): for every folder of the
//! final `migrations/` of each history in `../shared/corpus/prisma` (rallly on PostgreSQL,
//! pingvin-share on SQLite), the folder's `migration.sql` is applied to a real database, and
//! the database's introspection after that folder must equal the schema the interpreter built
//! from the same files, by the catalog comparison of the convergence tests (tables, column
//! types, nullability, defaults, keys, indexes, foreign keys, enums; column order apart), and
//! with the same column order.
//!
//! Every statement the interpreter skips is printed with its folder, line and reason; a folder
//! it flags for replay (a statement that may change the schema in a way it does not follow,
//! such as a `DO` block) is printed as such. A difference fails the test whether the folder is
//! flagged or not, naming the folder and the first difference; the next folder then starts
//! from the database's schema, so that one difference does not hide the others.

use std::path::{Path, PathBuf};

use comon_database::Database;
use planner::migration_sql::{interpret_migration, SkippedEffect};
use planner::{DatabaseSchema, Provider};
use tests::catalog::catalog_difference;
use tests::{required_corpus_directory, TemporaryPostgresDatabase, TemporarySqliteDatabase};

/// Extensions the apps create by hand in their migrations; they belong to the environment.
const POSTGRES_EXTENSIONS: &str =
    "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;";

/// The migration folders of an application's final `migrations/`, in name (time) order.
fn migration_folders(application: &Path) -> Vec<PathBuf> {
    let directory = application.join("migrations");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("migration.sql").is_file())
        .collect();
    folders.sort();
    folders
}

/// The provider `migrations/migration_lock.toml` names.
fn locked_provider(application: &Path) -> Provider {
    let path = application.join("migrations").join("migration_lock.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let provider = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("provider"))
        .filter_map(|rest| rest.trim().strip_prefix('='))
        .map(|value| value.trim().trim_matches('"').to_string())
        .next()
        .unwrap_or_else(|| panic!("{} names no provider", path.display()));
    match provider.as_str() {
        "postgresql" => Provider::Postgresql,
        "sqlite" => Provider::Sqlite,
        other => panic!("{}: unexpected provider {other}", path.display()),
    }
}

/// Held only so that dropping it removes the database.
#[allow(dead_code)]
enum TemporaryDatabase {
    Postgresql(TemporaryPostgresDatabase),
    Sqlite(TemporarySqliteDatabase),
}

fn new_database(provider: Provider) -> (TemporaryDatabase, Database) {
    match provider {
        Provider::Postgresql => {
            let database = TemporaryPostgresDatabase::new();
            let mut connection = database.open();
            connection
                .execute_batch(POSTGRES_EXTENSIONS)
                .expect("the corpus extensions can be created");
            (TemporaryDatabase::Postgresql(database), connection)
        }
        Provider::Sqlite => {
            let database = TemporarySqliteDatabase::new();
            let connection = database.open();
            (TemporaryDatabase::Sqlite(database), connection)
        }
    }
}

/// The first place where the interpreted schema and the database differ: the catalog
/// comparison of the convergence tests, then the column order.
fn first_difference(interpreted: &DatabaseSchema, database: &DatabaseSchema) -> Option<String> {
    if let Some(difference) = catalog_difference("interpreted", interpreted, "database", database) {
        return Some(difference);
    }
    for table in &database.tables {
        let order = |schema: &DatabaseSchema| {
            schema.table(&table.name).map(|table| {
                table
                    .columns
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
            })
        };
        if order(interpreted) != order(database) {
            return Some(format!(
                "table `{}`: column order {:?} interpreted, {:?} in the database",
                table.name,
                order(interpreted),
                order(database)
            ));
        }
    }
    None
}

/// Counts for one history.
#[derive(Default)]
struct Tally {
    checked: usize,
    equal: usize,
    with_skipped_statements: usize,
    needing_replay: usize,
    data_statements: usize,
}

/// Applies every folder of the application's history to a real database and to the
/// interpreter; returns the tally and the failures.
fn check_history(application: &Path) -> (Tally, Vec<String>) {
    let provider = locked_provider(application);
    let application_name = application
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let scripts = migration_folders(application)
        .into_iter()
        .map(|folder| {
            let folder_name = folder
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let origin = format!("{application_name}/{folder_name}");
            let sql = std::fs::read_to_string(folder.join("migration.sql"))
                .unwrap_or_else(|error| panic!("{origin}: {error}"));
            (origin, sql)
        })
        .collect();
    check_scripts(provider, &application_name, scripts)
}

/// Applies each script, in order, to a real database and to the interpreter; `(origin, sql)`.
fn check_scripts(
    provider: Provider,
    application_name: &str,
    scripts: Vec<(String, String)>,
) -> (Tally, Vec<String>) {
    let (_guard, mut connection) = new_database(provider);
    let mut interpreted_schema = DatabaseSchema::empty(provider);
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for (origin, sql) in scripts {
        if let Err(error) = connection.execute_batch(&sql) {
            failures.push(format!(
                "{origin}: the database refused the migration: {error}"
            ));
            break;
        }
        let database_schema = match connection.introspect() {
            // The interpreter leaves CREATE EXTENSION outside its model (and this database got
            // the corpus's extensions before its first migration), so extensions are not
            // compared here; the differ never drops one.
            Ok(schema) => DatabaseSchema {
                extensions: Vec::new(),
                ..schema
            },
            Err(error) => {
                failures.push(format!("{origin}: introspection failed: {error}"));
                break;
            }
        };
        tally.checked += 1;
        let interpreted =
            match interpret_migration(provider, interpreted_schema.clone(), &sql, &origin) {
                Ok(interpreted) => interpreted,
                Err(error) => {
                    failures.push(format!(
                        "{origin}: the interpreter failed ({}): {error}",
                        error.code
                    ));
                    interpreted_schema = database_schema;
                    continue;
                }
            };
        tally.data_statements += interpreted.data_statements;
        if !interpreted.skipped.is_empty() {
            tally.with_skipped_statements += 1;
            for skipped in &interpreted.skipped {
                println!("  skipped {skipped}");
            }
        }
        let difference = first_difference(&interpreted.schema, &database_schema);
        if interpreted.needs_replay() {
            tally.needing_replay += 1;
        }
        let replay_reasons: Vec<String> = interpreted
            .skipped
            .iter()
            .filter(|skipped| skipped.effect == SkippedEffect::MayChangeSchema)
            .map(|skipped| format!("line {}: {}", skipped.line, skipped.reason))
            .collect();
        if !replay_reasons.is_empty() {
            println!(
                "{origin}: cannot model every statement ({}); a runner replays this folder on a scratch database",
                replay_reasons.join("; ")
            );
        }
        match difference {
            None => {
                tally.equal += 1;
                interpreted_schema = interpreted.schema;
            }
            Some(difference) => {
                let flagged = if replay_reasons.is_empty() {
                    String::new()
                } else {
                    " (flagged for replay)".to_string()
                };
                failures.push(format!("{origin}{flagged}: {difference}"));
                // Continue from the database, so that one difference does not hide the rest.
                interpreted_schema = database_schema;
            }
        }
    }
    println!(
        "{application_name} ({provider}): {} folders checked, {} equal, {} with skipped statements, {} of them flagged for replay, {} data statements skipped",
        tally.checked,
        tally.equal,
        tally.with_skipped_statements,
        tally.needing_replay,
        tally.data_statements
    );
    (tally, failures)
}

fn check_application(name: &str, expected_folders: usize) {
    let Some(corpus) = required_corpus_directory() else {
        return;
    };
    let (tally, failures) = check_history(&corpus.join(name));
    assert!(
        failures.is_empty(),
        "{} of {} folders differ:\n{}",
        failures.len(),
        tally.checked,
        failures.join("\n")
    );
    assert_eq!(
        tally.checked, expected_folders,
        "{name}: every folder of the final migrations/ is checked"
    );
}

#[test]
fn rallly_history_interprets_like_postgresql_applies_it() {
    check_application("rallly", 145);
}

#[test]
fn pingvin_share_history_interprets_like_sqlite_applies_it() {
    check_application("pingvin-share", 24);
}

/// PostgreSQL statements sqlparser does not parse, which the interpreter reads by their words
/// (`planner::migration_sql::unparsed`): the schema it builds must be the database's, and none
/// of them may send the migration to a replay. Each `DROP INDEX CONCURRENTLY` is a script of
/// its own, since PostgreSQL runs it only outside a transaction block.
#[test]
fn postgresql_statements_sqlparser_does_not_parse_interpret_like_postgresql_applies_them() {
    let scripts = [
        r#"CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "User" (
    "id" INTEGER GENERATED BY DEFAULT AS IDENTITY,
    "serial" SERIAL NOT NULL,
    "always" BIGINT GENERATED ALWAYS AS IDENTITY,
    "name" VARCHAR(10) NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "User_name_idx" ON "User"("name");
CREATE UNIQUE INDEX "User_role_name_key" ON "User"("role", "name");"#,
        r#"CREATE TABLE "UserPlain" (LIKE "User");
CREATE TABLE "UserDefaults" (LIKE "User" INCLUDING DEFAULTS);
CREATE TABLE "UserIdentity" (LIKE "public"."User" INCLUDING IDENTITY INCLUDING COMMENTS INCLUDING CONSTRAINTS INCLUDING STATISTICS);
CREATE TABLE "UserLast" (LIKE "User" INCLUDING DEFAULTS INCLUDING IDENTITY EXCLUDING DEFAULTS);
CREATE TABLE IF NOT EXISTS "UserPlain" (LIKE "User" INCLUDING DEFAULTS INCLUDING IDENTITY);"#,
        // Not an unparsed form, but what comon's online plans write.
        r#"ALTER TABLE "UserPlain" ADD CONSTRAINT "UserPlain_id_fkey" FOREIGN KEY ("id") REFERENCES "User"("id") ON DELETE CASCADE NOT VALID;
ALTER TABLE "UserPlain" ADD CONSTRAINT "UserPlain_name_not_null" CHECK ("name" IS NOT NULL) NOT VALID;
ALTER TABLE "UserPlain" VALIDATE CONSTRAINT "UserPlain_id_fkey";
ALTER TABLE "UserPlain" VALIDATE CONSTRAINT "UserPlain_name_not_null";"#,
        r#"ALTER TABLE "User" ALTER COLUMN "id" DROP IDENTITY;
ALTER TABLE ONLY "public"."User" ALTER COLUMN "serial" DROP IDENTITY IF EXISTS, ALTER "always" DROP IDENTITY IF EXISTS;
ALTER TABLE IF EXISTS "Missing" ALTER COLUMN "id" DROP IDENTITY;
ALTER TABLE "User" ALTER COLUMN "name" SET STATISTICS 500, ALTER COLUMN "role" SET STATISTICS -1;
ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(20) COLLATE "C" USING "name" COLLATE "C";
ALTER TABLE "User" ALTER COLUMN "name" TYPE TEXT COLLATE "pg_catalog"."default";
ALTER TYPE "Role" OWNER TO CURRENT_USER;
ALTER SEQUENCE "User_serial_seq" RESTART WITH 100;
ALTER SEQUENCE IF EXISTS "public"."User_serial_seq" INCREMENT BY 2 OWNED BY NONE;"#,
        r#"DROP INDEX CONCURRENTLY "User_name_idx";"#,
        r#"DROP INDEX CONCURRENTLY IF EXISTS "public"."User_role_name_key";"#,
        r#"DROP INDEX CONCURRENTLY IF EXISTS "User_name_idx";"#,
    ];
    let count = scripts.len();
    let scripts = scripts
        .into_iter()
        .enumerate()
        .map(|(position, sql)| (format!("unparsed-forms/{position}"), sql.to_string()))
        .collect();
    let (tally, failures) = check_scripts(Provider::Postgresql, "unparsed-forms", scripts);
    assert!(
        failures.is_empty(),
        "{} of {} scripts differ:\n{}",
        failures.len(),
        tally.checked,
        failures.join("\n")
    );
    assert_eq!(tally.checked, count);
    assert_eq!(tally.equal, count);
    assert_eq!(tally.needing_replay, 0, "no script needs a replay");
}
