//! Introspection against real databases: tables written by hand in SQL, read back through the
//! runner and the planner, compared with the exact `DatabaseSchema` expected.

use planner::database_schema::{
    Column, ColumnDefault, ColumnType, DatabaseSchema, DefaultValue, Enum, EnumValue, Extension,
    ForeignKey, Index, IndexColumn, PrimaryKey, ReferentialAction, Table, TableDependent,
    TableDependentKind,
};
use planner::Provider;
use tests::{TemporaryPostgresDatabase, TemporarySqliteDatabase};

fn column(name: &str, column_type: ColumnType, nullable: bool) -> Column {
    Column {
        name: name.to_string(),
        field_name: None,
        schema_type: None,
        column_type,
        nullable,
        default: None,
        auto_increment: false,
        serial: false,
    }
}

fn with_default(mut column: Column, default: ColumnDefault) -> Column {
    column.default = Some(default);
    column
}

fn auto_increment(mut column: Column) -> Column {
    column.auto_increment = true;
    column
}

/// A `serial` column: auto-increment through a sequence and its `nextval` default, not an
/// identity.
fn serial(mut column: Column) -> Column {
    column.auto_increment = true;
    column.serial = true;
    column
}

fn string(text: &str) -> DefaultValue {
    DefaultValue::String(text.to_string())
}

fn number(text: &str) -> DefaultValue {
    DefaultValue::Number(text.to_string())
}

fn value(value: DefaultValue) -> ColumnDefault {
    ColumnDefault::Value(value)
}

fn expression(text: &str) -> ColumnDefault {
    ColumnDefault::Expression(text.to_string())
}

fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

fn primary_key(name: Option<&str>, columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: name.map(str::to_string),
        columns: names(columns),
    })
}

fn index_column(name: &str) -> IndexColumn {
    IndexColumn {
        name: name.to_string(),
        descending: false,
        operator_class: None,
    }
}

fn index(name: &str, columns: Vec<IndexColumn>, unique: bool, algorithm: Option<&str>) -> Index {
    Index {
        name: name.to_string(),
        columns,
        unique,
        algorithm: algorithm.map(str::to_string),
        invalid: false,
    }
}

fn foreign_key(
    name: Option<&str>,
    columns: &[&str],
    referenced_table: &str,
    referenced_columns: &[&str],
    on_delete: ReferentialAction,
    on_update: ReferentialAction,
) -> ForeignKey {
    ForeignKey {
        name: name.map(str::to_string),
        columns: names(columns),
        referenced_table: referenced_table.to_string(),
        referenced_columns: names(referenced_columns),
        on_delete,
        on_update,
        not_validated: false,
    }
}

fn table(name: &str, columns: Vec<Column>, primary_key: Option<PrimaryKey>) -> Table {
    Table {
        name: name.to_string(),
        model_name: None,
        columns,
        primary_key,
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
    }
}

/// Compares table by table first, so that a failure shows one table rather than the schema.
fn assert_schema(actual: &DatabaseSchema, expected: &DatabaseSchema) {
    let actual_names: Vec<&str> = actual
        .tables
        .iter()
        .map(|table| table.name.as_str())
        .collect();
    let expected_names: Vec<&str> = expected
        .tables
        .iter()
        .map(|table| table.name.as_str())
        .collect();
    assert_eq!(actual_names, expected_names, "table names");
    for (actual_table, expected_table) in actual.tables.iter().zip(&expected.tables) {
        for (actual_column, expected_column) in
            actual_table.columns.iter().zip(&expected_table.columns)
        {
            assert_eq!(
                actual_column, expected_column,
                "column of table {}",
                expected_table.name
            );
        }
        assert_eq!(
            actual_table, expected_table,
            "table {}",
            expected_table.name
        );
    }
    assert_eq!(actual.enums, expected.enums, "enums");
    assert_eq!(actual, expected);
}

