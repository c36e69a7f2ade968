//! Property test over the whole planner pipeline: parse -> validate -> lower -> plan -> render,
//! and `render_prisma_schema`, on random schemas and on random mutations of the golden and corpus
//! schemas, for both providers.
//!
//! Properties, for every (previous, next) pair:
//! - nothing panics; validation errors are fine;
//! - planning is deterministic: running the whole pipeline twice from the text gives the same
//!   SQL and warnings (each run builds new hash maps, so an order leak would show);
//! - a schema that validates has an empty diff with itself;
//! - a schema that validates renders back (`render_prisma_schema`) to text that validates and
//!   describes the same database, also with its schema-side names removed as introspection
//!   gives it.
//!
//! The random input is a "choice tape" of bytes: each decision reads one byte, and a missing
//! byte reads as 0, which always means the simplest choice, so proptest's shrinking (shorter
//! tapes, smaller bytes) shrinks the schema too.

mod support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use planner::database_schema::to_prisma::render_prisma_schema;
use planner::schema_language::{format_schema, parse_schema};
use planner::{
    database_schema_from_source, plan_migration, render_plan, DatabaseSchema, DiffOptions, Provider,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

// ----- the choice tape -----

struct Tape<'bytes> {
    bytes: &'bytes [u8],
    position: usize,
}

impl Tape<'_> {
    /// A number below `count`; 0 once the tape is used up.
    fn pick(&mut self, count: usize) -> usize {
        let byte = self.bytes.get(self.position).copied().unwrap_or(0);
        self.position += 1;
        if count == 0 {
            0
        } else {
            usize::from(byte) % count
        }
    }

    /// True with about `percent` % chance; false for a 0 byte.
    fn chance(&mut self, percent: usize) -> bool {
        self.pick(100) >= 100 - percent.min(100)
    }

    fn choose<'item>(&mut self, items: &[&'item str]) -> &'item str {
        items.get(self.pick(items.len())).copied().unwrap_or("")
    }
}

// ----- random schemas -----

const SCALAR_TYPES: &[&str] = &[
    "Int", "String", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes",
];
const ODD_DATABASE_NAMES: &[&str] = &[
    "weird name",
    "UPPER",
    "user-id",
    "1st",
    "select",
    "_under",
    "dé",
];
const REFERENTIAL_ACTIONS: &[&str] = &["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"];

struct ModelSketch {
    name: String,
    /// Lines of scalar and relation fields.
    fields: Vec<String>,
    block_attributes: Vec<String>,
    /// Id fields with their type text (including `@db.*`), for foreign keys pointing here.
    id_fields: Vec<(String, String)>,
    /// Scalar field names, for indexes.
    scalar_fields: Vec<String>,
}

fn native_type_for(tape: &mut Tape, scalar: &str, provider: Provider) -> Option<&'static str> {
    let options: &[&str] = match (provider, scalar) {
        (Provider::Postgresql, "String") => &[
            "@db.VarChar(255)",
            "@db.Uuid",
            "@db.Citext",
            "@db.Char(3)",
            "@db.Text",
            "@db.VarChar",
        ],
        (Provider::Postgresql, "Int") => &["@db.SmallInt", "@db.Integer"],
        (Provider::Postgresql, "DateTime") => &[
            "@db.Timestamp(3)",
            "@db.Date",
            "@db.Timestamptz(6)",
            "@db.Time",
        ],
        (Provider::Postgresql, "Decimal") => &["@db.Decimal(10, 2)", "@db.Money"],
        (Provider::Postgresql, "Float") => &["@db.Real", "@db.DoublePrecision"],
        (Provider::Postgresql, "Json") => &["@db.Json"],
        (Provider::Sqlite, "BigInt") => &["@db.Integer", "@db.BigInt", "@db.Int8"],
        (Provider::Sqlite, "Int") => &["@db.Int", "@db.SmallInt", "@db.BigInt"],
        (Provider::Sqlite, "String") => &[
            "@db.VarChar(255)",
            "@db.NVarChar(40)",
            "@db.Char(2)",
            "@db.Clob",
            "@db.Uuid",
        ],
        (Provider::Sqlite, "DateTime") => &[
            "@db.DateTime",
            "@db.Date",
            "@db.DateTime(3)",
            "@db.Timestamp",
        ],
        (Provider::Sqlite, "Decimal") => &[
            "@db.Numeric",
            "@db.Text",
            "@db.Decimal(10, 2)",
            "@db.Numeric(8)",
        ],
        (Provider::Sqlite, "Float") => &["@db.Numeric", "@db.DoublePrecision", "@db.Float"],
        (Provider::Sqlite, "Boolean") => &["@db.TinyInt", "@db.Bool"],
        (Provider::Sqlite, "Json") => &["@db.Json", "@db.JsonB"],
        _ => &[],
    };
    if options.is_empty() || !tape.chance(25) {
        return None;
    }
    Some(options[tape.pick(options.len())])
}

