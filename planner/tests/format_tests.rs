//! Tests for `format_schema` and `print_schema`: the layout `prisma format` produces, golden
//! cases, idempotence and round trips over the real corpus, and a property test that neither
//! the parser nor the formatter panics on random or mutated input.
//!
//! The golden cases (`tests/format_cases/<name>.input.prisma` with the expected output in
//! `<name>.expected.prisma`) are trials of `tests/golden.rs`, one per case.

#[path = "support/format_stability.rs"]
mod format_stability;
mod support;

use format_stability::assert_formats_stably;

use std::sync::OnceLock;

use planner::schema_language::{format_schema, parse_schema};
use proptest::prelude::*;
use proptest::test_runner::Config;

// ----- helpers -----

fn format_ok(source: &str) -> String {
    match format_schema(source) {
        Ok(formatted) => formatted,
        Err(errors) => {
            panic!("expected the schema to format, got:\n{errors}\n--- schema ---\n{source}")
        }
    }
}

// ----- layout -----

#[test]
fn aligns_fields_in_columns_within_each_run_of_fields() {
    let source = "model User {\n  id Int @id @default(autoincrement()) // hi\n  // a comment does not end the run\n  nameLonger String? @unique\n  x Unsupported(\"polygon\")?\n\n\n  posts Post[]\n  veryveryLongName Int\n  @@index([id(sort: Desc)], map: \"x\")\n}\n";
    let expected = "model User {\n  id         Int                     @id @default(autoincrement()) // hi\n  // a comment does not end the run\n  nameLonger String?                 @unique\n  x          Unsupported(\"polygon\")?\n\n  posts            Post[]\n  veryveryLongName Int\n\n  @@index([id(sort: Desc)], map: \"x\")\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn aligns_config_properties_on_the_equals_sign_within_each_run() {
    let source = "generator client {\n  provider = \"prisma-client-js\"\n  previewFeatures = [\"views\"]   // why\n  // note\n  binaryTargets = [\n    \"native\",\n    \"debian-openssl-1.1.x\",\n  ]\n\n  output = \"../x\"\n\n}\ndatasource db {\nprovider=\"postgresql\"\n  url = env(\"URL\")\n}\n";
    let expected = "generator client {\n  provider        = \"prisma-client-js\"\n  previewFeatures = [\"views\"] // why\n  // note\n  binaryTargets   = [\"native\", \"debian-openssl-1.1.x\"]\n\n  output = \"../x\"\n}\n\ndatasource db {\n  provider = \"postgresql\"\n  url      = env(\"URL\")\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn aligns_enum_values_that_have_attributes() {
    let source = "enum E {\n  A // x\n  /// doc\n  B @map(\"b\") // y\n  CCCCCC @map(\"ccc\")\n  @@map(\"e\")\n}\n";
    let expected =
        "enum E {\n  A // x\n  /// doc\n  B      @map(\"b\") // y\n  CCCCCC @map(\"ccc\")\n\n  @@map(\"e\")\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn separates_blocks_by_one_blank_line_and_keeps_comments_attached_as_written() {
    let source = "// header\n// second\n\n\n\ngenerator client {\n  provider = \"x\"\n}\nmodel A {\n  id Int @id\n}\n// directly above B\nmodel B {\n  id Int @id\n} // after B\n/// floating documentation\n\n\n/// B's documentation\nmodel C {\n  id Int @id\n}";
    let expected = "// header\n// second\n\ngenerator client {\n  provider = \"x\"\n}\n\nmodel A {\n  id Int @id\n}\n\n// directly above B\nmodel B {\n  id Int @id\n}\n\n// after B\n/// floating documentation\n\n/// B's documentation\nmodel C {\n  id Int @id\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn removes_blank_lines_at_the_start_and_end_of_blocks_and_collapses_runs() {
    let source = "model A {\n\n\n  id Int @id\n\n\n\n  name String\n\n}\n";
    assert_eq!(
        format_ok(source),
        "model A {\n  id Int @id\n\n  name String\n}\n"
    );
    assert_eq!(format_ok("model A {\n}\n"), "model A {\n}\n");
    assert_eq!(format_ok(""), "");
    assert_eq!(
        format_ok("\n\n// only a comment\n\n"),
        "// only a comment\n"
    );
}