const SQLITE_SCHEMA: &str = r#"
CREATE TABLE "User" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    name text,
    active BOOLEAN NOT NULL DEFAULT 1,
    verified boolean DEFAULT false,
    score REAL DEFAULT 1.5,
    balance DECIMAL(10, 2) DEFAULT '0',
    big BIGINT DEFAULT -5,
    negative INTEGER DEFAULT (-1),
    data JSONB DEFAULT '{}',
    avatar BLOB,
    amount NUMERIC,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    token TEXT DEFAULT (lower(hex(randomblob(16)))),
    motto TEXT DEFAULT 'it''s',
    absent TEXT DEFAULT NULL,
    code TEXT UNIQUE,
    shout TEXT GENERATED ALWAYS AS (upper(email)) VIRTUAL
);
CREATE TABLE "Membership" (
    user_id INTEGER NOT NULL REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE RESTRICT,
    group_name TEXT NOT NULL,
    PRIMARY KEY (group_name, user_id)
);
CREATE TABLE "Post" (
    id INTEGER PRIMARY KEY,
    author_id INTEGER REFERENCES "User" ON DELETE SET NULL,
    group_name TEXT,
    member_id INTEGER,
    title varchar( 255 ) NOT NULL DEFAULT 'untitled',
    FOREIGN KEY (group_name, member_id) REFERENCES "Membership"(group_name, user_id) ON DELETE SET DEFAULT ON UPDATE NO ACTION
);
CREATE TABLE "Tag" (name TEXT PRIMARY KEY, owner_id INTEGER REFERENCES user);
CREATE UNIQUE INDEX "User_email_key" ON "User"(email);
CREATE INDEX post_author_desc ON "Post"(author_id DESC, id);
CREATE INDEX user_lower_name ON "User"(lower(name));
CREATE INDEX user_active_partial ON "User"(id) WHERE active;
CREATE TRIGGER tag_owner_kept AFTER DELETE ON "Tag" BEGIN SELECT 1; END;
CREATE TABLE _prisma_migrations (id TEXT);
CREATE TABLE _comon_orm_migrations (name TEXT PRIMARY KEY);
CREATE VIRTUAL TABLE search USING fts5(body);
INSERT INTO "User"(email) VALUES ('someone@example.com');
"#;