fn default_for(
    tape: &mut Tape,
    type_name: &str,
    is_list: bool,
    enums: &[(String, Vec<String>)],
) -> Option<String> {
    if !tape.chance(35) {
        return None;
    }
    // Now and then a default that does not fit, which validation must report, not crash on.
    if tape.chance(3) {
        return Some(
            tape.choose(&[
                "@default(now())",
                "@default(42)",
                "@default(\"x\")",
                "@default(autoincrement())",
                "@default([1])",
            ])
            .to_string(),
        );
    }
    let value = match type_name {
        "Int" | "BigInt" => tape.choose(&["0", "7", "-1", "2147483647"]).to_string(),
        "Float" | "Decimal" => tape.choose(&["0", "1.5", "-2.25", "100"]).to_string(),
        "Boolean" => tape.choose(&["false", "true"]).to_string(),
        "String" => tape
            .choose(&[
                "\"\"",
                "\"hello\"",
                "\"it's\"",
                "\"quote \\\" back \\\\\"",
                "cuid()",
                "uuid()",
            ])
            .to_string(),
        "DateTime" => tape
            .choose(&[
                "now()",
                "\"2020-01-01T00:00:00Z\"",
                "dbgenerated(\"CURRENT_TIMESTAMP\")",
            ])
            .to_string(),
        "Json" => tape.choose(&["\"{}\"", "\"[1, 2]\""]).to_string(),
        "Bytes" => "\"\"".to_string(),
        "Unsupported(\"circle\")" => "dbgenerated(\"'<(0,0),1>'::circle\")".to_string(),
        other => match enums.iter().find(|(name, _)| name == other) {
            Some((_, values)) => values
                .get(tape.pick(values.len()))
                .cloned()
                .unwrap_or_default(),
            None => "dbgenerated(\"'(0,0),1'\")".to_string(),
        },
    };
    if is_list {
        if value.contains('(') {
            return None;
        }
        let second = value.clone();
        return Some(format!("@default([{value}, {second}])"));
    }
    Some(format!("@default({value})"))
}

