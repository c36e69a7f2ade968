//! The schema a migrations folder builds when the migration SQL interpreter cannot say, through
//! the real binary: `migrate diff --from-migrations` on a Prisma Migrate folder (interpreted, or
//! replayed into a scratch database, which stderr reports), SIGINT during a PostgreSQL replay
//! (the scratch database is dropped, exit 130), and the check that a comon_orm folder's
//! `migration.sql` builds its `after.prisma` (a hand edit is a warning of `migrate status`, an
//! issue with `--fail-on-script-mismatch`, and a history `migrate dev` wrote has no finding).

mod support;

use std::time::Duration;
use support::{eventually, spawn_comon, wait_at_most, Project, Provider, USERS};

fn lock_file(provider: Provider) -> &'static str {
    match provider {
        Provider::Postgresql => "provider = \"postgresql\"\n",
        Provider::Sqlite => "provider = \"sqlite\"\n",
    }
}

const INIT: &str = "-- CreateTable\nCREATE TABLE \"User\" (\"id\" INTEGER NOT NULL, CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\"));\n";

/// The statement of the second folder the interpreter does not follow, on each provider: a
/// trigger on SQLite (it belongs to its table, which the interpreter does not build), a `DO`
/// block that creates a table on PostgreSQL.
fn not_followed(provider: Provider) -> &'static str {
    match provider {
        Provider::Sqlite => "CREATE TABLE \"Log\" (\"id\" INTEGER);\nCREATE TRIGGER \"log_user\" AFTER INSERT ON \"User\" BEGIN INSERT INTO \"Log\" VALUES (NEW.\"id\"); END;\n",
        Provider::Postgresql => "CREATE TABLE \"Note\" (\"id\" INTEGER);\nDO $$ BEGIN EXECUTE 'CREATE TABLE \"Log\" (\"id\" INTEGER)'; END $$;\n",
    }
}

/// A Prisma project: the lock file and two folders, the second with `second_sql`.
fn prisma_project(provider: Provider, second_sql: &str) -> Project {
    let project = Project::new(provider, USERS);
    project.write("prisma/migrations/migration_lock.toml", lock_file(provider));
    project.write("prisma/migrations/20260101000000_init/migration.sql", INIT);
    project.write(
        "prisma/migrations/20260102000000_second/migration.sql",
        second_sql,
    );
    project
}

fn diff_from_migrations_of_a_prisma_folder(provider: Provider) {
    // Interpreted: the interpreter follows both folders, and no scratch database is made.
    let project = prisma_project(
        provider,
        "CREATE TABLE \"Log\" (\"id\" INTEGER);\nINSERT INTO \"Log\" VALUES (1);\n",
    );
    let to_empty = [
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/migrations",
        "--to-empty",
        "--script",
    ];
    let interpreted = project.comon(&to_empty);
    interpreted
        .expect(0, &["DROP TABLE \"Log\"", "DROP TABLE \"User\""])
        .lacks("scratch database");

    // Replayed: the second folder holds a statement the interpreter does not follow.
    let project = prisma_project(provider, not_followed(provider));
    let replayed = project.comon(&to_empty);
    replayed.expect(
        0,
        &[
            "DROP TABLE \"Log\"",
            "DROP TABLE \"User\"",
            "replayed 2 migrations into a scratch database because 20260102000000_second/migration.sql line 2",
        ],
    );
    assert!(
        replayed.stderr.contains("replayed 2 migrations") && !replayed.stdout.contains("replayed"),
        "the notice is on stderr, so that stdout stays the script\n{replayed:?}"
    );
    // The replayed schema is the one deploy builds.
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    project
        .comon(&[
            "migrate",
            "diff",
            "--from-migrations",
            "prisma/migrations",
            "--to-database",
        ])
        .expect(0, &["No schema differences detected."]);
    // And status checks drift from it: clean, and saying so.
    project.comon(&["migrate", "status"]).expect(
        0,
        &[
            "Drift checked: replayed 2 migrations into a scratch database because 20260102000000_second/migration.sql line 2",
            "Issues: 0",
        ],
    );
    project
        .database
        .execute("CREATE TABLE \"Extra\" (\"id\" INTEGER)");
    project
        .comon(&["migrate", "status"])
        .expect(1, &["drift | Drift detected", "table \"Extra\""]);
}

