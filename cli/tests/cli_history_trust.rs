//! What the history promises holds: transaction-control statements in `migration.sql` and in
//! `db execute` scripts, the check after apply, rollback of exactly one migration, the first
//! `migrate dev` on a database that already has tables, `status` reading one snapshot, invalid
//! folders, `migrate dev` writing its folder atomically, and errors that name the migration and
//! the statement that failed. Every scenario runs on SQLite and on PostgreSQL.

mod support;

use support::{
    diff_from_empty_to_schema, spawn_comon, wait, Project, Provider, TemporaryDatabase, USERS,
    USERS_AND_POSTS,
};
use tests::test_on_each_provider;

const WITH_TAGS: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  posts Post[]\n}\n\nmodel Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  author   User   @relation(fields: [authorId], references: [id])\n  authorId Int\n\n  @@index([title])\n}\n\nmodel Tag {\n  id    Int    @id @default(autoincrement())\n  label String\n}\n";

const WITH_COMMENTS: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  posts Post[]\n}\n\nmodel Post {\n  id       Int       @id @default(autoincrement())\n  title    String\n  author   User      @relation(fields: [authorId], references: [id])\n  authorId Int\n  comments Comment[]\n\n  @@index([title])\n}\n\nmodel Comment {\n  id     Int    @id @default(autoincrement())\n  body   String\n  post   Post   @relation(fields: [postId], references: [id])\n  postId Int\n}\n";

const USERS_AND_TAGS: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n}\n\nmodel Tag {\n  id    Int    @id @default(autoincrement())\n  label String\n}\n";

fn table_exists(project: &Project, table: &str) -> bool {
    let sql = match project.provider {
        Provider::Sqlite => {
            format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
        }
        Provider::Postgresql => {
            format!("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{table}'")
        }
    };
    project.database.count(&sql) == 1
}

fn history_count(project: &Project) -> u64 {
    project
        .database
        .count("SELECT COUNT(*) FROM \"_comon_orm_migrations\"")
}

// ---------------------------------------------------------------------------------------------
// 1. Transaction-control statements.