#[test]
fn normalizes_spacing_inside_attributes_and_keeps_parentheses_as_written() {
    let source = "model A {\n  a   Decimal   @db.Decimal( 10,2 )   @default( 1 )\n  b String @db.Text()\n  c String @db.Text\n  d Int[] @default([ 1,2 , 3 ])\n  e Json @default(dbgenerated( \"'{}'::jsonb\" ))\n  @@index(fields:[a( sort:Desc ),b], type:Hash)\n}\n";
    let expected = "model A {\n  a Decimal @default(1) @db.Decimal(10, 2)\n  b String  @db.Text()\n  c String  @db.Text\n  d Int[]   @default([1, 2, 3])\n  e Json    @default(dbgenerated(\"'{}'::jsonb\"))\n\n  @@index(fields: [a(sort: Desc), b], type: Hash)\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn re_escapes_string_literals() {
    let source =
        "model A {\n  a String @default(\"q\\\" b\\\\ n\\n t\\t r\\r u\\u0041 e\\u{e9} c\\u0001 slash\\/\")\n}\n";
    let expected = "model A {\n  a String @default(\"q\\\" b\\\\ n\\n t\\t r\\r uA e\u{e9} c\\u0001 slash/\")\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn moves_block_attributes_to_the_end_in_prisma_order_with_the_comments_above_them() {
    // As `prisma format` does (checked with Prisma 7.10.1): fields first, one blank line, then
    // `@@id`, `@@unique`, `@@index`, `@@map`, ...; a comment line directly above an attribute
    // moves with it, one after the last attribute stays with the fields.
    let source = "model A {\n  id Int @id\n  // about the name\n  @@map(\"a\")\n  name String\n  @@index([name])\n  @@unique([name, id])\n  @@id([id])\n  // last\n}\n";
    let expected = "model A {\n  id   Int    @id\n  name String\n  // last\n\n  @@id([id])\n  @@unique([name, id])\n  @@index([name])\n  // about the name\n  @@map(\"a\")\n}\n";
    assert_eq!(format_ok(source), expected);
    // Prisma keeps a comment after a block attribute on its line (`@@map("a") // why`); this
    // formatter moves it to a line of its own, which then stays with the fields.
    let source = "model A {\n  id Int @id\n  @@map(\"a\") // why\n  name String\n}\n";
    let expected = "model A {\n  id   Int    @id\n  // why\n  name String\n\n  @@map(\"a\")\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn orders_field_attributes_as_prisma_does() {
    let source = "model A {\n  id Int @default(autoincrement()) @db.Integer @id @map(\"i\")\n  c String @db.Text @unique(map: \"cu\") @default(\"x\") @map(\"c\") @ignore\n  d DateTime @map(\"d\") @updatedAt @custom\n}\n";
    let expected = "model A {\n  id Int      @id @default(autoincrement()) @map(\"i\") @db.Integer\n  c  String   @unique(map: \"cu\") @default(\"x\") @map(\"c\") @ignore @db.Text\n  d  DateTime @updatedAt @map(\"d\") @custom\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn keeps_block_comments_as_prisma_prints_them() {
    // Between blocks as written; inside a block re-laid as `/**`, ` * line`, ` */` (Prisma 7.10.1).
    let source =
        "/**\n * Events.\n * @deprecated\n */\nmodel Event {\n    /* inner\n       second line */\n  id Int @id\n}\n";
    let expected = "/**\n * Events.\n * @deprecated\n */\nmodel Event {\n  /**\n   * inner\n   * second line\n   */\n  id Int @id\n}\n";
    assert_eq!(format_ok(source), expected);
}