fn random_schema(tape: &mut Tape, provider: Provider) -> String {
    let mut enums: Vec<(String, Vec<String>)> = Vec::new();
    let mut text = format!(
        "datasource db {{\n  provider = \"{}\"\n}}\n",
        provider.as_str()
    );

    for enum_position in 0..tape.pick(3) {
        let name = format!("Kind{enum_position}");
        let values: Vec<String> = (0..1 + tape.pick(4))
            .map(|value| format!("V{value}"))
            .collect();
        text.push_str(&format!("\nenum {name} {{\n"));
        for value in &values {
            text.push_str(&format!("  {value}"));
            if tape.chance(20) {
                text.push_str(&format!(
                    " @map(\"{}-{value}\")",
                    tape.choose(ODD_DATABASE_NAMES)
                ));
            }
            text.push('\n');
        }
        if tape.chance(20) {
            text.push_str(&format!(
                "  @@map(\"{} kind {enum_position}\")\n",
                tape.choose(ODD_DATABASE_NAMES)
            ));
        }
        text.push_str("}\n");
        enums.push((name, values));
    }

    let mut models: Vec<ModelSketch> = Vec::new();
    for model_position in 0..1 + tape.pick(4) {
        let name = tape
            .choose(&["Model", "User", "Post", "order", "Tag"])
            .to_string()
            + &model_position.to_string();
        let mut model = ModelSketch {
            name,
            fields: Vec::new(),
            block_attributes: Vec::new(),
            id_fields: Vec::new(),
            scalar_fields: Vec::new(),
        };
        match tape.pick(5) {
            0 => model.id_fields.push(("id".to_string(), "Int".to_string())),
            1 => model
                .id_fields
                .push(("id".to_string(), "String".to_string())),
            2 if provider == Provider::Postgresql => model
                .id_fields
                .push(("id".to_string(), "String @db.Uuid".to_string())),
            2 => model
                .id_fields
                .push(("id".to_string(), "BigInt".to_string())),
            3 => {
                model.id_fields.push(("a".to_string(), "Int".to_string()));
                model
                    .id_fields
                    .push(("b".to_string(), "String".to_string()));
            }
            _ => {}
        }
        match model.id_fields.as_slice() {
            [(field, type_text)] => {
                let (scalar, native) = type_text
                    .split_once(' ')
                    .unwrap_or((type_text.as_str(), ""));
                let default = match scalar {
                    "Int" | "BigInt" if tape.chance(70) => " @default(autoincrement())",
                    "String" if native.is_empty() && tape.chance(50) => " @default(cuid())",
                    "String" if !native.is_empty() && tape.chance(50) => {
                        " @default(dbgenerated(\"gen_random_uuid()\"))"
                    }
                    _ => "",
                };
                let map = if tape.chance(15) {
                    format!(" @map(\"{}_id\")", tape.choose(ODD_DATABASE_NAMES))
                } else {
                    String::new()
                };
                let id_map = if tape.chance(10) {
                    " @id(map: \"custom_pk\")"
                } else {
                    " @id"
                };
                model
                    .fields
                    .push(format!("{field} {scalar}{id_map}{default}{map} {native}"));
                model.scalar_fields.push(field.clone());
            }
            [] => {
                // No id: a unique field instead, or nothing at all (an error, or @@ignore).
                if tape.chance(80) {
                    model.fields.push("code String @unique".to_string());
                    model.scalar_fields.push("code".to_string());
                } else if tape.chance(50) {
                    model.block_attributes.push("@@ignore".to_string());
                }
            }
            fields => {
                for (field, type_text) in fields {
                    model.fields.push(format!("{field} {type_text}"));
                    model.scalar_fields.push(field.clone());
                }
                let names: Vec<&str> = fields.iter().map(|(field, _)| field.as_str()).collect();
                let map = if tape.chance(20) {
                    ", map: \"composite_pk\""
                } else {
                    ""
                };
                model
                    .block_attributes
                    .push(format!("@@id([{}]{map})", names.join(", ")));
            }
        }

        for field_position in 0..tape.pick(7) {
            let field = format!("f{field_position}");
            let mut type_names: Vec<&str> = SCALAR_TYPES.to_vec();
            for (enum_name, _) in &enums {
                type_names.push(enum_name);
            }
            type_names.push("Unsupported(\"circle\")");
            let type_name = type_names[tape.pick(type_names.len())].to_string();
            // Lists exist on PostgreSQL only; a rare one on SQLite checks the error path.
            let arity = match tape.pick(6) {
                0..=2 => "",
                3 | 4 => "?",
                _ if provider == Provider::Postgresql || tape.chance(5) => "[]",
                _ => "?",
            };
            let mut attributes: Vec<String> = Vec::new();
            if arity != "[]" && tape.chance(15) {
                let map = if tape.chance(30) {
                    format!("(map: \"unique_{field}\")")
                } else {
                    String::new()
                };
                attributes.push(format!("@unique{map}"));
            }
            if let Some(default) = default_for(tape, &type_name, arity == "[]", &enums) {
                attributes.push(default);
            }
            if type_name == "DateTime" && tape.chance(15) {
                attributes.push("@updatedAt".to_string());
            }
            if tape.chance(20) {
                attributes.push(format!(
                    "@map(\"{} {field}\")",
                    tape.choose(ODD_DATABASE_NAMES)
                ));
            }
            if let Some(native) = native_type_for(tape, &type_name, provider) {
                attributes.push(native.to_string());
            }
            model.fields.push(format!(
                "{field} {type_name}{arity} {}",
                attributes.join(" ")
            ));
            if arity != "[]" {
                model.scalar_fields.push(field);
            }
        }

        for _ in 0..tape.pick(3) {
            if model.scalar_fields.is_empty() {
                break;
            }
            let count = 1 + tape.pick(model.scalar_fields.len().min(3));
            let start = tape.pick(model.scalar_fields.len());
            let mut fields: Vec<String> = Vec::new();
            for offset in 0..count {
                let field = &model.scalar_fields[(start + offset) % model.scalar_fields.len()];
                if fields
                    .iter()
                    .any(|existing| existing.starts_with(field.as_str()))
                {
                    continue;
                }
                fields.push(if tape.chance(20) {
                    format!("{field}(sort: Desc)")
                } else {
                    field.clone()
                });
            }
            let mut arguments = vec![format!("[{}]", fields.join(", "))];
            if tape.chance(25) {
                arguments.push(format!("map: \"{}_index_{}\"", model.name, tape.pick(100)));
            }
            let is_unique = tape.chance(35);
            if !is_unique && provider == Provider::Postgresql && tape.chance(20) {
                arguments.push(format!("type: {}", tape.choose(&["Hash", "BTree", "Brin"])));
            }
            model.block_attributes.push(format!(
                "@@{}({})",
                if is_unique { "unique" } else { "index" },
                arguments.join(", ")
            ));
        }
        if tape.chance(25) {
            model.block_attributes.push(format!(
                "@@map(\"{} {}\")",
                tape.choose(ODD_DATABASE_NAMES),
                model.name
            ));
        }
        models.push(model);
    }

    for relation_position in 0..tape.pick(4) {
        let child = tape.pick(models.len());
        let parent = tape.pick(models.len());
        let relation_name = format!("R{relation_position}");
        let parent_name = models[parent].name.clone();
        let child_name = models[child].name.clone();
        let kind = tape.pick(4);
        let has_single_id = |model: &ModelSketch| model.id_fields.len() == 1;
        if kind == 3
            && (has_single_id(&models[child]) && has_single_id(&models[parent]) || tape.chance(5))
        {
            // Implicit many-to-many; it needs single ids, which validation checks.
            models[child].fields.push(format!(
                "m{relation_position} {parent_name}[] @relation(\"{relation_name}\")"
            ));
            models[parent].fields.push(format!(
                "m{relation_position}_back {child_name}[] @relation(\"{relation_name}\")"
            ));
            continue;
        }
        let parent_ids = models[parent].id_fields.clone();
        if parent_ids.is_empty() {
            continue;
        }
        let optional = tape.chance(40);
        let one_to_one = kind == 1;
        let mut fields = Vec::new();
        for (id_field, type_text) in &parent_ids {
            let field = format!("r{relation_position}_{id_field}");
            let unique = if one_to_one && parent_ids.len() == 1 {
                " @unique"
            } else {
                ""
            };
            let (scalar, native) = type_text
                .split_once(' ')
                .unwrap_or((type_text.as_str(), ""));
            models[child].fields.push(format!(
                "{field} {scalar}{}{unique} {native}",
                if optional { "?" } else { "" }
            ));
            models[child].scalar_fields.push(field.clone());
            fields.push(field);
        }
        if one_to_one && parent_ids.len() > 1 {
            models[child]
                .block_attributes
                .push(format!("@@unique([{}])", fields.join(", ")));
        }
        let references: Vec<&str> = parent_ids.iter().map(|(field, _)| field.as_str()).collect();
        let mut arguments = vec![
            format!("\"{relation_name}\""),
            format!("fields: [{}]", fields.join(", ")),
            format!("references: [{}]", references.join(", ")),
        ];
        // SetNull needs optional fields; a rare one on required fields checks the error path.
        let actions: &[&str] = if optional || tape.chance(5) {
            REFERENTIAL_ACTIONS
        } else {
            &REFERENTIAL_ACTIONS[..3]
        };
        if tape.chance(30) {
            arguments.push(format!("onDelete: {}", tape.choose(actions)));
        }
        if tape.chance(20) {
            arguments.push(format!("onUpdate: {}", tape.choose(actions)));
        }
        if tape.chance(15) {
            arguments.push(format!("map: \"fk_{relation_position}\""));
        }
        models[child].fields.push(format!(
            "r{relation_position} {parent_name}{} @relation({})",
            if optional { "?" } else { "" },
            arguments.join(", ")
        ));
        let back_arity = if one_to_one { "?" } else { "[]" };
        models[parent].fields.push(format!(
            "r{relation_position}_back {child_name}{back_arity} @relation(\"{relation_name}\")"
        ));
    }

    for model in &models {
        text.push_str(&format!("\nmodel {} {{\n", model.name));
        for field in &model.fields {
            text.push_str(&format!("  {}\n", field.trim_end()));
        }
        if !model.block_attributes.is_empty() {
            text.push('\n');
            for attribute in &model.block_attributes {
                text.push_str(&format!("  {attribute}\n"));
            }
        }
        text.push_str("}\n");
    }
    text
}

