//! Validation errors: each bad schema gives the expected stable code at the expected line and
//! column, and valid schemas pass. The checks follow Prisma's.

use planner::database_schema_from_source;
use planner::parse_and_validate;

const POSTGRES: &str = "datasource db {\n  provider = \"postgresql\"\n}\n";
const SQLITE: &str = "datasource db {\n  provider = \"sqlite\"\n}\n";

/// Asserts that `models` (after a datasource block of 3 lines, so models start at line 4)
/// fails with `code` at `line:column`.
fn assert_error(datasource: &str, models: &str, code: &str, line: u32, column: u32) {
    let source = format!("{datasource}{models}");
    let errors = database_schema_from_source(&source)
        .expect_err(&format!("expected {code} for:\n{models}"))
        .errors;
    let found = errors
        .iter()
        .find(|error| error.code == code)
        .unwrap_or_else(|| panic!("expected {code}, got {errors:?}\nfor:\n{models}"));
    let span = found.span.unwrap_or_else(|| panic!("{code} has no span"));
    assert_eq!(
        (span.line, span.column),
        (line, column),
        "{code} at the wrong place: {}\nfor:\n{models}",
        found.message
    );
    assert!(!found.message.is_empty());
}

#[test]
fn unknown_type() {
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  b  Strin\n}\n",
        "unknown-type",
        6,
        6,
    );
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
    assert_error(
        POSTGRES,
        &base("missing", "id"),
        "invalid-relation-fields",
        12,
        3,
    );
    assert_error(
        POSTGRES,
        &base("authorId", "email"),
        "invalid-relation-fields",
        12,
        3,
    );
    assert_error(
        POSTGRES,
        &base("authorId", "nothing"),
        "invalid-relation-fields",
        12,
        3,
    );
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
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n}\nmodel A {\n  id Int @id\n}\n",
        "duplicate-name",
        7,
        7,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  id String\n}\n",
        "duplicate-field",
        6,
        3,
    );
    assert_error(
        POSTGRES,
        "enum E {\n  a\n  a\n}\nmodel A {\n  id Int @id\n  e E\n}\n",
        "duplicate-enum-value",
        6,
        3,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  @@map(\"t\")\n}\nmodel B {\n  id Int @id\n  @@map(\"t\")\n}\n",
        "duplicate-table-name",
        8,
        7,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  x Int @map(\"y\")\n  y Int\n}\n",
        "duplicate-column-name",
        7,
        3,
    );
}

#[test]
fn duplicate_constraint_names_are_rejected() {
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  a Int @unique\n  @@unique([a])\n}\n",
        "duplicate-constraint-name",
        4,
        7,
    );
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
    let source =
        format!("{POSTGRES}model A {{\n  id Int @id\n  a Int @unique\n  @@unique([a])\n}}\n");
    let errors = parse_and_validate(&source)
        .expect_err("the unique index name is used twice")
        .errors;
    assert_eq!(errors[0].code, "duplicate-constraint-name");
}

#[test]
fn updated_at_only_on_date_time() {
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  at String @updatedAt\n}\n",
        "invalid-updated-at",
        6,
        14,
    );
}

#[test]
fn defaults_must_fit_the_field() {
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  n Int @default(\"x\")\n}\n",
        "invalid-default",
        6,
        18,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id String @id @default(autoincrement())\n}\n",
        "invalid-default",
        5,
        26,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  at Int @default(now())\n}\n",
        "invalid-default",
        6,
        19,
    );
    assert_error(
        POSTGRES,
        "enum E {\n  a\n}\nmodel A {\n  id Int @id\n  e E @default(b)\n}\n",
        "invalid-default",
        9,
        16,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  n Int @default(autoincrement())\n}\n",
        "invalid-default",
        6,
        3,
    );
}