fn expected_sqlite_schema() -> DatabaseSchema {
    use ReferentialAction::*;
    let native = ColumnType::native;
    let mut user = table(
        "User",
        vec![
            auto_increment(column("id", native("INTEGER"), false)),
            column("email", native("TEXT"), false),
            column("name", native("TEXT"), true),
            with_default(
                column("active", native("BOOLEAN"), false),
                value(DefaultValue::Boolean(true)),
            ),
            with_default(
                column("verified", native("BOOLEAN"), true),
                value(DefaultValue::Boolean(false)),
            ),
            with_default(column("score", native("REAL"), true), value(number("1.5"))),
            with_default(
                column("balance", native("DECIMAL(10,2)"), true),
                value(number("0")),
            ),
            with_default(column("big", native("BIGINT"), true), value(number("-5"))),
            with_default(
                column("negative", native("INTEGER"), true),
                value(number("-1")),
            ),
            with_default(column("data", native("JSONB"), true), value(string("{}"))),
            column("avatar", native("BLOB"), true),
            column("amount", native("NUMERIC"), true),
            with_default(
                column("created_at", native("DATETIME"), false),
                ColumnDefault::Now,
            ),
            with_default(
                column("token", native("TEXT"), true),
                expression("lower(hex(randomblob(16)))"),
            ),
            with_default(column("motto", native("TEXT"), true), value(string("it's"))),
            column("absent", native("TEXT"), true),
            column("code", native("TEXT"), true),
            column("shout", native("TEXT"), true),
        ],
        primary_key(None, &["id"]),
    );
    user.indexes = vec![
        index("User_email_key", vec![index_column("email")], true, None),
        index(
            "sqlite_autoindex_User_1",
            vec![index_column("code")],
            true,
            None,
        ),
    ];
    let mut membership = table(
        "Membership",
        vec![
            column("user_id", native("INTEGER"), false),
            column("group_name", native("TEXT"), false),
        ],
        primary_key(None, &["group_name", "user_id"]),
    );
    membership.foreign_keys = vec![foreign_key(
        None,
        &["user_id"],
        "User",
        &["id"],
        Cascade,
        Restrict,
    )];
    let mut post = table(
        "Post",
        vec![
            column("id", native("INTEGER"), false),
            column("author_id", native("INTEGER"), true),
            column("group_name", native("TEXT"), true),
            column("member_id", native("INTEGER"), true),
            with_default(
                column("title", native("VARCHAR(255)"), false),
                value(string("untitled")),
            ),
        ],
        primary_key(None, &["id"]),
    );
    post.indexes = vec![index(
        "post_author_desc",
        vec![
            IndexColumn {
                name: "author_id".to_string(),
                descending: true,
                operator_class: None,
            },
            index_column("id"),
        ],
        false,
        None,
    )];
    post.foreign_keys = vec![
        foreign_key(None, &["author_id"], "User", &["id"], SetNull, NoAction),
        foreign_key(
            None,
            &["group_name", "member_id"],
            "Membership",
            &["group_name", "user_id"],
            SetDefault,
            NoAction,
        ),
    ];
    // `REFERENCES user`: another spelling of the parent's name, and no columns (its key).
    let mut tag = table(
        "Tag",
        vec![
            column("name", native("TEXT"), false),
            column("owner_id", native("INTEGER"), true),
        ],
        primary_key(None, &["name"]),
    );
    tag.foreign_keys = vec![foreign_key(
        None,
        &["owner_id"],
        "User",
        &["id"],
        NoAction,
        NoAction,
    )];
    DatabaseSchema {
        provider: Provider::Sqlite,
        tables: vec![membership, post, tag, user],
        enums: Vec::new(),
        extensions: Vec::new(),
        // What a rebuild must put back: SQLite drops them with their table.
        table_dependents: vec![
            TableDependent {
                table: "Tag".to_string(),
                kind: TableDependentKind::Trigger,
                name: "tag_owner_kept".to_string(),
                sql: "CREATE TRIGGER tag_owner_kept AFTER DELETE ON \"Tag\" BEGIN SELECT 1; END"
                    .to_string(),
            },
            TableDependent {
                table: "User".to_string(),
                kind: TableDependentKind::Index,
                name: "user_lower_name".to_string(),
                sql: "CREATE INDEX user_lower_name ON \"User\"(lower(name))".to_string(),
            },
            TableDependent {
                table: "User".to_string(),
                kind: TableDependentKind::Index,
                name: "user_active_partial".to_string(),
                sql: "CREATE INDEX user_active_partial ON \"User\"(id) WHERE active".to_string(),
            },
        ],
    }
}

#[test]
fn sqlite_introspection_reads_every_kind_of_object() {
    let temporary = TemporarySqliteDatabase::new();
    let mut database = temporary.open();
    database.execute_batch(SQLITE_SCHEMA).unwrap();
    let schema = database.introspect().unwrap();
    assert_schema(&schema, &expected_sqlite_schema());
}

#[test]
fn sqlite_introspection_uses_a_fixed_number_of_queries() {
    assert_eq!(
        planner::introspection::introspection_queries(Provider::Sqlite).len(),
        5
    );
}

#[test]
fn sqlite_introspection_of_an_empty_database_is_empty() {
    let temporary = TemporarySqliteDatabase::new();
    let schema = temporary.open().introspect().unwrap();
    assert_eq!(schema, DatabaseSchema::empty(Provider::Sqlite));
}

const POSTGRES_SCHEMA: &str = r#"
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TYPE "EmptyEnum" AS ENUM ();
CREATE TABLE "User" (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    email citext NOT NULL,
    name character varying(255),
    nickname varchar,
    initial char(1),
    role "Role" NOT NULL DEFAULT 'USER',
    roles "Role"[] DEFAULT '{USER}',
    tags text[] NOT NULL DEFAULT ARRAY['a', 'b'],
    empty_tags text[] DEFAULT '{}',
    scores integer[] DEFAULT '{1,2}',
    limits varchar(10)[],
    active boolean NOT NULL DEFAULT true,
    age smallint DEFAULT -1,
    big bigint DEFAULT 42,
    ratio double precision DEFAULT 1.5,
    small_ratio real DEFAULT 0.0,
    amount numeric(10,2) DEFAULT -2.25,
    plain_numeric numeric,
    data jsonb DEFAULT '{}',
    raw_json json,
    blob bytea,
    token uuid DEFAULT gen_random_uuid(),
    created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp without time zone,
    seen_at timestamp with time zone DEFAULT now(),
    birthday date DEFAULT '2000-01-01',
    wake_time time without time zone,
    document xml,
    address inet,
    motto text DEFAULT 'it''s',
    slug text DEFAULT lower('X'),
    shout text GENERATED ALWAYS AS (upper(motto)) STORED
);
CREATE TABLE "Legacy" (
    id serial PRIMARY KEY,
    big_id bigserial NOT NULL,
    always_id integer GENERATED ALWAYS AS IDENTITY
);
CREATE TABLE "Membership" (
    user_id integer NOT NULL REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE RESTRICT,
    group_name text NOT NULL,
    legacy_id integer,
    CONSTRAINT "Membership_pkey" PRIMARY KEY (group_name, user_id)
);
ALTER TABLE "Membership" ADD CONSTRAINT membership_legacy_fkey
    FOREIGN KEY (legacy_id) REFERENCES "Legacy"(id) ON DELETE SET NULL;
