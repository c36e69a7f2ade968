//! Property test of the migration SQL interpreter (`planner::migration_sql`): whatever text it
//! is given, on either provider, it returns the schema the script builds or a structured error
//! (a stable code, the origin it was given and the line of the script), and never panics.
//!
//! The inputs are arbitrary text built from SQL's own pieces (keywords, quotes, comments,
//! dollar quotes, brackets, semicolons) and mutations of the representative `migration.sql`
//! files in `fixtures/migration_sql/` (truncation at any character boundary, lines duplicated,
//! deleted or swapped, quoted names replaced by random identifiers, pieces inserted), and
//! random DDL over a few table, column, index and enum names, so that statements meet the
//! objects earlier ones made, renamed or dropped. Each input
//! is interpreted on an empty schema and on the schema that the fixtures before it build, on
//! both providers.

use planner::migration_sql::{
    interpret_migration, interpret_migrations, InterpretedMigration, InterpreterError,
    INVALID_SCRIPT_CODE, PARSE_ERROR_CODE,
};
use planner::{DatabaseSchema, Provider};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::sync::OnceLock;

const ORIGIN: &str = "prisma/migrations/20260101000000_mutated/migration.sql";

/// The fixtures of each provider, in the order they are applied.
const POSTGRESQL_FIXTURES: [&str; 3] = [
    include_str!("fixtures/migration_sql/postgresql_1_create_tables.sql"),
    include_str!("fixtures/migration_sql/postgresql_2_alter_enum_and_procedural.sql"),
    include_str!("fixtures/migration_sql/postgresql_3_unparsed_forms.sql"),
];
const SQLITE_FIXTURES: [&str; 2] = [
    include_str!("fixtures/migration_sql/sqlite_1_init.sql"),
    include_str!("fixtures/migration_sql/sqlite_2_redefine_tables.sql"),
];

fn fixtures(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Postgresql => &POSTGRESQL_FIXTURES,
        Provider::Sqlite => &SQLITE_FIXTURES,
    }
}

const PROVIDERS: [Provider; 2] = [Provider::Postgresql, Provider::Sqlite];

/// The schemas the fixtures of `provider` build: the empty one, then after each fixture.
fn schemas_before_each_fixture(provider: Provider) -> Vec<DatabaseSchema> {
    let mut schemas = vec![DatabaseSchema::empty(provider)];
    let migrations = fixtures(provider).iter().map(|script| ("fixture", *script));
    let interpreted = interpret_migrations(provider, migrations)
        .unwrap_or_else(|error| panic!("the {provider} fixtures interpret: {error}"));
    schemas.extend(interpreted.into_iter().map(|migration| migration.schema));
    schemas
}

/// The property: `Ok` with skipped statements on lines of the script, or an error with a
/// stable code, the origin and a line of the script.
fn check_interpretation(
    provider: Provider,
    sql: &str,
    result: Result<InterpretedMigration, InterpreterError>,
) {
    // A script that ends with a new line has a last, empty line; an error may point at it.
    let last_line = sql.split('\n').count() as u64;
    match result {
        Ok(interpreted) => {
            for skipped in &interpreted.skipped {
                assert_eq!(skipped.origin, ORIGIN);
                assert!(
                    (1..=last_line).contains(&skipped.line),
                    "{provider}: skipped statement on line {} of {last_line}: {skipped}",
                    skipped.line
                );
            }
        }
        Err(error) => {
            assert!(
                [INVALID_SCRIPT_CODE, PARSE_ERROR_CODE].contains(&error.code),
                "{provider}: unexpected code {}: {error}",
                error.code
            );
            assert_eq!(error.origin, ORIGIN);
            let line = error
                .line
                .unwrap_or_else(|| panic!("{provider}: error without a line: {error}"));
            assert!(
                (1..=last_line).contains(&line),
                "{provider}: error on line {line} of {last_line}: {error}"
            );
            assert!(!error.message.is_empty());
        }
    }
}