fn transaction_blocks(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);

    // A wrapping pair, as Prisma writes around enum changes, followed by a failing statement:
    // comon's own transaction makes the whole migration atomic, so nothing stays.
    let posts = project.create_only(USERS_AND_POSTS, "posts");
    let generated = project.read_migration_sql(&posts);
    project.write_migration_sql(
        &posts,
        &format!(
            "-- AlterTable\nBEGIN;\n{generated}COMMIT;\nINSERT INTO \"Missing\" VALUES (1);\n"
        ),
    );
    let failed = project.comon(&["migrate", "deploy"]);
    // The state first: before the fix the block's COMMIT had committed Post on its own.
    assert!(
        !table_exists(&project, "Post"),
        "the wrapped part was rolled back with the rest: {failed:?}"
    );
    assert_eq!(
        history_count(&project),
        1,
        "no row for the failed migration"
    );
    failed.expect(1, &["error[statement-failed]", &posts]);

    // The same pair around the whole migration: dropped, applied in comon's transaction.
    project.write_migration_sql(&posts, &format!("BEGIN TRANSACTION;\n{generated}END;\n"));
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &[&format!("Applying migration `{posts}`")]);
    assert!(table_exists(&project, "Post"));
    project.expect_no_status_issues();

    // A bare COMMIT in the middle: refused before anything runs, naming folder and line.
    let tags = project.create_only(WITH_TAGS, "tags");
    let generated = project.read_migration_sql(&tags);
    project.write_migration_sql(
        &tags,
        &format!("{generated}COMMIT;\nCREATE INDEX \"Tag_label_idx\" ON \"Tag\" (\"label\");\n"),
    );
    let lines = generated.lines().count();
    let refused = project.comon(&["migrate", "deploy"]);
    assert!(!table_exists(&project, "Tag"), "nothing ran: {refused:?}");
    refused.expect(
        1,
        &[
            "error[transaction-control-statement]",
            &format!("{tags}/migration.sql line {}", lines + 1),
            "COMMIT",
        ],
    );
    // A ROLLBACK, and a BEGIN that is never closed, are refused the same way.
    project.write_migration_sql(&tags, &format!("{generated}ROLLBACK;\n"));
    project
        .comon(&["migrate", "deploy"])
        .expect(1, &["error[transaction-control-statement]", "ROLLBACK"]);
    project.write_migration_sql(&tags, &format!("{generated}BEGIN;\nSELECT 1;\n"));
    project
        .comon(&["migrate", "deploy"])
        .expect(1, &["error[transaction-control-statement]", "BEGIN"]);
    assert!(!table_exists(&project, "Tag"));
    assert_eq!(history_count(&project), 2);

    // A trigger body's BEGIN ... END (SQLite) or a function body (PostgreSQL) is no such statement.
    let trigger = match provider {
        Provider::Sqlite => "CREATE TRIGGER \"tag_label\" AFTER INSERT ON \"Tag\" BEGIN UPDATE \"Tag\" SET \"label\" = upper(new.\"label\") WHERE \"id\" = new.\"id\"; END;\n",
        Provider::Postgresql => "CREATE FUNCTION tag_label() RETURNS trigger AS $$ BEGIN NEW.\"label\" := upper(NEW.\"label\"); RETURN NEW; END; $$ LANGUAGE plpgsql;\nCREATE TRIGGER \"tag_label\" BEFORE INSERT ON \"Tag\" FOR EACH ROW EXECUTE FUNCTION tag_label();\n",
    };
    project.write_migration_sql(&tags, &format!("{generated}{trigger}"));
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &[&format!("Applying migration `{tags}`")]);
    project
        .database
        .execute("INSERT INTO \"Tag\" (\"label\") VALUES ('news')");
    assert_eq!(
        project.database.column("SELECT \"label\" FROM \"Tag\""),
        vec![Some("NEWS".to_string())]
    );
    project.expect_no_status_issues();

    // db execute: a wrapping pair is dropped, a bare COMMIT is refused with file and line.
    project.write(
        "wrapped.sql",
        "BEGIN;\nINSERT INTO \"Tag\" (\"label\") VALUES ('a');\nCOMMIT;\n",
    );
    project
        .comon(&["db", "execute", "--file", "wrapped.sql"])
        .expect(0, &["Script executed successfully."]);
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"Tag\""), 2);
    project.write("early.sql", "INSERT INTO \"Tag\" (\"label\") VALUES ('b');\nCOMMIT;\nINSERT INTO \"Missing\" VALUES (1);\n");
    project
        .comon(&["db", "execute", "--file", "early.sql"])
        .expect(
            1,
            &[
                "error[transaction-control-statement]",
                "early.sql line 2",
                "COMMIT",
            ],
        );
    assert_eq!(
        project.database.count("SELECT COUNT(*) FROM \"Tag\""),
        2,
        "nothing of the script ran"
    );
    project.write("wrapped_failing.sql", "BEGIN;\nINSERT INTO \"Tag\" (\"label\") VALUES ('c');\nCOMMIT;\nINSERT INTO \"Missing\" VALUES (1);\n");
    project
        .comon(&["db", "execute", "--file", "wrapped_failing.sql"])
        .expect(1, &["error[statement-failed]"]);
    assert_eq!(
        project.database.count("SELECT COUNT(*) FROM \"Tag\""),
        2,
        "the wrapped insert was rolled back too"
    );
}

test_on_each_provider!(
    transaction_blocks,
    sqlite: transaction_blocks_are_dropped_or_refused_on_sqlite,
    postgresql: transaction_blocks_are_dropped_or_refused_on_postgresql,
);

// ---------------------------------------------------------------------------------------------
// 2. Rollback of exactly one migration.

