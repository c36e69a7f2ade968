//! Tests for `parse_schema`: every construct of the language, exact error codes and positions,
//! recovery, the real schema corpus, hostile input, and a megabyte of schema (its speed is
//! measured by `benches/parsing.rs`).

#[path = "support/large_schema.rs"]
mod large_schema;
mod support;

use large_schema::{one_long_line, one_megabyte_schema, LARGE_SCHEMA_MODEL_COUNT};

use planner::error::SchemaErrors;
use planner::schema_language::ast::{
    Argument, Attribute, ConfigBlock, ConfigMember, EnumBlock, EnumMember, Expression, Field,
    FieldArity, ModelBlock, ModelMember, SchemaAst, Top,
};
use planner::schema_language::parse_schema;
use planner::Span;

// ----- helpers -----

fn parse_ok(source: &str) -> SchemaAst {
    match parse_schema(source) {
        Ok(ast) => ast,
        Err(errors) => {
            panic!("expected the schema to parse, got:\n{errors}\n--- schema ---\n{source}")
        }
    }
}

fn parse_errors(source: &str) -> SchemaErrors {
    match parse_schema(source) {
        Ok(ast) => panic!("expected errors, the schema parsed into {ast:#?}"),
        Err(errors) => errors,
    }
}

fn only_model(ast: &SchemaAst) -> &ModelBlock {
    let models: Vec<&ModelBlock> = ast
        .tops
        .iter()
        .filter_map(|top| match top {
            Top::Model(model) => Some(model),
            _ => None,
        })
        .collect();
    assert_eq!(models.len(), 1, "expected one model in {ast:#?}");
    models[0]
}

fn field<'model>(model: &'model ModelBlock, name: &str) -> &'model Field {
    model
        .fields()
        .find(|field| field.name.name == name)
        .unwrap_or_else(|| panic!("no field `{name}`"))
}

fn attribute<'field>(attributes: &'field [Attribute], name: &str) -> &'field Attribute {
    attributes
        .iter()
        .find(|attribute| attribute.name.name == name)
        .unwrap_or_else(|| panic!("no attribute `{name}` in {attributes:#?}"))
}

