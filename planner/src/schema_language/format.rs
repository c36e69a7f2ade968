//! Prints a schema syntax tree back to text in the layout `prisma format` uses.
//!
//! Layout rules, taken from what `prisma format` 7 prints:
//! - two-space indentation, one blank line between blocks, a final newline;
//! - in `model`, `view` and `type` blocks, field names, types and attributes are aligned in
//!   columns within each run of fields; a blank line or a block attribute ends a run, a comment
//!   does not; enum values and their attributes are aligned the same way;
//! - config block properties are aligned on `=` within each run of properties;
//! - a `//` comment at the end of a line follows the line's last column after one space;
//! - blank lines inside blocks are kept as one, never at the start or end of a block;
//! - block attributes stay where they were written (`prisma format` moves them to the end).
//!
//! Printing only reads the tree; line numbers in comment spans decide whether a blank line
//! separated a top-level comment from what follows, since the tree has no top-level blank lines.

use super::ast::{
    Argument, Attribute, Comment, ConfigBlock, ConfigMember, EnumBlock, EnumMember, Expression, Field, FieldArity,
    FieldType, ModelBlock, ModelMember, SchemaAst, Top,
};
use super::parser::parse_schema;
use crate::error::SchemaErrors;

const INDENTATION: &str = "  ";

/// Parses `schema.prisma` text and prints it back in the canonical layout.
pub fn format_schema(source: &str) -> Result<String, SchemaErrors> {
    parse_schema(source).map(|ast| print_schema(&ast))
}

/// Prints a syntax tree in the canonical layout; the output ends with a newline unless it is empty.
pub fn print_schema(ast: &SchemaAst) -> String {
    let mut output = String::new();
    let mut previous_top: Option<&Top> = None;
    for top in &ast.tops {
        if let Some(previous_top) = previous_top {
            if needs_blank_line_between(previous_top, top) {
                output.push('\n');
            }
        }
        print_top(top, &mut output);
        previous_top = Some(top);
    }
    output
}

/// Blocks are always separated by one blank line. After a comment, a blank line is printed only
/// if the source had one, so that a comment written directly above a block stays attached to it.
fn needs_blank_line_between(previous_top: &Top, top: &Top) -> bool {
    match previous_top {
        Top::Comment(comment) => first_line_of(top) > comment.span.line.saturating_add(1),
        _ => true,
    }
}

/// The source line where a top-level item starts, counting its documentation lines, which the
/// parser attaches only when they sit directly above the block keyword.
fn first_line_of(top: &Top) -> u32 {
    let (span_line, documentation_line_count) = match top {
        Top::Comment(comment) => (comment.span.line, 0),
        Top::Datasource(block) | Top::Generator(block) => (block.span.line, block.documentation.len()),
        Top::Model(block) | Top::View(block) | Top::CompositeType(block) => {
            (block.span.line, block.documentation.len())
        }
        Top::Enum(block) => (block.span.line, block.documentation.len()),
    };
    span_line.saturating_sub(u32::try_from(documentation_line_count).unwrap_or(u32::MAX))
}

fn print_top(top: &Top, output: &mut String) {
    match top {
        Top::Datasource(block) => print_config_block("datasource", block, output),
        Top::Generator(block) => print_config_block("generator", block, output),
        Top::Model(block) => print_model_block("model", block, output),
        Top::View(block) => print_model_block("view", block, output),
        Top::CompositeType(block) => print_model_block("type", block, output),
        Top::Enum(block) => print_enum_block(block, output),
        Top::Comment(comment) => print_comment_line("", comment, output),
    }
}

fn print_comment_line(indentation: &str, comment: &Comment, output: &mut String) {
    output.push_str(indentation);
    output.push_str("//");
    output.push_str(&comment.text);
    output.push('\n');
}

fn print_documentation(indentation: &str, documentation: &[String], output: &mut String) {
    for line in documentation {
        output.push_str(indentation);
        output.push_str("///");
        output.push_str(line);
        output.push('\n');
    }
}

fn print_block_header(keyword: &str, name: &str, documentation: &[String], output: &mut String) {
    print_documentation("", documentation, output);
    output.push_str(keyword);
    output.push(' ');
    output.push_str(name);
    output.push_str(" {\n");
}