fn rollback_exactly_one(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    project.migrate_dev_to(USERS_AND_POSTS, "posts");
    let posts = project.migration("posts");
    project.migrate_dev_to(WITH_TAGS, "tags");
    let tags = project.migration("tags");

    // An older migration that a later one does not touch: only its change is undone.
    project
        .comon(&["migrate", "rollback", "--name", &posts])
        .expect(
            0,
            &["Rolled back: true", &format!("Target migration: {posts}")],
        );
    assert!(
        !table_exists(&project, "Post"),
        "the rolled-back migration's table is gone"
    );
    assert!(
        table_exists(&project, "Tag"),
        "the later migration's table stays"
    );
    let status = project.comon(&["migrate", "status"]);
    status
        .expect(
            1,
            &[
                "Issues: 1",
                &format!("local-migration-not-applied | Local migration {posts}"),
            ],
        )
        .lacks("drift |");
    // The next dev applies it again and finds nothing to write: no copy of a later migration.
    project
        .comon(&["migrate", "dev", "--name", "after_rollback"])
        .expect(
            0,
            &[
                &format!("Applying migration `{posts}`"),
                "Already in sync, no schema changes detected.",
            ],
        );
    assert_eq!(
        project.migration_names().len(),
        3,
        "{:?}",
        project.migration_names()
    );
    assert!(table_exists(&project, "Post") && table_exists(&project, "Tag"));
    project.expect_no_status_issues();
    // The latest migration (tags is still the latest by name, posts the latest applied).
    project
        .comon(&["migrate", "rollback"])
        .expect(0, &[&format!("Target migration: {posts}")]);
    project
        .comon(&["migrate", "status"])
        .expect(1, &["Issues: 1"])
        .lacks("drift |");
    project.comon(&["migrate", "deploy"]).expect(0, &[]);
    project
        .comon(&["migrate", "rollback", "--name", &tags])
        .expect(0, &[&format!("Target migration: {tags}")]);
    assert!(!table_exists(&project, "Tag") && table_exists(&project, "Post"));
    project
        .comon(&["migrate", "status"])
        .expect(1, &["Issues: 1"])
        .lacks("drift |");
    project.comon(&["migrate", "deploy"]).expect(0, &[]);

    // A migration a later one depends on (Comment references Post): refused, nothing changes.
    project.migrate_dev_to(WITH_COMMENTS.replace("}\n\nmodel Comment", "}\n\nmodel Tag {\n  id    Int    @id @default(autoincrement())\n  label String\n}\n\nmodel Comment").as_str(), "comments");
    let comments = project.migration("comments");
    project
        .comon(&["migrate", "rollback", "--name", &posts])
        .expect(
            1,
            &[
                "error[rollback-depends-on-later-migrations]",
                &posts,
                &comments,
            ],
        );
    assert!(table_exists(&project, "Post") && table_exists(&project, "Comment"));
    project.expect_no_status_issues();
}

test_on_each_provider!(
    rollback_exactly_one,
    sqlite: rollback_undoes_exactly_one_migration_on_sqlite,
    postgresql: rollback_undoes_exactly_one_migration_on_postgresql,
);

/// Rolling back the latest migration plans from its `after.prisma`: an index made by hand on
/// the database is drift the rollback leaves alone (and reports), not something it drops.
fn rollback_keeps_unrelated_drift(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    project.migrate_dev_to(USERS_AND_TAGS, "tags");
    project
        .database
        .execute("CREATE INDEX \"User_name_by_hand\" ON \"User\" (\"name\")");
    project
        .comon(&["migrate", "rollback"])
        .expect(0, &["Rolled back: true", "User_name_by_hand"]);
    let index_count = match provider {
        Provider::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'User_name_by_hand'"
        }
        Provider::Postgresql => {
            "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'User_name_by_hand'"
        }
    };
    assert_eq!(
        project.database.count(index_count),
        1,
        "the hand-made index is kept"
    );
    assert!(!table_exists(&project, "Tag"));
    project
        .comon(&["migrate", "status"])
        .expect(1, &["drift |"]);

    // Drift on the very table the rollback drops goes with it: said, not silent.
    project.comon(&["migrate", "deploy"]).expect(0, &[]);
    project
        .database
        .execute("CREATE INDEX \"Tag_label_by_hand\" ON \"Tag\" (\"label\")");
    project.comon(&["migrate", "rollback"]).expect(
        0,
        &[
            "Rolled back: true",
            "Left as they were:",
            "User_name_by_hand",
            "Gone, because it changed those objects",
            "Tag_label_by_hand",
        ],
    );
}

test_on_each_provider!(
    rollback_keeps_unrelated_drift,
    sqlite: rollback_keeps_unrelated_drift_on_sqlite,
    postgresql: rollback_keeps_unrelated_drift_on_postgresql,
);

// ---------------------------------------------------------------------------------------------
// 3. The first migrate dev on a database that already has tables.