CREATE TABLE "Audit" (
    group_name text,
    user_id integer,
    note text,
    CONSTRAINT audit_membership_fkey FOREIGN KEY (group_name, user_id)
        REFERENCES "Membership"(group_name, user_id) ON DELETE SET DEFAULT ON UPDATE NO ACTION,
    CONSTRAINT audit_note_key UNIQUE (note)
);
CREATE UNIQUE INDEX "User_email_key" ON "User"(email);
CREATE INDEX user_name_hash ON "User" USING hash (name);
CREATE INDEX user_created_desc ON "User" (created_at DESC, id);
CREATE INDEX user_data_path ON "User" USING gin (data jsonb_path_ops);
CREATE INDEX user_tags_gin ON "User" USING gin (tags);
CREATE INDEX user_name_pattern ON "User" (name varchar_pattern_ops);
CREATE INDEX user_lower_name ON "User" (lower(name));
CREATE INDEX user_active_partial ON "User" (id) WHERE active;
CREATE INDEX user_include ON "User" (id) INCLUDE (name);
CREATE TABLE _prisma_migrations (id text);
CREATE TABLE _comon_orm_migrations (name text PRIMARY KEY);
CREATE TABLE "Measurement" (id integer, taken date) PARTITION BY RANGE (taken);
CREATE TABLE measurement_2020 PARTITION OF "Measurement" FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE "Booking" (during tsrange, EXCLUDE USING gist (during WITH &&));
CREATE SCHEMA other;
CREATE TABLE other.hidden (id integer PRIMARY KEY);
"#;