#[test]
fn returns_parse_errors_instead_of_formatting_broken_text() {
    let errors = format_schema("model A {\n  id Int @id\n").unwrap_err();
    assert_eq!(errors.errors[0].code, "unterminated-block");
}

// ----- corpus -----

#[test]
fn formats_every_corpus_schema_idempotently_and_without_changing_its_meaning() {
    let Some(schemas) = support::corpus_schemas() else {
        return;
    };
    assert!(
        !schemas.is_empty(),
        "the corpus directory exists but holds no schemas"
    );
    for (path, text) in &schemas {
        if let Err(problem) = assert_formats_stably(text) {
            panic!("{}: {problem}", path.display());
        }
    }
    println!(
        "Formatted {} corpus schemas idempotently with identical syntax trees.",
        schemas.len()
    );
}

// ----- property tests -----

/// A schema to mutate when the corpus is absent.
const FALLBACK_SCHEMA: &str = "datasource db {\n  provider = \"postgresql\"\n  schemas  = [\"a\", \"b\"] // c\n}\n\n/// Doc\nmodel User {\n  id    Int     @id @default(autoincrement())\n  email String? @unique @db.VarChar(255) // e\n  tags  String[] @default([\"x\\\"y\"])\n\n  // comment\n  @@index([email(sort: Desc)], type: Hash)\n  @@map(\"users\")\n}\n\nenum Role {\n  USER @map(\"u\")\n  ADMIN\n}\n";

/// The schemas to mutate, read once for all cases.
fn seed_schemas() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = vec![FALLBACK_SCHEMA.to_string()];
        if let Some(schemas) = support::corpus_schemas() {
            // A handful spread over the corpus, to keep each case fast.
            let step = (schemas.len() / 8).max(1);
            seeds.extend(schemas.into_iter().step_by(step).map(|(_, text)| text));
        }
        seeds
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete {
        position: usize,
        length: usize,
    },
    Insert {
        position: usize,
        bytes: Vec<u8>,
    },
    Duplicate {
        from: usize,
        length: usize,
        to: usize,
    },
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    // Inserted bytes lean towards the characters that matter to the grammar.
    let interesting_byte = prop_oneof![
        3 => prop::sample::select(b"{}()[]@@\"\\/*?=:,.\n -_aZ09".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), 1usize..64)
            .prop_map(|(position, length)| Mutation::Delete { position, length }),
        (
            any::<usize>(),
            prop::collection::vec(interesting_byte, 1..16)
        )
            .prop_map(|(position, bytes)| Mutation::Insert { position, bytes }),
        (any::<usize>(), 1usize..200, any::<usize>())
            .prop_map(|(from, length, to)| Mutation::Duplicate { from, length, to }),
    ]
}

fn apply_mutation(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let length_of = |bytes: &Vec<u8>| bytes.len().max(1);
    match mutation {
        Mutation::Delete { position, length } => {
            let start = position % length_of(bytes);
            let end = (start + length).min(bytes.len());
            if start < end {
                bytes.drain(start..end);
            }
        }
        Mutation::Insert {
            position,
            bytes: inserted,
        } => {
            let at = position % (bytes.len() + 1);
            bytes.splice(at..at, inserted.iter().copied());
        }
        Mutation::Duplicate { from, length, to } => {
            let start = from % length_of(bytes);
            let end = (start + length).min(bytes.len());
            let copied: Vec<u8> = bytes.get(start..end).unwrap_or(&[]).to_vec();
            let at = to % (bytes.len() + 1);
            bytes.splice(at..at, copied);
        }
    }
}

/// Neither function may panic; and whatever parses must format stably.
fn check_does_not_panic_and_formats_stably(source: &str) -> Result<(), TestCaseError> {
    let _ = format_schema(source);
    if parse_schema(source).is_ok() {
        assert_formats_stably(source).map_err(TestCaseError::fail)?;
    }
    Ok(())
}