/// Writes one member line: the columns padded to the run's widths, trailing spaces removed,
/// then the trailing comment after one space.
fn print_aligned_row(columns: &[(&str, usize)], trailing_comment: Option<&str>, output: &mut String) {
    let mut row = String::from(INDENTATION);
    for (index, (text, width)) in columns.iter().enumerate() {
        if index > 0 {
            row.push(' ');
        }
        row.push_str(text);
        let text_width = text.chars().count();
        row.extend(std::iter::repeat(' ').take(width.saturating_sub(text_width)));
    }
    let trimmed_length = row.trim_end().len();
    row.truncate(trimmed_length);
    if let Some(comment) = trailing_comment {
        row.push_str(" //");
        row.push_str(comment);
    }
    output.push_str(&row);
    output.push('\n');
}

/// Splits members into runs for column alignment: `is_run_break` members end a run and are
/// not part of one.
fn alignment_runs<Member>(members: &[Member], is_run_break: impl Fn(&Member) -> bool) -> Vec<&[Member]> {
    members.split(is_run_break).collect()
}

fn maximum_width<'text>(texts: impl Iterator<Item = &'text str>) -> usize {
    texts.map(|text| text.chars().count()).max().unwrap_or(0)
}

// ----- config blocks -----

fn print_config_block(keyword: &str, block: &ConfigBlock, output: &mut String) {
    print_block_header(keyword, &block.name.name, &block.documentation, output);
    let is_run_break = |member: &ConfigMember| matches!(member, ConfigMember::BlankLine);
    let runs = alignment_runs(&block.members, is_run_break);
    for (run_index, run) in runs.iter().enumerate() {
        if run_index > 0 {
            output.push('\n');
        }
        let name_width = maximum_width(run.iter().filter_map(|member| match member {
            ConfigMember::Property(property) => Some(property.name.name.as_str()),
            _ => None,
        }));
        for member in run.iter() {
            match member {
                ConfigMember::Property(property) => {
                    let value = expression_to_string(&property.value);
                    let columns = [(property.name.name.as_str(), name_width), ("=", 0), (value.as_str(), 0)];
                    print_aligned_row(&columns, property.trailing_comment.as_deref(), output);
                }
                ConfigMember::Comment(comment) => print_comment_line(INDENTATION, comment, output),
                ConfigMember::BlankLine => {}
            }
        }
    }
    output.push_str("}\n");
}

// ----- model, view and type blocks -----

fn print_model_block(keyword: &str, block: &ModelBlock, output: &mut String) {
    print_block_header(keyword, &block.name.name, &block.documentation, output);
    let is_run_break = |member: &ModelMember| matches!(member, ModelMember::BlankLine | ModelMember::BlockAttribute(_));
    let mut remaining_members = block.members.as_slice();
    for run in alignment_runs(&block.members, is_run_break) {
        print_model_run(run, output);
        remaining_members = remaining_members.get(run.len()..).unwrap_or(&[]);
        // The member that ended the run, if any, is printed on its own.
        match remaining_members.first() {
            Some(ModelMember::BlankLine) => output.push('\n'),
            Some(ModelMember::BlockAttribute(attribute)) => {
                output.push_str(INDENTATION);
                output.push_str(&attribute_to_string("@@", attribute));
                output.push('\n');
            }
            _ => {}
        }
        remaining_members = remaining_members.get(1..).unwrap_or(&[]);
    }
    output.push_str("}\n");
}

fn print_model_run(run: &[ModelMember], output: &mut String) {
    let fields = || {
        run.iter().filter_map(|member| match member {
            ModelMember::Field(field) => Some(field),
            _ => None,
        })
    };
    let type_texts: Vec<String> = fields().map(|field| field_type_to_string(&field.field_type)).collect();
    let name_width = maximum_width(fields().map(|field| field.name.name.as_str()));
    let type_width = maximum_width(type_texts.iter().map(String::as_str));
    let mut type_texts = type_texts.into_iter();
    for member in run {
        match member {
            ModelMember::Field(field) => {
                let type_text = type_texts.next().unwrap_or_default();
                print_field(field, &type_text, name_width, type_width, output);
            }
            ModelMember::Comment(comment) => print_comment_line(INDENTATION, comment, output),
            ModelMember::BlankLine | ModelMember::BlockAttribute(_) => {}
        }
    }
}