// ----- mutations of real schemas -----

/// Golden and corpus schemas, each with its datasource.
fn source_schemas() -> &'static [String] {
    static SOURCES: OnceLock<Vec<String>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let mut sources = Vec::new();
        for case in support::golden_cases() {
            for provider in support::providers_of(&case) {
                for file in ["previous.prisma", "next.prisma"] {
                    sources.extend(support::golden_source(&case, file, provider));
                }
            }
        }
        // Every fourth corpus schema keeps the run short; neighbours differ little anyway.
        let corpus = support::corpus_schemas().unwrap_or_default();
        sources.extend(corpus.into_iter().step_by(4).map(|(_, text)| text));
        sources
    })
}

/// Removes the attribute that starts at byte `start` (at its `@`), with its arguments.
fn without_attribute(line: &str, start: usize) -> String {
    let bytes = line.as_bytes();
    let mut end = start + 1;
    while end < bytes.len()
        && (bytes[end] == b'@'
            || bytes[end].is_ascii_alphanumeric()
            || bytes[end] == b'.'
            || bytes[end] == b'_')
    {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b'(' {
        let mut depth = 0i32;
        let mut inside_string = false;
        while end < bytes.len() {
            match bytes[end] {
                b'"' if end == 0 || bytes[end - 1] != b'\\' => inside_string = !inside_string,
                b'(' if !inside_string => depth += 1,
                b')' if !inside_string => {
                    depth -= 1;
                    if depth == 0 {
                        end += 1;
                        break;
                    }
                }
                _ => {}
            }
            end += 1;
        }
    }
    format!("{}{}", &line[..start], line.get(end..).unwrap_or(""))
}

fn mutate(tape: &mut Tape, source: &str) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    for _ in 0..1 + tape.pick(4) {
        if lines.is_empty() {
            break;
        }
        let position = tape.pick(lines.len());
        match tape.pick(10) {
            0 => {
                lines.remove(position);
            }
            1 => {
                let line = lines[position].clone();
                lines.insert(position, line);
            }
            2 => {
                let other = tape.pick(lines.len());
                lines.swap(position, other);
            }
            3 => {
                let line = &lines[position];
                let replacement = tape.choose(&[
                    "Int", "String", "BigInt", "Boolean", "DateTime", "Json", "Float", "Decimal",
                    "Bytes", "Nope",
                ]);
                if let Some(found) = SCALAR_TYPES
                    .iter()
                    .find(|type_name| line.contains(&format!(" {type_name}")))
                {
                    lines[position] =
                        line.replacen(&format!(" {found}"), &format!(" {replacement}"), 1);
                }
            }
            4 => {
                let line = &lines[position];
                let attribute_starts: Vec<usize> = line
                    .match_indices('@')
                    .map(|(start, _)| start)
                    .filter(|start| *start == 0 || line.as_bytes()[start - 1] != b'@')
                    .collect();
                if !attribute_starts.is_empty() {
                    let start = attribute_starts[tape.pick(attribute_starts.len())];
                    lines[position] = without_attribute(line, start);
                }
            }
            5 => {
                // A stray character from the language's punctuation.
                let line = &lines[position];
                let boundaries: Vec<usize> = (0..=line.len())
                    .filter(|index| line.is_char_boundary(*index))
                    .collect();
                let at = boundaries[tape.pick(boundaries.len())];
                let character =
                    tape.choose(&["{", "}", "(", ")", "[", "]", "@", "\"", "?", ",", "\\"]);
                lines[position] = format!("{}{character}{}", &line[..at], &line[at..]);
            }
            7 => {
                // A second copy of a model block, with a line of it left out, so that two
                // models share a name but not their field positions.
                let starts: Vec<usize> = lines
                    .iter()
                    .enumerate()
                    .filter(|(_, line)| line.starts_with("model "))
                    .map(|(index, _)| index)
                    .collect();
                if !starts.is_empty() {
                    let start = starts[tape.pick(starts.len())];
                    let end = lines[start..]
                        .iter()
                        .position(|line| line.starts_with('}'))
                        .map_or(lines.len(), |offset| start + offset + 1);
                    let mut copy: Vec<String> = lines[start..end].to_vec();
                    if copy.len() > 2 {
                        let left_out = 1 + tape.pick(copy.len() - 2);
                        copy.remove(left_out);
                    }
                    let at = if tape.chance(50) { end } else { start };
                    for (offset, line) in copy.into_iter().enumerate() {
                        lines.insert(at + offset, line);
                    }
                }
            }
            8 => {
                // A model or enum takes the name of another one.
                let names: Vec<String> = lines
                    .iter()
                    .filter_map(|line| {
                        line.strip_prefix("model ")
                            .or_else(|| line.strip_prefix("enum "))
                    })
                    .filter_map(|rest| rest.split_whitespace().next())
                    .map(str::to_string)
                    .collect();
                let declarations: Vec<usize> = lines
                    .iter()
                    .enumerate()
                    .filter(|(_, line)| line.starts_with("model ") || line.starts_with("enum "))
                    .map(|(index, _)| index)
                    .collect();
                if !names.is_empty() && !declarations.is_empty() {
                    let declaration = declarations[tape.pick(declarations.len())];
                    let keyword = if lines[declaration].starts_with("model ") {
                        "model"
                    } else {
                        "enum"
                    };
                    lines[declaration] = format!("{keyword} {} {{", names[tape.pick(names.len())]);
                }
            }
            9 => {
                // A field's type becomes a model or enum of the schema (a new relation, maybe
                // a self relation or an ambiguous one), or a relation gets a name.
                let names: Vec<String> = lines
                    .iter()
                    .filter_map(|line| {
                        line.strip_prefix("model ")
                            .or_else(|| line.strip_prefix("enum "))
                    })
                    .filter_map(|rest| rest.split_whitespace().next())
                    .map(str::to_string)
                    .collect();
                let line = lines[position].clone();
                let words: Vec<&str> = line.split_whitespace().collect();
                if line.starts_with("  ")
                    && words.len() >= 2
                    && !words[0].starts_with('@')
                    && !names.is_empty()
                {
                    let suffix = tape.choose(&["", "?", "[]"]);
                    let target = &names[tape.pick(names.len())];
                    let attribute = if tape.chance(30) {
                        format!(" @relation(\"{}\")", tape.choose(&["a", "b"]))
                    } else {
                        String::new()
                    };
                    lines[position] = format!("  {} {target}{suffix}{attribute}", words[0]);
                }
            }
            _ => {
                // Make a field optional or required.
                let line = &lines[position];
                lines[position] = if line.contains('?') {
                    line.replacen('?', "", 1)
                } else {
                    line.replacen(" String", " String?", 1)
                };
            }
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

// ----- the pipeline and its properties -----

/// What one run of the pipeline produces from two texts, for comparing runs.
#[derive(Debug, PartialEq)]
struct PipelineOutput {
    sql: Option<String>,
    warnings: Vec<String>,
}

fn run_pipeline(previous: &str, next: &str) -> PipelineOutput {
    let previous = database_schema_from_source(previous);
    let next = database_schema_from_source(next);
    let (Ok(previous), Ok(next)) = (previous, next) else {
        return PipelineOutput {
            sql: None,
            warnings: Vec::new(),
        };
    };
    match plan_migration(&previous, &next, &DiffOptions::default()) {
        Ok(plan) => PipelineOutput {
            sql: Some(render_plan(&plan).sql),
            warnings: plan
                .warnings
                .iter()
                .map(|warning| format!("{}: {}", warning.kind.as_str(), warning.message))
                .collect(),
        },
        Err(error) => PipelineOutput {
            sql: None,
            warnings: vec![error.to_string()],
        },
    }
}

/// Checks one schema that validated: empty self-diff, plans against the empty schema, and the
/// render round trip.
fn check_valid_schema(schema: &DatabaseSchema) -> Result<(), String> {
    let self_plan = plan_migration(schema, schema, &DiffOptions::default())
        .map_err(|error| error.to_string())?;
    if !self_plan.steps.is_empty() {
        return Err(format!(
            "the schema differs from itself:\n{}",
            render_plan(&self_plan).sql
        ));
    }
    let empty = DatabaseSchema::empty(schema.provider);
    for (from, to) in [(&empty, schema), (schema, &empty)] {
        let plan =
            plan_migration(from, to, &DiffOptions::default()).map_err(|error| error.to_string())?;
        let _ = render_plan(&plan);
    }
    for candidate in [schema.clone(), support::without_schema_names(schema)] {
        let rendered = render_prisma_schema(&candidate);
        let reparsed = database_schema_from_source(&rendered)
            .map_err(|errors| format!("render_prisma_schema gave text that does not validate:\n{errors}\n--- rendered\n{rendered}"))?;
        let plan = plan_migration(&candidate, &reparsed, &DiffOptions::default())
            .map_err(|error| error.to_string())?;
        if !plan.steps.is_empty() {
            return Err(format!(
                "the rendered schema describes another database:\n{}\n--- rendered\n{rendered}",
                render_plan(&plan).sql
            ));
        }
    }
    Ok(())
}

fn check_pair(previous: &str, next: &str) -> Result<(), String> {
    for text in [previous, next] {
        let _ = parse_schema(text);
        let _ = format_schema(text);
        if let Ok(schema) = database_schema_from_source(text) {
            check_valid_schema(&schema)?;
        }
    }
    let first = run_pipeline(previous, next);
    let second = run_pipeline(previous, next);
    if first != second {
        return Err(format!(
            "planning is not deterministic:\n--- first\n{first:?}\n--- second\n{second:?}"
        ));
    }
    Ok(())
}

/// Runs `check_pair`, turning a panic into a failure that shows both schemas.
fn check_pair_reporting(previous: &str, next: &str) -> Result<(), TestCaseError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| check_pair(previous, next)));
    let problem = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(problem)) => problem,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()));
            format!("panic: {}", message.unwrap_or_default())
        }
    };
    Err(TestCaseError::fail(format!(
        "{problem}\n--- previous\n{previous}\n--- next\n{next}"
    )))
}