fn property_config() -> Config {
    // No regression files: the tests directory holds only hand-written files.
    // `PROPTEST_CASES` raises the count for a longer search.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// Generated schemas: valid text in varied layouts, to check round trips on more than the corpus.

fn identifier_strategy() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9_]{0,8}"
}

/// Spaces and tabs between tokens, sometimes none where the grammar allows it.
fn spacing_strategy() -> impl Strategy<Value = String> {
    "[ \t]{1,3}"
}

fn string_literal_strategy() -> impl Strategy<Value = String> {
    // Raw characters, escapes, and characters the printer must escape.
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9 ,.:(){}'éü€]".prop_map(|text| text),
            Just("\\\"".to_string()),
            Just("\\\\".to_string()),
            Just("\\n".to_string()),
            Just("\\t".to_string()),
            Just("\\u00e9".to_string()),
            Just("\\u{1F600}".to_string()),
            Just("\\u0001".to_string()),
        ],
        0..8,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()))
}

fn expression_strategy() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        string_literal_strategy(),
        "-?[0-9]{1,4}(\\.[0-9]{1,2})?",
        identifier_strategy(),
        "[a-z]{1,4}\\.[a-z]{1,4}",
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            (
                identifier_strategy(),
                prop::collection::vec(
                    (prop::option::of(identifier_strategy()), inner.clone()),
                    0..3
                )
            )
                .prop_map(|(name, arguments)| format!("{name}({})", join_arguments(&arguments))),
            (prop::collection::vec(inner, 0..4), " ?", prop::bool::ANY).prop_map(
                |(elements, space, trailing_comma)| {
                    let comma = if trailing_comma && !elements.is_empty() {
                        ","
                    } else {
                        ""
                    };
                    format!("[{space}{}{comma}]", elements.join(&format!(",{space}")))
                }
            ),
        ]
    })
}

fn join_arguments(arguments: &[(Option<String>, String)]) -> String {
    let printed: Vec<String> = arguments
        .iter()
        .map(|(name, value)| match name {
            Some(name) => format!("{name}: {value}"),
            None => value.clone(),
        })
        .collect();
    printed.join(", ")
}

fn attribute_strategy(prefix: &'static str) -> impl Strategy<Value = String> {
    (
        "(id|unique|default|map|relation|db\\.VarChar|db\\.Text|index|ignore)",
        prop::option::of(prop::collection::vec(
            (
                prop::option::of(identifier_strategy()),
                expression_strategy(),
            ),
            0..3,
        )),
    )
        .prop_map(move |(name, arguments)| match arguments {
            Some(arguments) => format!("{prefix}{name}({})", join_arguments(&arguments)),
            None => format!("{prefix}{name}"),
        })
}

fn trailing_comment_strategy() -> impl Strategy<Value = String> {
    prop_oneof![3 => Just(String::new()), 1 => "[ \t]{0,2}//[ a-z/]{0,10}".prop_map(|comment| comment)]
}

fn model_member_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (
            identifier_strategy(),
            spacing_strategy(),
            prop_oneof![identifier_strategy(), string_literal_strategy().prop_map(|text| format!("Unsupported({text})"))],
            "(|\\?|\\[\\])",
            prop::collection::vec((spacing_strategy(), attribute_strategy("@")), 0..3),
            trailing_comment_strategy(),
        )
            .prop_map(|(name, space, field_type, arity, attributes, comment)| {
                let attributes: String = attributes.into_iter().map(|(space, attribute)| space + &attribute).collect();
                format!("{name}{space}{field_type}{arity}{attributes}{comment}")
            }),
        1 => (attribute_strategy("@@"), trailing_comment_strategy()).prop_map(|(attribute, comment)| attribute + &comment),
        1 => "//[ a-z/*]{0,10}".prop_map(|comment| comment),
        1 => "///[ a-z]{0,10}".prop_map(|comment| comment),
        1 => Just(String::new()),
    ]
}