#[test]
fn native_types_must_fit_the_provider_and_the_field() {
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  s String @db.Nonsense\n}\n",
        "invalid-native-type",
        6,
        13,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  s Int @db.VarChar(3)\n}\n",
        "invalid-native-type",
        6,
        10,
    );
    // SQLite takes the declared types real files carry, and only on the scalars they fit.
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  s Int @db.VarChar(3)\n}\n",
        "invalid-native-type",
        6,
        10,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  s String @db.Uuid(3)\n}\n",
        "invalid-native-type",
        6,
        12,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  s DateTime @db.Decimal(10, 2)\n}\n",
        "invalid-native-type",
        6,
        15,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  s Decimal @db.Decimal(10, 2, 1)\n}\n",
        "invalid-native-type",
        6,
        13,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  s String @db.Citext\n}\n",
        "invalid-native-type",
        6,
        13,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  s Json @db.DateTime\n}\n",
        "invalid-native-type",
        6,
        11,
    );
    let valid = "model A {\n  id Int @id @db.BigInt\n  at DateTime @db.DateTime\n  day DateTime? @db.Date\n  price Decimal @db.Decimal(10, 2)\n  name String @db.VarChar(255)\n  flag Boolean @db.TinyInt\n  ratio Float @db.DoublePrecision\n}\n";
    database_schema_from_source(&format!("{SQLITE}{valid}"))
        .unwrap_or_else(|errors| panic!("{errors}"));
}

#[test]
fn sqlite_reserves_names_starting_with_sqlite() {
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  @@map(\"sqlite_things\")\n}\n",
        "reserved-name",
        4,
        7,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  x Int\n  @@index([x], map: \"SQLITE_x\")\n}\n",
        "reserved-name",
        4,
        7,
    );
    // The name SQLite gives an inline UNIQUE stays readable: it is that constraint.
    database_schema_from_source(&format!(
        "{SQLITE}model A {{\n  id Int @id\n  x Int @unique(map: \"sqlite_autoindex_A_1\")\n}}\n"
    ))
    .unwrap_or_else(|errors| panic!("{errors}"));
    database_schema_from_source(&format!(
        "{POSTGRES}model A {{\n  id Int @id\n  @@map(\"sqlite_things\")\n}}\n"
    ))
    .unwrap_or_else(|errors| panic!("{errors}"));
}

#[test]
fn ids_and_unique_criteria() {
    assert_error(
        POSTGRES,
        "model A {\n  name String\n}\n",
        "missing-unique-criteria",
        4,
        7,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id Int? @id\n}\n",
        "invalid-id",
        5,
        12,
    );
    assert_error(
        POSTGRES,
        "model A {\n  a Int @id\n  b Int @id\n}\n",
        "duplicate-id",
        6,
        10,
    );
}

#[test]
fn attributes_and_providers() {
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id @primary\n}\n",
        "unknown-attribute",
        5,
        15,
    );
    assert_error(
        POSTGRES,
        "model A {\n  id Int @id\n  @@fancy\n}\n",
        "unknown-attribute",
        6,
        5,
    );
    assert_error(
        SQLITE,
        "model A {\n  id Int @id\n  tags String[]\n}\n",
        "unsupported-feature",
        6,
        8,
    );
    assert_error(
        "datasource db {\n  provider = \"mysql\"\n}\n",
        "model A {\n  id Int @id\n}\n",
        "unknown-provider",
        2,
        14,
    );
}

#[test]
fn an_unsupported_provider_is_one_error_that_names_the_supported_ones() {
    for provider in ["mysql", "sqlserver", "mongodb", "cockroachdb"] {
        let schema = format!("datasource db {{\n  provider = \"{provider}\"\n  url      = env(\"DATABASE_URL\")\n}}\n\nmodel A {{\n  id Int @id\n}}\n");
        let errors = parse_and_validate(&schema)
            .expect_err("an unsupported provider")
            .errors;
        let codes: Vec<&str> = errors.iter().map(|error| error.code.as_str()).collect();
        assert_eq!(codes, vec!["unknown-provider"], "{provider}: {errors:?}");
        assert!(
            errors[0].message.contains("\"postgresql\" and \"sqlite\""),
            "{}",
            errors[0].message
        );
    }
}