fn expected_postgres_schema() -> DatabaseSchema {
    use ReferentialAction::*;
    let native = ColumnType::native;
    let list = |values: Vec<DefaultValue>| value(DefaultValue::List(values));
    let mut user = table(
        "User",
        vec![
            auto_increment(column("id", native("integer"), false)),
            column("email", native("citext"), false),
            column("name", native("character varying(255)"), true),
            column("nickname", native("character varying"), true),
            column("initial", native("character(1)"), true),
            with_default(
                column("role", ColumnType::enumeration("Role"), false),
                value(string("USER")),
            ),
            with_default(
                column("roles", ColumnType::enumeration("Role").array(), true),
                list(vec![string("USER")]),
            ),
            with_default(
                column("tags", native("text").array(), false),
                list(vec![string("a"), string("b")]),
            ),
            with_default(
                column("empty_tags", native("text").array(), true),
                list(vec![]),
            ),
            with_default(
                column("scores", native("integer").array(), true),
                list(vec![number("1"), number("2")]),
            ),
            column("limits", native("character varying(10)").array(), true),
            with_default(
                column("active", native("boolean"), false),
                value(DefaultValue::Boolean(true)),
            ),
            with_default(column("age", native("smallint"), true), value(number("-1"))),
            with_default(column("big", native("bigint"), true), value(number("42"))),
            with_default(
                column("ratio", native("double precision"), true),
                value(number("1.5")),
            ),
            with_default(
                column("small_ratio", native("real"), true),
                value(number("0.0")),
            ),
            with_default(
                column("amount", native("numeric(10,2)"), true),
                value(number("-2.25")),
            ),
            column("plain_numeric", native("numeric"), true),
            with_default(column("data", native("jsonb"), true), value(string("{}"))),
            column("raw_json", native("json"), true),
            column("blob", native("bytea"), true),
            with_default(
                column("token", native("uuid"), true),
                expression("gen_random_uuid()"),
            ),
            with_default(
                column(
                    "created_at",
                    native("timestamp(3) without time zone"),
                    false,
                ),
                ColumnDefault::Now,
            ),
            column("updated_at", native("timestamp without time zone"), true),
            with_default(
                column("seen_at", native("timestamp with time zone"), true),
                ColumnDefault::Now,
            ),
            with_default(
                column("birthday", native("date"), true),
                value(string("2000-01-01")),
            ),
            column("wake_time", native("time without time zone"), true),
            column("document", native("xml"), true),
            column("address", native("inet"), true),
            with_default(column("motto", native("text"), true), value(string("it's"))),
            with_default(
                column("slug", native("text"), true),
                expression("lower('X'::text)"),
            ),
            column("shout", native("text"), true),
        ],
        primary_key(Some("User_pkey"), &["id"]),
    );
    let descending = |name: &str| IndexColumn {
        name: name.to_string(),
        descending: true,
        operator_class: None,
    };
    let with_operator_class = |name: &str, operator_class: &str| IndexColumn {
        name: name.to_string(),
        descending: false,
        operator_class: Some(operator_class.to_string()),
    };
    user.indexes = vec![
        index("User_email_key", vec![index_column("email")], true, None),
        index(
            "user_created_desc",
            vec![descending("created_at"), index_column("id")],
            false,
            None,
        ),
        index(
            "user_data_path",
            vec![with_operator_class("data", "jsonb_path_ops")],
            false,
            Some("gin"),
        ),
        index(
            "user_name_hash",
            vec![index_column("name")],
            false,
            Some("hash"),
        ),
        index(
            "user_name_pattern",
            vec![with_operator_class("name", "varchar_pattern_ops")],
            false,
            None,
        ),
        index(
            "user_tags_gin",
            vec![index_column("tags")],
            false,
            Some("gin"),
        ),
    ];
    let legacy = table(
        "Legacy",
        vec![
            serial(column("id", native("integer"), false)),
            serial(column("big_id", native("bigint"), false)),
            auto_increment(column("always_id", native("integer"), false)),
        ],
        primary_key(Some("Legacy_pkey"), &["id"]),
    );
    let mut membership = table(
        "Membership",
        vec![
            column("user_id", native("integer"), false),
            column("group_name", native("text"), false),
            column("legacy_id", native("integer"), true),
        ],
        primary_key(Some("Membership_pkey"), &["group_name", "user_id"]),
    );
    membership.foreign_keys = vec![
        foreign_key(
            Some("Membership_user_id_fkey"),
            &["user_id"],
            "User",
            &["id"],
            Cascade,
            Restrict,
        ),
        foreign_key(
            Some("membership_legacy_fkey"),
            &["legacy_id"],
            "Legacy",
            &["id"],
            SetNull,
            NoAction,
        ),
    ];
    let mut audit = table(
        "Audit",
        vec![
            column("group_name", native("text"), true),
            column("user_id", native("integer"), true),
            column("note", native("text"), true),
        ],
        None,
    );
    audit.indexes = vec![index(
        "audit_note_key",
        vec![index_column("note")],
        true,
        None,
    )];
    audit.foreign_keys = vec![foreign_key(
        Some("audit_membership_fkey"),
        &["group_name", "user_id"],
        "Membership",
        &["group_name", "user_id"],
        SetDefault,
        NoAction,
    )];
    let measurement = table(
        "Measurement",
        vec![
            column("id", native("integer"), true),
            column("taken", native("date"), true),
        ],
        None,
    );
    // The exclusion constraint's index is not something the schema language can describe.
    let booking = table(
        "Booking",
        vec![column("during", native("tsrange"), true)],
        None,
    );
    let enum_values = |values: &[&str]| {
        values
            .iter()
            .map(|value| EnumValue {
                name: value.to_string(),
                prisma_name: None,
            })
            .collect::<Vec<_>>()
    };
    DatabaseSchema {
        provider: Provider::Postgresql,
        tables: vec![audit, booking, legacy, measurement, membership, user],
        table_dependents: Vec::new(),
        // The fixture's CREATE EXTENSION; its version is the server's, checked apart.
        extensions: vec![Extension {
            name: "citext".to_string(),
            schema: Some("public".to_string()),
            version: None,
            requested: false,
        }],
        enums: vec![
            Enum {
                name: "EmptyEnum".to_string(),
                prisma_name: None,
                values: Vec::new(),
            },
            Enum {
                name: "Role".to_string(),
                prisma_name: None,
                values: enum_values(&["USER", "ADMIN"]),
            },
        ],
    }
}