/// `schemas_before_each_fixture` of each provider, computed once.
fn previous_schemas(provider: Provider) -> &'static [DatabaseSchema] {
    static SCHEMAS: OnceLock<[Vec<DatabaseSchema>; 2]> = OnceLock::new();
    let schemas = SCHEMAS.get_or_init(|| {
        [
            schemas_before_each_fixture(Provider::Postgresql),
            schemas_before_each_fixture(Provider::Sqlite),
        ]
    });
    match provider {
        Provider::Postgresql => &schemas[0],
        Provider::Sqlite => &schemas[1],
    }
}

/// Interprets `sql` on each provider, on the empty schema and on the schema after each
/// fixture of that provider.
fn interpret_everywhere(sql: &str) {
    for provider in PROVIDERS {
        for previous in previous_schemas(provider) {
            let result = interpret_migration(provider, previous.clone(), sql, ORIGIN);
            check_interpretation(provider, sql, result);
        }
    }
}

// ----- arbitrary text from SQL's pieces -----

const PIECES: &[&str] = &[
    "CREATE",
    "TABLE",
    "INDEX",
    "UNIQUE",
    "ALTER",
    "ADD",
    "DROP",
    "COLUMN",
    "CONSTRAINT",
    "PRIMARY",
    "KEY",
    "FOREIGN",
    "REFERENCES",
    "ON",
    "DELETE",
    "CASCADE",
    "RENAME",
    "TO",
    "TYPE",
    "ENUM",
    "AS",
    "DEFAULT",
    "NOT",
    "NULL",
    "USING",
    "SET",
    "DATA",
    "VALUE",
    "BEFORE",
    "AFTER",
    "IF",
    "EXISTS",
    "BEGIN",
    "COMMIT",
    "END",
    "TRIGGER",
    "FUNCTION",
    "DO",
    "PRAGMA",
    "foreign_keys",
    "INSERT",
    "INTO",
    "SELECT",
    "FROM",
    "VALUES",
    "WHERE",
    "INTEGER",
    "TEXT",
    "VARCHAR(191)",
    "DECIMAL(65,30)",
    "TIMESTAMP(3)",
    "JSONB",
    "BOOLEAN",
    "SERIAL",
    "GENERATED",
    "ALWAYS",
    "IDENTITY",
    "CHECK",
    "COLLATE",
    "STATISTICS",
    "CONCURRENTLY",
    "OWNER",
    "SCHEMA",
    "SEQUENCE",
    "LIKE",
    "INCLUDING",
    "CURRENT_TIMESTAMP",
    "now()",
    "gen_random_uuid()",
    "\"User\"",
    "\"Post\"",
    "\"Category\"",
    "\"Share\"",
    "\"id\"",
    "\"new_Share\"",
    "\"\"",
    "\"a\"\"b\"",
    "users",
    "'x'",
    "'it''s'",
    "''",
    "E'\\n'",
    "$$",
    "$body$",
    "--",
    "-- c\n",
    "/*",
    "*/",
    "(",
    ")",
    ",",
    ";",
    ".",
    "::",
    "=",
    "[",
    "]",
    "`",
    "0",
    "1.5",
    "-1",
    "\n",
    " ",
    "\t",
    "é",
    "ß",
    "\u{0}",
    "\\",
];

fn arbitrary_sql() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(PIECES).prop_map(str::to_string),
            1 => "[ -~\n]{0,12}",
            1 => any::<String>().prop_map(|text| text.chars().take(6).collect()),
        ],
        0..60,
    )
    .prop_map(|pieces| pieces.join(" "))
}

// ----- mutations of the fixtures -----

#[derive(Debug, Clone)]
enum Mutation {
    /// Cut the script at the character boundary at or before this fraction of its length.
    Truncate(f64),
    DuplicateLine(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
    /// Replace the n-th quoted name by this identifier, quoted or not.
    ReplaceName(usize, String, bool),
    /// Insert a piece of SQL at the character boundary at or before this fraction.
    Insert(f64, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0f64).prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>())
            .prop_map(|(first, second)| Mutation::SwapLines(first, second)),
        (
            any::<usize>(),
            "[A-Za-z_][A-Za-z0-9_$]{0,10}|[^\"]{0,8}|\"{1,3}",
            any::<bool>()
        )
            .prop_map(|(position, name, quoted)| Mutation::ReplaceName(position, name, quoted)),
        (0.0..1.0f64, proptest::sample::select(PIECES))
            .prop_map(|(at, piece)| Mutation::Insert(at, piece.to_string())),
    ]
}

