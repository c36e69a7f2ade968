//! The migration history the deploy trials run: 30 migrations over tables that hold rows,
//! written as real migration folders by `comon migrate dev --create-only`, with hand-written
//! data statements appended to some `migration.sql` files, as a reviewer would add them.
//!
//! The history covers what makes a deploy long and fragile: seed rows inserted by the first
//! migration, SQLite table rebuilds (required columns, type changes, changed defaults and
//! foreign key actions), type changes on PostgreSQL, backfill `UPDATE`s and `INSERT ... SELECT`s
//! that are not idempotent (so a migration applied twice shows in the data), index creation,
//! renames of indexes, columns, tables and enum values, enum values added and removed.
//!
//! Rows inserted by data statements carry explicit ids: a PostgreSQL sequence is not rolled
//! back with the transaction that used it, so generated ids would differ between a deploy that
//! was interrupted and one that was not, although no row was lost.

use crate::comon::Comon;
use crate::database::TrialDatabase;
use crate::fingerprint::{fingerprint, strict_catalog, Fingerprint};
use crate::schema_text::SchemaText;
use planner::Provider;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The limit for one `comon` command while generating; generous, the machine is shared.
const COMMAND_LIMIT: Duration = Duration::from_secs(300);

/// One migration as the trials know it.
#[derive(Debug, Clone)]
pub struct HistoryMigration {
    /// The folder name, `<timestamp>_<step>`.
    pub name: String,
    /// `after.prisma`: the schema the database has once this migration is applied.
    pub after_schema: String,
    /// The statements after the `-- comon:after-commit` line (PostgreSQL's online phase), in
    /// order; empty for a migration that runs in one transaction.
    pub online_statements: Vec<String>,
}

/// Which history a trial deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryChoice {
    /// The 30 migrations, planned with `--no-online-ddl`: each runs in one transaction.
    Atomic,
    /// PostgreSQL's online DDL on tables that hold rows: concurrent index builds, foreign keys
    /// `NOT VALID` then `VALIDATE CONSTRAINT`, `SET NOT NULL` through a validated check, with
    /// plain migrations in between.
    Online,
}

/// A generated project: `prisma/schema.prisma` and `prisma/migrations/` in `project_directory`.
pub struct DataHistory {
    pub provider: Provider,
    pub project_directory: PathBuf,
    pub migrations: Vec<HistoryMigration>,
    /// The data of a database after the first `k` migrations, for `k` in `0..=migrations.len()`,
    /// from deploying them one at a time on a reference database.
    pub fingerprints: Vec<Fingerprint>,
    /// How long one uninterrupted deploy of the whole history took (the kill trial picks its
    /// moments within it).
    pub full_deploy_time: Duration,
    /// Rows the first migration inserts into `Author`; `Book` gets four times as many.
    pub seed_rows: u64,
    /// PostgreSQL: the catalog as `strict_catalog` reads it after the first `k` migrations,
    /// for `k` in `0..=migrations.len()` (constraint validity and INVALID indexes included,
    /// which the planner's comparison does not see); empty on SQLite.
    pub catalogs: Vec<String>,
    /// PostgreSQL: `strict_catalog` of a database built from empty by one deploy of the whole
    /// history.
    pub catalog_built_from_empty: String,
}

struct Step {
    name: &'static str,
    change: fn(&mut SchemaText),
    /// Statements appended to the generated `migration.sql`; `{rows}` is replaced by the seed size.
    data: &'static [&'static str],
    /// PostgreSQL only: the generated statements are wrapped in `BEGIN;` ... `COMMIT;`, as
    /// Prisma writes its enum migrations (five of them in the rallly corpus), and the data
    /// statements follow the `COMMIT`. A runner that wraps the script in its own transaction
    /// must still apply it atomically.
    explicit_transaction: bool,
}