#[test]
fn a_schema_without_datasource_is_rejected() {
    let errors = parse_and_validate("model A {\n  id Int @id\n}\n")
        .expect_err("no datasource")
        .errors;
    assert_eq!(errors[0].code, "missing-datasource");
    assert_eq!(
        errors[0].span, None,
        "an error about something missing has no place in the text"
    );
}

#[test]
fn operator_classes_use_postgresql_spelling() {
    use planner::schema_language::lower::operator_class_name;
    assert_eq!(operator_class_name("JsonbPathOps"), "jsonb_path_ops");
    assert_eq!(operator_class_name("Int4MinMaxOps"), "int4_minmax_ops");
    assert_eq!(
        operator_class_name("TimestampTzMinMaxOps"),
        "timestamptz_minmax_ops"
    );
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
    assert_eq!(
        database_schema_for_provider(Provider::Sqlite, models)
            .expect("valid")
            .provider,
        Provider::Sqlite
    );
    let mismatch = database_schema_for_provider(Provider::Sqlite, &format!("{POSTGRES}{models}"))
        .expect_err("a PostgreSQL datasource");
    assert_eq!(mismatch.errors[0].code, "provider-mismatch");
}

#[test]
fn two_models_with_the_same_name_and_relations_are_an_error_not_a_panic() {
    // The second `User` has its relation field at a position the first `User` does not have:
    // validation once read that position in the first model and panicked.
    let models = "model User {\n  id Int @id\n  posts Post[]\n}\nmodel User {\n  id Int @id\n  a Int\n  b Int\n  c Int\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n";
    assert_error(POSTGRES, models, "duplicate-name", 8, 7);
    assert_error(SQLITE, models, "duplicate-name", 8, 7);
    // With the models the other way round, the error named a scalar field of the other model
    // as an ambiguous relation field.
    let swapped = "model User {\n  id Int @id\n  a Int\n  b Int\n  c Int\n  posts Post[]\n}\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n";
    let errors = database_schema_from_source(&format!("{POSTGRES}{swapped}"))
        .expect_err("duplicate models")
        .errors;
    let codes: Vec<&str> = errors.iter().map(|error| error.code.as_str()).collect();
    assert!(
        !codes.contains(&"ambiguous-relation"),
        "a relation is reported ambiguous with a field of another model: {errors:?}"
    );
    assert!(codes.contains(&"duplicate-name"), "{errors:?}");
}

#[test]
fn duplicated_and_missing_relation_targets_never_panic() {
    let cases = [
        // A relation to a model defined twice, from both copies, with different field counts.
        "model A {\n  id Int @id\n  bs B[]\n}\nmodel B {\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n}\nmodel B {\n  id Int @id\n  x Int\n  y Int\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n}\n",
        // A self relation in a duplicated model.
        "model A {\n  id Int @id\n  parentId Int?\n  parent A? @relation(\"tree\", fields: [parentId], references: [id])\n  children A[] @relation(\"tree\")\n}\nmodel A {\n  id Int @id\n  children A[] @relation(\"tree\")\n}\n",
        // A model and an enum of the same name, used as both.
        "enum A {\n  x\n}\nmodel A {\n  id Int @id\n  b B[]\n}\nmodel B {\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n  e A\n}\n",
        // Relations to a model that does not exist.
        "model B {\n  id Int @id\n  aId Int\n  a Missing @relation(fields: [aId], references: [id])\n  many Missing[]\n}\n",
        // Three self relation fields sharing one name.
        "model A {\n  id Int @id\n  p Int?\n  parent A? @relation(\"r\", fields: [p], references: [id])\n  kids A[] @relation(\"r\")\n  more A[] @relation(\"r\")\n}\n",
    ];
    for models in cases {
        for datasource in [POSTGRES, SQLITE] {
            let result = std::panic::catch_unwind(|| {
                database_schema_from_source(&format!("{datasource}{models}"))
            });
            let errors = result
                .unwrap_or_else(|_| panic!("validation panicked on:\n{models}"))
                .expect_err("invalid schema")
                .errors;
            assert!(
                errors.iter().all(|error| error.span.is_some()),
                "an error without a place: {errors:?}"
            );
        }
    }
}