/// A compact rendering of an expression, independent of spans, to compare against expectations.
fn show(expression: &Expression) -> String {
    match expression {
        Expression::String(value, _) => format!("{value:?}"),
        Expression::Number(text, _) => format!("number {text}"),
        Expression::Constant(text, _) => text.clone(),
        Expression::Function(name, arguments, _) => {
            format!("{name}({})", show_arguments(arguments))
        }
        Expression::Array(elements, _) => {
            format!(
                "[{}]",
                elements.iter().map(show).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

fn show_arguments(arguments: &[Argument]) -> String {
    arguments
        .iter()
        .map(|argument| match &argument.name {
            Some(name) => format!("{}: {}", name.name, show(&argument.value)),
            None => show(&argument.value),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn property_value<'block>(block: &'block ConfigBlock, name: &str) -> &'block Expression {
    &block
        .properties()
        .find(|property| property.name.name == name)
        .unwrap_or_else(|| panic!("no property `{name}`"))
        .value
}

/// (code, line, column) of each error, for exact comparisons.
fn error_positions(errors: &SchemaErrors) -> Vec<(String, u32, u32)> {
    errors
        .errors
        .iter()
        .map(|error| {
            let span = error
                .span
                .unwrap_or_else(|| panic!("error without a span: {error}"));
            (error.code.clone(), span.line, span.column)
        })
        .collect()
}

/// Every span in the tree, for checking line and column against `Span::from_offsets`.
fn collect_spans(ast: &SchemaAst) -> Vec<Span> {
    fn expression_spans(expression: &Expression, spans: &mut Vec<Span>) {
        spans.push(expression.span());
        match expression {
            Expression::Function(_, arguments, _) => argument_spans(arguments, spans),
            Expression::Array(elements, _) => elements
                .iter()
                .for_each(|element| expression_spans(element, spans)),
            _ => {}
        }
    }
    fn argument_spans(arguments: &[Argument], spans: &mut Vec<Span>) {
        for argument in arguments {
            spans.push(argument.span);
            if let Some(name) = &argument.name {
                spans.push(name.span);
            }
            expression_spans(&argument.value, spans);
        }
    }
    fn attribute_spans(attribute: &Attribute, spans: &mut Vec<Span>) {
        spans.push(attribute.span);
        spans.push(attribute.name.span);
        argument_spans(&attribute.arguments, spans);
    }
    fn model_spans(model: &ModelBlock, spans: &mut Vec<Span>) {
        spans.push(model.span);
        spans.push(model.name.span);
        for member in &model.members {
            match member {
                ModelMember::Field(field) => {
                    spans.extend([
                        field.span,
                        field.name.span,
                        field.field_type.span,
                        field.field_type.name.span,
                    ]);
                    field
                        .attributes
                        .iter()
                        .for_each(|attribute| attribute_spans(attribute, spans));
                }
                ModelMember::BlockAttribute(attribute) => attribute_spans(attribute, spans),
                ModelMember::Comment(comment) => spans.push(comment.span),
                ModelMember::BlankLine => {}
            }
        }
    }
    fn enum_spans(block: &EnumBlock, spans: &mut Vec<Span>) {
        spans.push(block.span);
        spans.push(block.name.span);
        for member in &block.members {
            match member {
                EnumMember::Value(value) => {
                    spans.extend([value.span, value.name.span]);
                    value
                        .attributes
                        .iter()
                        .for_each(|attribute| attribute_spans(attribute, spans));
                }
                EnumMember::BlockAttribute(attribute) => attribute_spans(attribute, spans),
                EnumMember::Comment(comment) => spans.push(comment.span),
                EnumMember::BlankLine => {}
            }
        }
    }
    fn config_spans(block: &ConfigBlock, spans: &mut Vec<Span>) {
        spans.push(block.span);
        spans.push(block.name.span);
        for member in &block.members {
            match member {
                ConfigMember::Property(property) => {
                    spans.extend([property.span, property.name.span]);
                    expression_spans(&property.value, spans);
                }
                ConfigMember::Comment(comment) => spans.push(comment.span),
                ConfigMember::BlankLine => {}
            }
        }
    }
    let mut spans = Vec::new();
    for top in &ast.tops {
        match top {
            Top::Datasource(block) | Top::Generator(block) => config_spans(block, &mut spans),
            Top::Model(block) | Top::View(block) | Top::CompositeType(block) => {
                model_spans(block, &mut spans)
            }
            Top::Enum(block) => enum_spans(block, &mut spans),
            Top::Comment(comment) => spans.push(comment.span),
        }
    }
    spans
}

/// The 1-based line and column of every byte offset, computed the obvious way, once per source:
/// `Span::from_offsets` rescans the text for each call, which is too slow for the whole corpus.
fn reference_positions(source: &str) -> Vec<(u32, u32)> {
    let mut positions = vec![(0, 0); source.len() + 1];
    let (mut line, mut column) = (1, 1);
    for (offset, character) in source.char_indices() {
        positions[offset] = (line, column);
        if character == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    positions[source.len()] = (line, column);
    positions
}

/// The parser computes line and column incrementally; they must agree with the reference.
fn assert_spans_agree_with_from_offsets(source: &str, ast: &SchemaAst) {
    let positions = reference_positions(source);
    for span in collect_spans(ast) {
        assert!(
            span.start <= span.end && span.end <= source.len(),
            "span {span:?} is out of bounds"
        );
        assert!(
            source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
            "span {span:?} splits a character"
        );
        assert_eq!(
            (span.line, span.column),
            positions[span.start],
            "span {span:?} has the wrong line or column for `{}`",
            &source[span.start..span.end]
        );
    }
}

#[test]
fn reference_positions_agree_with_span_from_offsets() {
    let source = "a\u{e9}b\n\tc\r\n\u{1F600}d\n\ne";
    let positions = reference_positions(source);
    for offset in (0..=source.len()).filter(|offset| source.is_char_boundary(*offset)) {
        let span = Span::from_offsets(source, offset, offset);
        assert_eq!(
            (span.line, span.column),
            positions[offset],
            "at offset {offset}"
        );
    }
}

const SAMPLE_SCHEMA: &str = r#"// The sample schema: one of each construct.
datasource db {
  provider   = "postgresql"
  url        = env("DATABASE_URL")
  extensions = [pg_trgm, postgis(version: "3.1")]
  schemas    = ["public", "auth"] // trailing comment on a property
  port       = 5432
  relationMode = prisma
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views", "multiSchema"]
  binaryTargets   = ["native"]
}

/// A user of the application.
/// Second documentation line.
model User {
  id        Int      @id @default(autoincrement())
  uuid      String   @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  /// The e-mail address, unique.
  email     String   @unique @db.VarChar(255) // trailing comment on a field
  name      String?  @map("full_name")
  tags      String[] @default(["a", "b"])
  scores    Int[]    @default([1, 2])
  balance   Decimal  @db.Decimal(10, 2)
  bio       String   @db.Text
  note      String   @default("a\"b\\c")
  area      Unsupported("polygon")?
  createdAt DateTime @default(now()) @db.Timestamptz(6)
  posts     Post[]

  // A comment on its own line.
  @@index([email(sort: Desc), name(ops: JsonbPathOps)], type: Hash, map: "x", name: "y")
  @@unique(fields: [email, name], name: "n")
  @@map("users")
  @@schema("auth")
}

model Post {
  id       Int  @default(0)
  authorId Int
  version  Int
  author   User @relation("Authored", fields: [authorId], references: [id], onDelete: Cascade, map: "x")

  @@id([id, version])
  @@ignore
  @@schema("public")
}

view ActiveUser {
  id   Int    @unique
  name String
}

type Address {
  street String
}

enum Role {
  USER
  /// Administrators.
  ADMIN @map("admin") // trailing comment on a value

  @@map("role")
  @@schema("auth")
}
"#;

// ----- constructs -----

#[test]
fn parses_config_blocks_with_every_kind_of_value() {
    let ast = parse_ok(SAMPLE_SCHEMA);
    let Top::Datasource(datasource) = &ast.tops[1] else {
        panic!("expected a datasource, got {:#?}", ast.tops[1])
    };
    assert_eq!(datasource.name.name, "db");
    assert_eq!(
        show(property_value(datasource, "provider")),
        "\"postgresql\""
    );
    assert_eq!(
        show(property_value(datasource, "url")),
        "env(\"DATABASE_URL\")"
    );
    assert_eq!(
        show(property_value(datasource, "extensions")),
        "[pg_trgm, postgis(version: \"3.1\")]"
    );
    assert_eq!(
        show(property_value(datasource, "schemas")),
        "[\"public\", \"auth\"]"
    );
    assert_eq!(show(property_value(datasource, "port")), "number 5432");
    assert_eq!(show(property_value(datasource, "relationMode")), "prisma");
    let schemas = datasource
        .properties()
        .find(|property| property.name.name == "schemas")
        .unwrap();
    assert_eq!(
        schemas.trailing_comment.as_deref(),
        Some(" trailing comment on a property")
    );
    let Top::Generator(generator) = &ast.tops[2] else {
        panic!("expected a generator")
    };
    assert_eq!(
        show(property_value(generator, "previewFeatures")),
        "[\"views\", \"multiSchema\"]"
    );
}

#[test]
fn parses_field_types_and_arities() {
    let ast = parse_ok(SAMPLE_SCHEMA);
    let user = ast
        .tops
        .iter()
        .find_map(|top| match top {
            Top::Model(model) if model.name.name == "User" => Some(model),
            _ => None,
        })
        .unwrap();
    assert_eq!(field(user, "id").field_type.arity, FieldArity::Required);
    assert_eq!(field(user, "name").field_type.arity, FieldArity::Optional);
    assert_eq!(field(user, "tags").field_type.arity, FieldArity::List);
    assert_eq!(field(user, "posts").field_type.name.name, "Post");
    let area = &field(user, "area").field_type;
    assert_eq!(
        (area.name.name.as_str(), area.unsupported.as_deref()),
        ("Unsupported", Some("polygon"))
    );
    assert_eq!(area.arity, FieldArity::Optional);
}

#[test]
fn parses_field_attributes_with_their_arguments() {
    let ast = parse_ok(SAMPLE_SCHEMA);
    let user = ast
        .tops
        .iter()
        .find_map(|top| match top {
            Top::Model(model) if model.name.name == "User" => Some(model),
            _ => None,
        })
        .unwrap();
    let id = field(user, "id");
    assert_eq!(id.attributes.len(), 2);
    assert!(!attribute(&id.attributes, "id").has_parentheses);
    assert_eq!(
        show_arguments(&attribute(&id.attributes, "default").arguments),
        "autoincrement()"
    );
    let uuid = field(user, "uuid");
    assert_eq!(
        show_arguments(&attribute(&uuid.attributes, "default").arguments),
        "dbgenerated(\"gen_random_uuid()\")"
    );
    assert_eq!(
        show_arguments(&attribute(&field(user, "email").attributes, "db.VarChar").arguments),
        "number 255"
    );
    assert_eq!(
        show_arguments(&attribute(&field(user, "scores").attributes, "default").arguments),
        "[number 1, number 2]"
    );
    let decimal = attribute(&field(user, "balance").attributes, "db.Decimal");
    assert_eq!(show_arguments(&decimal.arguments), "number 10, number 2");
    let text = attribute(&field(user, "bio").attributes, "db.Text");
    assert!(!text.has_parentheses && text.arguments.is_empty());
    assert_eq!(
        show_arguments(&attribute(&field(user, "note").attributes, "default").arguments),
        "\"a\\\"b\\\\c\""
    );
    assert_eq!(
        show_arguments(&attribute(&field(user, "name").attributes, "map").arguments),
        "\"full_name\""
    );

    let post = ast
        .tops
        .iter()
        .find_map(|top| match top {
            Top::Model(model) if model.name.name == "Post" => Some(model),
            _ => None,
        })
        .unwrap();
    let relation = attribute(&field(post, "author").attributes, "relation");
    assert_eq!(
        show_arguments(&relation.arguments),
        "\"Authored\", fields: [authorId], references: [id], onDelete: Cascade, map: \"x\""
    );
    assert_eq!(
        show_arguments(&attribute(&field(post, "id").attributes, "default").arguments),
        "number 0"
    );
}

#[test]
fn parses_block_attributes_with_field_calls_and_named_arguments() {
    let ast = parse_ok(SAMPLE_SCHEMA);
    let shown: Vec<String> = ast
        .tops
        .iter()
        .filter_map(|top| match top {
            Top::Model(model) => Some(model),
            _ => None,
        })
        .flat_map(|model| model.block_attributes())
        .map(|attribute| {
            if attribute.has_parentheses {
                format!(
                    "{}({})",
                    attribute.name.name,
                    show_arguments(&attribute.arguments)
                )
            } else {
                attribute.name.name.clone()
            }
        })
        .collect();
    assert_eq!(
        shown,
        [
            "index([email(sort: Desc), name(ops: JsonbPathOps)], type: Hash, map: \"x\", name: \"y\")",
            "unique(fields: [email, name], name: \"n\")",
            "map(\"users\")",
            "schema(\"auth\")",
            "id([id, version])",
            "ignore",
            "schema(\"public\")",
        ]
    );
}

#[test]
fn parses_views_composite_types_and_enums() {
    let ast = parse_ok(SAMPLE_SCHEMA);
    let kinds: Vec<String> = ast
        .tops
        .iter()
        .map(|top| match top {
            Top::Datasource(block) => format!("datasource {}", block.name.name),
            Top::Generator(block) => format!("generator {}", block.name.name),
            Top::Model(block) => format!("model {}", block.name.name),
            Top::View(block) => format!("view {}", block.name.name),
            Top::CompositeType(block) => format!("type {}", block.name.name),
            Top::Enum(block) => format!("enum {}", block.name.name),
            Top::Comment(comment) => format!("comment {}", comment.text),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "comment  The sample schema: one of each construct.",
            "datasource db",
            "generator client",
            "model User",
            "model Post",
            "view ActiveUser",
            "type Address",
            "enum Role",
        ]
    );
    let Some(Top::Enum(role)) = ast.tops.last() else {
        panic!("expected the enum last")
    };
    let values: Vec<&str> = role
        .values()
        .map(|value| value.name.name.as_str())
        .collect();
    assert_eq!(values, ["USER", "ADMIN"]);
    let admin = role.values().nth(1).unwrap();
    assert_eq!(admin.documentation, [" Administrators."]);
    assert_eq!(
        admin.trailing_comment.as_deref(),
        Some(" trailing comment on a value")
    );
    assert_eq!(
        show_arguments(&attribute(&admin.attributes, "map").arguments),
        "\"admin\""
    );
    assert_eq!(role.block_attributes().count(), 2);
    assert!(matches!(role.members[2], EnumMember::BlankLine));
}

#[test]
fn keeps_comments_documentation_and_one_blank_line_per_gap() {
    let source = "/// Doc one\n///Doc two\nmodel A {\n\n\n  // first\n  id Int @id // after id\n\n\n\n  /// Field doc\n  name String\n  /// detached\n\n  @@map(\"a\") // after map\n\n\n}\n";
    let ast = parse_ok(source);
    let model = only_model(&ast);
    assert_eq!(model.documentation, [" Doc one", "Doc two"]);
    let shape: Vec<String> = model
        .members
        .iter()
        .map(|member| match member {
            ModelMember::Field(field) => format!(
                "field {} doc={:?} trailing={:?}",
                field.name.name, field.documentation, field.trailing_comment
            ),
            ModelMember::BlockAttribute(attribute) => format!("attribute {}", attribute.name.name),
            ModelMember::Comment(comment) => format!("comment {:?}", comment.text),
            ModelMember::BlankLine => "blank".to_string(),
        })
        .collect();
    assert_eq!(
        shape,
        [
            "comment \" first\"",
            "field id doc=[] trailing=Some(\" after id\")",
            "blank",
            "field name doc=[\" Field doc\"] trailing=None",
            // A `///` line that documents nothing is kept as a comment that prints as `///`.
            "comment \"/ detached\"",
            "blank",
            "attribute map",
            // Block attributes have no place for a trailing comment: it follows as a comment.
            "comment \" after map\"",
        ]
    );
}

#[test]
fn keeps_top_level_comments_and_documentation_separated_by_a_blank_line_as_comments() {
    let ast = parse_ok("// one\n/// floating\n\nmodel A {\n  id Int\n} // after\n");
    let shape: Vec<String> = ast
        .tops
        .iter()
        .map(|top| match top {
            Top::Comment(comment) => {
                format!("comment {:?} line {}", comment.text, comment.span.line)
            }
            Top::Model(model) => format!(
                "model {} doc={:?} line {}",
                model.name.name, model.documentation, model.span.line
            ),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        shape,
        [
            "comment \" one\" line 1",
            "comment \"/ floating\" line 2",
            "model A doc=[] line 4",
            "comment \" after\" line 6"
        ]
    );
}

#[test]
fn keeps_standalone_block_comments_whole() {
    let source = "/**\n * Events are created by users.\n * @deprecated\n */\nmodel Event {\n  /* inner */\n  id Int /* skipped inside a line */ @id\n}\n";
    let ast = parse_ok(source);
    let comments: Vec<&str> = ast
        .tops
        .iter()
        .filter_map(|top| match top {
            Top::Comment(comment) => Some(comment.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        comments,
        ["/**\n * Events are created by users.\n * @deprecated\n */"]
    );
    let model = only_model(&ast);
    assert!(
        matches!(&model.members[0], ModelMember::Comment(comment) if comment.text == "/* inner */" && comment.is_block)
    );
    assert_eq!(field(model, "id").attributes.len(), 1);
}

#[test]
fn decodes_string_escapes() {
    let source = r#"model A {
  a String @default("quote \" backslash \\ newline \n tab \t return \r slash \/")
  b String @default("\u{1F600} \u00e9 \uD83D\uDE00 é")
}
"#;
    let ast = parse_ok(source);
    let model = only_model(&ast);
    let value_of =
        |name: &str| match &attribute(&field(model, name).attributes, "default").arguments[0].value
        {
            Expression::String(value, _) => value.clone(),
            other => panic!("expected a string, got {other:?}"),
        };
    assert_eq!(
        value_of("a"),
        "quote \" backslash \\ newline \n tab \t return \r slash /"
    );
    assert_eq!(value_of("b"), "\u{1F600} \u{e9} \u{1F600} \u{e9}");
}

#[test]
fn parses_numbers_constants_and_dotted_names() {
    let ast = parse_ok("model A {\n  a Float @default(-1.5)\n  b Int @default(-3)\n  c Json @default(a.b.c)\n  d Int @default(1e10)\n}\n");
    let model = only_model(&ast);
    let shown: Vec<String> = model
        .fields()
        .map(|field| show_arguments(&attribute(&field.attributes, "default").arguments))
        .collect();
    assert_eq!(shown, ["number -1.5", "number -3", "a.b.c", "number 1e10"]);
}

#[test]
fn accepts_multi_line_arrays_and_trailing_commas() {
    let ast =
        parse_ok("generator client {\n  binaryTargets = [\n    \"native\", // the host\n    \"debian\",\n  ]\n}\n");
    let Top::Generator(generator) = &ast.tops[0] else {
        panic!("expected a generator")
    };
    assert_eq!(
        show(property_value(generator, "binaryTargets")),
        "[\"native\", \"debian\"]"
    );
}

#[test]
fn parses_blocks_in_any_order_and_repeated_config_blocks() {
    let source = "model A {\n  id Int @id\n}\n// ===== part two =====\ndatasource db {\n  provider = \"sqlite\"\n}\nenum E {\n  X\n}\ngenerator a {\n  provider = \"x\"\n}\ngenerator b {\n  provider = \"y\"\n}\ndatasource other {\n  provider = \"postgresql\"\n}\n";
    let ast = parse_ok(source);
    assert_eq!(ast.tops.len(), 7);
    assert_eq!(
        ast.tops
            .iter()
            .filter(|top| matches!(top, Top::Generator(_)))
            .count(),
        2
    );
    assert_eq!(
        ast.tops
            .iter()
            .filter(|top| matches!(top, Top::Datasource(_)))
            .count(),
        2
    );
}

#[test]
fn accepts_windows_line_endings_tabs_a_byte_order_mark_and_one_line_blocks() {
    let source = "\u{feff}model A {\r\n\tid Int @id // comment\r\n\r\n\tname String\r\n}\r\nmodel B { id Int @id }\r\n";
    let ast = parse_ok(source);
    let Top::Model(a) = &ast.tops[0] else {
        panic!("expected a model")
    };
    assert_eq!(field(a, "id").trailing_comment.as_deref(), Some(" comment"));
    assert!(matches!(a.members[1], ModelMember::BlankLine));
    assert_eq!(field(a, "name").name.span.line, 4);
    assert_eq!(field(a, "name").name.span.column, 2);
    let Top::Model(b) = &ast.tops[1] else {
        panic!("expected a second model")
    };
    assert_eq!(b.fields().count(), 1);
    assert_spans_agree_with_from_offsets(source, &ast);
}

#[test]
fn spans_point_at_the_source_text() {
    let ast = parse_ok(SAMPLE_SCHEMA);
    assert_spans_agree_with_from_offsets(SAMPLE_SCHEMA, &ast);
    let user = ast
        .tops
        .iter()
        .find_map(|top| match top {
            Top::Model(model) if model.name.name == "User" => Some(model),
            _ => None,
        })
        .unwrap();
    let email = field(user, "email");
    assert_eq!(
        &SAMPLE_SCHEMA[email.span.start..email.span.end],
        "email     String   @unique @db.VarChar(255)"
    );
    let var_char = attribute(&email.attributes, "db.VarChar");
    assert_eq!(
        &SAMPLE_SCHEMA[var_char.span.start..var_char.span.end],
        "@db.VarChar(255)"
    );
    assert_eq!(
        &SAMPLE_SCHEMA[user.span.start..user.span.start + 10],
        "model User"
    );
    assert!(SAMPLE_SCHEMA[..user.span.end].ends_with("@@schema(\"auth\")\n}"));
    // Columns count characters, not bytes.
    let source = "// é\nmodel É {\n  naive String\n}\n";
    let errors = parse_errors(source);
    assert_eq!(
        error_positions(&errors),
        [("invalid-character".to_string(), 2, 7)]
    );
    let source = "// é\nmodel A {\n  b String @default(\"é\") @map(\"x\")\n}\n";
    let ast = parse_ok(source);
    assert_spans_agree_with_from_offsets(source, &ast);
    let map = attribute(&field(only_model(&ast), "b").attributes, "map");
    assert_eq!((map.span.line, map.span.column), (3, 26));
}

// ----- errors -----

/// (schema, expected code, line, column) for inputs with exactly one error.
#[rustfmt::skip]
const SINGLE_ERROR_CASES: &[(&str, &str, u32, u32)] = &[
    ("model User {\n  id Int @id\n  name }\n", "syntax-error", 3, 8),
    ("model User {\n  id Int @id\n  name\n}\n", "syntax-error", 3, 7),
    ("model User {\n  id Int @id\n", "unterminated-block", 1, 12),
    ("model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n", "unterminated-block", 1, 9),
    ("model A {\n  id Int @id\n/// B\nmodel B {\n  id Int @id\n}\n", "unterminated-block", 1, 9),
    ("modle User {\n  id Int @id\n}\n", "unknown-block", 1, 1),
    ("model A {\n  tags String[]?\n}\n", "invalid-arity", 2, 16),
    ("model A {\n  tags String?[]\n}\n", "invalid-arity", 2, 15),
    ("model A {\n  id Int @default(\"abc)\n}\n", "unterminated-string", 2, 19),
    ("model A {\n  id Int # @id\n}\n", "invalid-character", 2, 10),
    ("model A {\n  id Int $$$ @id\n}\n", "invalid-character", 2, 10),
    ("model A {\n  a String @default(\"x\\qy\")\n}\n", "invalid-escape", 2, 23),
    ("model A {\n  a String @default(\"\\uZZZZ\")\n}\n", "invalid-escape", 2, 22),
    ("model A {\n  id Int @id\n}\n/* never closed\n", "unterminated-comment", 4, 1),
    ("datasource db {\n  provider \"x\"\n}\n", "syntax-error", 2, 12),
    ("datasource db {\n  provider = \n}\n", "syntax-error", 2, 14),
    ("model A {\n  id Int @id\n}\n}\n", "syntax-error", 4, 1),
    ("model A\n{\n  id Int\n}\n", "syntax-error", 1, 8),
    ("model {\n  id Int\n}\n", "syntax-error", 1, 7),
    ("model A {\n  id Int @\n}\n", "syntax-error", 2, 11),
    ("model A {\n  id Int @default(1 2)\n}\n", "syntax-error", 2, 21),
    ("model A {\n  id Int @default([1, 2)\n}\n", "syntax-error", 2, 24),
    ("model A {\n  id Int @id = 3\n}\n", "syntax-error", 2, 14),
    ("model A {\n  @@index([a]) b\n}\n", "syntax-error", 2, 16),
    ("model A {\n  a Unsupported(1)\n}\n", "syntax-error", 2, 17),
    ("enum E {\n  A\n  \"B\"\n}\n", "syntax-error", 3, 3),
    ("model A {\n  id Int @id\n} model B {\n}\n", "syntax-error", 3, 3),
];

#[test]
fn reports_each_error_with_its_code_line_and_column() {
    for (source, code, line, column) in SINGLE_ERROR_CASES {
        let errors = parse_errors(source);
        assert_eq!(
            error_positions(&errors),
            [(code.to_string(), *line, *column)],
            "for schema:\n{source}\nerrors:\n{errors}"
        );
    }
}

#[test]
fn error_messages_name_what_was_expected_and_what_was_found() {
    let errors = parse_errors("model User {\n  id Int @id\n  name }\n");
    assert_eq!(
        errors.errors[0].message,
        "Expected a field type after `name`, found `}`."
    );
    let errors = parse_errors("model User {\n  id Int @id\n");
    assert_eq!(
        errors.errors[0].message,
        "The model `User` is not closed with `}`."
    );
    let errors = parse_errors("enum Role {\n  A\n");
    assert_eq!(
        errors.errors[0].message,
        "The enum `Role` is not closed with `}`."
    );
    let errors = parse_errors("modle User {\n}\n");
    assert!(
        errors.errors[0]
            .message
            .starts_with("Unknown block type `modle`."),
        "{}",
        errors.errors[0].message
    );
    let errors = parse_errors("model A {\n  id Int # @id\n}\n");
    assert_eq!(errors.errors[0].message, "Unexpected character `#`.");
    let display = errors.to_string();
    assert_eq!(
        display,
        "error[invalid-character] at 2:10: Unexpected character `#`."
    );
}

#[test]
fn recovers_after_an_error_and_reports_errors_from_several_blocks() {
    let source = "modle A {\n  id Int\n}\n\nmodel B {\n  id Int @id\n  x String[]?\n  y Int\n}\n\nmodel C {\n  id Int @id\n}\n\nenum D {\n  X @map(\n}\n\nmodel E {\n  name\n}\n";
    let errors = parse_errors(source);
    assert_eq!(
        error_positions(&errors),
        [
            ("unknown-block".to_string(), 1, 1),
            ("invalid-arity".to_string(), 7, 13),
            ("syntax-error".to_string(), 17, 1),
            ("syntax-error".to_string(), 20, 7),
        ],
        "{errors}"
    );
}

#[test]
fn reports_only_the_lexer_error_when_it_causes_the_parse_error() {
    // The unterminated string swallows the `)`: the missing `)` is a consequence, not news.
    let errors =
        parse_errors("model A {\n  id Int @default(\"abc)\n}\n\nmodel B {\n  id Int\n  x\n}\n");
    assert_eq!(
        error_positions(&errors),
        [
            ("unterminated-string".to_string(), 2, 19),
            ("syntax-error".to_string(), 7, 4)
        ],
        "{errors}"
    );
}

#[test]
fn rejects_deep_nesting_with_an_error_instead_of_overflowing_the_stack() {
    let depth = 100_000;
    let source = format!(
        "model A {{\n  x Int @default({}1{})\n}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let errors = parse_errors(&source);
    assert_eq!(
        error_positions(&errors),
        [("nesting-too-deep".to_string(), 2, 17 + 64)]
    );
    let calls = format!(
        "model A {{\n  x Int @default({}1{})\n}}\n",
        "f(".repeat(depth),
        ")".repeat(depth)
    );
    assert_eq!(parse_errors(&calls).errors[0].code, "nesting-too-deep");
    // 64 levels are allowed.
    let allowed = format!(
        "model A {{\n  x Int @default({}1{})\n}}\n",
        "[".repeat(63),
        "]".repeat(63)
    );
    parse_ok(&allowed);
}

#[test]
fn caps_the_number_of_errors_on_garbage() {
    let garbage: String = (0..200_000u32)
        .map(|index| if index % 2 == 0 { '#' } else { ' ' })
        .collect();
    let errors = parse_errors(&garbage);
    assert!(
        !errors.errors.is_empty() && errors.errors.len() <= 100,
        "{} errors",
        errors.errors.len()
    );
}

#[test]
fn never_panics_on_any_prefix_of_a_schema() {
    let source = support::corpus_schemas()
        .and_then(|schemas| {
            schemas
                .into_iter()
                .map(|(_, text)| text)
                .max_by_key(String::len)
        })
        .unwrap_or_else(|| SAMPLE_SCHEMA.to_string());
    let boundaries: Vec<usize> = (0..=source.len())
        .filter(|index| source.is_char_boundary(*index))
        .collect();
    let step = (boundaries.len() / 1500).max(1);
    for end in boundaries.iter().step_by(step).chain(boundaries.last()) {
        let _ = parse_schema(&source[..*end]);
    }
}

// ----- corpus and large input -----

#[test]
fn parses_every_corpus_schema_with_accurate_spans() {
    let Some(schemas) = support::corpus_schemas() else {
        return;
    };
    assert!(
        !schemas.is_empty(),
        "the corpus directory exists but holds no schemas"
    );
    for (path, text) in &schemas {
        let ast = match parse_schema(text) {
            Ok(ast) => ast,
            Err(errors) => panic!("{} does not parse:\n{errors}", path.display()),
        };
        assert!(
            ast.tops.iter().any(|top| matches!(top, Top::Model(_))),
            "{} has no model",
            path.display()
        );
        assert_spans_agree_with_from_offsets(text, &ast);
    }
    println!(
        "Parsed {} corpus schemas from {}.",
        schemas.len(),
        support::corpus_location().display()
    );
}

/// A megabyte of schema parses into every model with accurate spans, and a megabyte-long
/// line parses too. How long either takes is measured by `benches/parsing.rs`, not here: a test
/// that asserts wall-clock time fails on a busy machine and passes a slow parser on a fast one.
#[test]
fn parses_a_one_megabyte_schema_and_a_one_megabyte_line() {
    let source = one_megabyte_schema();
    let ast = parse_ok(&source);
    assert_eq!(ast.tops.len(), LARGE_SCHEMA_MODEL_COUNT + 1);
    assert_spans_agree_with_from_offsets(&source, &ast);

    // Fields on one line are a syntax error after each field; every error's line and column
    // must still agree with its byte offset, however far along the line it is.
    let one_line = one_long_line();
    let errors = parse_errors(&one_line);
    assert!(!errors.errors.is_empty() && errors.errors.len() <= 100);
    for error in &errors.errors {
        let span = error.span.expect("a syntax error has a span");
        assert_eq!(
            span,
            Span::from_offsets(&one_line, span.start, span.end),
            "{error:?}"
        );
    }
}