tests::test_on_each_provider!(diff_from_migrations_of_a_prisma_folder,
    sqlite: diff_from_migrations_of_a_prisma_folder_interprets_or_replays_on_sqlite,
    postgresql: diff_from_migrations_of_a_prisma_folder_interprets_or_replays_on_postgresql);

#[test]
fn a_postgresql_replay_outside_a_project_says_that_it_needs_a_server() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let migrations = folder.path().join("migrations");
    std::fs::create_dir_all(migrations.join("20260102000000_second")).expect("folders");
    std::fs::write(
        migrations.join("migration_lock.toml"),
        lock_file(Provider::Postgresql),
    )
    .expect("lock file");
    std::fs::write(
        migrations.join("20260102000000_second/migration.sql"),
        not_followed(Provider::Postgresql),
    )
    .expect("migration.sql");
    support::comon_in(
        folder.path(),
        &[],
        &[
            "migrate",
            "diff",
            "--from-migrations",
            "migrations",
            "--to-empty",
        ],
    )
    .expect(
        1,
        &[
            "error[scratch-database-unavailable]",
            "20260102000000_second/migration.sql line 2",
        ],
    );
}

/// A DO block that sleeps only in a scratch database, so that deploy runs it at once and the
/// replay of `migrate status` is still running when the signal comes.
const SLEEPS_IN_A_SCRATCH_DATABASE: &str = "DO $$ BEGIN IF current_database() LIKE 'comon_scratch_%' THEN PERFORM pg_sleep(600); END IF; END $$;\n";

#[test]
fn sigint_during_a_postgresql_replay_drops_the_scratch_database_and_exits_130() {
    let project = prisma_project(Provider::Postgresql, SLEEPS_IN_A_SCRATCH_DATABASE);
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    // The scratch connection keeps the URL's application_name, which tells this test's replay
    // from any other on the server.
    let application = format!("replay_{}", project.database.postgres_name());
    let url = format!("{}?application_name={application}", project.database.url());
    let status = spawn_comon(
        project.path(),
        &[("DATABASE_URL", url.as_str())],
        &["migrate", "status"],
    );
    let pid = status.id();
    let mut scratch_name = None;
    let sleeping = eventually(Duration::from_secs(60), || {
        scratch_name = project
            .database
            .column(&format!(
                "SELECT datname FROM pg_stat_activity WHERE application_name = '{application}' AND datname LIKE 'comon_scratch_%' AND query LIKE '%pg_sleep(600)%'"
            ))
            .into_iter()
            .flatten()
            .next();
        scratch_name.is_some()
    });
    let signalled = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill runs");
    let run = wait_at_most(
        status,
        Duration::from_secs(60),
        "migrate status after SIGINT",
    );
    assert!(
        sleeping,
        "the replay was running in a scratch database\n{run:?}"
    );
    assert!(signalled.success());
    run.expect(130, &["error[interrupted]"]);
    let scratch_name = scratch_name.unwrap_or_default();
    let remaining = project.database.count(&format!(
        "SELECT COUNT(*) FROM pg_database WHERE datname = '{scratch_name}'"
    ));
    assert_eq!(
        remaining, 0,
        "the scratch database {scratch_name} is dropped after SIGINT"
    );
}

