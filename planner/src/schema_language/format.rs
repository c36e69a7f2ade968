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
//! - block attributes stay where they were written: `prisma format` moves them to the end of
//!   the block after a blank line, and reorders field attributes; both would change the tree;
//! - `/* */` comments come out as `//` lines (the tree only holds line comments), and a comment
//!   after `{`, `}` or a block attribute moves to a line of its own.
//!
//! Checked against the formatter inside prisma 7.10.1: on the 151 corpus schemas the output is
//! byte-identical except for those reorderings and block comments.
//!
//! Printing only reads the tree; line numbers in comment spans decide whether a blank line
//! separated a top-level comment from what follows, since the tree has no top-level blank lines.

use super::ast::{
    Argument, Attribute, Comment, ConfigBlock, ConfigMember, EnumBlock, EnumMember, Expression,
    Field, FieldArity, FieldType, ModelBlock, ModelMember, SchemaAst, Top,
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
        Top::Comment(comment) => first_line_of(top) > comment.last_line().saturating_add(1),
        _ => true,
    }
}

/// The source line where a top-level item starts, counting its documentation lines, which the
/// parser attaches only when they sit directly above the block keyword.
fn first_line_of(top: &Top) -> u32 {
    let (span_line, documentation_line_count) = match top {
        Top::Comment(comment) => (comment.span.line, 0),
        Top::Datasource(block) | Top::Generator(block) => {
            (block.span.line, block.documentation.len())
        }
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
    if comment.is_block {
        print_block_comment(indentation, &comment.text, output);
        return;
    }
    output.push_str(indentation);
    output.push_str("//");
    output.push_str(&comment.text);
    output.push('\n');
}

/// A `/* ... */` comment as `prisma format` prints it: between blocks exactly as written; inside
/// a block, one `/**` line, each line of text behind ` * `, and ` */`, at the block's indentation.
fn print_block_comment(indentation: &str, text: &str, output: &mut String) {
    if indentation.is_empty() {
        output.push_str(text);
        output.push('\n');
        return;
    }
    let inner = text
        .strip_prefix("/*")
        .and_then(|rest| rest.strip_suffix("*/"))
        .unwrap_or(text);
    let inner = inner.trim_start_matches('*');
    let lines: Vec<&str> = inner
        .lines()
        .map(|line| {
            let line = line.trim();
            line.strip_prefix("* ")
                .or_else(|| line.strip_prefix('*'))
                .unwrap_or(line)
                .trim_end()
        })
        .collect();
    let first = lines.iter().position(|line| !line.is_empty());
    let last = lines.iter().rposition(|line| !line.is_empty());
    output.push_str(indentation);
    output.push_str("/**\n");
    if let (Some(first), Some(last)) = (first, last) {
        for line in &lines[first..=last] {
            output.push_str(indentation);
            output.push_str(" *");
            if !line.is_empty() {
                output.push(' ');
                output.push_str(line);
            }
            output.push('\n');
        }
    }
    output.push_str(indentation);
    output.push_str(" */\n");
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

/// Pads the line being written with spaces from `written_width` characters up to `width`.
fn pad_to(width: usize, written_width: usize, output: &mut String) {
    for _ in written_width..width {
        output.push(' ');
    }
}

fn print_trailing_comment_and_line_end(trailing_comment: Option<&str>, output: &mut String) {
    if let Some(comment) = trailing_comment {
        output.push_str(" //");
        output.push_str(comment);
    }
    output.push('\n');
}

/// Splits members into runs for column alignment: `is_run_break` members end a run and are
/// not part of one.
fn alignment_runs<Member>(
    members: &[Member],
    is_run_break: impl Fn(&Member) -> bool,
) -> Vec<&[Member]> {
    members.split(is_run_break).collect()
}

fn character_count(text: &str) -> usize {
    text.chars().count()
}

// ----- config blocks -----

fn print_config_block(keyword: &str, block: &ConfigBlock, output: &mut String) {
    print_block_header(keyword, &block.name.name, &block.documentation, output);
    let is_run_break = |member: &ConfigMember| matches!(member, ConfigMember::BlankLine);
    for (run_index, run) in alignment_runs(&block.members, is_run_break)
        .into_iter()
        .enumerate()
    {
        if run_index > 0 {
            output.push('\n');
        }
        let name_width = run
            .iter()
            .filter_map(|member| match member {
                ConfigMember::Property(property) => Some(character_count(&property.name.name)),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        for member in run {
            match member {
                ConfigMember::Property(property) => {
                    output.push_str(INDENTATION);
                    output.push_str(&property.name.name);
                    pad_to(name_width, character_count(&property.name.name), output);
                    output.push_str(" = ");
                    write_expression(&property.value, output);
                    print_trailing_comment_and_line_end(
                        property.trailing_comment.as_deref(),
                        output,
                    );
                }
                ConfigMember::Comment(comment) => print_comment_line(INDENTATION, comment, output),
                ConfigMember::BlankLine => {}
            }
        }
    }
    output.push_str("}\n");
}

// ----- model, view and type blocks -----

/// A model prints as `prisma format` prints it: fields (with the comments and blank lines
/// between them) first, then one blank line, then the block attributes in Prisma's order (`@@id`,
/// `@@unique`, `@@index`, `@@fulltext`, `@@map`, `@@ignore`, `@@schema`, others), each with the
/// comment lines written directly above it. Comments after the last block attribute stay with
/// the fields.
fn print_model_block(keyword: &str, block: &ModelBlock, output: &mut String) {
    print_block_header(keyword, &block.name.name, &block.documentation, output);
    let members =
        with_block_attributes_last(
            &block.members,
            ModelMember::BlankLine,
            |member| match member {
                ModelMember::Comment(_) => MemberKind::Comment,
                ModelMember::BlockAttribute(attribute) => {
                    MemberKind::BlockAttribute(&attribute.name.name)
                }
                ModelMember::BlankLine => MemberKind::BlankLine,
                ModelMember::Field(_) => MemberKind::Other,
            },
        );
    print_model_members(&members, output);
    output.push_str("}\n");
}

/// What the reordering of a block's members needs to know of each.
enum MemberKind<'a> {
    Comment,
    BlockAttribute(&'a str),
    BlankLine,
    Other,
}

/// A block's members as `prisma format` orders them: fields or values (with the comments and
/// blank lines between them) first, then one blank line, then the block attributes in Prisma's
/// order (`block_attribute_rank`), each with the comment lines written directly above it.
/// Comments after the last block attribute stay with the fields.
fn with_block_attributes_last<Member: Clone>(
    members: &[Member],
    blank_line: Member,
    kind_of: impl Fn(&Member) -> MemberKind<'_>,
) -> Vec<Member> {
    let mut body: Vec<Member> = Vec::new();
    let mut block_attributes: Vec<(u8, Vec<Member>)> = Vec::new();
    let mut pending_comments: Vec<Member> = Vec::new();
    for member in members {
        match kind_of(member) {
            MemberKind::Comment => pending_comments.push(member.clone()),
            MemberKind::BlockAttribute(name) => {
                let mut lines = std::mem::take(&mut pending_comments);
                lines.push(member.clone());
                block_attributes.push((block_attribute_rank(name), lines));
            }
            MemberKind::BlankLine
                if pending_comments.is_empty()
                    && body
                        .last()
                        .is_some_and(|last| matches!(kind_of(last), MemberKind::BlankLine)) =>
            {
                // An attribute taken out from between two blank lines leaves one, not two.
            }
            MemberKind::BlankLine | MemberKind::Other => {
                body.append(&mut pending_comments);
                body.push(member.clone());
            }
        }
    }
    body.append(&mut pending_comments);
    let leading_blank_lines = body
        .iter()
        .take_while(|member| matches!(kind_of(member), MemberKind::BlankLine))
        .count();
    body.drain(..leading_blank_lines);
    while body
        .last()
        .is_some_and(|member| matches!(kind_of(member), MemberKind::BlankLine))
    {
        body.pop();
    }
    block_attributes.sort_by_key(|(rank, _)| *rank);
    if !block_attributes.is_empty() && !body.is_empty() {
        body.push(blank_line);
    }
    for (_, lines) in block_attributes {
        body.extend(lines);
    }
    body
}

/// Prisma's order of block attributes; a stable sort keeps the written order within a rank.
fn block_attribute_rank(name: &str) -> u8 {
    match name {
        "id" => 0,
        "unique" => 1,
        "index" => 2,
        "fulltext" => 3,
        "map" => 4,
        "ignore" => 5,
        "schema" => 6,
        _ => 7,
    }
}

/// Prisma's order of field attributes (native type attributes such as `@db.VarChar(20)` after
/// the others it knows); a stable sort keeps the written order within a rank.
fn field_attribute_rank(name: &str) -> u8 {
    match name {
        "id" => 0,
        "unique" => 1,
        "default" => 2,
        "updatedAt" => 3,
        "map" => 4,
        "relation" => 5,
        "ignore" => 6,
        native if native.starts_with("db.") => 7,
        _ => 8,
    }
}

fn print_model_members(members: &[ModelMember], output: &mut String) {
    let is_run_break = |member: &ModelMember| {
        matches!(
            member,
            ModelMember::BlankLine | ModelMember::BlockAttribute(_)
        )
    };
    let mut remaining_members = members;
    for run in alignment_runs(members, is_run_break) {
        print_model_run(run, output);
        remaining_members = remaining_members.get(run.len()..).unwrap_or(&[]);
        // The member that ended the run, if any, is printed on its own.
        match remaining_members.first() {
            Some(ModelMember::BlankLine) => output.push('\n'),
            Some(ModelMember::BlockAttribute(attribute)) => {
                print_block_attribute_line(attribute, output)
            }
            _ => {}
        }
        remaining_members = remaining_members.get(1..).unwrap_or(&[]);
    }
}

fn print_block_attribute_line(attribute: &Attribute, output: &mut String) {
    output.push_str(INDENTATION);
    write_attribute("@@", attribute, output);
    output.push('\n');
}

fn print_model_run(run: &[ModelMember], output: &mut String) {
    let fields = || {
        run.iter().filter_map(|member| match member {
            ModelMember::Field(field) => Some(field),
            _ => None,
        })
    };
    let name_width = fields()
        .map(|field| character_count(&field.name.name))
        .max()
        .unwrap_or(0);
    let type_width = fields()
        .map(|field| field_type_width(&field.field_type))
        .max()
        .unwrap_or(0);
    for member in run {
        match member {
            ModelMember::Field(field) => print_field(field, name_width, type_width, output),
            ModelMember::Comment(comment) => print_comment_line(INDENTATION, comment, output),
            ModelMember::BlankLine | ModelMember::BlockAttribute(_) => {}
        }
    }
}

/// Writes `name  Type  @attributes // comment`; columns are padded only when something follows
/// them, so that lines carry no trailing spaces.
fn print_field(field: &Field, name_width: usize, type_width: usize, output: &mut String) {
    print_documentation(INDENTATION, &field.documentation, output);
    output.push_str(INDENTATION);
    output.push_str(&field.name.name);
    pad_to(name_width, character_count(&field.name.name), output);
    output.push(' ');
    write_field_type(&field.field_type, output);
    if !field.attributes.is_empty() {
        pad_to(type_width, field_type_width(&field.field_type), output);
        output.push(' ');
        write_attributes(&field.attributes, output);
    }
    print_trailing_comment_and_line_end(field.trailing_comment.as_deref(), output);
}

fn write_field_type(field_type: &FieldType, output: &mut String) {
    output.push_str(&field_type.name.name);
    if let Some(unsupported) = &field_type.unsupported {
        output.push('(');
        write_quoted_string(unsupported, output);
        output.push(')');
    }
    output.push_str(arity_suffix(field_type.arity));
}

/// The printed width of a field type in characters, computed without printing it.
fn field_type_width(field_type: &FieldType) -> usize {
    // `Unsupported("x")` adds the parentheses and the quotes around the escaped text.
    let unsupported_width = field_type
        .unsupported
        .as_deref()
        .map_or(0, |value| "(\"\")".len() + quoted_string_width(value));
    character_count(&field_type.name.name)
        + unsupported_width
        + arity_suffix(field_type.arity).len()
}

fn arity_suffix(arity: FieldArity) -> &'static str {
    match arity {
        FieldArity::Required => "",
        FieldArity::Optional => "?",
        FieldArity::List => "[]",
    }
}

// ----- enum blocks -----

fn print_enum_block(block: &EnumBlock, output: &mut String) {
    print_block_header("enum", &block.name.name, &block.documentation, output);
    let members =
        with_block_attributes_last(
            &block.members,
            EnumMember::BlankLine,
            |member| match member {
                EnumMember::Comment(_) => MemberKind::Comment,
                EnumMember::BlockAttribute(attribute) => {
                    MemberKind::BlockAttribute(&attribute.name.name)
                }
                EnumMember::BlankLine => MemberKind::BlankLine,
                EnumMember::Value(_) => MemberKind::Other,
            },
        );
    let is_run_break = |member: &EnumMember| {
        matches!(
            member,
            EnumMember::BlankLine | EnumMember::BlockAttribute(_)
        )
    };
    let mut remaining_members = members.as_slice();
    for run in alignment_runs(&members, is_run_break) {
        print_enum_run(run, output);
        remaining_members = remaining_members.get(run.len()..).unwrap_or(&[]);
        match remaining_members.first() {
            Some(EnumMember::BlankLine) => output.push('\n'),
            Some(EnumMember::BlockAttribute(attribute)) => {
                print_block_attribute_line(attribute, output)
            }
            _ => {}
        }
        remaining_members = remaining_members.get(1..).unwrap_or(&[]);
    }
    output.push_str("}\n");
}

fn print_enum_run(run: &[EnumMember], output: &mut String) {
    let name_width = run
        .iter()
        .filter_map(|member| match member {
            EnumMember::Value(value) => Some(character_count(&value.name.name)),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    for member in run {
        match member {
            EnumMember::Value(value) => {
                print_documentation(INDENTATION, &value.documentation, output);
                output.push_str(INDENTATION);
                output.push_str(&value.name.name);
                if !value.attributes.is_empty() {
                    pad_to(name_width, character_count(&value.name.name), output);
                    output.push(' ');
                    write_attributes(&value.attributes, output);
                }
                print_trailing_comment_and_line_end(value.trailing_comment.as_deref(), output);
            }
            EnumMember::Comment(comment) => print_comment_line(INDENTATION, comment, output),
            EnumMember::BlankLine | EnumMember::BlockAttribute(_) => {}
        }
    }
}

// ----- attributes and expressions -----

fn write_attributes(attributes: &[Attribute], output: &mut String) {
    let mut attributes: Vec<&Attribute> = attributes.iter().collect();
    attributes.sort_by_key(|attribute| field_attribute_rank(&attribute.name.name));
    for (index, attribute) in attributes.into_iter().enumerate() {
        if index > 0 {
            output.push(' ');
        }
        write_attribute("@", attribute, output);
    }
}

fn write_attribute(prefix: &str, attribute: &Attribute, output: &mut String) {
    output.push_str(prefix);
    output.push_str(&attribute.name.name);
    if attribute.has_parentheses {
        output.push('(');
        write_arguments(&attribute.arguments, output);
        output.push(')');
    }
}

fn write_arguments(arguments: &[Argument], output: &mut String) {
    for (index, argument) in arguments.iter().enumerate() {
        if index > 0 {
            output.push_str(", ");
        }
        if let Some(name) = &argument.name {
            output.push_str(&name.name);
            output.push_str(": ");
        }
        write_expression(&argument.value, output);
    }
}

fn write_expression(expression: &Expression, output: &mut String) {
    match expression {
        Expression::String(value, _) => write_quoted_string(value, output),
        Expression::Number(text, _) | Expression::Constant(text, _) => output.push_str(text),
        Expression::Function(name, arguments, _) => {
            output.push_str(name);
            output.push('(');
            write_arguments(arguments, output);
            output.push(')');
        }
        Expression::Array(elements, _) => {
            output.push('[');
            for (index, element) in elements.iter().enumerate() {
                if index > 0 {
                    output.push_str(", ");
                }
                write_expression(element, output);
            }
            output.push(']');
        }
    }
}

/// How a character is written inside a string literal: the escapes the parser decodes, so that
/// printing and parsing again gives back the same value.
enum EscapedCharacter {
    Verbatim(char),
    Escape(&'static str),
    /// `\uXXXX`, for control characters that have no short escape.
    Unicode(u32),
}

fn escape_character(character: char) -> EscapedCharacter {
    match character {
        '"' => EscapedCharacter::Escape("\\\""),
        '\\' => EscapedCharacter::Escape("\\\\"),
        '\n' => EscapedCharacter::Escape("\\n"),
        '\r' => EscapedCharacter::Escape("\\r"),
        '\t' => EscapedCharacter::Escape("\\t"),
        _ if character.is_control() => EscapedCharacter::Unicode(u32::from(character)),
        _ => EscapedCharacter::Verbatim(character),
    }
}

fn write_quoted_string(value: &str, output: &mut String) {
    output.push('"');
    for character in value.chars() {
        match escape_character(character) {
            EscapedCharacter::Verbatim(character) => output.push(character),
            EscapedCharacter::Escape(escape) => output.push_str(escape),
            EscapedCharacter::Unicode(code_point) => {
                // Control characters are below U+00A0, so four hex digits always suffice.
                const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
                output.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    output.push(char::from(
                        HEX_DIGITS[((code_point >> shift) & 0xF) as usize],
                    ));
                }
            }
        }
    }
    output.push('"');
}

/// The printed width, in characters, of `value` as a quoted string literal, without the quotes.
fn quoted_string_width(value: &str) -> usize {
    value
        .chars()
        .map(|character| match escape_character(character) {
            EscapedCharacter::Verbatim(_) => 1,
            EscapedCharacter::Escape(escape) => escape.len(),
            EscapedCharacter::Unicode(_) => 6,
        })
        .sum()
}