fn baseline_required(provider: Provider) {
    let project = Project::new(provider, USERS_AND_POSTS);
    project.write(
        "existing.sql",
        "CREATE TABLE \"User\" (\"id\" INTEGER PRIMARY KEY, \"email\" TEXT NOT NULL);\n",
    );
    project
        .comon(&["db", "execute", "--file", "existing.sql"])
        .expect(0, &[]);
    project.comon(&["migrate", "dev", "--name", "init"]).expect(
        1,
        &[
            "error[baseline-required]",
            "`comon migrate baseline` checks that the database matches prisma/schema.prisma",
        ],
    );
    assert!(
        project.migration_names().is_empty(),
        "no folder written: {:?}",
        project.migration_names()
    );

    // The baseline made by hand, as `migrate baseline` makes it (cli_baseline.rs): afterwards
    // dev works, and the history replays on an empty database.
    let adopted = Project::new(provider, USERS);
    adopted.comon(&["db", "push"]).expect(0, &[]);
    adopted
        .comon(&["migrate", "dev", "--name", "init"])
        .expect(1, &["error[baseline-required]"]);
    let baseline = "prisma/migrations/20200101000000_baseline";
    adopted
        .comon(&diff_from_empty_to_schema(&[
            "--script",
            "-o",
            &format!("{baseline}/migration.sql"),
        ]))
        .expect(0, &[]);
    adopted.write(&format!("{baseline}/before.prisma"), "");
    adopted.write(
        &format!("{baseline}/after.prisma"),
        &adopted.schema_text(USERS),
    );
    adopted
        .comon(&["migrate", "resolve", "--applied", "20200101000000_baseline"])
        .expect(0, &[]);
    adopted.expect_no_status_issues();
    adopted.write_schema(USERS_AND_POSTS);
    adopted
        .comon(&["migrate", "dev", "--name", "posts"])
        .expect(0, &["Your database is now in sync with your schema."]);
    let replay = TemporaryDatabase::new(provider);
    adopted
        .comon_with_url(&replay.url(), &["migrate", "deploy"])
        .expect(0, &["All migrations have been successfully applied."]);

    // The history table of comon alone counts as empty.
    let empty = Project::new(provider, USERS);
    empty
        .comon(&["migrate", "deploy"])
        .expect(0, &["No pending migrations to apply."]);
    empty
        .comon(&["migrate", "dev", "--name", "init"])
        .expect(0, &["Your database is now in sync with your schema."]);
}

test_on_each_provider!(
    baseline_required,
    sqlite: the_first_dev_on_a_database_with_tables_requires_a_baseline_on_sqlite,
    postgresql: the_first_dev_on_a_database_with_tables_requires_a_baseline_on_postgresql,
);

// ---------------------------------------------------------------------------------------------
// 4. status reads history and catalog in one snapshot.