const WITH_POSTS: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  role  Role    @default(MEMBER)\n  posts Post[]\n}\n\nenum Role {\n  MEMBER\n  ADMIN\n}\n\nmodel Post {\n  id       Int      @id @default(autoincrement())\n  title    String   @default(\"untitled\")\n  body     String?\n  created  DateTime @default(now())\n  author   User     @relation(fields: [authorId], references: [id], onDelete: Cascade)\n  authorId Int\n\n  @@index([title])\n  @@unique([authorId, title])\n}\n";

const WITH_POSTS_CHANGED: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String\n  bio   String?\n  posts Post[]\n}\n\nmodel Post {\n  id       Int      @id @default(autoincrement())\n  title    String   @default(\"untitled\")\n  body     String\n  author   User     @relation(fields: [authorId], references: [id])\n  authorId Int\n\n  @@index([authorId])\n}\n";

/// A history `migrate dev` wrote (new tables, an enum, a changed relation, indexes, columns
/// made required, a dropped column: on PostgreSQL with the online steps) has no finding; a
/// hand edit of a folder's `migration.sql` that the snapshot does not know of is one, naming the
/// folder, as a warning, and as an issue with `--fail-on-script-mismatch`.
fn a_hand_edited_comon_orm_folder_is_a_script_finding(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    project.migrate_dev_to(WITH_POSTS, "posts");
    project
        .database
        .execute("INSERT INTO \"User\" (\"email\", \"name\") VALUES ('a@example.com', 'A')");
    project.write_schema(WITH_POSTS_CHANGED);
    project
        // The enum field `role` and the String field `bio` are no rename candidate (on SQLite
        // both are TEXT, but candidates compare schema types); saying that they are not a
        // rename still answers something, a removed and an added field, so it stays valid.
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "changed",
            "--yes",
            "--no-rename",
            "User.role=bio",
        ])
        .expect(0, &["Your database is now in sync with your schema."]);
    project
        .comon(&["migrate", "status", "--fail-on-script-mismatch"])
        .expect(0, &["Issues: 0"])
        .lacks("migration-sql-");

    // A reviewer adds an index by hand to a folder before it is deployed elsewhere: the
    // snapshot does not have it.
    let folder = project.create_only(
        &format!("{WITH_POSTS_CHANGED}\nmodel Tag {{\n  id Int @id\n}}\n"),
        "tags",
    );
    let sql = project.read_migration_sql(&folder);
    project.write_migration_sql(
        &folder,
        &format!("{sql}\nCREATE INDEX \"Tag_by_hand_idx\" ON \"Tag\" (\"id\");\n"),
    );
    // Status says so before anything runs: the folder is pending (one issue), the finding a
    // warning line, or a second issue on request.
    let finding = format!("migration-sql-differs-from-snapshot | {folder}/migration.sql does not build its after.prisma");
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            &finding,
            "Tag_by_hand_idx",
            "Issues: 1",
            "local-migration-not-applied",
        ],
    );
    project
        .comon(&["migrate", "status", "--fail-on-script-mismatch"])
        .expect(1, &[&finding, "Issues: 2"]);
    let json = project.comon(&["migrate", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&json.stdout).expect("status JSON");
    assert_eq!(
        status["scriptWarnings"][0]["code"], "migration-sql-differs-from-snapshot",
        "{status}"
    );
    assert_eq!(status["scriptWarnings"][0]["migration"], folder.as_str());
    // What deploy would find too late: it runs the folder, compares, and rolls it back.
    project
        .comon(&["migrate", "deploy"])
        .expect(1, &["error[verification-failed]", "Tag_by_hand_idx"]);
}

tests::test_on_each_provider!(a_hand_edited_comon_orm_folder_is_a_script_finding,
    sqlite: a_hand_edited_comon_orm_folder_is_a_script_finding_on_sqlite,
    postgresql: a_hand_edited_comon_orm_folder_is_a_script_finding_on_postgresql);

/// `migrate status` never runs a comon_orm folder's SQL for the check that it builds its
/// `after.prisma`: a folder the interpreter cannot follow (a `DO` block) is a
/// `migration-sql-not-checked` warning while pending, saying why and that deploy checks it, and
/// nothing once applied. Before, status replayed such folders into a scratch database on every
/// call (a `SELECT pg_sleep(600)` in a pending migration made status wait ten minutes). The `DO`
/// block here fails only in a scratch database, so a replay would show.
#[test]
fn status_does_not_run_a_comon_orm_folders_sql_on_postgresql() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS);
    let folder = project.create_only(
        &format!("{USERS}\nmodel Tag {{\n  id Int @id\n}}\n"),
        "tags",
    );
    let sql = project.read_migration_sql(&folder);
    project.write_migration_sql(
        &folder,
        &format!(
            "{sql}\nDO $$ BEGIN IF current_database() LIKE 'comon_scratch_%' THEN RAISE EXCEPTION 'this ran in a scratch database'; END IF; END $$;\n"
        ),
    );
    project
        .comon(&["migrate", "status"])
        .expect(
            1,
            &[
                &format!("migration-sql-not-checked | {folder}/migration.sql was not checked against its after.prisma: the migration SQL interpreter cannot follow {folder}/migration.sql line"),
                "`migrate status` does not run migration SQL",
                "local-migration-not-applied",
            ],
        )
        .lacks("this ran in a scratch database");
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    project
        .comon(&["migrate", "status", "--fail-on-script-mismatch"])
        .expect(0, &["Issues: 0"])
        .lacks("migration-sql-not-checked")
        .lacks("scratch database");
}