fn print_field(field: &Field, type_text: &str, name_width: usize, type_width: usize, output: &mut String) {
    print_documentation(INDENTATION, &field.documentation, output);
    let attributes = attributes_to_string(&field.attributes);
    let columns = [(field.name.name.as_str(), name_width), (type_text, type_width), (attributes.as_str(), 0)];
    print_aligned_row(&columns, field.trailing_comment.as_deref(), output);
}

fn field_type_to_string(field_type: &FieldType) -> String {
    let mut text = field_type.name.name.clone();
    if let Some(unsupported) = &field_type.unsupported {
        text.push('(');
        text.push_str(&quote_string(unsupported));
        text.push(')');
    }
    match field_type.arity {
        FieldArity::Required => {}
        FieldArity::Optional => text.push('?'),
        FieldArity::List => text.push_str("[]"),
    }
    text
}

// ----- enum blocks -----

fn print_enum_block(block: &EnumBlock, output: &mut String) {
    print_block_header("enum", &block.name.name, &block.documentation, output);
    let is_run_break = |member: &EnumMember| matches!(member, EnumMember::BlankLine | EnumMember::BlockAttribute(_));
    let mut remaining_members = block.members.as_slice();
    for run in alignment_runs(&block.members, is_run_break) {
        print_enum_run(run, output);
        remaining_members = remaining_members.get(run.len()..).unwrap_or(&[]);
        match remaining_members.first() {
            Some(EnumMember::BlankLine) => output.push('\n'),
            Some(EnumMember::BlockAttribute(attribute)) => {
                output.push_str(INDENTATION);
                output.push_str(&attribute_to_string("@@", attribute));
                output.push('\n');
            }
            _ => {}
        }
        remaining_members = remaining_members.get(1..).unwrap_or(&[]);
    }
    output.push_str("}\n");
}

fn print_enum_run(run: &[EnumMember], output: &mut String) {
    let name_width = maximum_width(run.iter().filter_map(|member| match member {
        EnumMember::Value(value) => Some(value.name.name.as_str()),
        _ => None,
    }));
    for member in run {
        match member {
            EnumMember::Value(value) => {
                print_documentation(INDENTATION, &value.documentation, output);
                let attributes = attributes_to_string(&value.attributes);
                let columns = [(value.name.name.as_str(), name_width), (attributes.as_str(), 0)];
                print_aligned_row(&columns, value.trailing_comment.as_deref(), output);
            }
            EnumMember::Comment(comment) => print_comment_line(INDENTATION, comment, output),
            EnumMember::BlankLine | EnumMember::BlockAttribute(_) => {}
        }
    }
}

// ----- attributes and expressions -----

fn attributes_to_string(attributes: &[Attribute]) -> String {
    let printed: Vec<String> = attributes.iter().map(|attribute| attribute_to_string("@", attribute)).collect();
    printed.join(" ")
}

fn attribute_to_string(prefix: &str, attribute: &Attribute) -> String {
    let mut text = String::from(prefix);
    text.push_str(&attribute.name.name);
    if attribute.has_parentheses {
        text.push('(');
        text.push_str(&arguments_to_string(&attribute.arguments));
        text.push(')');
    }
    text
}

fn arguments_to_string(arguments: &[Argument]) -> String {
    let printed: Vec<String> = arguments.iter().map(argument_to_string).collect();
    printed.join(", ")
}

fn argument_to_string(argument: &Argument) -> String {
    match &argument.name {
        Some(name) => format!("{}: {}", name.name, expression_to_string(&argument.value)),
        None => expression_to_string(&argument.value),
    }
}

fn expression_to_string(expression: &Expression) -> String {
    match expression {
        Expression::String(value, _) => quote_string(value),
        Expression::Number(text, _) | Expression::Constant(text, _) => text.clone(),
        Expression::Function(name, arguments, _) => format!("{name}({})", arguments_to_string(arguments)),
        Expression::Array(elements, _) => {
            let printed: Vec<String> = elements.iter().map(expression_to_string).collect();
            format!("[{}]", printed.join(", "))
        }
    }
}

/// Writes a string literal with the escapes the parser decodes, so that printing and parsing
/// again gives back the same value.
fn quote_string(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for character in value.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            _ if character.is_control() => quoted.push_str(&format!("\\u{:04x}", u32::from(character))),
            _ => quoted.push(character),
        }
    }
    quoted.push('"');
    quoted
}