/// Many small migrations are deployed by one process while `status` runs again and again on the
/// same database. Each status run sees the history and the catalog of one moment, so none may
/// report drift: before the fix a status that read the history before a commit and the catalog
/// after it did (27 of 440 runs in the report). Measured here with the binary from before the
/// fix, 4 rounds of 60 migrations: 18 of 189 status runs on PostgreSQL and 11 of 29 on SQLite
/// reported drift; after it, 0 of 121 and 0 of 86.
fn status_during_deploy(provider: Provider) {
    const MIGRATIONS: usize = 60;
    const ROUNDS: usize = 3;
    let project = Project::with_init_migration(provider, USERS);
    // One folder made by `migrate dev`, the others copied from it for the next tables.
    let table = |number: usize| {
        format!("\nmodel Table{number} {{\n  id    Int    @id\n  label String\n}}\n")
    };
    let first = project.create_only(&format!("{USERS}{}", table(1)), "table_1");
    let first_sql = project.read_migration_sql(&first);
    let mut models = format!("{USERS}{}", table(1));
    for number in 2..=MIGRATIONS {
        let before = project.schema_text(&models);
        models.push_str(&table(number));
        let folder = format!("prisma/migrations/29990101{number:06}_table_{number}");
        project.write(
            &format!("{folder}/migration.sql"),
            &first_sql.replace("Table1", &format!("Table{number}")),
        );
        project.write(&format!("{folder}/before.prisma"), &before);
        project.write(
            &format!("{folder}/after.prisma"),
            &project.schema_text(&models),
        );
    }
    let mut drift_reports = 0;
    let mut status_runs = 0;
    for _round in 0..ROUNDS {
        let target = TemporaryDatabase::new(provider);
        let url = target.url();
        let environment = [("DATABASE_URL", url.as_str())];
        let deploy = spawn_comon(project.path(), &environment, &["migrate", "deploy"]);
        let deploy_finished = std::sync::atomic::AtomicBool::new(false);
        // Two status loops, so that more status runs overlap the deploy's commits.
        let counts: Vec<(usize, usize)> = std::thread::scope(|scope| {
            let loops: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| {
                        let (mut runs, mut drifts) = (0, 0);
                        loop {
                            let finished =
                                deploy_finished.load(std::sync::atomic::Ordering::SeqCst);
                            let status = project.comon_with_url(&url, &["migrate", "status"]);
                            runs += 1;
                            if status.all().contains("drift |") {
                                drifts += 1;
                            }
                            if finished {
                                return (runs, drifts);
                            }
                        }
                    })
                })
                .collect();
            wait(deploy).expect(0, &[]);
            deploy_finished.store(true, std::sync::atomic::Ordering::SeqCst);
            loops
                .into_iter()
                .map(|status_loop| status_loop.join().expect("status loop"))
                .collect()
        });
        for (runs, drifts) in counts {
            status_runs += runs;
            drift_reports += drifts;
        }
        project.expect_no_status_issues_at(&url);
    }
    println!("{status_runs} status runs during deploys, {drift_reports} reported drift");
    assert_eq!(
        drift_reports, 0,
        "{drift_reports} of {status_runs} status runs during a deploy reported drift"
    );
}

test_on_each_provider!(
    status_during_deploy,
    sqlite: status_during_a_deploy_never_reports_drift_on_sqlite,
    postgresql: status_during_a_deploy_never_reports_drift_on_postgresql,
);

// ---------------------------------------------------------------------------------------------
// 5. The check after apply: what the migration changes must match after.prisma; drift that was
// there before and that the migration leaves alone is reported, not fatal.

fn check_after_apply(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    let posts = project.create_only(USERS_AND_POSTS, "posts");
    project
        .database
        .execute("CREATE INDEX \"User_name_by_hand\" ON \"User\" (\"name\")");

    // A migration.sql that does not produce its after.prisma: rolled back, on both providers.
    let generated = project.read_migration_sql(&posts);
    project.remove_migration_statements(&posts, "CREATE INDEX");
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &[
            "error[verification-failed]",
            &format!("Migration {posts} was rolled back"),
            "index \"Post_title_idx\" on table \"Post\": missing from the database (title)",
        ],
    );
    assert!(!table_exists(&project, "Post"));
    assert_eq!(history_count(&project), 1);

    // The generated one applies despite the hand-made index, which is reported as drift.
    project.write_migration_sql(&posts, &generated);
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[
            &format!("Applying migration `{posts}`"),
            "User_name_by_hand",
        ],
    );
    assert!(table_exists(&project, "Post"));
    project
        .comon(&["migrate", "status"])
        .expect(1, &["drift |"]);

    // A migration of the very table that has the hand-made index (made on a clean database,
    // since dev refuses to plan on drift) applies too: the index is drift it leaves alone.
    let clean = TemporaryDatabase::new(provider);
    project
        .comon_with_url(&clean.url(), &["migrate", "deploy"])
        .expect(0, &[]);
    project.write_schema(
        &USERS_AND_POSTS.replace("  posts Post[]\n", "  bio   String?\n  posts Post[]\n"),
    );
    project
        .comon_with_url(
            &clean.url(),
            &["migrate", "dev", "--name", "bio", "--create-only"],
        )
        .expect(0, &[]);
    let bio = project.migration("bio");
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[&format!("Applying migration `{bio}`"), "User_name_by_hand"],
    );
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM \"User\" WHERE \"bio\" IS NULL"),
        0,
        "the column exists (and the table is empty)"
    );
}

test_on_each_provider!(
    check_after_apply,
    sqlite: the_check_after_apply_ignores_earlier_drift_and_runs_on_sqlite,
    postgresql: the_check_after_apply_ignores_earlier_drift_on_postgresql,
);

