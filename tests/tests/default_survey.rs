//! A survey of every default the schema language can write, on real databases: each case is a
//! model with one field; the schema is built from empty on PostgreSQL and SQLite, introspected,
//! and the database must then diff empty against the schema in both directions (a drift check
//! compares exactly these). PostgreSQL rewrites many defaults in its own spelling (`jsonb`
//! reorders keys, `bytea` prints hex, timestamps come back in the session's time zone, casts
//! are added), so each of them is a case here. The pulled schema (`db pull`) of the database
//! must describe it too.
//!
//! The PostgreSQL database runs with a time zone that is neither UTC nor a whole hour away, so
//! that timestamps are printed with an offset.

use planner::database_schema::to_prisma::render_prisma_schema;
use planner::{
    database_schema_from_source, plan_migration, render_plan, DatabaseSchema, DiffOptions,
    MigrationPlan, MigrationStep, Provider,
};
use tests::{TemporaryPostgresDatabase, TemporarySqliteDatabase};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    Both,
    Postgresql,
    Sqlite,
}

use Only::{Both, Postgresql as Pg, Sqlite as Lite};

/// `(providers, field)`: the field is `value <field>`; a field with `@id` is the model's id,
/// otherwise the model gets `id Int @id` as well.
const CASES: &[(Only, &str)] = &[
    // Strings, with every character that needs escaping somewhere.
    (Both, r#"String @default("plain")"#),
    (Both, r#"String @default("")"#),
    (Both, r#"String @default("it's")"#),
    (Both, r#"String @default("say \"hi\"")"#),
    (Both, r#"String @default("back\\slash")"#),
    (
        Both,
        r#"String @default("two \\\\ backslashes and \\n not a newline")"#,
    ),
    (Both, r#"String @default("é ☃ 😀")"#),
    (Both, r#"String @default("line\nbreak")"#),
    (Both, r#"String @default("tab\there")"#),
    (Both, r#"String @default("42")"#),
    (Both, r#"String @default("-1.50")"#),
    (Both, r#"String @default("true")"#),
    (Both, r#"String @default("NULL")"#),
    (Both, r#"String @default("null")"#),
    (Both, r#"String @default("now()")"#),
    (Both, r#"String @default("CURRENT_TIMESTAMP")"#),
    (Both, r#"String @default("(1)")"#),
    (Both, r#"String @default("2024-01-01T00:00:00Z")"#),
    (Both, r#"String @default("{\"b\": 1, \"a\": 2}")"#),
    (Both, r#"String? @default("optional")"#),
    (Both, r#"String @default(uuid())"#),
    (Both, r#"String @default(cuid())"#),
    (Both, r#"String @default(nanoid())"#),
    (Both, r#"String @default(ulid())"#),
    (Both, r#"String @id @default(uuid())"#),
    (Both, r#"String @db.Text @default("text")"#),
    (Pg, r#"String @db.VarChar(20) @default("varchar")"#),
    (Pg, r#"String @db.VarChar @default("unbounded")"#),
    (Pg, r#"String @db.Char(3) @default("ab")"#),
    (Pg, r#"String @db.Char(3) @default("abc")"#),
    (
        Pg,
        r#"String @db.Uuid @default("00000000-0000-0000-0000-00000000000A")"#,
    ),
    (
        Pg,
        r#"String @db.Uuid @default(dbgenerated("gen_random_uuid()"))"#,
    ),
    (Pg, r#"String @db.Inet @default("127.0.0.1")"#),
    (Pg, r#"String @db.Inet @default("10.0.0.0/8")"#),
    (Pg, r#"String @db.Xml @default("<a>b</a>")"#),
    (Pg, r#"String @db.Bit(3) @default("101")"#),
    (Pg, r#"String @db.VarBit(5) @default("11")"#),
    (Pg, r#"String @db.Citext @default("MiXeD")"#),
    (Pg, r#"String @default(dbgenerated("'x'::text"))"#),
    (Pg, r#"String @default(dbgenerated("'x'"))"#),
    (
        Pg,
        r#"String @db.VarChar(10) @default(dbgenerated("'x'::character varying"))"#,
    ),
    (Pg, r#"String @default(dbgenerated("lower('ABC')"))"#),
    (Pg, r#"String @default(dbgenerated("(lower('ABC'))"))"#),
    (Pg, r#"String @default(dbgenerated("md5(random()::text)"))"#),
    (Lite, r#"String @default(dbgenerated("'x'"))"#),
    (Lite, r#"String @default(dbgenerated("lower('ABC')"))"#),
    (
        Lite,
        r#"String @default(dbgenerated("(lower(hex(randomblob(16))))"))"#,
    ),
    // Integers.
    (Both, r#"Int @default(0)"#),
    (Both, r#"Int @default(-1)"#),
    (Both, r#"Int @default(42)"#),
    (Both, r#"Int @default(2147483647)"#),
    (Both, r#"Int @default(-2147483648)"#),
    (Both, r#"Int @id @default(autoincrement())"#),
    (Both, r#"Int @db.Integer @default(3)"#),
    (Pg, r#"Int @db.SmallInt @default(-5)"#),
    (Pg, r#"Int @db.Oid @default(7)"#),
    (Pg, r#"Int @default(dbgenerated("(1 + 2)"))"#),
    (Lite, r#"Int @default(dbgenerated("(1 + 2)"))"#),
    (Both, r#"BigInt @default(0)"#),
    (Both, r#"BigInt @default(42)"#),
    (Both, r#"BigInt @default(9223372036854775807)"#),
    (Both, r#"BigInt @default(-9223372036854775808)"#),
    (Both, r#"BigInt @id @default(autoincrement())"#),
    (Lite, r#"BigInt @db.Integer @default(5)"#),
    // Floating point and decimals: exponents, trailing zeros, values binary floats cannot hold.
    (Both, r#"Float @default(1.5)"#),
    (Both, r#"Float @default(-0.5)"#),
    (Both, r#"Float @default(0)"#),
    (Both, r#"Float @default(0.1)"#),
    (Both, r#"Float @default(1.0)"#),
    (Both, r#"Float @default(100)"#),
    (Both, r#"Float @default(1e10)"#),
    (Both, r#"Float @default(1.5e-7)"#),
    (Both, r#"Float @default(3.141592653589793)"#),
    (Pg, r#"Float @db.Real @default(0.1)"#),
    (Pg, r#"Float @db.DoublePrecision @default(2.5)"#),
    (Pg, r#"Float @db.Decimal(10, 2) @default(1.5)"#),
    (Lite, r#"Float @db.Numeric @default(1.5)"#),
    (Lite, r#"Float @db.Real @default(0.25)"#),
    (Both, r#"Decimal @default(1.50)"#),
    (Both, r#"Decimal @default(0)"#),
    (Both, r#"Decimal @default(-2.25)"#),
    (Both, r#"Decimal @default("1.50")"#),
    (Both, r#"Decimal @default(123456789.123456789)"#),
    (Both, r#"Decimal @default(1e3)"#),
    (
        Both,
        r#"Decimal @default(0.123456789012345678901234567890)"#,
    ),
    (
        Pg,
        r#"Decimal @db.Decimal(65, 30) @default(-0.000000000000000000000000000001)"#,
    ),
    (Pg, r#"Decimal @db.Decimal(10, 2) @default(1.5)"#),
    (Pg, r#"Decimal @db.Numeric(10, 2) @default(7)"#),
    (Pg, r#"Decimal @db.Money @default(12.34)"#),
    (Lite, r#"Decimal @db.Numeric @default(3.0)"#),
    (Lite, r#"Decimal @db.Text @default("1.5")"#),
    // Booleans.
    (Both, r#"Boolean @default(true)"#),
    (Both, r#"Boolean @default(false)"#),
    (Lite, r#"Boolean @db.Integer @default(true)"#),
    (Pg, r#"Boolean @default(dbgenerated("true"))"#),
    // Date and time: literals in several spellings, now() in several spellings.
    (Both, r#"DateTime @default(now())"#),
    (Both, r#"DateTime @updatedAt"#),
    (Both, r#"DateTime @default("2024-01-01T00:00:00Z")"#),
    (Both, r#"DateTime @default("2024-01-01T00:00:00.123Z")"#),
    (Both, r#"DateTime @default("2024-06-01T12:30:00+02:00")"#),
    (Both, r#"DateTime @default("2024-01-01T00:00:00.123456Z")"#),
    (
        Both,
        r#"DateTime @default(dbgenerated("CURRENT_TIMESTAMP"))"#,
    ),
    (Pg, r#"DateTime @default(dbgenerated("now()"))"#),
    (
        Pg,
        r#"DateTime @default(dbgenerated("(now() + '1 day'::interval)"))"#,
    ),
    (
        Lite,
        r#"DateTime @default(dbgenerated("(datetime('now'))"))"#,
    ),
    (Pg, r#"DateTime @db.Timestamp(3) @default(now())"#),
    (
        Pg,
        r#"DateTime @db.Timestamp(3) @default("2024-01-01T00:00:00.123Z")"#,
    ),
    (
        Pg,
        r#"DateTime @db.Timestamp @default("2024-01-01T10:00:00+05:00")"#,
    ),
    (
        Pg,
        r#"DateTime @db.Timestamp(3) @default("2024-01-01T00:00:00.123456Z")"#,
    ),
    (
        Pg,
        r#"DateTime @db.Timestamptz(0) @default("2024-01-01T00:00:00.6Z")"#,
    ),
    (Pg, r#"String @db.VarChar(3) @default("abc")"#),
    (Pg, r#"Decimal @db.Decimal(5, 2) @default(1.005)"#),
    (
        Pg,
        r#"DateTime @db.Timestamptz(6) @default("2024-01-01T00:00:00.5Z")"#,
    ),
    (Pg, r#"DateTime @db.Date @default("2024-01-01T00:00:00Z")"#),
    (
        Pg,
        r#"DateTime @db.Date @default("2024-06-01T00:30:00+02:00")"#,
    ),
    (Pg, r#"DateTime @db.Date @default(now())"#),
    (
        Pg,
        r#"DateTime @db.Timestamptz(3) @default("2024-06-01T00:30:00+02:00")"#,
    ),
    (
        Pg,
        r#"DateTime @db.Time(3) @default("1970-01-01T12:30:00.25+02:00")"#,
    ),
    (
        Pg,
        r#"DateTime @db.Timetz @default("1970-01-01T12:30:00+02:00")"#,
    ),
    (
        Pg,
        r#"DateTime @db.Time(3) @default("1970-01-01T12:30:00Z")"#,
    ),
    (Pg, r#"DateTime @db.Time @default(now())"#),
    (
        Pg,
        r#"DateTime @db.Timetz(3) @default("1970-01-01T12:30:00Z")"#,
    ),
    // JSON: PostgreSQL's jsonb normalises key order, spacing and numbers.
    (Both, r#"Json @default("{}")"#),
    (Both, r#"Json @default("[]")"#),
    (Both, r#"Json @default("{\"zeta\": 1, \"alpha\": 2}")"#),
    (Both, r#"Json @default("{\"a\":1,\"b\":[1,2.50,\"x\"]}")"#),
    (Both, r#"Json @default("[1, 2.50, \"x\", null, true]")"#),
    (Both, r#"Json @default("\"a string\"")"#),
    (Both, r#"Json @default("null")"#),
    (Both, r#"Json @default("1")"#),
    (Both, r#"Json @default("1e2")"#),
    (Both, r#"Json @default("true")"#),
    (
        Both,
        r#"Json @default("{\"nested\": {\"b\": [1, {\"c\": null}], \"a\": \"\\u00e9\"}}")"#,
    ),
    (Both, r#"Json @default("{\"dup\": 1, \"dup\": 2}")"#),
    (Both, r#"Json @default("{\"quote\": \"it's\"}")"#),
    (
        Pg,
        r#"Json @db.Json @default("{\"zeta\": 1, \"alpha\": 2}")"#,
    ),
    (
        Pg,
        r#"Json @db.JsonB @default("{\"zeta\": 1,   \"alpha\": 2}")"#,
    ),
    // Bytes: PostgreSQL prints bytea in hex.
    (Both, r#"Bytes @default("hello")"#),
    (Both, r#"Bytes @default("")"#),
    (Pg, r#"Bytes @default("\\x0102ff")"#),
    (Pg, r#"Bytes @db.ByteA @default("é")"#),
    // Enums, with a mapped value.
    (Both, r#"Mood @default(happy)"#),
    (Both, r#"Mood @default(sad)"#),
    (Both, r#"Mood? @default(sad)"#),
    // Lists (PostgreSQL arrays) of every scalar.
    (Pg, r#"String[] @default(["a", "b"])"#),
    (Pg, r#"String[] @default([])"#),
    (
        Pg,
        r#"String[] @default(["it's", "say \"hi\"", "back\\slash", "with,comma", "{brace}", " spaced ", "NULL", ""])"#,
    ),
    (Pg, r#"String[] @db.VarChar(5) @default(["ab"])"#),
    (
        Pg,
        r#"String[] @db.Uuid @default(["00000000-0000-0000-0000-00000000000B"])"#,
    ),
    (
        Pg,
        r#"DateTime[] @db.Date @default(["2024-06-01T00:30:00+02:00"])"#,
    ),
    (Pg, r#"Json[] @db.Json @default(["{\"b\":   1}"])"#),
    (Pg, r#"Int[] @default([1, 2])"#),
    (Pg, r#"Int[] @default([])"#),
    (Pg, r#"Int[] @default([-1])"#),
    (Pg, r#"BigInt[] @default([1, 9223372036854775807])"#),
    (Pg, r#"Float[] @default([1.5, 0.1, 1e10])"#),
    (Pg, r#"Decimal[] @default([1.50, 2])"#),
    (Pg, r#"Boolean[] @default([true, false])"#),
    (
        Pg,
        r#"DateTime[] @default(["2024-01-01T00:00:00Z", "2024-06-01T12:30:00+02:00"])"#,
    ),
    (Pg, r#"Json[] @default(["{\"b\": 1, \"a\": 2}", "[]"])"#),
    (Pg, r#"Bytes[] @default(["hello"])"#),
    (Pg, r#"Mood[] @default([happy, sad])"#),
    (Pg, r#"Mood[] @default([])"#),
];

const ENUM_BLOCK: &str = "enum Mood {\n  happy\n  sad @map(\"SAD\")\n}\n";

fn applies(only: Only, provider: Provider) -> bool {
    match only {
        Both => true,
        Pg => provider == Provider::Postgresql,
        Lite => provider == Provider::Sqlite,
    }
}

/// The cases of a provider as `(model name, field)`, and the schema text holding them.
fn survey_schema(provider: Provider) -> (Vec<(String, &'static str)>, String) {
    let cases: Vec<(String, &'static str)> = CASES
        .iter()
        .enumerate()
        .filter(|(_, (only, _))| applies(*only, provider))
        .map(|(position, (_, field))| (format!("Case{position:03}"), *field))
        .collect();
    let mut text = format!(
        "datasource db {{\n  provider = \"{}\"\n}}\n\n{ENUM_BLOCK}",
        provider.as_str()
    );
    for (model, field) in &cases {
        text.push_str(&format!("\nmodel {model} {{\n"));
        if !field.contains("@id") {
            text.push_str("  id    Int @id\n");
        }
        text.push_str(&format!("  value {field}\n}}\n"));
    }
    (cases, text)
}

/// The tables a plan touches.
fn touched_tables(plan: &MigrationPlan) -> Vec<String> {
    let mut tables = Vec::new();
    for step in &plan.steps {
        match step {
            MigrationStep::AlterTable { table, .. }
            | MigrationStep::CreateIndex { table, .. }
            | MigrationStep::DropIndex { table, .. }
            | MigrationStep::RenameIndex { table, .. }
            | MigrationStep::DropForeignKey { table, .. }
            | MigrationStep::AddForeignKey { table, .. }
            | MigrationStep::RenameConstraint { table, .. }
            | MigrationStep::DropTable { table } => tables.push(table.clone()),
            MigrationStep::CreateTable { table } => tables.push(table.name.clone()),
            MigrationStep::RebuildTables { rebuilds } => {
                tables.extend(rebuilds.iter().map(|rebuild| rebuild.next.name.clone()))
            }
            MigrationStep::RenameTable { next_name, .. } => tables.push(next_name.clone()),
            other => tables.push(format!("{other:?}")),
        }
    }
    tables
}

/// Every case whose table a plan touches, with the default on both sides, for the report.
fn mismatches(
    label: &str,
    plan: &MigrationPlan,
    cases: &[(String, &str)],
    live: &DatabaseSchema,
    wanted: &DatabaseSchema,
) -> Vec<String> {
    let mut problems = Vec::new();
    let touched = touched_tables(plan);
    for table in &touched {
        let field = cases
            .iter()
            .find(|(model, _)| model == table)
            .map(|(_, field)| *field)
            .unwrap_or("(not a case)");
        let default_in = |schema: &DatabaseSchema| {
            schema
                .table(table)
                .and_then(|table| table.column("value"))
                .map(|column| format!("{:?} {:?}", column.column_type, column.default))
                .unwrap_or_default()
        };
        problems.push(format!(
            "{label}: {table} `{field}`\n    database: {}\n    schema:   {}",
            default_in(live),
            default_in(wanted)
        ));
    }
    if problems.is_empty() && !plan.steps.is_empty() {
        problems.push(format!("{label}: {}", render_plan(plan).sql));
    }
    problems
}

fn survey(provider: Provider, database: &mut comon_database::Database) {
    let (cases, text) = survey_schema(provider);
    let wanted = database_schema_from_source(&text)
        .unwrap_or_else(|errors| panic!("the survey schema is invalid:\n{errors}"));
    let creation = plan_migration(
        &DatabaseSchema::empty(provider),
        &wanted,
        &DiffOptions::default(),
    )
    .unwrap();
    if let Err(error) = database.apply_statements(&render_plan(&creation).statements) {
        panic!("building the survey from empty failed on {provider}: {error}");
    }
    let live = database.introspect().unwrap();
    let mut problems = Vec::new();
    let to_schema = plan_migration(&live, &wanted, &DiffOptions::default()).unwrap();
    problems.extend(mismatches(
        "database -> schema",
        &to_schema,
        &cases,
        &live,
        &wanted,
    ));
    let to_database = plan_migration(&wanted, &live, &DiffOptions::default()).unwrap();
    problems.extend(mismatches(
        "schema -> database",
        &to_database,
        &cases,
        &live,
        &wanted,
    ));
    // `db pull`: the rendered schema of the database validates and describes it.
    let pulled_text = render_prisma_schema(&live);
    match database_schema_from_source(&pulled_text) {
        Ok(pulled) => {
            let pulled_plan = plan_migration(&live, &pulled, &DiffOptions::default()).unwrap();
            problems.extend(mismatches(
                "database -> pulled schema",
                &pulled_plan,
                &cases,
                &live,
                &pulled,
            ));
        }
        Err(errors) => problems.push(format!(
            "the pulled schema does not validate:\n{errors}\n{pulled_text}"
        )),
    }
    assert!(
        problems.is_empty(),
        "{} default mismatches on {provider}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    println!("{} default cases diff empty on {provider}", cases.len());
}

#[test]
fn every_default_diffs_empty_against_a_postgresql_database_built_from_it() {
    let temporary = TemporaryPostgresDatabase::new();
    temporary
        .open()
        .execute_batch(&format!(
            "CREATE EXTENSION IF NOT EXISTS citext; ALTER DATABASE {} SET timezone TO 'America/St_Johns';",
            comon_database::quote_identifier(temporary.name())
        ))
        .unwrap();
    // A new connection picks the database's time zone up.
    let mut database = temporary.open();
    survey(Provider::Postgresql, &mut database);
}

#[test]
fn every_default_diffs_empty_against_a_sqlite_database_built_from_it() {
    let temporary = TemporarySqliteDatabase::new();
    let mut database = temporary.open();
    survey(Provider::Sqlite, &mut database);
}

#[test]
fn the_survey_covers_every_scalar_on_both_providers() {
    for provider in [Provider::Postgresql, Provider::Sqlite] {
        let (cases, _) = survey_schema(provider);
        for scalar in [
            "String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes",
            "Mood",
        ] {
            assert!(
                cases.iter().any(|(_, field)| field.starts_with(scalar)),
                "no {scalar} default on {provider}"
            );
        }
    }
}
