//! Validation errors: each bad schema gives the expected stable code at the expected line and
//! column, and valid schemas pass. The checks follow Prisma's.

use planner::database_schema_from_source;
use planner::schema_language::parse_and_validate;

const POSTGRES: &str = "datasource db {\n  provider = \"postgresql\"\n}\n";
const SQLITE: &str = "datasource db {\n  provider = \"sqlite\"\n}\n";

/// Asserts that `models` (after a datasource block of 3 lines, so models start at line 4)
/// fails with `code` at `line:column`.
fn assert_error(datasource: &str, models: &str, code: &str, line: u32, column: u32) {
    let source = format!("{datasource}{models}");
    let errors = database_schema_from_source(&source).expect_err(&format!("expected {code} for:\n{models}")).errors;
    let found = errors.iter().find(|error| error.code == code).unwrap_or_else(|| panic!("expected {code}, got {errors:?}\nfor:\n{models}"));
    let span = found.span.unwrap_or_else(|| panic!("{code} has no span"));
    assert_eq!((span.line, span.column), (line, column), "{code} at the wrong place: {}\nfor:\n{models}", found.message);
    assert!(!found.message.is_empty());
}

#[test]
fn unknown_type() {
    assert_error(POSTGRES, "model A {\n  id Int @id\n  b  Strin\n}\n", "unknown-type", 6, 6);
}

#[test]
fn missing_opposite_relation_field() {
    assert_error(
        POSTGRES,
        "model User {\n  id Int @id\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n",
        "missing-opposite-relation",
        10,
        3,
    );
}

#[test]
fn relation_fields_must_exist_and_reference_a_unique_criterion() {
    let base = |fields: &str, references: &str| {
        format!(
            "model User {{\n  id Int @id\n  email String\n  posts Post[]\n}}\nmodel Post {{\n  id Int @id\n  authorId Int\n  author User @relation(fields: [{fields}], references: [{references}])\n}}\n"
        )
    };
    assert_error(POSTGRES, &base("missing", "id"), "invalid-relation-fields", 12, 3);
    assert_error(POSTGRES, &base("authorId", "email"), "invalid-relation-fields", 12, 3);
    assert_error(POSTGRES, &base("authorId", "nothing"), "invalid-relation-fields", 12, 3);
}

#[test]
fn relation_field_types_must_match() {
    assert_error(
        POSTGRES,
        "model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId String\n  author User @relation(fields: [authorId], references: [id])\n}\n",
        "invalid-relation-fields",
        11,
        3,
    );
}

#[test]
fn list_side_only_is_not_enough() {
    assert_error(
        POSTGRES,
        "model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  author User\n}\n",
        "invalid-relation-fields",
        10,
        3,
    );
}

#[test]
fn ambiguous_relations_need_names() {
    assert_error(
        POSTGRES,
        "model User {\n  id Int @id\n  written Post[]\n  edited Post[]\n}\nmodel Post {\n  id Int @id\n  a Int\n  b Int\n  author User @relation(fields: [a], references: [id])\n  editor User @relation(fields: [b], references: [id])\n}\n",
        "ambiguous-relation",
        7,
        3,
    );
}

#[test]
fn duplicate_names() {
    assert_error(POSTGRES, "model A {\n  id Int @id\n}\nmodel A {\n  id Int @id\n}\n", "duplicate-name", 7, 7);
    assert_error(POSTGRES, "model A {\n  id Int @id\n  id String\n}\n", "duplicate-field", 6, 3);
    assert_error(POSTGRES, "enum E {\n  a\n  a\n}\nmodel A {\n  id Int @id\n  e E\n}\n", "duplicate-enum-value", 6, 3);
    assert_error(POSTGRES, "model A {\n  id Int @id\n  @@map(\"t\")\n}\nmodel B {\n  id Int @id\n  @@map(\"t\")\n}\n", "duplicate-table-name", 8, 7);
    assert_error(POSTGRES, "model A {\n  id Int @id\n  x Int @map(\"y\")\n  y Int\n}\n", "duplicate-column-name", 7, 3);
}

#[test]
fn duplicate_constraint_names_are_rejected() {
    assert_error(POSTGRES, "model A {\n  id Int @id\n  a Int @unique\n  @@unique([a])\n}\n", "duplicate-constraint-name", 4, 7);
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  x Int\n  @@index([x], map: \"same\")\n}\nmodel B {\n  id Int @id\n  y Int\n  @@index([y], map: \"same\")\n}\n",
        "duplicate-constraint-name",
        9,
        7,
    );
}

#[test]
fn validation_alone_reports_duplicate_constraint_names() {
    // `comon validate` and the npm `validate` stop at validation, without planning.
    let source = format!("{POSTGRES}model A {{\n  id Int @id\n  a Int @unique\n  @@unique([a])\n}}\n");
    let errors = parse_and_validate(&source).expect_err("the unique index name is used twice").errors;
    assert_eq!(errors[0].code, "duplicate-constraint-name");
}

#[test]
fn updated_at_only_on_date_time() {
    assert_error(POSTGRES, "model A {\n  id Int @id\n  at String @updatedAt\n}\n", "invalid-updated-at", 6, 14);
}

