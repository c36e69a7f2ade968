//! The formatter's stability check, shared by `format_tests.rs` and the golden format cases of
//! `golden.rs`: formatting keeps the syntax tree (spans and Prisma's reordering aside) and is
//! idempotent.

use planner::schema_language::ast::{
    Argument, Attribute, Comment, ConfigMember, EnumMember, Expression, Identifier, ModelBlock,
    ModelMember, SchemaAst, Top,
};
use planner::schema_language::format::print_schema;
use planner::schema_language::parse_schema;
use planner::Span;

/// A copy of the tree with every span reset, so that trees parsed from differently laid out
/// text can be compared.
fn without_spans(ast: &SchemaAst) -> SchemaAst {
    fn reset_identifier(identifier: &mut Identifier) {
        identifier.span = Span::default();
    }
    fn reset_comment(comment: &mut Comment) {
        comment.span = Span::default();
    }
    fn reset_expression(expression: &mut Expression) {
        match expression {
            Expression::String(_, span)
            | Expression::Number(_, span)
            | Expression::Constant(_, span) => *span = Span::default(),
            Expression::Function(_, arguments_of_call, span) => {
                *span = Span::default();
                reset_arguments(arguments_of_call);
            }
            Expression::Array(elements, span) => {
                *span = Span::default();
                elements.iter_mut().for_each(reset_expression);
            }
        }
    }
    fn reset_arguments(arguments: &mut [Argument]) {
        for argument in arguments {
            argument.span = Span::default();
            argument.name.iter_mut().for_each(reset_identifier);
            reset_expression(&mut argument.value);
        }
    }
    fn reset_attribute(attribute: &mut Attribute) {
        attribute.span = Span::default();
        reset_identifier(&mut attribute.name);
        reset_arguments(&mut attribute.arguments);
    }
    fn reset_model(block: &mut ModelBlock) {
        block.span = Span::default();
        reset_identifier(&mut block.name);
        for member in &mut block.members {
            match member {
                ModelMember::Field(field) => {
                    field.span = Span::default();
                    field.field_type.span = Span::default();
                    reset_identifier(&mut field.name);
                    reset_identifier(&mut field.field_type.name);
                    field.attributes.iter_mut().for_each(reset_attribute);
                }
                ModelMember::BlockAttribute(block_attribute) => reset_attribute(block_attribute),
                ModelMember::Comment(member_comment) => reset_comment(member_comment),
                ModelMember::BlankLine => {}
            }
        }
    }
    let mut ast = ast.clone();
    for top in &mut ast.tops {
        match top {
            Top::Datasource(block) | Top::Generator(block) => {
                block.span = Span::default();
                reset_identifier(&mut block.name);
                for member in &mut block.members {
                    match member {
                        ConfigMember::Property(property) => {
                            property.span = Span::default();
                            reset_identifier(&mut property.name);
                            reset_expression(&mut property.value);
                        }
                        ConfigMember::Comment(member_comment) => reset_comment(member_comment),
                        ConfigMember::BlankLine => {}
                    }
                }
            }
            Top::Model(block) | Top::View(block) | Top::CompositeType(block) => reset_model(block),
            Top::Enum(block) => {
                block.span = Span::default();
                reset_identifier(&mut block.name);
                for member in &mut block.members {
                    match member {
                        EnumMember::Value(value) => {
                            value.span = Span::default();
                            reset_identifier(&mut value.name);
                            value.attributes.iter_mut().for_each(reset_attribute);
                        }
                        EnumMember::BlockAttribute(block_attribute) => {
                            reset_attribute(block_attribute)
                        }
                        EnumMember::Comment(member_comment) => reset_comment(member_comment),
                        EnumMember::BlankLine => {}
                    }
                }
            }
            Top::Comment(top_comment) => reset_comment(top_comment),
        }
    }
    for top in &mut ast.tops {
        match top {
            Top::Model(block) | Top::View(block) | Top::CompositeType(block) => {
                block.members =
                    in_canonical_order(std::mem::take(&mut block.members), |member| match member {
                        ModelMember::Field(field) => {
                            field
                                .attributes
                                .sort_by(|a, b| a.name.name.cmp(&b.name.name));
                            MemberClass::Item
                        }
                        ModelMember::BlockAttribute(_) => MemberClass::BlockAttribute,
                        ModelMember::Comment(comment) => MemberClass::Comment(comment),
                        ModelMember::BlankLine => MemberClass::BlankLine,
                    });
            }
            Top::Enum(block) => {
                block.members =
                    in_canonical_order(std::mem::take(&mut block.members), |member| match member {
                        EnumMember::Value(value) => {
                            value
                                .attributes
                                .sort_by(|a, b| a.name.name.cmp(&b.name.name));
                            MemberClass::Item
                        }
                        EnumMember::BlockAttribute(_) => MemberClass::BlockAttribute,
                        EnumMember::Comment(comment) => MemberClass::Comment(comment),
                        EnumMember::BlankLine => MemberClass::BlankLine,
                    });
            }
            _ => {}
        }
    }
    ast
}