// ---------------------------------------------------------------------------------------------
// 6. Folders whose snapshots or metadata cannot be read.

fn invalid_folders(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    let posts = project.create_only(USERS_AND_POSTS, "posts");
    let folder = format!("prisma/migrations/{posts}");
    let after = project.read(&format!("{folder}/after.prisma"));
    let before = project.read(&format!("{folder}/before.prisma"));
    let metadata = project.read(&format!("{folder}/metadata.txt"));

    project.write(
        &format!("{folder}/after.prisma"),
        &after.replace("title    String", "title    Strin g"),
    );
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            &format!("invalid-local-artifacts | Migration artifact \"{posts}\""),
            "after.prisma:",
        ],
    );
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &["error[invalid-local-artifacts]", &posts, "after.prisma:"],
    );
    project
        .comon(&["migrate", "dev", "--name", "more"])
        .expect(1, &["invalid-local-artifacts"]);
    assert!(!table_exists(&project, "Post"), "nothing applied");
    project.write(&format!("{folder}/after.prisma"), &after);

    project.write(
        &format!("{folder}/before.prisma"),
        &format!("{before}model {{\n"),
    );
    project
        .comon(&["migrate", "status"])
        .expect(1, &["invalid-local-artifacts |", "before.prisma:"]);
    project
        .comon(&["migrate", "deploy"])
        .expect(1, &["error[invalid-local-artifacts]", "before.prisma:"]);
    project.write(&format!("{folder}/before.prisma"), &before);

    project.write(
        &format!("{folder}/metadata.txt"),
        &metadata.replace("statement_count=", "statement_count=x"),
    );
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            "invalid-local-artifacts |",
            "metadata.txt line 3",
            "statement_count",
        ],
    );
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &["error[invalid-local-artifacts]", "metadata.txt line 3"],
    );
    assert!(!table_exists(&project, "Post"), "nothing applied");
    project
        .comon(&["migrate", "resolve", "--applied", &posts])
        .expect(
            1,
            &["error[invalid-local-artifacts]", "metadata.txt line 3"],
        );
    project.write(&format!("{folder}/metadata.txt"), &metadata);
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &[&format!("Applying migration `{posts}`")]);
    project.expect_no_status_issues();
}

test_on_each_provider!(
    invalid_folders,
    sqlite: folders_with_unreadable_snapshots_are_invalid_on_sqlite,
    postgresql: folders_with_unreadable_snapshots_are_invalid_on_postgresql,
);

// ---------------------------------------------------------------------------------------------
// 7. migrate dev writes its folder atomically, and says what to do when the apply fails.