#[test]
fn postgres_introspection_reads_every_kind_of_object() {
    let temporary = TemporaryPostgresDatabase::new();
    let mut database = temporary.open();
    database.execute_batch(POSTGRES_SCHEMA).unwrap();
    let mut schema = database.introspect().unwrap();
    // An extension's version depends on the server: it is read, and compared apart.
    for extension in &mut schema.extensions {
        assert!(extension.version.is_some(), "{extension:?}");
        extension.version = None;
    }
    assert_schema(&schema, &expected_postgres_schema());
}

#[test]
fn postgres_introspection_uses_a_fixed_number_of_queries() {
    assert_eq!(
        planner::introspection::introspection_queries(Provider::Postgresql).len(),
        6
    );
}

#[test]
fn postgres_introspection_of_an_empty_database_is_empty() {
    let temporary = TemporaryPostgresDatabase::new();
    let schema = temporary.open().introspect().unwrap();
    assert_eq!(schema, DatabaseSchema::empty(Provider::Postgresql));
}

#[test]
fn postgres_migration_is_atomic() {
    let temporary = TemporaryPostgresDatabase::new();
    let mut database = temporary.open();
    let statements = vec![
        "CREATE TABLE kept (id integer)".to_string(),
        "CREATE TABLE broken (id no_such_type)".to_string(),
    ];
    let error = database.apply_statements(&statements).unwrap_err();
    assert_eq!(error.code(), "statement-failed");
    assert_eq!(
        database.introspect().unwrap(),
        DatabaseSchema::empty(Provider::Postgresql)
    );
    database.apply_statements(&statements[..1]).unwrap();
    assert_eq!(database.row_counts().unwrap().get("kept"), Some(&0));
}

#[test]
fn postgres_prisma_schema_parameter_sets_the_search_path() {
    let temporary = TemporaryPostgresDatabase::new();
    temporary
        .open()
        .execute_batch("CREATE SCHEMA app; CREATE TABLE app.only_here (id integer);")
        .unwrap();
    let url = format!("{}?schema=app", temporary.url());
    let schema = comon_database::Database::open(&url)
        .unwrap()
        .introspect()
        .unwrap();
    let table_names: Vec<&str> = schema
        .tables
        .iter()
        .map(|table| table.name.as_str())
        .collect();
    assert_eq!(table_names, vec!["only_here"]);
}