fn block_strategy() -> impl Strategy<Value = String> {
    let model_like = (
        "(model|view|type)",
        identifier_strategy(),
        prop::collection::vec(("[ \t]{0,4}", model_member_strategy()), 0..8),
    )
        .prop_map(|(keyword, name, members)| {
            let body: String = members
                .into_iter()
                .map(|(indentation, member)| format!("{indentation}{member}\n"))
                .collect();
            format!("{keyword} {name} {{\n{body}}}\n")
        });
    let enum_block = (
        identifier_strategy(),
        prop::collection::vec(
            prop_oneof![
                3 => (identifier_strategy(), prop::option::of(attribute_strategy("@")), trailing_comment_strategy())
                    .prop_map(|(name, attribute, comment)| match attribute {
                        Some(attribute) => format!("{name} {attribute}{comment}"),
                        None => format!("{name}{comment}"),
                    }),
                1 => attribute_strategy("@@"),
                1 => Just(String::new()),
                1 => "///? [a-z]{0,6}".prop_map(|comment| comment),
            ],
            0..6,
        ),
    )
        .prop_map(|(name, members)| {
            let body: String = members.into_iter().map(|member| format!("  {member}\n")).collect();
            format!("enum {name} {{\n{body}}}\n")
        });
    let config = (
        "(datasource|generator)",
        identifier_strategy(),
        prop::collection::vec(
            prop_oneof![
                3 => (identifier_strategy(), "[ ]{0,3}", expression_strategy(), trailing_comment_strategy())
                    .prop_map(|(name, space, value, comment)| format!("{name}{space}={space}{value}{comment}")),
                1 => "///? [a-z]{0,6}".prop_map(|comment| comment),
                1 => Just(String::new()),
            ],
            0..5,
        ),
    )
        .prop_map(|(keyword, name, members)| {
            let body: String = members.into_iter().map(|member| format!("  {member}\n")).collect();
            format!("{keyword} {name} {{\n{body}}}\n")
        });
    prop_oneof![
        3 => model_like,
        1 => enum_block,
        1 => config,
        1 => "//[ a-z]{0,8}\n".prop_map(|comment| comment),
        1 => "(///[ a-z]{0,8}\n){1,2}".prop_map(|comment| comment),
        1 => "/\\*[ a-z\n*]{0,12}\\*/\n".prop_map(|comment| comment),
        1 => "\n{1,3}".prop_map(|lines| lines),
    ]
}

fn schema_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(block_strategy(), 0..6).prop_map(|blocks| blocks.concat())
}

proptest! {
    #![proptest_config(property_config())]

    #[test]
    fn random_text_never_panics(source in any::<String>()) {
        check_does_not_panic_and_formats_stably(&source)?;
    }

    #[test]
    fn random_schema_like_text_never_panics(
        source in "(model|enum|datasource|generator|view|type|[a-zA-Z]{1,6}|[ \t\n{}()\\[\\]@?=:,.\"/*\\\\-]|[0-9]{1,3}|//[^\n]*|///[^\n]*){0,80}"
    ) {
        check_does_not_panic_and_formats_stably(&source)?;
    }

    #[test]
    fn mutated_schemas_never_panic(
        seed_index in any::<usize>(),
        mutations in prop::collection::vec(mutation_strategy(), 1..5),
    ) {
        let seeds = seed_schemas();
        let mut bytes = seeds[seed_index % seeds.len()].clone().into_bytes();
        for mutation in &mutations {
            apply_mutation(&mut bytes, mutation);
        }
        let source = String::from_utf8_lossy(&bytes);
        check_does_not_panic_and_formats_stably(&source)?;
    }

    #[test]
    fn generated_schemas_parse_and_format_stably(source in schema_strategy()) {
        match parse_schema(&source) {
            Ok(_) => assert_formats_stably(&source).map_err(TestCaseError::fail)?,
            Err(errors) => return Err(TestCaseError::fail(format!("a generated schema does not parse:\n{errors}\n---\n{source}"))),
        };
    }
}
