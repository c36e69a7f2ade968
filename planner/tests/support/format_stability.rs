//! The formatter's stability check, shared by `format_tests.rs` and the golden format cases of
//! `golden.rs`: formatting keeps the syntax tree (spans aside) and is idempotent.

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
    ast
}

/// For text that parses: formatting is idempotent, and the formatted text parses into the same
/// tree apart from spans. Returns the formatted text.
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