/// `CREATE UNIQUE INDEX CONCURRENTLY` over duplicate values fails and leaves an INVALID index
/// of that name behind. It must never count as the index the schema wants: the diff shows it,
/// and the plan drops it before creating it again (a plain CREATE would fail on the name).
#[test]
fn postgres_invalid_index_is_drift_and_the_plan_rebuilds_it() {
    let temporary = TemporaryPostgresDatabase::new();
    let mut database = temporary.open();
    database
        .execute_batch(
            "CREATE TABLE \"User\" (id integer NOT NULL, email text NOT NULL, CONSTRAINT \"User_pkey\" PRIMARY KEY (id)); \
             INSERT INTO \"User\" VALUES (1, 'same'), (2, 'same'), (3, 'other');",
        )
        .unwrap();
    // CONCURRENTLY cannot run inside a transaction block, so it is a batch of its own.
    let failure = database
        .execute_batch("CREATE UNIQUE INDEX CONCURRENTLY \"User_email_key\" ON \"User\"(email)");
    assert!(
        failure.is_err(),
        "duplicates must make the concurrent build fail"
    );

    let live = database.introspect().unwrap();
    let user = live.table("User").expect("the table is introspected");
    let left_behind = user
        .indexes
        .iter()
        .find(|index| index.name == "User_email_key")
        .expect("the invalid index is reported");
    assert!(
        left_behind.invalid,
        "the index is reported invalid: {left_behind:?}"
    );
    // Invalidity is kept out of serialized snapshots unless it is true.
    let serialized = serde_json::to_string(&live).unwrap();
    assert!(serialized.contains("\"invalid\":true"), "{serialized}");
    let valid_only = planner::database_schema_from_source(
        "datasource db {\n  provider = \"postgresql\"\n}\nmodel User {\n  id Int @id\n  email String\n}\n",
    )
    .unwrap();
    assert!(!serde_json::to_string(&valid_only)
        .unwrap()
        .contains("invalid"));

    let wanted = planner::database_schema_from_source(
        "datasource db {\n  provider = \"postgresql\"\n}\nmodel User {\n  id Int @id\n  email String @unique\n}\n",
    )
    .unwrap();
    let plan = planner::plan_migration(&live, &wanted, &planner::DiffOptions::default()).unwrap();
    let sql = planner::render_plan(&plan).sql;
    assert_eq!(
        sql,
        format!(
            "DROP INDEX \"User_email_key\";\n{}\n{}\nCREATE UNIQUE INDEX CONCURRENTLY \"User_email_key\" ON \"User\" (\"email\");\n",
            planner::plan::AFTER_COMMIT_MARKER,
            planner::plan::AFTER_COMMIT_EXPLANATION
        ),
        "the invalid index is dropped and built again, concurrently on the existing table"
    );
    assert!(
        plan.warnings
            .iter()
            .any(|warning| warning.kind == planner::WarningKind::MayFail),
        "an invalid unique index does not vouch for the rows, so the new one may fail: {:?}",
        plan.warnings
    );
    // With the duplicates gone the plan applies and the database converges.
    database
        .execute_batch("DELETE FROM \"User\" WHERE id = 2")
        .unwrap();
    database.apply_plan(&plan).unwrap();
    let after = database.introspect().unwrap();
    assert!(after
        .table("User")
        .unwrap()
        .indexes
        .iter()
        .all(|index| !index.invalid));
    let remaining =
        planner::plan_migration(&after, &wanted, &planner::DiffOptions::default()).unwrap();
    assert!(
        remaining.steps.is_empty(),
        "{}",
        planner::render_plan(&remaining).sql
    );
}

/// A plain index can be left INVALID too (a cancelled concurrent build); marking it so in the
/// catalog, as superuser, stands in for the cancellation.
#[test]
fn postgres_invalid_plain_index_is_rebuilt() {
    let temporary = TemporaryPostgresDatabase::new();
    let mut database = temporary.open();
    database
        .execute_batch(
            "CREATE TABLE \"Post\" (id integer NOT NULL, title text NOT NULL, CONSTRAINT \"Post_pkey\" PRIMARY KEY (id)); \
             CREATE INDEX \"Post_title_idx\" ON \"Post\"(title); \
             UPDATE pg_index SET indisvalid = false WHERE indexrelid = '\"Post_title_idx\"'::regclass;",
        )
        .unwrap();
    let live = database.introspect().unwrap();
    assert!(live.table("Post").unwrap().indexes[0].invalid);
    let wanted = planner::database_schema_from_source(
        "datasource db {\n  provider = \"postgresql\"\n}\nmodel Post {\n  id Int @id\n  title String\n  @@index([title])\n}\n",
    )
    .unwrap();
    let plan = planner::plan_migration(&live, &wanted, &planner::DiffOptions::default()).unwrap();
    assert_eq!(
        planner::render_plan(&plan).sql,
        format!(
            "DROP INDEX \"Post_title_idx\";\n{}\n{}\nCREATE INDEX CONCURRENTLY \"Post_title_idx\" ON \"Post\" (\"title\");\n",
            planner::plan::AFTER_COMMIT_MARKER,
            planner::plan::AFTER_COMMIT_EXPLANATION
        )
    );
    database.apply_plan(&plan).unwrap();
    let after = database.introspect().unwrap();
    assert!(
        planner::plan_migration(&after, &wanted, &planner::DiffOptions::default())
            .unwrap()
            .steps
            .is_empty()
    );
}