fn steps() -> Vec<Step> {
    vec![
        Step {
            name: "init",
            change: |schema| {
                schema
                    .model("Author", &["id    Int     @id @default(autoincrement())", "email String  @unique", "name  String?", "books Book[]"])
                    .model(
                        "Book",
                        &[
                            "id       Int    @id @default(autoincrement())",
                            "title    String",
                            "pages    Int    @default(0)",
                            "authorId Int",
                            "author   Author @relation(fields: [authorId], references: [id])",
                            "@@index([authorId])",
                        ],
                    )
                    .model("Event", &["id     Int    @id @default(autoincrement())", "kind   String", "amount Int"]);
            },
            data: &[
                "WITH RECURSIVE \"n\"(\"i\") AS (SELECT 1 UNION ALL SELECT \"i\" + 1 FROM \"n\" WHERE \"i\" < {rows}) INSERT INTO \"Author\" (\"id\", \"email\", \"name\") SELECT \"i\", 'author' || \"i\" || '@example.com', 'Author ' || \"i\" FROM \"n\"",
                "WITH RECURSIVE \"n\"(\"i\") AS (SELECT 1 UNION ALL SELECT \"i\" + 1 FROM \"n\" WHERE \"i\" < 4 * {rows}) INSERT INTO \"Book\" (\"id\", \"title\", \"pages\", \"authorId\") SELECT \"i\", 'Book ' || \"i\", \"i\" % 500, (\"i\" - 1) % {rows} + 1 FROM \"n\"",
            ],
            explicit_transaction: false,
        },
        Step {
            name: "author_score",
            change: |schema| {
                schema.add("Author", "score Int @default(0)");
            },
            data: &["UPDATE \"Author\" SET \"score\" = (\"id\" * 7) % 101"],
            explicit_transaction: false,
        },
        Step {
            name: "book_isbn",
            change: |schema| {
                schema.add("Book", "isbn String?");
            },
            data: &["UPDATE \"Book\" SET \"isbn\" = 'isbn-' || \"id\""],
            explicit_transaction: false,
        },
        Step {
            name: "isbn_required",
            change: |schema| {
                schema.replace("Book", "isbn", "isbn String");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "isbn_unique",
            change: |schema| {
                schema.replace("Book", "isbn", "isbn String @unique");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "pages_bigint",
            change: |schema| {
                schema.replace("Book", "pages", "pages BigInt @default(0)");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "events_from_books",
            change: |schema| {
                schema.add("Event", "note String?");
            },
            data: &["INSERT INTO \"Event\" (\"id\", \"kind\", \"amount\") SELECT \"id\", 'book', \"id\" % 500 FROM \"Book\" WHERE \"id\" % 10 = 0"],
            explicit_transaction: false,
        },
        Step {
            name: "author_name_column",
            change: |schema| {
                schema.replace("Author", "name", "name String? @map(\"display_name\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "genre_enum",
            change: |schema| {
                schema.enumeration("Genre", &["FICTION", "SCIENCE", "HISTORY"]).add("Book", "genre Genre @default(FICTION)");
            },
            data: &["UPDATE \"Book\" SET \"genre\" = 'SCIENCE' WHERE \"id\" % 3 = 0"],
            explicit_transaction: false,
        },
        Step {
            name: "genre_poetry",
            change: |schema| {
                // Enum changes alone change nothing on SQLite (enums are TEXT there), and a
                // migration needs a change on both providers: each enum step changes a column too.
                schema.add("Genre", "POETRY").add("Book", "poetry Boolean @default(false)");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "book_title_index",
            change: |schema| {
                schema.add("Book", "@@index([title])");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "book_title_index_rename",
            change: |schema| {
                schema.replace_line("Book", "@@index([title])", "@@index([title], map: \"Book_title_lookup\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "events_table_rename",
            change: |schema| {
                schema.add("Event", "@@map(\"events_log\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "author_bio",
            change: |schema| {
                schema.add("Author", "bio String @default(\"\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "author_bio_default",
            change: |schema| {
                schema.replace("Author", "bio", "bio String @default(\"n/a\")");
            },
            data: &["UPDATE \"Author\" SET \"bio\" = 'author ' || \"id\" WHERE \"id\" % 2 = 0"],
            explicit_transaction: false,
        },
        Step {
            name: "reviews",
            change: |schema| {
                schema
                    .model(
                        "Review",
                        &[
                            "id     Int     @id @default(autoincrement())",
                            "bookId Int",
                            "book   Book    @relation(fields: [bookId], references: [id], onDelete: Cascade)",
                            "stars  Int",
                            "note   String?",
                        ],
                    )
                    .add("Book", "reviews Review[]");
            },
            data: &["INSERT INTO \"Review\" (\"id\", \"bookId\", \"stars\") SELECT \"id\", \"id\", \"id\" % 5 + 1 FROM \"Book\" WHERE \"id\" % 4 = 0"],
            explicit_transaction: false,
        },
        Step {
            name: "book_author_cascade",
            change: |schema| {
                schema.replace("Book", "author", "author   Author @relation(fields: [authorId], references: [id], onDelete: Cascade)");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "genre_history_renamed",
            change: |schema| {
                schema.replace("Genre", "HISTORY", "HISTORY @map(\"HISTORICAL\")").add("Author", "verified Boolean @default(false)");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "genre_without_poetry",
            change: |schema| {
                schema.remove("Genre", "POETRY").remove("Book", "poetry");
            },
            data: &["UPDATE \"Book\" SET \"title\" = \"title\" || ' (reprint)' WHERE \"id\" % 7 = 0"],
            explicit_transaction: true,
        },
        Step {
            name: "event_amount_float",
            change: |schema| {
                schema.replace("Event", "amount", "amount Float");
            },
            data: &["UPDATE \"events_log\" SET \"amount\" = \"amount\" / 2"],
            explicit_transaction: false,
        },
        Step {
            name: "review_unique",
            change: |schema| {
                schema.add("Review", "@@unique([bookId, stars])");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "drop_title_index",
            change: |schema| {
                schema.remove("Book", "@@index([title], map: \"Book_title_lookup\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "author_rank",
            change: |schema| {
                schema.add("Author", "rank Int?");
            },
            data: &["UPDATE \"Author\" SET \"rank\" = \"id\" % 10"],
            explicit_transaction: false,
        },
        Step {
            name: "author_rank_required",
            change: |schema| {
                schema.replace("Author", "rank", "rank Int @default(0)");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "reviews_table_rename",
            change: |schema| {
                schema.add("Review", "@@map(\"book_reviews\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "tags",
            change: |schema| {
                schema.model("Tag", &["id    Int    @id @default(autoincrement())", "label String @unique"]);
            },
            data: &["INSERT INTO \"Tag\" (\"id\", \"label\") SELECT \"id\", 'tag-' || \"id\" FROM \"Author\" WHERE \"id\" <= 20"],
            explicit_transaction: false,
        },
        Step {
            name: "event_kind_enum",
            change: |schema| {
                schema
                    .enumeration("EventKind", &["book", "review"])
                    .replace("Event", "kind", "kind   EventKind")
                    .add("Event", "source String @default(\"import\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "drop_author_score",
            change: |schema| {
                schema.remove("Author", "score");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "pages_int_again",
            change: |schema| {
                schema.replace("Book", "pages", "pages Int @default(0)");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "final_backfill",
            change: |schema| {
                schema.add("Book", "edition Int @default(1)");
            },
            data: &["UPDATE \"Book\" SET \"pages\" = \"pages\" + 1, \"edition\" = \"edition\" + (\"id\" % 3)"],
            explicit_transaction: false,
        },
    ]
}

/// The online history (PostgreSQL). Its online migrations carry no data statements: appended to
/// `migration.sql` they would come after the `-- comon:after-commit` line and run outside the
/// transaction. The backfills are in the plain migrations between them, so that kills also land
/// in transactions that have written rows.
fn online_steps() -> Vec<Step> {
    vec![
        Step {
            name: "init",
            change: |schema| {
                schema
                    .model(
                        "Author",
                        &[
                            "id     Int     @id @default(autoincrement())",
                            "email  String  @unique",
                            "name   String?",
                            "handle String?",
                            "books  Book[]  @relation(\"written\")",
                        ],
                    )
                    .model(
                        "Book",
                        &[
                            "id       Int     @id @default(autoincrement())",
                            "title    String",
                            "pages    Int     @default(0)",
                            "subtitle String?",
                            "authorId Int",
                            "editorId Int?",
                            "author   Author  @relation(\"written\", fields: [authorId], references: [id])",
                            "@@index([authorId])",
                        ],
                    );
            },
            data: &[
                "WITH RECURSIVE \"n\"(\"i\") AS (SELECT 1 UNION ALL SELECT \"i\" + 1 FROM \"n\" WHERE \"i\" < {rows}) INSERT INTO \"Author\" (\"id\", \"email\", \"name\", \"handle\") SELECT \"i\", 'author' || \"i\" || '@example.com', 'Author ' || \"i\", 'handle-' || \"i\" FROM \"n\"",
                "WITH RECURSIVE \"n\"(\"i\") AS (SELECT 1 UNION ALL SELECT \"i\" + 1 FROM \"n\" WHERE \"i\" < 4 * {rows}) INSERT INTO \"Book\" (\"id\", \"title\", \"pages\", \"subtitle\", \"authorId\", \"editorId\") SELECT \"i\", 'Book ' || md5(\"i\"::text), \"i\" % 500, 'Volume ' || \"i\", (\"i\" - 1) % {rows} + 1, (\"i\" * 7) % {rows} + 1 FROM \"n\"",
            ],
            explicit_transaction: false,
        },
        Step {
            name: "book_title_index",
            change: |schema| {
                schema.add("Book", "@@index([title])");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "book_rating",
            change: |schema| {
                schema.add("Book", "rating Int @default(0)");
            },
            data: &["UPDATE \"Book\" SET \"rating\" = \"id\" % 5 + 1"],
            explicit_transaction: false,
        },
        Step {
            name: "book_editor_relation",
            change: |schema| {
                schema
                    .replace("Book", "editorId", "editorId Int?")
                    .add("Book", "editor   Author? @relation(\"edited\", fields: [editorId], references: [id])")
                    .add("Author", "edited Book[] @relation(\"edited\")");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "subtitle_required",
            change: |schema| {
                schema.replace("Book", "subtitle", "subtitle String");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "author_handle_unique",
            change: |schema| {
                schema.replace("Author", "handle", "handle String? @unique");
            },
            data: &[],
            explicit_transaction: false,
        },
        Step {
            name: "author_score",
            change: |schema| {
                schema.add("Author", "score Int @default(0)");
            },
            data: &["UPDATE \"Author\" SET \"score\" = (\"id\" * 7) % 101"],
            explicit_transaction: false,
        },
        Step {
            name: "book_lookups",
            change: |schema| {
                schema
                    .replace("Author", "name", "name String")
                    .add("Book", "@@index([editorId])")
                    .add("Book", "@@index([pages, rating])")
                    .add("Author", "@@index([score])");
            },
            data: &[],
            explicit_transaction: false,
        },
    ]
}

/// The number of migrations of the online history.
pub fn online_history_length() -> usize {
    online_steps().len()
}

/// The number of migrations `generate` writes.
pub fn history_length() -> usize {
    steps().len()
}

fn write_file(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("folder created");
    std::fs::write(path, content).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
}

/// Migration folder names in a migrations directory, sorted.
pub fn folder_names(migrations: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(migrations)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .filter(|entry| entry.path().is_dir())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `migration.sql` with statements appended; the generated text may or may not end with `;`.
fn with_data_statements(sql: &str, data: &[String], explicit_transaction: bool) -> String {
    let mut text = sql.trim_end().to_string();
    if !text.is_empty() && !text.ends_with(';') {
        text.push(';');
    }
    if explicit_transaction {
        text = format!("BEGIN;\n{text}\nCOMMIT;");
    }
    text.push_str("\n\n-- Data (written by hand after `migrate dev --create-only`)\n");
    for statement in data {
        text.push_str(statement);
        text.push_str(";\n");
    }
    text
}

impl DataHistory {
    /// Writes the project into `directory` and its migrations with `comon migrate dev
    /// --create-only` against a scratch database, then deploys them one at a time on a
    /// reference database to record the data after each, and once in one go to time it.
    /// `seed_rows` sets the data size (`Author` rows; `Book` gets four times as many).
    pub fn generate(
        comon: &Comon,
        provider: Provider,
        directory: &Path,
        seed_rows: u64,
    ) -> Result<DataHistory, String> {
        Self::generate_prefix(comon, provider, directory, seed_rows, history_length())
    }

    /// As `generate_prefix`, into a new temporary folder, which the trial also gives its SQLite
    /// files; the folder and everything in it go when the returned `TempDir` drops.
    pub fn generate_prefix_in_temporary_folder(
        comon: &Comon,
        provider: Provider,
        seed_rows: u64,
        length: usize,
    ) -> Result<(tempfile::TempDir, DataHistory), String> {
        let folder = tempfile::tempdir().map_err(|error| error.to_string())?;
        let history = Self::generate_prefix(comon, provider, folder.path(), seed_rows, length)?;
        Ok((folder, history))
    }

    /// A random moment within the time a deploy of the last `remaining` migrations should take
    /// (measured by the full deploy, at least a millisecond), plus 20 ms for a late kill.
    pub fn random_moment_of_deploy(
        &self,
        remaining: usize,
        random: &mut impl rand::RngExt,
    ) -> Duration {
        let total = self.migrations.len();
        let expected_micros = (self.full_deploy_time.as_micros() as u64 * remaining as u64
            / total.max(1) as u64)
            .max(1_000);
        Duration::from_micros(random.random_range(0..=expected_micros + 20_000))
    }

    /// The online history (PostgreSQL only) in a new temporary folder, as
    /// `generate_prefix_in_temporary_folder`.
    pub fn generate_online_in_temporary_folder(
        comon: &Comon,
        seed_rows: u64,
        length: usize,
    ) -> Result<(tempfile::TempDir, DataHistory), String> {
        let folder = tempfile::tempdir().map_err(|error| error.to_string())?;
        let history = Self::generate_steps(
            comon,
            Provider::Postgresql,
            folder.path(),
            seed_rows,
            online_steps().into_iter().take(length).collect(),
            HistoryChoice::Online,
        )?;
        Ok((folder, history))
    }

    /// As `generate`, with the first `length` migrations only (the short tests use fewer).
    pub fn generate_prefix(
        comon: &Comon,
        provider: Provider,
        directory: &Path,
        seed_rows: u64,
        length: usize,
    ) -> Result<DataHistory, String> {
        let steps = steps().into_iter().take(length).collect();
        Self::generate_steps(
            comon,
            provider,
            directory,
            seed_rows,
            steps,
            HistoryChoice::Atomic,
        )
    }

    fn generate_steps(
        comon: &Comon,
        provider: Provider,
        directory: &Path,
        seed_rows: u64,
        steps: Vec<Step>,
        choice: HistoryChoice,
    ) -> Result<DataHistory, String> {
        let project = directory.join("project");
        let schema_path = project.join("prisma").join("schema.prisma");
        let migrations_directory = project.join("prisma").join("migrations");
        let scratch = TrialDatabase::new(provider, directory);
        let mut schema = SchemaText::default();
        let mut migrations = Vec::new();
        for step in steps {
            (step.change)(&mut schema);
            let text = schema.render(provider);
            write_file(&schema_path, &text);
            // The atomic trials check that a deploy killed at any moment leaves every migration
            // applied or not at all, which holds for migrations that run in one transaction. A
            // migration with an online phase (`CREATE INDEX CONCURRENTLY`, `VALIDATE CONSTRAINT`
            // after the commit) is not atomic by design: killed in that phase it stays
            // `started`, which `status` reports and `deploy` refuses to pass (RELIABILITY.md).
            // So the atomic history is planned without online DDL, and the online history,
            // which the online trial checks against those rules instead, with it.
            let mut arguments = vec!["migrate", "dev", "--create-only"];
            if choice == HistoryChoice::Atomic {
                arguments.push("--no-online-ddl");
            }
            arguments.extend(["--name", step.name]);
            let run = comon.run(&project, &scratch.url(), &arguments, COMMAND_LIMIT);
            if !run.succeeded() {
                return Err(format!(
                    "`comon migrate dev --create-only --name {}` failed on {provider}:\n{}",
                    step.name,
                    run.transcript()
                ));
            }
            if run.stdout.contains("Already in sync") {
                return Err(format!(
                    "step {} changes nothing on {provider}: every step must change the database",
                    step.name
                ));
            }
            let name = folder_names(&migrations_directory)
                .into_iter()
                .find(|name| name.ends_with(&format!("_{}", step.name)))
                .ok_or_else(|| {
                    format!(
                        "no folder for step {} in {}",
                        step.name,
                        migrations_directory.display()
                    )
                })?;
            let explicit_transaction =
                step.explicit_transaction && provider == Provider::Postgresql;
            if !step.data.is_empty() || explicit_transaction {
                let sql_path = migrations_directory.join(&name).join("migration.sql");
                let sql = std::fs::read_to_string(&sql_path)
                    .map_err(|error| format!("{}: {error}", sql_path.display()))?;
                let data: Vec<String> = step
                    .data
                    .iter()
                    .map(|statement| statement.replace("{rows}", &seed_rows.to_string()))
                    .collect();
                write_file(
                    &sql_path,
                    &with_data_statements(&sql, &data, explicit_transaction),
                );
            }
            let sql_path = migrations_directory.join(&name).join("migration.sql");
            let sql = std::fs::read_to_string(&sql_path)
                .map_err(|error| format!("{}: {error}", sql_path.display()))?;
            let online_statements: Vec<String> =
                comon_database::split_sql_script_with_lines(provider, &sql)
                    .map_err(|error| format!("{}: {error}", sql_path.display()))?
                    .into_iter()
                    .filter(|statement| statement.after_commit)
                    .map(|statement| statement.text)
                    .collect();
            if !online_statements.is_empty() && !step.data.is_empty() {
                return Err(format!(
                    "step {} has an online phase and data statements, which would run after the commit: move the data to a step of its own",
                    step.name
                ));
            }
            migrations.push(HistoryMigration {
                name,
                after_schema: text,
                online_statements,
            });
        }
        drop(scratch);
        let mut history = DataHistory {
            provider,
            project_directory: project,
            migrations,
            fingerprints: Vec::new(),
            full_deploy_time: Duration::ZERO,
            seed_rows,
            catalogs: Vec::new(),
            catalog_built_from_empty: String::new(),
        };
        history.record_references(comon, directory)?;
        Ok(history)
    }

    pub fn migrations_directory(&self) -> PathBuf {
        self.project_directory.join("prisma").join("migrations")
    }

    /// Deploys the migrations one at a time on a reference project that gets one more folder
    /// each time, fingerprinting the data after each; then deploys the whole history in one go
    /// on another database and checks that it ends with the same data.
    fn record_references(&mut self, comon: &Comon, directory: &Path) -> Result<(), String> {
        let reference_project = directory.join("reference");
        let reference_migrations = reference_project.join("prisma").join("migrations");
        std::fs::create_dir_all(&reference_migrations).map_err(|error| error.to_string())?;
        std::fs::copy(
            self.project_directory.join("prisma").join("schema.prisma"),
            reference_project.join("prisma").join("schema.prisma"),
        )
        .map_err(|error| error.to_string())?;
        let reference = TrialDatabase::new(self.provider, directory);
        let mut database = reference.open();
        self.fingerprints = vec![fingerprint(&mut database)?];
        self.catalogs = vec![strict_catalog(&mut database)?];
        for migration in &self.migrations {
            let target = reference_migrations.join(&migration.name);
            std::fs::create_dir_all(&target).map_err(|error| error.to_string())?;
            for entry in std::fs::read_dir(self.migrations_directory().join(&migration.name))
                .map_err(|error| error.to_string())?
            {
                let entry = entry.map_err(|error| error.to_string())?;
                std::fs::copy(entry.path(), target.join(entry.file_name()))
                    .map_err(|error| error.to_string())?;
            }
            let run = comon.run(
                &reference_project,
                &reference.url(),
                &["migrate", "deploy"],
                COMMAND_LIMIT,
            );
            if !run.succeeded() || run.applied_line_count() != 1 {
                return Err(format!(
                    "deploying {} on the reference database failed on {}:\n{}",
                    migration.name,
                    self.provider,
                    run.transcript()
                ));
            }
            self.fingerprints.push(fingerprint(&mut database)?);
            self.catalogs.push(strict_catalog(&mut database)?);
        }
        drop(database);
        let timing = TrialDatabase::new(self.provider, directory);
        let run = comon.run(
            &self.project_directory,
            &timing.url(),
            &["migrate", "deploy"],
            COMMAND_LIMIT,
        );
        if !run.succeeded() || run.applied_line_count() != self.migrations.len() {
            return Err(format!(
                "one uninterrupted deploy failed on {}:\n{}",
                self.provider,
                run.transcript()
            ));
        }
        self.full_deploy_time = run.elapsed;
        self.catalog_built_from_empty = strict_catalog(&mut timing.open())?;
        let one_go = fingerprint(&mut timing.open())?;
        if Some(&one_go) != self.fingerprints.last() {
            return Err(format!(
                "one deploy of the whole history left other data than deploying one migration at a time on {}:\n{}",
                self.provider,
                one_go.difference(self.fingerprints.last().expect("at least the empty fingerprint"))
            ));
        }
        Ok(())
    }
}