/// The largest character boundary of `text` at or before `fraction` of its length.
fn boundary_at(text: &str, fraction: f64) -> usize {
    let mut index = ((text.len() as f64) * fraction) as usize;
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn apply_mutation(text: &str, mutation: &Mutation) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    let count = lines.len();
    match mutation {
        Mutation::Truncate(fraction) => text[..boundary_at(text, *fraction)].to_string(),
        Mutation::DuplicateLine(position) => {
            let line = lines[position % count];
            lines.insert(position % count, line);
            lines.join("\n")
        }
        Mutation::DeleteLine(position) => {
            lines.remove(position % count);
            lines.join("\n")
        }
        Mutation::SwapLines(first, second) => {
            lines.swap(first % count, second % count);
            lines.join("\n")
        }
        Mutation::ReplaceName(position, name, quoted) => {
            let names: Vec<(usize, usize)> = quoted_names(text);
            if names.is_empty() {
                return text.to_string();
            }
            let (start, end) = names[position % names.len()];
            let replacement = if *quoted {
                format!("\"{}\"", name.replace('"', "\"\""))
            } else {
                name.clone()
            };
            format!("{}{replacement}{}", &text[..start], &text[end..])
        }
        Mutation::Insert(fraction, piece) => {
            let at = boundary_at(text, *fraction);
            format!("{}{piece}{}", &text[..at], &text[at..])
        }
    }
}

/// The byte ranges of the `"..."` names of a script (without inner doubled quotes: the
/// fixtures have none).
fn quoted_names(text: &str) -> Vec<(usize, usize)> {
    let quotes: Vec<usize> = text.match_indices('"').map(|(index, _)| index).collect();
    quotes
        .chunks_exact(2)
        .map(|pair| (pair[0], pair[1] + 1))
        .collect()
}

fn mutated_fixture() -> impl Strategy<Value = String> {
    let every_fixture: Vec<&'static str> = POSTGRESQL_FIXTURES
        .iter()
        .chain(SQLITE_FIXTURES.iter())
        .copied()
        .collect();
    (
        proptest::sample::select(every_fixture),
        proptest::collection::vec(mutation(), 1..4),
    )
        .prop_map(|(fixture, mutations)| {
            mutations
                .iter()
                .fold(fixture.to_string(), |text, mutation| {
                    apply_mutation(&text, mutation)
                })
        })
}

// ----- random DDL over a few names -----

const TABLES: &[&str] = &["User", "Post", "t", "new_Post"];
const COLUMNS: &[&str] = &["id", "email", "title", "a", "userId"];
const ENUMS: &[&str] = &["Role", "Status"];
const INDEXES: &[&str] = &["User_email_key", "Post_pkey", "idx", "User_pkey"];
const TYPES: &[&str] = &[
    "INTEGER",
    "TEXT",
    "\"Role\"",
    "VARCHAR(3)",
    "DECIMAL(65,30)",
    "TIMESTAMP(3)",
    "BIGINT[]",
    "SERIAL",
    "JSONB",
    "BOOLEAN",
    "DATETIME",
    "\"Status\"[]",
    "DOUBLE PRECISION",
];
const DEFAULTS: &[&str] = &[
    "0",
    "'x'",
    "CURRENT_TIMESTAMP",
    "now()",
    "'A'::\"Role\"",
    "(1 + 2)",
    "NULL",
    "true",
];

