//! `render_prisma_schema` round trips: for a database schema lowered from a real
//! `schema.prisma`, and for the same schema with its schema-side names removed (as an
//! introspected one has them), the rendered text must validate and lower to a schema the differ
//! finds equal to the rendered one (no steps).
//!
//! Sources: every corpus schema under `../shared/corpus/prisma/*/schemas/`, and hand-written
//! schemas shaped like introspection results. Every golden case schema is checked the same way
//! by its own `[to_prisma] <case>` test in `golden.rs`.

mod support;
#[path = "support/to_prisma_round_trip.rs"]
mod to_prisma_round_trip;

use planner::database_schema::to_prisma::render_prisma_schema;
use planner::database_schema::{
    Column, ColumnDefault, ColumnType, DefaultValue, Enum, EnumValue, ForeignKey, Index,
    IndexColumn, PrimaryKey, ReferentialAction, Table,
};
use planner::{database_schema_from_source, DatabaseSchema, Provider};
use support::{corpus_schemas, without_schema_names};
use to_prisma_round_trip::check_round_trip;

#[derive(Default)]
struct Tally {
    checked: usize,
    skipped: usize,
    failures: Vec<String>,
}

impl Tally {
    fn check_both_forms(&mut self, label: &str, schema: &DatabaseSchema) {
        for (form, candidate) in [
            ("from schema.prisma", schema.clone()),
            ("introspected form", without_schema_names(schema)),
        ] {
            self.checked += 1;
            if let Err(problem) = check_round_trip(&candidate) {
                self.failures.push(format!("{label} ({form}): {problem}"));
            }
        }
    }