/// The generated 200-folder Prisma history of the speed benchmark
/// (`scripts/bench-prisma-status.sh`, BENCHMARKS.md) is read by the interpreter alone: deploy
/// builds it, status checks drift without a scratch database and finds none, and a change to
/// the database is drift.
fn a_long_generated_prisma_history_is_interpreted(provider: Provider) {
    let project = Project::new(provider, USERS);
    tests::prisma_history::write_prisma_history(&project.migrations(), provider, 200)
        .expect("the history is written");
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);
    project
        .comon(&["migrate", "status"])
        .expect(
            0,
            &[
                "Project flavour: prisma",
                "Active migrations: 200",
                "Issues: 0",
            ],
        )
        .lacks("Drift not checked")
        .lacks("scratch database");
    project
        .database
        .execute("ALTER TABLE \"Model150\" ADD COLUMN \"byHand\" INTEGER");
    project
        .comon(&["migrate", "status"])
        .expect(1, &["drift | Drift detected", "Model150"]);
}

tests::test_on_each_provider!(a_long_generated_prisma_history_is_interpreted,
    sqlite: a_long_generated_prisma_history_is_interpreted_on_sqlite,
    postgresql: a_long_generated_prisma_history_is_interpreted_on_postgresql);

/// Prisma's own SQL for a mapping fixture (`tests/fixtures/prisma_peer/mapping-rules`).
fn prisma_peer_fixture(name: &str, extension: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/prisma_peer/mapping-rules")
        .join(format!("{name}.{extension}"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// `db pull` of a database built from Prisma's own SQL, in a Prisma project, writes Prisma's
/// type mapping: no `@db.*` attribute where the bare scalar already gives the column
/// (`timestamp(3)`, `decimal(65,30)`, SQLite's `DATETIME`, ...), and the pulled schema describes
/// the database exactly. Pulled with comon_orm's mapping, the same database needs attributes.
fn db_pull_in_a_prisma_project_writes_prismas_type_mapping(provider: Provider) {
    let suffix = match provider {
        Provider::Postgresql => "postgresql",
        Provider::Sqlite => "sqlite",
    };
    for fixture in ["scalar_types_and_enums", "native_types"] {
        let project = Project::new(provider, "");
        project
            .database
            .execute(&prisma_peer_fixture(fixture, &format!("{suffix}.sql")));
        let source_attributes = prisma_peer_fixture(fixture, &format!("{suffix}.prisma"))
            .matches("@db.")
            .count();
        let comon_orm = project.comon(&["db", "pull", "--print", "--flavour", "comon-orm"]);
        comon_orm.expect(0, &[]);
        let prisma = project.comon(&["db", "pull", "--print", "--flavour", "prisma"]);
        prisma.expect(0, &["model "]);
        let pulled_attributes = prisma.stdout.matches("@db.").count();
        assert!(
            pulled_attributes <= source_attributes,
            "{fixture}: {pulled_attributes} @db attributes pulled, the schema Prisma built it from has {source_attributes}\n{}",
            prisma.stdout
        );
        // Every column of this fixture has Prisma's default type for its scalar.
        assert!(
            fixture != "scalar_types_and_enums"
                || comon_orm.stdout.matches("@db.").count() > pulled_attributes,
            "{fixture}: comon_orm's mapping needs more attributes for a Prisma-built database\n{}",
            comon_orm.stdout
        );
        for spurious in ["@db.Timestamp(3)", "@db.Decimal(65, 30)", "@db.DateTime"] {
            assert!(
                !prisma.stdout.contains(spurious),
                "{fixture}: {spurious} is Prisma's default\n{}",
                prisma.stdout
            );
        }
        // The schema written into the project describes the database exactly.
        project
            .comon(&["db", "pull", "--flavour", "prisma"])
            .expect(0, &["Introspected"]);
        project
            .comon(&[
                "migrate",
                "diff",
                "--from-database",
                "--to-schema",
                "prisma/schema.prisma",
                "--flavour",
                "prisma",
            ])
            .expect(0, &["No schema differences detected."]);
    }
}

tests::test_on_each_provider!(db_pull_in_a_prisma_project_writes_prismas_type_mapping,
    sqlite: db_pull_in_a_prisma_project_writes_prismas_type_mapping_on_sqlite,
    postgresql: db_pull_in_a_prisma_project_writes_prismas_type_mapping_on_postgresql);