/// A migration that failed or was interrupted between `ADD CONSTRAINT ... NOT VALID` and
/// `VALIDATE CONSTRAINT` leaves a foreign key whose existing rows were never checked. It must
/// not pass for a valid one: introspection reads `pg_constraint.convalidated`, drift says so
/// with the repair, and the plan validates the key (a scan that lets reads and writes go on)
/// rather than dropping and adding it again.
#[test]
fn postgres_not_validated_foreign_key_is_drift_and_the_plan_validates_it() {
    let temporary = TemporaryPostgresDatabase::new();
    let mut database = temporary.open();
    database
        .execute_batch(
            "CREATE TABLE \"User\" (id integer NOT NULL, CONSTRAINT \"User_pkey\" PRIMARY KEY (id)); \
             CREATE TABLE \"Post\" (id integer NOT NULL, \"authorId\" integer NOT NULL, CONSTRAINT \"Post_pkey\" PRIMARY KEY (id)); \
             INSERT INTO \"User\" VALUES (1); INSERT INTO \"Post\" VALUES (1, 1), (2, 1); \
             ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;",
        )
        .unwrap();
    let live = database.introspect().unwrap();
    let left_behind = &live.table("Post").unwrap().foreign_keys[0];
    assert!(
        left_behind.not_validated,
        "the foreign key is reported not validated: {left_behind:?}"
    );
    let serialized = serde_json::to_string(&live).unwrap();
    assert!(serialized.contains("\"notValidated\":true"), "{serialized}");

    let wanted = planner::database_schema_from_source(
        "datasource db {\n  provider = \"postgresql\"\n}\nmodel User {\n  id    Int    @id\n  posts Post[]\n}\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n",
    )
    .unwrap();
    assert!(!serde_json::to_string(&wanted)
        .unwrap()
        .contains("notValidated"));
    let validate = planner::MigrationStep::ValidateConstraint {
        table: "Post".to_string(),
        constraint_name: "Post_authorId_fkey".to_string(),
    };
    // With and without online DDL (status describes drift without it): only the validation.
    for online_ddl in [planner::OnlineDdl::On, planner::OnlineDdl::Off] {
        let options = planner::DiffOptions {
            online_ddl,
            ..planner::DiffOptions::default()
        };
        let plan = planner::plan_migration(&live, &wanted, &options).unwrap();
        assert_eq!(plan.steps, vec![validate.clone()], "{online_ddl:?}");
        assert!(
            plan.warnings
                .iter()
                .any(|warning| warning.kind == planner::WarningKind::MayFail
                    && warning.message.contains("Post_authorId_fkey")),
            "rows that point nowhere make the validation fail: {:?}",
            plan.warnings
        );
    }
    let plan = planner::plan_migration(&live, &wanted, &planner::DiffOptions::default()).unwrap();
    assert_eq!(
        planner::render_plan(&plan).sql,
        format!(
            "{}\n{}\nALTER TABLE \"Post\" VALIDATE CONSTRAINT \"Post_authorId_fkey\";\n",
            planner::plan::AFTER_COMMIT_MARKER,
            planner::plan::AFTER_COMMIT_EXPLANATION
        )
    );
    let differences = planner::migrations::drift::describe_differences(
        &live,
        &plan,
        planner::migrations::drift::DifferenceSides {
            previous: "the database",
            next: "the migrations",
        },
    );
    let words: Vec<String> = differences.iter().map(ToString::to_string).collect();
    assert_eq!(
        words,
        vec!["foreign key \"Post_authorId_fkey\" on table \"Post\": NOT VALID in the database: it was added but never validated, so its existing rows were not checked (a migration failed or was interrupted before its VALIDATE CONSTRAINT). Repair: ALTER TABLE \"Post\" VALIDATE CONSTRAINT \"Post_authorId_fkey\";".to_string()]
    );

    database.apply_plan(&plan).unwrap();
    let after = database.introspect().unwrap();
    assert!(!after.table("Post").unwrap().foreign_keys[0].not_validated);
    let remaining =
        planner::plan_migration(&after, &wanted, &planner::DiffOptions::default()).unwrap();
    assert!(
        remaining.steps.is_empty(),
        "{}",
        planner::render_plan(&remaining).sql
    );
}
