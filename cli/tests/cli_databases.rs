//! `db push`, `db pull` and `db execute`, and interoperation with comon_orm: a migrations
//! folder and a history table written the way comon_orm writes them are read correctly, and
//! the table is upgraded in place.

mod support;

use sha2::{Digest, Sha256};
use support::{Project, Provider, USERS, USERS_AND_POSTS};
use tests::test_on_each_provider;

fn push_and_pull(provider: Provider) {
    let project = Project::new(provider, USERS_AND_POSTS);
    project.comon(&["db", "push"]).expect(
        0,
        &["Your database is now in sync with your Prisma schema."],
    );
    project.comon(&["db", "push"]).expect(
        0,
        &["Your database is already in sync with your Prisma schema."],
    );
    let history_tables = match provider {
        Provider::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE name = '_comon_orm_migrations'",
        Provider::Postgresql => "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_comon_orm_migrations'",
    };
    assert_eq!(
        project.database.count(history_tables),
        0,
        "db push keeps no history"
    );
    project
        .database
        .execute("INSERT INTO \"User\" (\"email\") VALUES ('a@example.com')");
    project
        .database
        .execute("INSERT INTO \"Post\" (\"title\", \"authorId\") VALUES ('t', 1)");

    // Pull into a schema that has only its datasource: the round trip converges.
    let pulled = Project {
        directory: tempfile::tempdir().expect("folder"),
        provider,
        database: support::TemporaryDatabase::new(provider),
    };
    pulled.write_schema("");
    let url = project.database.url();
    pulled
        .comon_with_url(&url, &["db", "pull", "--print"])
        .expect(0, &["datasource db {", "model User {", "model Post {"]);
    pulled.comon_with_url(&url, &["db", "pull"]).expect(
        0,
        &["Introspected 2 models and 0 enums and wrote them into prisma/schema.prisma."],
    );
    let text = pulled.read("prisma/schema.prisma");
    assert!(
        text.contains("env(\"DATABASE_URL\")"),
        "the datasource block is kept:\n{text}"
    );
    pulled.comon_with_url(&url, &["validate"]).expect(0, &[]);
    pulled
        .comon_with_url(
            &url,
            &[
                "migrate",
                "diff",
                "--from-schema",
                "prisma/schema.prisma",
                "--to-database",
                "--exit-code",
            ],
        )
        .expect(0, &["No schema differences detected."]);
    pulled.comon_with_url(&url, &["db", "push"]).expect(
        0,
        &["Your database is already in sync with your Prisma schema."],
    );

    // Dropping a model with rows loses data: refused without the flag.
    project.write_schema(USERS);
    project.comon(&["db", "push"]).expect(
        1,
        &[
            "Potential data loss: model Post is removed from the target schema.",
            "error[data-loss]",
            "--accept-data-loss",
        ],
    );
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"Post\""), 1);
    project.comon(&["db", "push", "--accept-data-loss"]).expect(
        0,
        &["Your database is now in sync with your Prisma schema."],
    );
    project
        .comon(&["db", "push", "--force-reset"])
        .expect(0, &["The database was reset.", "now in sync"]);
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"User\""), 0);

    // db execute: one transaction, split by a real tokenizer (the `;` in the string stays).
    project.write("script.sql", "INSERT INTO \"User\" (\"email\") VALUES ('semi;colon@example.com');\n-- a comment; with a semicolon\nINSERT INTO \"User\" (\"email\") VALUES ('b@example.com');\n");
    project
        .comon(&["db", "execute", "--file", "script.sql"])
        .expect(0, &["Script executed successfully."]);
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"User\""), 2);
    project.write("broken.sql", "INSERT INTO \"User\" (\"email\") VALUES ('c@example.com');\nINSERT INTO \"Missing\" VALUES (1);\n");
    project
        .comon(&["db", "execute", "--file", "broken.sql"])
        .expect(
        1,
        &[
            "error[statement-failed]",
            "broken.sql failed at statement 2 of 2 (line 2: `INSERT INTO \"Missing\" VALUES (1)`)",
        ],
    );
    assert_eq!(
        project.database.count("SELECT COUNT(*) FROM \"User\""),
        2,
        "a failed script changes nothing"
    );
}