enum MemberClass<'a> {
    Item,
    BlockAttribute,
    Comment(&'a mut Comment),
    BlankLine,
}

/// The members of a block in an order that formatting cannot change: the fields or values in
/// their order, then the block attributes and then the comments, each sorted (the formatter
/// moves both as `prisma format` does), without blank lines. A block comment inside a block is
/// reduced to its lines of text, which the formatter lays out anew. So the comparison still
/// sees every field, attribute and comment, lost or changed.
fn in_canonical_order<Member: std::fmt::Debug>(
    members: Vec<Member>,
    mut classify: impl FnMut(&mut Member) -> MemberClass<'_>,
) -> Vec<Member> {
    let (mut items, mut attributes, mut comments) = (Vec::new(), Vec::new(), Vec::new());
    for mut member in members {
        match classify(&mut member) {
            MemberClass::Item => items.push(member),
            MemberClass::BlockAttribute => attributes.push(member),
            MemberClass::Comment(comment) => {
                if comment.is_block {
                    comment.text = block_comment_lines(&comment.text);
                    comment.is_block = false;
                }
                comments.push(member)
            }
            MemberClass::BlankLine => {}
        }
    }
    let by_text = |a: &Member, b: &Member| format!("{a:?}").cmp(&format!("{b:?}"));
    attributes.sort_by(by_text);
    comments.sort_by(by_text);
    items.extend(attributes);
    items.extend(comments);
    items
}

/// The text lines of a `/* ... */` comment, without the delimiters and leading `*`s.
fn block_comment_lines(text: &str) -> String {
    let inner = text.trim_start_matches("/*").trim_end_matches("*/");
    inner
        .lines()
        .map(|line| line.trim().trim_start_matches('*').trim())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// For text that parses: formatting is idempotent, and the formatted text parses into the same
/// tree apart from spans and the order `prisma format` gives attributes and comments (see
/// `in_canonical_order`). Returns the formatted text.
pub fn assert_formats_stably(source: &str) -> Result<String, String> {
    let Ok(ast) = parse_schema(source) else {
        return Err("the source does not parse".to_string());
    };
    let formatted = print_schema(&ast);
    let reparsed = parse_schema(&formatted).map_err(|errors| {
        format!("the formatted text does not parse:\n{errors}\n--- formatted ---\n{formatted}")
    })?;
    if without_spans(&reparsed) != without_spans(&ast) {
        return Err(format!(
            "parse(format(x)) differs from parse(x)\n--- source ---\n{source}\n--- formatted ---\n{formatted}\n--- parse(x) ---\n{:#?}\n--- parse(format(x)) ---\n{:#?}",
            without_spans(&ast),
            without_spans(&reparsed)
        ));
    }
    let formatted_twice = print_schema(&reparsed);
    if formatted_twice != formatted {
        return Err(format!(
            "formatting is not idempotent\n--- source ---\n{source}\n--- once ---\n{formatted}\n--- twice ---\n{formatted_twice}"
        ));
    }
    Ok(formatted)
}