    fn finish(self, what: &str) {
        println!(
            "{what}: {} round trips checked, {} sources skipped, {} failures",
            self.checked,
            self.skipped,
            self.failures.len()
        );
        let shown: Vec<&String> = self.failures.iter().take(5).collect();
        assert!(
            self.failures.is_empty(),
            "{} of {} {what} round trips fail; the first ones:\n\n{}",
            self.failures.len(),
            self.checked,
            shown
                .iter()
                .map(|failure| failure.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

#[test]
fn corpus_schemas_round_trip() {
    let Some(files) = corpus_schemas() else {
        return;
    };
    let mut tally = Tally::default();
    for (file, source) in &files {
        match database_schema_from_source(source) {
            Ok(schema) => tally.check_both_forms(&file.display().to_string(), &schema),
            Err(errors) => {
                println!(
                    "skipped {}: it does not validate:\n{errors}",
                    file.display()
                );
                tally.skipped += 1;
            }
        }
    }
    tally.finish("corpus schema");
}

// ----- hand-written database schemas, shaped like introspection results -----

fn column(name: &str, type_name: &str, nullable: bool) -> Column {
    Column {
        name: name.to_string(),
        field_name: None,
        schema_type: None,
        column_type: ColumnType::native(type_name),
        nullable,
        default: None,
        auto_increment: false,
        serial: false,
    }
}

fn table(name: &str, columns: Vec<Column>, primary_key: &[&str]) -> Table {
    Table {
        name: name.to_string(),
        model_name: None,
        columns,
        primary_key: (!primary_key.is_empty()).then(|| PrimaryKey {
            name: Some(format!("{name}_pkey")),
            columns: primary_key
                .iter()
                .map(|column| column.to_string())
                .collect(),
        }),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
    }
}

fn foreign_key(
    name: &str,
    columns: &[&str],
    referenced_table: &str,
    referenced_columns: &[&str],
) -> ForeignKey {
    ForeignKey {
        name: Some(name.to_string()),
        columns: columns.iter().map(|column| column.to_string()).collect(),
        referenced_table: referenced_table.to_string(),
        referenced_columns: referenced_columns
            .iter()
            .map(|column| column.to_string())
            .collect(),
        on_delete: ReferentialAction::Restrict,
        on_update: ReferentialAction::Cascade,
        not_validated: false,
    }
}

fn index(name: &str, columns: &[&str], unique: bool) -> Index {
    Index {
        name: name.to_string(),
        columns: columns
            .iter()
            .map(|column| IndexColumn {
                name: column.to_string(),
                descending: false,
                operator_class: None,
            })
            .collect(),
        unique,
        algorithm: None,
        invalid: false,
    }
}

fn introspected_postgres_schema() -> DatabaseSchema {
    let mut users = table(
        "user accounts",
        vec![
            Column {
                auto_increment: true,
                ..column("id", "integer", false)
            },
            column("e-mail", "character varying(255)", false),
            column("nickname", "citext", true),
            Column {
                default: Some(ColumnDefault::Now),
                ..column("created_at", "timestamp(3) without time zone", false)
            },
            Column {
                default: Some(ColumnDefault::Expression("gen_random_uuid()".to_string())),
                ..column("token", "uuid", false)
            },
            Column {
                column_type: ColumnType::enumeration("user-role"),
                default: Some(ColumnDefault::Value(DefaultValue::String(
                    "power user".to_string(),
                ))),
                ..column("role", "", false)
            },
            Column {
                column_type: ColumnType::native("text").array(),
                default: Some(ColumnDefault::Value(DefaultValue::List(vec![
                    DefaultValue::String("a".to_string()),
                ]))),
                ..column("tags", "", true)
            },
            column("location", "point", true),
            Column {
                default: Some(ColumnDefault::Value(DefaultValue::Number(
                    "1.50".to_string(),
                ))),
                ..column("balance", "numeric(10,2)", false)
            },
            column("manager_id", "integer", true),
        ],
        &["id"],
    );
    users
        .indexes
        .push(index("users_email_unique", &["e-mail"], true));
    let mut descending = index("user accounts_created_at_idx", &["created_at"], false);
    descending.columns[0].descending = true;
    users.indexes.push(descending);
    users.foreign_keys.push(ForeignKey {
        on_delete: ReferentialAction::SetNull,
        ..foreign_key("manager", &["manager_id"], "user accounts", &["id"])
    });

    let mut posts = table(
        "Post",
        vec![
            column("id", "bigint", false),
            column("author_id", "integer", false),
            column("reviewer_id", "integer", true),
            Column {
                column_type: ColumnType::native("jsonb"),
                ..column("data", "", true)
            },
        ],
        &["id"],
    );
    let mut gin = index("Post_data_idx", &["data"], false);
    gin.algorithm = Some("gin".to_string());
    gin.columns[0].operator_class = Some("jsonb_path_ops".to_string());
    posts.indexes.push(gin);
    posts.foreign_keys.push(ForeignKey {
        on_delete: ReferentialAction::Cascade,
        ..foreign_key(
            "Post_author_id_fkey",
            &["author_id"],
            "user accounts",
            &["id"],
        )
    });
    posts.foreign_keys.push(ForeignKey {
        on_delete: ReferentialAction::SetNull,
        ..foreign_key(
            "Post_reviewer_id_fkey",
            &["reviewer_id"],
            "user accounts",
            &["id"],
        )
    });

    let mut profile = table(
        "profile",
        vec![
            column("user_id", "integer", false),
            column("bio", "text", true),
        ],
        &["user_id"],
    );
    profile.foreign_keys.push(foreign_key(
        "profile_user_id_fkey",
        &["user_id"],
        "user accounts",
        &["id"],
    ));

    let log = table("String", vec![column("line", "text", true)], &[]);

    DatabaseSchema {
        provider: Provider::Postgresql,
        tables: vec![posts, log, profile, users],
        table_dependents: Vec::new(),
        extensions: Vec::new(),
        enums: vec![Enum {
            name: "user-role".to_string(),
            prisma_name: None,
            values: vec![
                EnumValue {
                    name: "admin".to_string(),
                    prisma_name: None,
                },
                EnumValue {
                    name: "power user".to_string(),
                    prisma_name: None,
                },
            ],
        }],
    }
}

/// The text with runs of spaces made one, so that expectations do not depend on alignment.
fn single_spaced(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.split(' ')
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn introspected_postgres_schema_round_trips() {
    let schema = introspected_postgres_schema();
    let rendered = render_prisma_schema(&schema);
    if let Err(problem) = check_round_trip(&schema) {
        panic!("{problem}");
    }
    for expected in [
        "model user_accounts {",
        "@@map(\"user accounts\")",
        "e_mail String @unique(map: \"users_email_unique\") @map(\"e-mail\") @db.VarChar(255)",
        "created_at DateTime @default(now()) @db.Timestamp(3)",
        "@db.Citext",
        "@default(dbgenerated(\"gen_random_uuid()\")) @db.Uuid",
        "role user_role @default(power_user)",
        "tags String[] @default([\"a\"])",
        "author user_accounts @relation(\"Post_author_idTouser_accounts\", fields: [author_id], references: [id], onDelete: Cascade)",
        "manager user_accounts? @relation(\"user_accounts_manager_idTouser_accounts\", fields: [manager_id], references: [id], map: \"manager\")",
        "user_accounts_manager user_accounts[] @relation(\"user_accounts_manager_idTouser_accounts\")",
        "Unsupported(\"point\")?",
        "@default(1.50) @db.Decimal(10, 2)",
        "@@index([created_at(sort: Desc)])",
        "@@index([data(ops: JsonbPathOps)], type: Gin)",
        "onDelete: Cascade",
        "map: \"manager\"",
        "profile?",
        "@@ignore",
        "model String_2 {",
        "power_user @map(\"power user\")",
    ] {
        assert!(single_spaced(&rendered).contains(expected), "missing `{expected}` in:\n{rendered}");
    }
}

#[test]
fn sqlite_columns_joined_by_a_foreign_key_get_one_prisma_type() {
    // `BigInt @id @default(autoincrement())` is INTEGER on SQLite while a BigInt column
    // referencing it is TEXT: both ends must be rendered BigInt for the relation to validate.
    let source = r#"
datasource db {
  provider = "sqlite"
}

model Parent {
  id       BigInt  @id @default(autoincrement())
  children Child[]
}

model Child {
  id        Int      @id
  parentId  BigInt
  parent    Parent   @relation(fields: [parentId], references: [id])
  createdAt DateTime @default(now())
  flag      Boolean  @default(true)
}
"#;
    let schema = database_schema_from_source(source).expect("the schema is valid");
    for candidate in [schema.clone(), without_schema_names(&schema)] {
        if let Err(problem) = check_round_trip(&candidate) {
            panic!("{problem}");
        }
    }
    let rendered = render_prisma_schema(&without_schema_names(&schema));
    assert!(rendered.contains("parentId  BigInt"), "{rendered}");
    assert!(
        rendered.contains("createdAt DateTime @default(now())"),
        "{rendered}"
    );
}

#[test]
fn implicit_many_to_many_join_tables_become_list_fields_again() {
    let source = r#"
datasource db {
  provider = "postgresql"
}

model Post {
  id       Int        @id @default(autoincrement())
  tags     Tag[]      @relation("PostTags")
  featured Tag[]      @relation("FeaturedTags")
  authors  AuthorWithAVeryLongModelNameIndeed[]
}

model Tag {
  id            String @id
  posts         Post[] @relation("PostTags")
  featuredPosts Post[] @relation("FeaturedTags")
}

model AuthorWithAVeryLongModelNameIndeed {
  id    Int    @id
  posts Post[]

  @@map("authors")
}
"#;
    let schema = database_schema_from_source(source).expect("the schema is valid");
    for candidate in [schema.clone(), without_schema_names(&schema)] {
        if let Err(problem) = check_round_trip(&candidate) {
            panic!("{problem}");
        }
    }
    let rendered = single_spaced(&render_prisma_schema(&schema));
    for expected in [
        "tags Tag[] @relation(\"Post_tagsToTag_posts\")",
        "featuredPosts Post[] @relation(\"Post_featuredToTag_featuredPosts\")",
    ] {
        assert!(
            rendered.contains(expected),
            "missing `{expected}` in:\n{rendered}"
        );
    }
    // The third join table's name is shortened on PostgreSQL, so it cannot be decoded: it
    // stays a model of its own, which describes the same tables.
    assert!(rendered.contains("@@map(\"_comon_orm_m2m__"), "{rendered}");
}

#[test]
fn odd_introspected_schemas_render_to_valid_text() {
    // Shapes a live database can have and a schema file cannot: no columns, a foreign key to a
    // table that is not there or to columns without a unique index, an index over a column that
    // is not there, an enum without values, a nullable primary key column, clashing names.
    let mut empty = table("empty", Vec::new(), &[]);
    empty
        .indexes
        .push(index("empty_ghost_idx", &["ghost"], false));
    let mut orphan = table(
        "orphan",
        vec![
            column("id", "integer", false),
            column("other", "integer", true),
        ],
        &["id"],
    );
    orphan.foreign_keys.push(foreign_key(
        "orphan_other_fkey",
        &["other"],
        "missing",
        &["id"],
    ));
    orphan.foreign_keys.push(foreign_key(
        "orphan_id_fkey",
        &["other"],
        "orphan",
        &["other"],
    ));
    let nullable_key = table(
        "nullable key",
        vec![
            column("id", "text", true),
            column("Int", "integer", false),
            column("int", "integer", false),
        ],
        &["id"],
    );
    let clash = table(
        "Int",
        vec![
            column("id", "integer", false),
            Column {
                column_type: ColumnType::enumeration("nothing"),
                ..column("state", "", true)
            },
        ],
        &["id"],
    );
    let schema = DatabaseSchema {
        provider: Provider::Postgresql,
        tables: vec![clash, empty, nullable_key, orphan],
        table_dependents: Vec::new(),
        extensions: Vec::new(),
        enums: vec![Enum {
            name: "nothing".to_string(),
            prisma_name: None,
            values: Vec::new(),
        }],
    };
    let rendered = render_prisma_schema(&schema);
    if let Err(errors) = database_schema_from_source(&rendered) {
        panic!("{errors}\n--- rendered\n{rendered}");
    }
    for provider in [Provider::Postgresql, Provider::Sqlite] {
        let mut other = schema.clone();
        other.provider = provider;
        let _ = render_prisma_schema(&other);
    }
}

/// A schema lowered with Prisma's mapping (the mapping fixtures of `tests/fixtures/prisma_peer`,
/// every scalar without a native type) renders, in that flavour, without a single `@db.*`
/// attribute, and round trips; with comon_orm's mapping the same columns need attributes
/// (`@db.Timestamp(3)`), which is what a Prisma user's `db pull` must not get.
#[test]
fn prisma_flavour_rendering_writes_no_attribute_the_mapping_implies() {
    use planner::database_schema::to_prisma::render_prisma_schema_in_flavour;
    use planner::{database_schema_from_source_in_flavour, Flavour};
    for (provider, comon_orm_attribute) in [
        ("postgresql", "@db.Timestamp(3)"),
        ("sqlite", "@db.DateTime"),
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
            "../tests/fixtures/prisma_peer/mapping-rules/scalar_types_and_enums.{provider}.prisma"
        ));
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let schema = database_schema_from_source_in_flavour(&source, Flavour::Prisma)
            .unwrap_or_else(|errors| panic!("{provider}: {errors}"));
        for candidate in [schema.clone(), without_schema_names(&schema)] {
            let rendered = render_prisma_schema_in_flavour(&candidate, Flavour::Prisma);
            assert!(
                !rendered.contains("@db."),
                "{provider}: Prisma's mapping implies every type\n{rendered}"
            );
            if let Err(problem) =
                to_prisma_round_trip::check_round_trip_in_flavour(&candidate, Flavour::Prisma)
            {
                panic!("{provider}: {problem}");
            }
            assert!(
                render_prisma_schema(&candidate).contains(comon_orm_attribute),
                "{provider}: comon_orm's mapping needs {comon_orm_attribute}"
            );
        }
    }
}