test_on_each_provider!(
    push_and_pull,
    sqlite: db_push_pull_and_execute_on_sqlite,
    postgresql: db_push_pull_and_execute_on_postgresql,
);

/// comon_orm's checksum, computed here from its definition rather than with the planner: the
/// sha256 of `{"provider","beforeSchema","afterSchema","migrationSql","warnings","requiresRebuild"}`.
fn comon_orm_checksum(
    provider: &str,
    before: &str,
    after: &str,
    sql: &str,
    requires_rebuild: bool,
) -> String {
    let payload = format!(
        "{{\"provider\":{},\"beforeSchema\":{},\"afterSchema\":{},\"migrationSql\":{},\"warnings\":[],\"requiresRebuild\":{requires_rebuild}}}",
        serde_json::Value::from(provider),
        serde_json::Value::from(before),
        serde_json::Value::from(after),
        serde_json::Value::from(sql)
    );
    Sha256::digest(payload.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `schemaToSource` of comon_orm: properties as `key = value`, fields as `name type attributes`.
fn comon_orm_schema_source(provider: &str, models: &str) -> String {
    format!("datasource db {{\n  provider = \"{provider}\"\n  url = env(\"DATABASE_URL\")\n}}\n\n{models}")
}

fn comon_orm_metadata(
    name: &str,
    statement_count: usize,
    rebuild: bool,
    provider: &str,
    checksum: &str,
) -> String {
    format!(
        "name={name}\ngenerated_at=2024-05-01T10:00:00.000Z\nstatement_count={statement_count}\nrebuild_required={rebuild}\nwarning_count=0\nprovider={provider}\nchecksum={checksum}\n"
    )
}

fn comon_orm_interop(provider: Provider) {
    let name = provider.as_str();
    let project = Project::new(provider, USERS);
    let first_after = comon_orm_schema_source(name, "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n  name String?\n}\n");
    let second_after = comon_orm_schema_source(
        name,
        "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n  name String?\n  posts Post[]\n}\n\nmodel Post {\n  id Int @id @default(autoincrement())\n  title String\n  author User @relation(fields: [authorId], references: [id])\n  authorId Int\n}\n",
    );
    project.write_schema("");
    project.write("comon_orm/first.prisma", &first_after);
    let script = project.comon(&[
        "migrate",
        "diff",
        "--from-empty",
        "--to-schema",
        "comon_orm/first.prisma",
        "--script",
    ]);
    script.expect(0, &[]);
    let first_sql = script.stdout.clone();

    // The folders comon_orm writes: the first from an empty database (its before.prisma is
    // empty), the second a rebuild whose migration.sql is only the placeholder comment.
    let first = "20240501100000_init";
    let second = "20240502100000_posts";
    let placeholder = "-- Schema rebuild required to apply this migration safely.\n";
    let first_checksum = comon_orm_checksum(name, "", &first_after, &first_sql, false);
    let second_checksum = comon_orm_checksum(name, &first_after, &second_after, placeholder, true);
    let statement_count = first_sql.matches(";\n").count();
    project.write(
        &format!("prisma/migrations/{first}/migration.sql"),
        &first_sql,
    );
    project.write(
        &format!("prisma/migrations/{first}/metadata.txt"),
        &comon_orm_metadata(first, statement_count, false, name, &first_checksum),
    );
    project.write(&format!("prisma/migrations/{first}/before.prisma"), "");
    project.write(
        &format!("prisma/migrations/{first}/after.prisma"),
        &first_after,
    );
    project.write(
        &format!("prisma/migrations/{second}/migration.sql"),
        placeholder,
    );
    project.write(
        &format!("prisma/migrations/{second}/metadata.txt"),
        &comon_orm_metadata(second, 0, true, name, &second_checksum),
    );
    project.write(
        &format!("prisma/migrations/{second}/before.prisma"),
        &first_after,
    );
    project.write(
        &format!("prisma/migrations/{second}/after.prisma"),
        &second_after,
    );
    project.write_schema("model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  posts Post[]\n}\n\nmodel Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  author   User   @relation(fields: [authorId], references: [id])\n  authorId Int\n}\n");

    // The history table as comon_orm creates it, with the first migration applied by comon_orm.
    let (timestamp_type, boolean_type, false_value) = match provider {
        Provider::Postgresql => ("TIMESTAMPTZ", "BOOLEAN NOT NULL DEFAULT FALSE", "FALSE"),
        Provider::Sqlite => ("TEXT", "INTEGER NOT NULL DEFAULT 0", "0"),
    };
    project.database.execute(&format!(
        "CREATE TABLE IF NOT EXISTS \"_comon_orm_migrations\" (name TEXT PRIMARY KEY, applied_at {timestamp_type} NOT NULL, statement_count INTEGER NOT NULL, kind TEXT NOT NULL DEFAULT 'apply', target_name TEXT, provider TEXT, checksum TEXT, before_schema TEXT, after_schema TEXT, warnings TEXT, rebuild_required {boolean_type})"
    ));
    project.database.execute(&first_sql);
    let quote = |text: &str| format!("'{}'", text.replace('\'', "''"));
    project.database.execute(&format!(
        "INSERT INTO \"_comon_orm_migrations\" (name, applied_at, statement_count, kind, target_name, provider, checksum, before_schema, after_schema, warnings, rebuild_required) VALUES ('{first}', '2024-05-01T10:00:00.123Z', {statement_count}, 'apply', NULL, '{name}', '{first_checksum}', '', {}, '[]', {false_value})",
        quote(&first_after)
    ));

    // Read as it is: the checksum matches, the placeholder migration is pending, nothing upgraded.
    project.comon(&["migrate", "status"]).expect(
        1,
        &[
            "Active migrations: 1",
            "Local migrations: 2",
            "Issues: 1",
            &format!("local-migration-not-applied | Local migration {second} exists"),
        ],
    );
    let id_columns = match provider {
        Provider::Postgresql => "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = '_comon_orm_migrations' AND column_name = 'id'",
        Provider::Sqlite => "SELECT COUNT(*) FROM pragma_table_info('_comon_orm_migrations') WHERE name = 'id'",
    };
    assert_eq!(
        project.database.count(id_columns),
        0,
        "status does not change the table"
    );

    // Deploy plans the placeholder to its after.prisma, and upgrades the table in place.
    project.comon(&["migrate", "deploy"]).expect(
        0,
        &[
            "2 migrations found in prisma/migrations",
            &format!("Applying migration `{second}`"),
            "All migrations have been successfully applied.",
        ],
    );
    assert_eq!(project.database.count(id_columns), 1);
    assert_eq!(
        project.database.column(&format!(
            "SELECT CAST(id AS TEXT) FROM \"_comon_orm_migrations\" WHERE name = '{first}'"
        )),
        vec![Some("1".to_string())]
    );
    project
        .comon(&["migrate", "status"])
        .expect(0, &["Active migrations: 2", "Issues: 0"]);

    // comon_orm can still read the table and add rows the way it does.
    project.database.column("SELECT name, applied_at, statement_count, kind, target_name, provider, checksum, before_schema, after_schema, warnings, rebuild_required FROM \"_comon_orm_migrations\" ORDER BY applied_at ASC, name ASC");

    // The weak spot fixed: a rolled-back migration is applied again under the same name.
    project.comon(&["migrate", "rollback"]).expect(
        0,
        &["Rolled back: true", &format!("Target migration: {second}")],
    );
    project
        .comon(&["migrate", "deploy"])
        .expect(0, &[&format!("Applying migration `{second}`")]);
    project.expect_no_status_issues();
    project.database.execute(&format!(
        "INSERT INTO \"_comon_orm_migrations\" (name, applied_at, statement_count, kind, target_name, provider, checksum, before_schema, after_schema, warnings, rebuild_required) VALUES ('{second}_rollback_1', '2999-01-01T00:00:00.000Z', 0, 'rollback', '{second}', '{name}', 'x', '', '', '[]', {false_value})"
    ));
    project
        .comon(&["migrate", "status"])
        .expect(1, &["Active migrations: 1", "local-migration-not-applied"]);
}

test_on_each_provider!(
    comon_orm_interop,
    sqlite: comon_orm_folders_and_history_are_read_and_upgraded_on_sqlite,
    postgresql: comon_orm_folders_and_history_are_read_and_upgraded_on_postgresql,
);
