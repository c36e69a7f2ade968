use super::*;
use crate::database_schema::{ColumnDefault, ColumnTypeKind, DefaultValue, ReferentialAction};
use crate::migrations::script::STATEMENT_EXCERPT_CHARACTERS;
use crate::types::PostgresColumnType;

fn interpret(provider: Provider, sql: &str) -> InterpretedMigration {
    interpret_migration(provider, DatabaseSchema::empty(provider), sql, "test")
        .unwrap_or_else(|error| panic!("{error}"))
}

fn enum_values(schema: &DatabaseSchema, name: &str) -> Vec<String> {
    schema
        .enums
        .iter()
        .find(|enumeration| enumeration.name == name)
        .map(|enumeration| {
            enumeration
                .values
                .iter()
                .map(|value| value.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn postgresql_create_table_reads_types_defaults_and_keys() {
    let interpreted = interpret(
        Provider::Postgresql,
        r#"
        CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
        CREATE TABLE "User" (
            "id" SERIAL NOT NULL,
            "email" TEXT NOT NULL,
            "role" "Role" NOT NULL DEFAULT 'USER',
            "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
            "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
            "score" DECIMAL(65,30),
            CONSTRAINT "User_pkey" PRIMARY KEY ("id")
        );
        CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
        "#,
    );
    let table = interpreted.schema.table("User").expect("the table exists");
    let id = table.column("id").unwrap();
    assert!(id.auto_increment && !id.nullable && id.default.is_none());
    let role = table.column("role").unwrap();
    assert_eq!(
        role.column_type.kind,
        ColumnTypeKind::Enum("Role".to_string())
    );
    assert_eq!(
        role.default,
        Some(ColumnDefault::Value(DefaultValue::String(
            "USER".to_string()
        )))
    );
    let tags = table.column("tags").unwrap();
    assert!(tags.column_type.is_array && tags.nullable);
    assert_eq!(
        tags.default,
        Some(ColumnDefault::Value(DefaultValue::List(Vec::new())))
    );
    let created_at = table.column("createdAt").unwrap();
    assert_eq!(
        created_at.column_type.kind,
        ColumnTypeKind::Postgres(PostgresColumnType::Timestamp {
            precision: Some(3),
            with_time_zone: false
        })
    );
    assert_eq!(created_at.default, Some(ColumnDefault::Now));
    assert_eq!(
        table.column("score").unwrap().column_type.kind,
        ColumnTypeKind::Postgres(PostgresColumnType::Numeric {
            precision_scale: Some((65, 30))
        })
    );
    assert_eq!(
        table
            .primary_key
            .as_ref()
            .and_then(|key| key.name.as_deref()),
        Some("User_pkey")
    );
    assert_eq!(table.indexes.len(), 1);
    assert!(table.indexes[0].unique);
    assert!(interpreted.skipped.is_empty());
}

#[test]
fn postgresql_unnamed_constraints_get_the_database_default_names() {
    let interpreted = interpret(
        Provider::Postgresql,
        r#"
        CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
        CREATE TABLE child (id INT PRIMARY KEY, parent_id INT REFERENCES parent ON DELETE CASCADE);
        CREATE INDEX ON child (parent_id);
        "#,
    );
    let parent = interpreted.schema.table("parent").unwrap();
    assert_eq!(
        parent.primary_key.as_ref().unwrap().name.as_deref(),
        Some("parent_pkey")
    );
    assert_eq!(parent.indexes[0].name, "parent_code_key");
    let child = interpreted.schema.table("child").unwrap();
    let foreign_key = &child.foreign_keys[0];
    assert_eq!(foreign_key.name.as_deref(), Some("child_parent_id_fkey"));
    assert_eq!(foreign_key.referenced_columns, vec!["id".to_string()]);
    assert_eq!(foreign_key.on_delete, ReferentialAction::Cascade);
    assert_eq!(foreign_key.on_update, ReferentialAction::NoAction);
    assert_eq!(child.indexes[0].name, "child_parent_id_idx");
}

#[test]
fn prisma_enum_recreation_and_value_changes_are_followed() {
    let interpreted = interpret(
        Provider::Postgresql,
        r#"
        CREATE TYPE "Status" AS ENUM ('open', 'closed');
        CREATE TABLE "Poll" ("id" TEXT NOT NULL, "status" "Status" NOT NULL DEFAULT 'open');
        BEGIN;
        CREATE TYPE "Status_new" AS ENUM ('live', 'closed');
        ALTER TABLE "Poll" ALTER COLUMN "status" DROP DEFAULT;
        ALTER TABLE "Poll" ALTER COLUMN "status" TYPE "Status_new" USING ("status"::text::"Status_new");
        ALTER TYPE "Status" RENAME TO "Status_old";
        ALTER TYPE "Status_new" RENAME TO "Status";
        DROP TYPE "Status_old";
        ALTER TABLE "Poll" ALTER COLUMN "status" SET DEFAULT 'live';
        COMMIT;
        ALTER TYPE "Status" ADD VALUE 'draft' BEFORE 'live';
        ALTER TYPE "Status" ADD VALUE 'archived' AFTER 'closed';
        ALTER TYPE "Status" ADD VALUE IF NOT EXISTS 'draft';
        ALTER TYPE "Status" RENAME VALUE 'live' TO 'running';
        "#,
    );
    assert_eq!(
        enum_values(&interpreted.schema, "Status"),
        vec!["draft", "running", "closed", "archived"]
    );
    assert_eq!(interpreted.schema.enums.len(), 1);
    let status = interpreted
        .schema
        .table("Poll")
        .unwrap()
        .column("status")
        .unwrap();
    assert_eq!(
        status.column_type.kind,
        ColumnTypeKind::Enum("Status".to_string())
    );
    assert_eq!(
        status.default,
        Some(ColumnDefault::Value(DefaultValue::String(
            "running".to_string()
        )))
    );
}

#[test]
fn renames_are_followed_by_keys_indexes_and_references() {
    let interpreted = interpret(
        Provider::Postgresql,
        r#"
        CREATE TABLE "a" ("id" TEXT NOT NULL, CONSTRAINT "a_pkey" PRIMARY KEY ("id"));
        CREATE TABLE "b" ("id" TEXT NOT NULL, "a_id" TEXT NOT NULL,
            CONSTRAINT "b_a_id_fkey" FOREIGN KEY ("a_id") REFERENCES "a"("id") ON DELETE RESTRICT ON UPDATE CASCADE);
        CREATE INDEX "b_a_id_idx" ON "b" USING HASH ("a_id");
        ALTER TABLE "a" RENAME TO "alpha";
        ALTER TABLE "alpha" RENAME COLUMN "id" TO "key";
        ALTER TABLE "b" RENAME COLUMN "a_id" TO "alpha_id";
        ALTER TABLE "alpha" RENAME CONSTRAINT "a_pkey" TO "alpha_pkey";
        ALTER INDEX "b_a_id_idx" RENAME TO "b_alpha_id_idx";
        "#,
    );
    let alpha = interpreted.schema.table("alpha").unwrap();
    assert_eq!(
        alpha.primary_key.as_ref().unwrap(),
        &crate::database_schema::PrimaryKey {
            name: Some("alpha_pkey".to_string()),
            columns: vec!["key".to_string()]
        }
    );
    let b = interpreted.schema.table("b").unwrap();
    assert_eq!(b.foreign_keys[0].referenced_table, "alpha");
    assert_eq!(
        b.foreign_keys[0].referenced_columns,
        vec!["key".to_string()]
    );
    assert_eq!(b.foreign_keys[0].columns, vec!["alpha_id".to_string()]);
    assert_eq!(b.indexes[0].name, "b_alpha_id_idx");
    assert_eq!(b.indexes[0].columns[0].name, "alpha_id");
    assert_eq!(b.indexes[0].algorithm.as_deref(), Some("hash"));
}

#[test]
fn dropping_a_column_drops_its_indexes_and_foreign_keys() {
    let interpreted = interpret(
        Provider::Postgresql,
        r#"
        CREATE TABLE "a" ("id" TEXT PRIMARY KEY, "code" TEXT);
        CREATE TABLE "b" ("id" TEXT, "code" TEXT, FOREIGN KEY ("code") REFERENCES "a"("code"));
        CREATE UNIQUE INDEX "a_code_key" ON "a"("code");
        ALTER TABLE "a" DROP COLUMN "code" CASCADE;
        "#,
    );
    assert!(interpreted.schema.table("a").unwrap().indexes.is_empty());
    assert!(interpreted
        .schema
        .table("b")
        .unwrap()
        .foreign_keys
        .is_empty());
}

#[test]
fn sqlite_table_rebuilds_keep_names_and_autoindexes() {
    let interpreted = interpret(
        Provider::Sqlite,
        r#"
        CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL UNIQUE);
        CREATE TABLE "Share" ("id" TEXT NOT NULL PRIMARY KEY, "userId" INTEGER,
            CONSTRAINT "Share_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
        PRAGMA foreign_keys=OFF;
        CREATE TABLE "new_User" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL UNIQUE, "name" TEXT);
        INSERT INTO "new_User" ("id", "email") SELECT "id", "email" FROM "User";
        DROP TABLE "User";
        ALTER TABLE "new_User" RENAME TO "User";
        CREATE UNIQUE INDEX "User_name_key" ON "User"("name");
        PRAGMA foreign_key_check;
        PRAGMA foreign_keys=ON;
        "#,
    );
    assert_eq!(interpreted.data_statements, 1);
    assert!(interpreted.skipped.is_empty(), "{:?}", interpreted.skipped);
    let user = interpreted.schema.table("User").unwrap();
    assert!(user.column("id").unwrap().auto_increment);
    assert!(user.primary_key.as_ref().unwrap().name.is_none());
    let index_names: Vec<&str> = user
        .indexes
        .iter()
        .map(|index| index.name.as_str())
        .collect();
    assert_eq!(
        index_names,
        vec!["User_name_key", "sqlite_autoindex_User_1"]
    );
    let share = interpreted.schema.table("Share").unwrap();
    assert_eq!(share.foreign_keys[0].referenced_table, "User");
    assert!(share.foreign_keys[0].name.is_none());
    assert_eq!(
        share
            .column("id")
            .map(|column| column.column_type.kind.clone()),
        Some(ColumnTypeKind::native("TEXT"))
    );
}

#[test]
fn data_statements_are_counted_and_procedural_code_is_listed() {
    let interpreted = interpret(
        Provider::Postgresql,
        "CREATE TABLE t (id INT);\n\
         INSERT INTO t VALUES (1);\n\
         UPDATE t SET id = 2;\n\
         DELETE FROM t;\n\
         DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$;\n\
         CREATE EXTENSION IF NOT EXISTS citext;\n\
         ALTER TABLE t ADD CONSTRAINT positive CHECK (id > 0);",
    );
    assert_eq!(interpreted.data_statements, 3);
    let lines: Vec<(u64, SkippedEffect)> = interpreted
        .skipped
        .iter()
        .map(|skipped| (skipped.line, skipped.effect))
        .collect();
    assert_eq!(
        lines,
        vec![
            (5, SkippedEffect::MayChangeSchema),
            (6, SkippedEffect::OutsideSchemaModel),
            (7, SkippedEffect::OutsideSchemaModel),
        ]
    );
    assert!(interpreted.needs_replay());
    assert_eq!(interpreted.skipped[0].origin, "test");
    assert!(interpreted.schema.table("t").is_some());
}

#[test]
fn a_statement_on_an_unknown_table_changes_nothing_and_is_listed() {
    let previous = interpret(Provider::Postgresql, "CREATE TABLE t (id INT);").schema;
    let interpreted = interpret_migration(
        Provider::Postgresql,
        previous.clone(),
        "ALTER TABLE t ADD COLUMN a INT, ADD COLUMN b INT;\nALTER TABLE missing ADD COLUMN a INT;",
        "folder",
    )
    .unwrap();
    assert_eq!(interpreted.skipped.len(), 1);
    assert_eq!(interpreted.skipped[0].line, 2);
    assert!(interpreted.needs_replay());
    assert_eq!(interpreted.schema.table("t").unwrap().columns.len(), 3);

    // One failing operation leaves the whole statement unapplied.
    let interpreted = interpret_migration(
        Provider::Postgresql,
        previous,
        "ALTER TABLE t ADD COLUMN a INT, DROP COLUMN nothing;",
        "folder",
    )
    .unwrap();
    assert_eq!(interpreted.schema.table("t").unwrap().columns.len(), 1);
    assert!(interpreted.needs_replay());
}

#[test]
fn a_statement_that_does_not_parse_is_an_error_naming_origin_and_line() {
    let error = interpret_migration(
        Provider::Postgresql,
        DatabaseSchema::empty(Provider::Postgresql),
        "CREATE TABLE t (id INT);\n\nCREATE TABLE (;",
        "20240101000000_init",
    )
    .unwrap_err();
    assert_eq!(error.code, PARSE_ERROR_CODE);
    assert_eq!(error.line, Some(3));
    assert!(
        error.to_string().starts_with("20240101000000_init:3:"),
        "{error}"
    );

    let error = interpret_migration(
        Provider::Sqlite,
        DatabaseSchema::empty(Provider::Sqlite),
        "SELECT 1;\nSELECT 'unterminated",
        "folder",
    )
    .unwrap_err();
    assert_eq!(error.code, INVALID_SCRIPT_CODE);
    assert_eq!(error.line, Some(2));

    let error = interpret_migration(
        Provider::Sqlite,
        DatabaseSchema::empty(Provider::Postgresql),
        "",
        "folder",
    )
    .unwrap_err();
    assert_eq!(error.code, PROVIDER_MISMATCH_CODE);
}

#[test]
fn migrations_apply_in_order() {
    let results = interpret_migrations(
        Provider::Sqlite,
        [
            ("1_init", "CREATE TABLE a (id INTEGER PRIMARY KEY);"),
            ("2_add", "ALTER TABLE a ADD COLUMN name TEXT;"),
            ("3_drop", "ALTER TABLE a DROP COLUMN name;"),
        ],
    )
    .unwrap();
    let column_counts: Vec<usize> = results
        .iter()
        .map(|result| result.schema.table("a").unwrap().columns.len())
        .collect();
    assert_eq!(column_counts, vec![1, 2, 1]);
}

#[test]
fn postgresql_forms_sqlparser_does_not_parse_are_modelled_or_known_to_be_neutral() {
    let interpreted = interpret(
        Provider::Postgresql,
        r#"
        CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
        CREATE TABLE "User" (
            "id" INTEGER GENERATED BY DEFAULT AS IDENTITY,
            "serial" SERIAL NOT NULL,
            "name" VARCHAR(10) NOT NULL,
            CONSTRAINT "User_pkey" PRIMARY KEY ("id")
        );
        CREATE INDEX "User_name_idx" ON "User"("name");
        ALTER TABLE "User" ALTER COLUMN "id" DROP IDENTITY;
        ALTER TABLE "User" ALTER COLUMN "serial" DROP IDENTITY IF EXISTS;
        ALTER TABLE "User" ALTER COLUMN "name" SET STATISTICS 500;
        ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE TEXT COLLATE "C";
        DROP INDEX CONCURRENTLY IF EXISTS "User_name_idx";
        ALTER TYPE "Role" OWNER TO CURRENT_USER;
        ALTER SEQUENCE "User_serial_seq" RESTART WITH 100;
        "#,
    );
    assert!(!interpreted.needs_replay(), "{:?}", interpreted.skipped);
    let table = interpreted.schema.table("User").expect("the table exists");
    let id = table.column("id").unwrap();
    assert!(!id.auto_increment && !id.serial && !id.nullable && id.default.is_none());
    // A serial column has no identity to drop; with IF EXISTS PostgreSQL passes over it.
    let serial = table.column("serial").unwrap();
    assert!(serial.auto_increment && serial.serial);
    assert_eq!(
        table.column("name").unwrap().column_type.kind,
        ColumnTypeKind::Postgres(PostgresColumnType::Text)
    );
    assert!(table.indexes.is_empty(), "{:?}", table.indexes);
    let reasons: Vec<(u64, &str)> = interpreted
        .skipped
        .iter()
        .map(|skipped| (skipped.line, skipped.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (12, "the statistics target of `name` is not part of the schema model"),
            (15, "ownership is not part of the schema model"),
            (16, "sequences are not part of the schema model (a serial column is known by its nextval default, which ALTER SEQUENCE leaves as it is)"),
        ]
    );
}

#[test]
fn postgresql_forms_sqlparser_does_not_parse_that_move_or_copy_tables_need_a_replay() {
    for (statement, reason) in [
        (
            r#"ALTER TABLE "User" SET SCHEMA "archive""#,
            "ALTER TABLE ... SET SCHEMA moves the table",
        ),
        (
            r#"ALTER TYPE "Role" SET SCHEMA "archive""#,
            "SET SCHEMA moves a type",
        ),
        (
            r#"CREATE TABLE "Copy" (LIKE "User" INCLUDING ALL)"#,
            "a table created LIKE another",
        ),
        (
            r#"ALTER TABLE "User" ALTER COLUMN "id" DROP IDENTITY"#,
            "the column `id` is not an identity column",
        ),
        (
            r#"ALTER TABLE "Missing" ALTER COLUMN "id" DROP IDENTITY"#,
            "the table `Missing`",
        ),
    ] {
        let sql = format!(
            "CREATE TYPE \"Role\" AS ENUM ('USER');\nCREATE TABLE \"User\" (\"id\" SERIAL PRIMARY KEY);\n{statement};"
        );
        let interpreted = interpret(Provider::Postgresql, &sql);
        assert!(interpreted.needs_replay(), "{statement}");
        let skipped = &interpreted.skipped[0];
        assert_eq!(skipped.line, 3, "{statement}");
        assert!(
            skipped.reason.contains(reason),
            "{statement}: {}",
            skipped.reason
        );
        // What the statement could not apply left the schema as it was.
        let table = interpreted
            .schema
            .table("User")
            .expect("the table is still there");
        assert!(table.column("id").unwrap().auto_increment);
        assert_eq!(interpreted.schema.tables.len(), 1);
    }
    // ALTER TABLE IF EXISTS on a missing table changes nothing, as on the database.
    let interpreted = interpret(
        Provider::Postgresql,
        r#"ALTER TABLE IF EXISTS "Missing" ALTER COLUMN "id" DROP IDENTITY;"#,
    );
    assert!(interpreted.skipped.is_empty() && interpreted.schema.tables.is_empty());
}

#[test]
fn messages_quote_a_long_statement_cut_short_with_its_line() {
    // One line holding many statements, as some tools write a script: each message quotes its
    // own statement, cut to a readable length on a character boundary.
    let columns: Vec<String> = (0..40).map(|n| format!("\"colonne_é{n}\" TEXT")).collect();
    let sql = format!(
        "CREATE TABLE \"a\" ({}); CREATE VIEW \"v\" AS SELECT * FROM \"a\" WHERE {}; CREATE TABLE \"b\" ({}, CHECK (\"colonne_é0\" <> 'x')); SELECT FROM WHERE {};",
        columns.join(", "),
        vec!["1 = 1"; 40].join(" AND "),
        columns.join(", "),
        vec!["x"; 40].join(", ")
    );
    assert_eq!(sql.lines().count(), 1);
    let error = interpret_migration(
        Provider::Postgresql,
        DatabaseSchema::empty(Provider::Postgresql),
        &sql,
        "20240101000000_one_line",
    )
    .expect_err("the last statement does not parse");
    let message = error.to_string();
    assert!(
        message.starts_with("20240101000000_one_line:1: The statement `SELECT FROM WHERE x, x,"),
        "{message}"
    );
    assert!(!message.contains(&vec!["x"; 40].join(", ")), "{message}");
    assert!(message.contains("…`"), "{message}");

    let sql = sql.rsplit_once(" SELECT FROM").unwrap().0;
    let interpreted = interpret(Provider::Postgresql, sql);
    assert_eq!(interpreted.skipped.len(), 2, "{:?}", interpreted.skipped);
    for skipped in &interpreted.skipped {
        assert_eq!(skipped.line, 1);
        assert!(skipped.statement.chars().count() <= STATEMENT_EXCERPT_CHARACTERS + 1);
        assert!(skipped.statement.chars().count() >= STATEMENT_EXCERPT_CHARACTERS - 1);
        assert!(skipped.statement.ends_with('…'), "{}", skipped.statement);
        let shown = skipped.to_string();
        assert!(shown.starts_with("test:1: "), "{shown}");
        assert!(shown.chars().count() < 250, "{shown}");
    }
    assert!(interpreted.skipped[0]
        .statement
        .starts_with("CREATE VIEW \"v\""));
    assert!(interpreted.skipped[1]
        .statement
        .starts_with("CREATE TABLE \"b\" (\"colonne_é0\""));
}

#[test]
fn create_table_like_copies_columns_and_the_included_defaults_and_identities() {
    let interpreted = interpret(
        Provider::Postgresql,
        r#"
        CREATE TABLE "User" (
            "id" INTEGER GENERATED BY DEFAULT AS IDENTITY,
            "serial" SERIAL NOT NULL,
            "name" TEXT DEFAULT 'anonymous',
            CONSTRAINT "User_pkey" PRIMARY KEY ("id")
        );
        CREATE UNIQUE INDEX "User_name_key" ON "User"("name");
        CREATE TABLE "Plain" (LIKE "User");
        CREATE TABLE "WithDefaults" (LIKE "User" INCLUDING DEFAULTS);
        CREATE TABLE "WithIdentity" (LIKE "User" INCLUDING IDENTITY INCLUDING COMMENTS EXCLUDING DEFAULTS);
        CREATE TABLE IF NOT EXISTS "Plain" (LIKE "User" INCLUDING DEFAULTS INCLUDING STATISTICS);
        "#,
    );
    assert!(interpreted.skipped.is_empty(), "{:?}", interpreted.skipped);
    let summary = |table: &str| -> Vec<(String, bool, bool, bool, bool)> {
        let table = interpreted.schema.table(table).expect("the table exists");
        assert!(table.primary_key.is_none() && table.indexes.is_empty());
        table
            .columns
            .iter()
            .map(|column| {
                (
                    column.name.clone(),
                    column.nullable,
                    column.default.is_some(),
                    column.auto_increment,
                    column.serial,
                )
            })
            .collect()
    };
    let row = |name: &str, nullable, default, auto_increment, serial| {
        (name.to_string(), nullable, default, auto_increment, serial)
    };
    assert_eq!(
        summary("Plain"),
        vec![
            row("id", false, false, false, false),
            row("serial", false, false, false, false),
            row("name", true, false, false, false),
        ]
    );
    assert_eq!(
        summary("WithDefaults"),
        vec![
            row("id", false, false, false, false),
            row("serial", false, false, true, true),
            row("name", true, true, false, false),
        ]
    );
    assert_eq!(
        summary("WithIdentity"),
        vec![
            row("id", false, false, true, false),
            row("serial", false, false, false, false),
            row("name", true, false, false, false),
        ]
    );
}