/// One statement, every choice read from `choices` (0 when they run out).
fn ddl_statement(choices: &[u8]) -> String {
    let mut position = 0;
    let mut pick = |items: &[&'static str]| -> &'static str {
        let choice = choices.get(position).copied().unwrap_or(0);
        position += 1;
        items[usize::from(choice) % items.len()]
    };
    let table = pick(TABLES);
    let other_table = pick(TABLES);
    let column = pick(COLUMNS);
    let other_column = pick(COLUMNS);
    let column_type = pick(TYPES);
    let default = pick(DEFAULTS);
    let index = pick(INDEXES);
    let enum_name = pick(ENUMS);
    let template = pick(&[
        "create",
        "create-keyed",
        "add-column",
        "drop-column",
        "rename-column",
        "rename-table",
        "set-type",
        "set-not-null",
        "drop-not-null",
        "set-default",
        "drop-default",
        "add-primary-key",
        "add-unique",
        "add-foreign-key",
        "drop-constraint",
        "create-index",
        "create-unique-index",
        "drop-index",
        "rename-index",
        "drop-table",
        "create-enum",
        "add-value",
        "rename-enum",
        "rename-value",
        "drop-enum",
        "insert",
        "pragma",
    ]);
    match template {
        "create" => format!("CREATE TABLE \"{table}\" (\"{column}\" {column_type} NOT NULL DEFAULT {default}, \"{other_column}\" {column_type})"),
        "create-keyed" => format!("CREATE TABLE IF NOT EXISTS \"{table}\" (\"{column}\" {column_type} PRIMARY KEY, \"{other_column}\" INTEGER REFERENCES \"{other_table}\" (\"{column}\") ON DELETE CASCADE, UNIQUE (\"{other_column}\", \"{column}\"), CONSTRAINT \"{index}\" FOREIGN KEY (\"{other_column}\") REFERENCES \"{other_table}\")"),
        "add-column" => format!("ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {column_type} DEFAULT {default}"),
        "drop-column" => format!("ALTER TABLE \"{table}\" DROP COLUMN \"{column}\""),
        "rename-column" => format!("ALTER TABLE \"{table}\" RENAME COLUMN \"{column}\" TO \"{other_column}\""),
        "rename-table" => format!("ALTER TABLE \"{table}\" RENAME TO \"{other_table}\""),
        "set-type" => format!("ALTER TABLE \"{table}\" ALTER COLUMN \"{column}\" SET DATA TYPE {column_type} USING (\"{column}\"::{column_type})"),
        "set-not-null" => format!("ALTER TABLE \"{table}\" ALTER COLUMN \"{column}\" SET NOT NULL"),
        "drop-not-null" => format!("ALTER TABLE \"{table}\" ALTER COLUMN \"{column}\" DROP NOT NULL"),
        "set-default" => format!("ALTER TABLE \"{table}\" ALTER COLUMN \"{column}\" SET DEFAULT {default}"),
        "drop-default" => format!("ALTER TABLE \"{table}\" ALTER COLUMN \"{column}\" DROP DEFAULT"),
        "add-primary-key" => format!("ALTER TABLE \"{table}\" ADD CONSTRAINT \"{index}\" PRIMARY KEY (\"{column}\", \"{other_column}\")"),
        "add-unique" => format!("ALTER TABLE \"{table}\" ADD CONSTRAINT \"{index}\" UNIQUE (\"{column}\")"),
        "add-foreign-key" => format!("ALTER TABLE \"{table}\" ADD CONSTRAINT \"{index}\" FOREIGN KEY (\"{column}\") REFERENCES \"{other_table}\"(\"{other_column}\") ON DELETE SET NULL ON UPDATE CASCADE"),
        "drop-constraint" => format!("ALTER TABLE \"{table}\" DROP CONSTRAINT \"{index}\""),
        "create-index" => format!("CREATE INDEX \"{index}\" ON \"{table}\"(\"{column}\" DESC, \"{other_column}\")"),
        "create-unique-index" => format!("CREATE UNIQUE INDEX IF NOT EXISTS \"{index}\" ON \"{table}\" USING btree (\"{column}\")"),
        "drop-index" => format!("DROP INDEX IF EXISTS \"{index}\""),
        "rename-index" => format!("ALTER INDEX \"{index}\" RENAME TO \"{table}_{column}_idx\""),
        "drop-table" => format!("DROP TABLE \"{table}\""),
        "create-enum" => format!("CREATE TYPE \"{enum_name}\" AS ENUM ('A', 'B')"),
        "add-value" => format!("ALTER TYPE \"{enum_name}\" ADD VALUE IF NOT EXISTS 'C' BEFORE 'A'"),
        "rename-enum" => format!("ALTER TYPE \"{enum_name}\" RENAME TO \"{table}\""),
        "rename-value" => format!("ALTER TYPE \"{enum_name}\" RENAME VALUE 'A' TO 'B'"),
        "drop-enum" => format!("DROP TYPE \"{enum_name}\""),
        "insert" => format!("INSERT INTO \"{table}\" (\"{column}\") SELECT \"{other_column}\" FROM \"{other_table}\""),
        _ => "PRAGMA foreign_keys=OFF".to_string(),
    }
}

fn random_ddl_script() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::collection::vec(any::<u8>(), 9), 1..16).prop_map(
        |statements| {
            statements
                .iter()
                .map(|choices| format!("{};\n", ddl_statement(choices)))
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(Config { cases: 48, failure_persistence: None, ..Config::default() })]

    #[test]
    fn arbitrary_text_is_interpreted_or_refused_with_a_line(sql in arbitrary_sql()) {
        interpret_everywhere(&sql);
    }

    #[test]
    fn mutated_migrations_are_interpreted_or_refused_with_a_line(sql in mutated_fixture()) {
        interpret_everywhere(&sql);
    }

    #[test]
    fn random_ddl_over_a_few_names_is_interpreted_or_refused_with_a_line(sql in random_ddl_script()) {
        interpret_everywhere(&sql);
    }
}