/// `migrate dev` with a file size limit of 64 KiB (`ulimit -f 128` blocks of 512 bytes, more
/// than the database files need): the write of an `after.prisma` larger than that stops the
/// process half-way (SIGXFSZ), as a full disk or a crash would.
fn dev_with_small_file_limit(project: &Project, name: &str) -> support::Run {
    let url = project.database.url();
    let mut command = std::process::Command::new("sh");
    command
        .current_dir(project.path())
        .args([
            "-c",
            "ulimit -f 128 && exec \"$0\" migrate dev --name \"$1\"",
            support::COMON,
            name,
        ])
        .env("DATABASE_URL", &url)
        .stdin(std::process::Stdio::null());
    let output = command.output().expect("sh runs");
    support::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn dev_folder_writes(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    let long_comment: String = (0..3000)
        .map(|line| format!("// A long comment to make the schema large, line {line}.\n"))
        .collect();
    project.write_schema(&format!("{long_comment}{WITH_COMMENTS}"));
    let interrupted = dev_with_small_file_limit(&project, "comments");
    assert_ne!(
        interrupted.code, 0,
        "the write was cut short: {interrupted:?}"
    );
    let names = project.migration_names();
    assert!(
        names.iter().any(|name| name.starts_with('.')),
        "the interrupted write had begun: {names:?}"
    );
    let visible: Vec<&String> = names.iter().filter(|name| !name.starts_with('.')).collect();
    assert_eq!(visible.len(), 1, "no partial folder is visible: {names:?}");
    project.expect_no_status_issues();
    project
        .comon(&["migrate", "dev", "--name", "comments"])
        .expect(0, &["Your database is now in sync with your schema."]);
    assert!(table_exists(&project, "Comment"));

    // The generated migration fails on the data (duplicate names for a new unique index): the
    // folder is kept, and both this run and the next say what to do with it.
    project.database.execute("INSERT INTO \"User\" (\"email\", \"name\") VALUES ('a@example.com', 'Ada'), ('b@example.com', 'Ada')");
    project.write_schema(&WITH_COMMENTS.replace("  name  String?\n", "  name  String? @unique\n"));
    let failed = project.comon(&["migrate", "dev", "--name", "unique_name", "--yes"]);
    failed.expect(
        1,
        &[
            "error[statement-failed]",
            "_unique_name",
            "was kept",
            "edit its migration.sql",
            "delete the folder",
        ],
    );
    let unique_name = project.migration("unique_name");
    assert_eq!(
        history_count(&project),
        2,
        "the failed migration is not recorded"
    );
    project
        .comon(&["migrate", "dev", "--name", "other"])
        .expect(
            1,
            &[
                "error[statement-failed]",
                &unique_name,
                "edit its migration.sql",
                "delete the folder",
            ],
        );
    std::fs::remove_dir_all(project.migrations().join(&unique_name)).expect("folder removed");
    project.write_schema(WITH_COMMENTS);
    project
        .comon(&["migrate", "dev", "--name", "nothing"])
        .expect(0, &["Already in sync"]);
}

test_on_each_provider!(
    dev_folder_writes,
    sqlite: dev_writes_its_folder_atomically_on_sqlite,
    postgresql: dev_writes_its_folder_atomically_on_postgresql,
);

// ---------------------------------------------------------------------------------------------
// 8. Errors name the migration, the statement (position, line, first line) and the database's
// message.

fn statement_errors(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS);
    let posts = project.create_only(USERS_AND_POSTS, "posts");
    project.write_migration_sql(&posts, "-- First a table.\nCREATE TABLE \"Scratch\" (\"id\" INTEGER PRIMARY KEY);\n\n-- Then a mistake.\nINSERT INTO \"Missing\"\n  VALUES (1);\nSELECT 1;\n",
    );
    let missing = match provider {
        Provider::Sqlite => "no such table: Missing",
        Provider::Postgresql => "relation \"Missing\" does not exist",
    };
    project.comon(&["migrate", "deploy"]).expect(
        1,
        &[
            "error[statement-failed]",
            &format!("Migration {posts} failed at statement 2 of 3 (migration.sql line 5: `INSERT INTO \"Missing\"`)"),
            missing,
            "rolled back",
        ],
    );
    project.write(
        "broken.sql",
        "SELECT 1;\n\nINSERT INTO \"Missing\" VALUES (1);\n",
    );
    project
        .comon(&["db", "execute", "--file", "broken.sql"])
        .expect(
        1,
        &[
            "error[statement-failed]",
            "broken.sql failed at statement 2 of 2 (line 3: `INSERT INTO \"Missing\" VALUES (1)`)",
            missing,
        ],
    );
}

test_on_each_provider!(
    statement_errors,
    sqlite: statement_errors_name_migration_statement_and_line_on_sqlite,
    postgresql: statement_errors_name_migration_statement_and_line_on_postgresql,
);

/// A rollback whose statement fails names the rollback, the statement and the database's
/// message, and changes nothing (PostgreSQL: a view made by hand depends on the table).
#[test]
fn a_failing_rollback_names_its_statement_on_postgresql() {
    let project = Project::with_init_migration(Provider::Postgresql, USERS);
    project.migrate_dev_to(USERS_AND_TAGS, "tags");
    let tags = project.migration("tags");
    project
        .database
        .execute("CREATE VIEW \"tag_labels\" AS SELECT \"label\" FROM \"Tag\"");
    project.comon(&["migrate", "rollback"]).expect(
        1,
        &[
            "error[statement-failed]",
            &format!("Rollback of {tags} failed at statement 1 of 1 (`DROP TABLE \"Tag\"`)"),
            "depend",
            "It was rolled back: nothing of it was applied, and it is not recorded.",
        ],
    );
    assert!(table_exists(&project, "Tag"));
    project.expect_no_status_issues();
}