#[test]
fn defaults_must_fit_the_field() {
    assert_error(POSTGRES, "model A {\n  id Int @id\n  n Int @default(\"x\")\n}\n", "invalid-default", 6, 18);
    assert_error(POSTGRES, "model A {\n  id String @id @default(autoincrement())\n}\n", "invalid-default", 5, 26);
    assert_error(POSTGRES, "model A {\n  id Int @id\n  at Int @default(now())\n}\n", "invalid-default", 6, 19);
    assert_error(POSTGRES, "enum E {\n  a\n}\nmodel A {\n  id Int @id\n  e E @default(b)\n}\n", "invalid-default", 9, 16);
    assert_error(SQLITE, "model A {\n  id Int @id\n  n Int @default(autoincrement())\n}\n", "invalid-default", 6, 3);
}

#[test]
fn native_types_must_fit_the_provider_and_the_field() {
    assert_error(POSTGRES, "model A {\n  id Int @id\n  s String @db.Nonsense\n}\n", "invalid-native-type", 6, 13);
    assert_error(POSTGRES, "model A {\n  id Int @id\n  s Int @db.VarChar(3)\n}\n", "invalid-native-type", 6, 10);
    assert_error(SQLITE, "model A {\n  id Int @id\n  s String @db.VarChar(3)\n}\n", "invalid-native-type", 6, 13);
}

#[test]
fn ids_and_unique_criteria() {
    assert_error(POSTGRES, "model A {\n  name String\n}\n", "missing-unique-criteria", 4, 7);
    assert_error(POSTGRES, "model A {\n  id Int? @id\n}\n", "invalid-id", 5, 12);
    assert_error(POSTGRES, "model A {\n  a Int @id\n  b Int @id\n}\n", "duplicate-id", 6, 10);
}

#[test]
fn attributes_and_providers() {
    assert_error(POSTGRES, "model A {\n  id Int @id @primary\n}\n", "unknown-attribute", 5, 15);
    assert_error(POSTGRES, "model A {\n  id Int @id\n  @@fancy\n}\n", "unknown-attribute", 6, 5);
    assert_error(SQLITE, "model A {\n  id Int @id\n  tags String[]\n}\n", "unsupported-feature", 6, 8);
    assert_error(
        "datasource db {\n  provider = \"mysql\"\n}\n",
        "model A {\n  id Int @id\n}\n",
        "unknown-provider",
        2,
        14,
    );
}

#[test]
fn a_schema_without_datasource_is_rejected() {
    let errors = parse_and_validate("model A {\n  id Int @id\n}\n").expect_err("no datasource").errors;
    assert_eq!(errors[0].code, "missing-datasource");
    assert_eq!(errors[0].span, None, "an error about something missing has no place in the text");
}

#[test]
fn operator_classes_use_postgresql_spelling() {
    use planner::schema_language::lower::operator_class_name;
    assert_eq!(operator_class_name("JsonbPathOps"), "jsonb_path_ops");
    assert_eq!(operator_class_name("Int4MinMaxOps"), "int4_minmax_ops");
    assert_eq!(operator_class_name("TimestampTzMinMaxOps"), "timestamptz_minmax_ops");
    assert_eq!(operator_class_name("TimeTzBloomOps"), "timetz_bloom_ops");
    assert_eq!(operator_class_name("VarBitMinMaxOps"), "varbit_minmax_ops");
}

#[test]
fn a_realistic_schema_is_valid() {
    let source = format!(
        "{POSTGRES}\nenum Role {{\n  USER\n  ADMIN @map(\"admin\")\n  @@map(\"role\")\n}}\n\nmodel User {{\n  id        String   @id @default(cuid())\n  email     String   @unique @db.Citext\n  role      Role     @default(USER)\n  tags      String[] @default([\"a\"])\n  createdAt DateTime @default(now()) @map(\"created_at\")\n  updatedAt DateTime @updatedAt\n  posts     Post[]\n  groups    Group[]\n  @@map(\"users\")\n}}\n\nmodel Post {{\n  id       Int    @id @default(autoincrement())\n  authorId String\n  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)\n  data     Json   @default(\"{{}}\")\n  @@index([authorId], type: Hash)\n  @@index([data(ops: JsonbPathOps)], type: Gin)\n}}\n\nmodel Group {{\n  id    Int    @id\n  users User[]\n}}\n"
    );
    let schema = database_schema_from_source(&source).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(schema.tables.len(), 4, "three models and one join table");
}

#[test]
fn text_read_for_a_provider_takes_it_or_reports_a_mismatch() {
    use planner::{database_schema_for_provider, Provider};
    let models = "model A {\n  id Int @id\n}\n";
    assert_eq!(database_schema_for_provider(Provider::Sqlite, models).expect("valid").provider, Provider::Sqlite);
    let mismatch = database_schema_for_provider(Provider::Sqlite, &format!("{POSTGRES}{models}")).expect_err("a PostgreSQL datasource");
    assert_eq!(mismatch.errors[0].code, "provider-mismatch");
}

#[test]
fn relations_of_duplicate_models_are_errors_not_a_panic() {
    // Found by the plan_two_schemas fuzz target: the ambiguity check looked the second field up
    // in the first model of the same name.
    let models = "model A {\n  id Int @id\n  b  B\n}\nmodel A {\n  id Int @id\n  c  Int\n  d  Int\n  b  B\n}\nmodel B {\n  id Int @id\n}\n";
    let errors = database_schema_from_source(&format!("{POSTGRES}{models}")).expect_err("duplicate models are invalid").errors;
    assert!(errors.iter().any(|error| error.code == "duplicate-name"), "{errors:?}");
}