#[test]
fn the_fixtures_themselves_interpret_on_their_provider_without_error() {
    for provider in PROVIDERS {
        let schemas = schemas_before_each_fixture(provider);
        assert_eq!(schemas.len(), fixtures(provider).len() + 1);
        assert!(
            !schemas.last().unwrap().tables.is_empty(),
            "the {provider} fixtures create tables"
        );
    }
}

#[test]
fn every_truncation_of_a_fixture_is_interpreted_or_refused_with_a_line() {
    // Every 7th character boundary of one fixture per provider: the cut lands inside
    // strings, quoted names, comments and dollar-quoted bodies.
    for fixture in [POSTGRESQL_FIXTURES[1], SQLITE_FIXTURES[1]] {
        let boundaries: Vec<usize> = fixture
            .char_indices()
            .map(|(index, _)| index)
            .step_by(7)
            .collect();
        for end in boundaries {
            let sql = &fixture[..end];
            for provider in PROVIDERS {
                let result =
                    interpret_migration(provider, DatabaseSchema::empty(provider), sql, ORIGIN);
                check_interpretation(provider, sql, result);
            }
        }
    }
}

#[test]
fn deeply_nested_expressions_are_refused_without_overflowing_the_stack() {
    for depth in [60, 500, 5000] {
        let nested = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        for sql in [
            format!("SELECT {nested};"),
            format!("CREATE TABLE \"t\" (\"a\" INTEGER DEFAULT {nested});"),
            format!("ALTER TABLE \"t\" ADD COLUMN \"b\" INTEGER CHECK ({nested});"),
        ] {
            interpret_everywhere(&sql);
        }
    }
}

#[test]
fn every_random_ddl_template_parses_on_postgresql() {
    // So that the random DDL reaches the interpreter's rules rather than stopping at the parser.
    for template in 0..27u8 {
        let statement = ddl_statement(&[0, 1, 0, 2, 1, 1, 2, 0, template]);
        let result = interpret_migration(
            Provider::Postgresql,
            DatabaseSchema::empty(Provider::Postgresql),
            &statement,
            ORIGIN,
        );
        assert!(result.is_ok(), "{statement}: {}", result.unwrap_err());
    }
}