#[test]
fn names_over_63_bytes_are_an_error_on_postgresql() {
    let long = "a".repeat(64);
    let fits = "a".repeat(63);
    let model = |attributes: &str, field_attributes: &str| {
        format!("model A {{\n  id Int @id\n  x Int{field_attributes}\n  {attributes}\n}}\n")
    };
    // Line 4 is `model A {`, line 6 the field `x`, line 7 the block attribute.
    assert_error(
        POSTGRES,
        &model(&format!("@@map(\"{long}\")"), ""),
        "identifier-too-long",
        7,
        9,
    );
    assert_error(
        POSTGRES,
        &model("", &format!(" @map(\"{long}\")")),
        "identifier-too-long",
        6,
        14,
    );
    assert_error(
        POSTGRES,
        &model("", &format!(" @unique(map: \"{long}\")")),
        "identifier-too-long",
        6,
        22,
    );
    assert_error(
        POSTGRES,
        &model(&format!("@@index([x], map: \"{long}\")"), ""),
        "identifier-too-long",
        7,
        21,
    );
    assert_error(
        POSTGRES,
        &model(&format!("@@index([x], name: \"{long}\")"), ""),
        "identifier-too-long",
        7,
        22,
    );
    assert_error(
        POSTGRES,
        &model(&format!("@@unique([x], map: \"{long}\")"), ""),
        "identifier-too-long",
        7,
        22,
    );
    assert_error(
        POSTGRES,
        &format!("model A {{\n  id Int @id(map: \"{long}\")\n}}\n"),
        "identifier-too-long",
        5,
        19,
    );
    assert_error(
        POSTGRES,
        &format!("model A {{\n  a Int\n  b Int\n  @@id([a, b], map: \"{long}\")\n}}\n"),
        "identifier-too-long",
        7,
        21,
    );
    assert_error(
        POSTGRES,
        &format!("model {long} {{\n  id Int @id\n}}\n"),
        "identifier-too-long",
        4,
        7,
    );
    assert_error(
        POSTGRES,
        &format!("model A {{\n  id Int @id\n  {long} Int\n}}\n"),
        "identifier-too-long",
        6,
        3,
    );
    assert_error(
        POSTGRES,
        &format!("model A {{\n  id Int @id\n  bs B[]\n}}\nmodel B {{\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id], map: \"{long}\")\n}}\n"),
        "identifier-too-long",
        11,
        55,
    );
    let enum_schema =
        |enum_block: &str| format!("{enum_block}\nmodel A {{\n  id Int @id\n  e E\n}}\n");
    assert_error(
        POSTGRES,
        &enum_schema(&format!("enum E {{\n  x\n  @@map(\"{long}\")\n}}")),
        "identifier-too-long",
        6,
        9,
    );
    assert_error(
        POSTGRES,
        &enum_schema(&format!("enum E {{\n  x @map(\"{long}\")\n}}")),
        "identifier-too-long",
        5,
        10,
    );
    assert_error(
        POSTGRES,
        &enum_schema(&format!("enum E {{\n  {long}\n}}")),
        "identifier-too-long",
        5,
        3,
    );
    assert_error(
        POSTGRES,
        &format!("enum {long} {{\n  x\n}}\nmodel A {{\n  id Int @id\n  e {long}\n}}\n"),
        "identifier-too-long",
        4,
        6,
    );
    // 63 bytes fit, SQLite has no such limit, and a multi-byte name counts bytes, not characters.
    database_schema_from_source(&format!(
        "{POSTGRES}{}",
        model(&format!("@@map(\"{fits}\")"), &format!(" @map(\"{fits}\")"))
    ))
    .unwrap_or_else(|errors| panic!("{errors}"));
    database_schema_from_source(&format!(
        "{SQLITE}{}",
        model(&format!("@@map(\"{long}\")"), &format!(" @map(\"{long}\")"))
    ))
    .unwrap_or_else(|errors| panic!("{errors}"));
    let wide = "é".repeat(32);
    assert_error(
        POSTGRES,
        &model(&format!("@@map(\"{wide}\")"), ""),
        "identifier-too-long",
        7,
        9,
    );
}