fn provider_from(tape: &mut Tape) -> Provider {
    if tape.pick(2) == 0 {
        Provider::Postgresql
    } else {
        Provider::Sqlite
    }
}

/// `cases` by default; `PROPTEST_CASES` raises it for a longer hunt.
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(cases);
    // No regression files: the test must not write into the source tree.
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn random_schemas_never_break_the_planner(tape_bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut tape = Tape { bytes: &tape_bytes, position: 0 };
        let provider = provider_from(&mut tape);
        let previous = random_schema(&mut tape, provider);
        let next = match tape.pick(3) {
            0 => mutate(&mut tape, &previous),
            1 => random_schema(&mut tape, provider),
            _ => previous.clone(),
        };
        check_pair_reporting(&previous, &next)?;
    }
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn mutated_real_schemas_never_break_the_planner(tape_bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let sources = source_schemas();
        prop_assume!(!sources.is_empty());
        let mut tape = Tape { bytes: &tape_bytes, position: 0 };
        let source = &sources[tape.pick(sources.len())];
        let (previous, next) = match tape.pick(3) {
            0 => (source.clone(), mutate(&mut tape, source)),
            1 => (mutate(&mut tape, source), source.clone()),
            _ => {
                let other = &sources[tape.pick(sources.len())];
                (mutate(&mut tape, source), mutate(&mut tape, other))
            }
        };
        check_pair_reporting(&previous, &next)?;
    }
}

/// The generator must produce mostly valid schemas, or the properties that need valid schemas
/// would check little. Tapes come from a fixed xorshift sequence, so the count is stable.
#[test]
fn random_schemas_mostly_validate() {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut valid = 0;
    let total = 200;
    let mut first_errors = Vec::new();
    for _ in 0..total {
        let bytes: Vec<u8> = (0..300)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let mut tape = Tape {
            bytes: &bytes,
            position: 0,
        };
        let provider = provider_from(&mut tape);
        let schema = random_schema(&mut tape, provider);
        match database_schema_from_source(&schema) {
            Ok(_) => valid += 1,
            Err(errors) if first_errors.len() < 5 => first_errors.push(format!("{errors}")),
            Err(_) => {}
        }
    }
    println!("{valid} of {total} random schemas validate; the first errors:");
    for error in first_errors.iter().take(5) {
        println!("{error}");
    }
    assert!(
        valid * 2 >= total,
        "only {valid} of {total} random schemas validate"
    );
}