#[test]
fn long_model_names_keep_their_shortened_default_constraint_names() {
    // Generated names over 63 bytes are shortened with a hash, so they never trip the check.
    let name = format!("M{}", "a".repeat(62));
    let models = format!("model {name} {{\n  id Int @id\n  someLongFieldName Int @unique\n  @@index([someLongFieldName, id])\n}}\n");
    database_schema_from_source(&format!("{POSTGRES}{models}"))
        .unwrap_or_else(|errors| panic!("{errors}"));
}

#[test]
fn a_list_field_cannot_hold_a_foreign_key() {
    assert_error(
        POSTGRES,
        "model User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorIds Int[]\n  author User @relation(fields: [authorIds], references: [id])\n}\n",
        "invalid-relation-fields",
        11,
        3,
    );
    assert_error(
        POSTGRES,
        "model User {\n  id Int @id\n  codes Int[] @unique\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  code Int\n  author User @relation(fields: [code], references: [codes])\n}\n",
        "invalid-relation-fields",
        12,
        3,
    );
}

#[test]
fn relations_of_duplicate_models_are_errors_not_a_panic() {
    // Found by the plan_two_schemas fuzz target: the ambiguity check looked the second field up
    // in the first model of the same name.
    let models = "model A {\n  id Int @id\n  b  B\n}\nmodel A {\n  id Int @id\n  c  Int\n  d  Int\n  b  B\n}\nmodel B {\n  id Int @id\n}\n";
    let errors = database_schema_from_source(&format!("{POSTGRES}{models}"))
        .expect_err("duplicate models are invalid")
        .errors;
    assert!(
        errors.iter().any(|error| error.code == "duplicate-name"),
        "{errors:?}"
    );
}

#[test]
fn a_table_name_that_starts_with_a_multi_byte_character_is_not_a_panic() {
    // Found by the hostile-identifiers trial: the check for SQLite's reserved `sqlite_` prefix
    // cut the name at byte 7, inside a two-byte character.
    let models = "model A {\n  id Int @id\n  @@map(\"ünïcödé\")\n}\n";
    database_schema_from_source(&format!("{SQLITE}{models}"))
        .unwrap_or_else(|errors| panic!("{errors}"));
}

#[test]
fn sqlite_allows_autoincrement_only_on_the_single_id() {
    // Two auto-increment fields: one error for the model (at the second field), and the
    // non-id one is an error of its own, as in Prisma.
    let two =
        "model A {\n  id Int @id @default(autoincrement())\n  n Int @default(autoincrement())\n}\n";
    assert_error(SQLITE, two, "multiple-autoincrement", 6, 3);
    assert_error(SQLITE, two, "invalid-default", 6, 3);
    // Both in a composite id: neither is the single id.
    assert_error(
        SQLITE,
        "model A {\n  a Int @default(autoincrement())\n  b Int @default(autoincrement())\n  @@id([a, b])\n}\n",
        "multiple-autoincrement",
        6,
        3,
    );
    // A non-id field, before the id field.
    assert_error(
        SQLITE,
        "model A {\n  n Int @unique @default(autoincrement())\n  id Int @id\n}\n",
        "invalid-default",
        5,
        3,
    );
    // PostgreSQL has sequences: any number of fields may use them.
    assert!(database_schema_from_source(&format!("{POSTGRES}{two}")).is_ok());
    // The single id, given by `@id` or by a one-field `@@id` after the fields, is valid.
    for valid in [
        "model A {\n  id Int @id @default(autoincrement())\n  n Int\n}\n",
        "model A {\n  a Int @default(autoincrement())\n  @@id([a])\n}\n",
    ] {
        let source = format!("{SQLITE}{valid}");
        if let Err(error) = database_schema_from_source(&source) {
            panic!("expected valid:\n{valid}\n{:?}", error.errors);
        }
    }
}
