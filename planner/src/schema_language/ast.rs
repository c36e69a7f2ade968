//! The syntax tree of `schema.prisma` text. It keeps comments and blank-line breaks so that
//! `format` can print the schema back without losing anything the user wrote.

use crate::error::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct SchemaAst {
    pub tops: Vec<Top>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Top {
    Datasource(ConfigBlock),
    Generator(ConfigBlock),
    Model(ModelBlock),
    /// `view` blocks parse like models; the planner never creates or drops them.
    View(ModelBlock),
    Enum(EnumBlock),
    /// `type` blocks (composite types) parse like models; they are rejected on SQL providers.
    CompositeType(ModelBlock),
    /// A `//` comment line between blocks, without the leading `//`.
    Comment(Comment),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// The comment text after `//`, kept verbatim (including a leading space if any); for a
    /// block comment, the whole comment as written, from `/*` to `*/`.
    pub text: String,
    pub span: Span,
    /// A `/* ... */` comment that stands alone on its lines.
    pub is_block: bool,
}

impl Comment {
    /// The last source line the comment covers.
    pub fn last_line(&self) -> u32 {
        let extra_lines = self.text.matches('\n').count();
        self.span
            .line
            .saturating_add(u32::try_from(extra_lines).unwrap_or(u32::MAX))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Identifier {
    pub name: String,
    pub span: Span,
}

/// `datasource db { ... }` and `generator client { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigBlock {
    pub name: Identifier,
    pub documentation: Vec<String>,
    pub members: Vec<ConfigMember>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfigMember {
    Property(ConfigProperty),
    Comment(Comment),
    /// One or more blank lines between members; kept as a single break when formatting.
    BlankLine,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProperty {
    pub name: Identifier,
    pub value: Expression,
    pub trailing_comment: Option<String>,
    pub span: Span,
}

/// `model`, `view` and `type` blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelBlock {
    pub name: Identifier,
    /// `///` lines before the block, without the `///`.
    pub documentation: Vec<String>,
    pub members: Vec<ModelMember>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelMember {
    Field(Field),
    /// A block attribute such as `@@index([a])`; its `name` holds `index` (without `@@`).
    BlockAttribute(Attribute),
    Comment(Comment),
    BlankLine,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: Identifier,
    pub field_type: FieldType,
    pub attributes: Vec<Attribute>,
    /// `///` lines directly above the field.
    pub documentation: Vec<String>,
    /// A `//` comment at the end of the field's line, without the `//`.
    pub trailing_comment: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldType {
    /// The type name (`String`, `User`, ...). For `Unsupported("x")` it is `Unsupported`.
    pub name: Identifier,
    pub arity: FieldArity,
    /// The argument of `Unsupported("...")`.
    pub unsupported: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldArity {
    Required,
    Optional,
    List,
}

/// A field attribute (`@id`, `@db.VarChar(20)`) or a block attribute (`@@index(...)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The name without `@` or `@@`, dotted names kept whole: `id`, `db.VarChar`, `index`.
    pub name: Identifier,
    /// Arguments in source order; an attribute written without parentheses has none.
    pub arguments: Vec<Argument>,
    /// Whether parentheses were written, so that `@db.Text()` and `@db.Text` format as written.
    pub has_parentheses: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    /// `Some` for `name: value`, `None` for a positional argument.
    pub name: Option<Identifier>,
    pub value: Expression,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    /// A string literal, with escapes already decoded.
    String(String, Span),
    /// A numeric literal as written (`42`, `-1`, `1.5`).
    Number(String, Span),
    /// A bare identifier or dotted path: `true`, `Cascade`, `BTree`, `env`, `a.b`.
    Constant(String, Span),
    /// A call: `now()`, `env("URL")`, `sort: Desc` is not a call; `ops: raw("...")` is.
    Function(String, Vec<Argument>, Span),
    /// `[a, b, c]`.
    Array(Vec<Expression>, Span),
}

impl Expression {
    pub fn span(&self) -> Span {
        match self {
            Expression::String(_, span)
            | Expression::Number(_, span)
            | Expression::Constant(_, span)
            | Expression::Function(_, _, span)
            | Expression::Array(_, span) => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumBlock {
    pub name: Identifier,
    pub documentation: Vec<String>,
    pub members: Vec<EnumMember>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnumMember {
    Value(EnumValue),
    BlockAttribute(Attribute),
    Comment(Comment),
    BlankLine,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub name: Identifier,
    pub attributes: Vec<Attribute>,
    pub documentation: Vec<String>,
    pub trailing_comment: Option<String>,
    pub span: Span,
}

impl ModelBlock {
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.members.iter().filter_map(|member| match member {
            ModelMember::Field(field) => Some(field),
            _ => None,
        })
    }

    pub fn block_attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.members.iter().filter_map(|member| match member {
            ModelMember::BlockAttribute(attribute) => Some(attribute),
            _ => None,
        })
    }
}

impl EnumBlock {
    pub fn values(&self) -> impl Iterator<Item = &EnumValue> {
        self.members.iter().filter_map(|member| match member {
            EnumMember::Value(value) => Some(value),
            _ => None,
        })
    }

    pub fn block_attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.members.iter().filter_map(|member| match member {
            EnumMember::BlockAttribute(attribute) => Some(attribute),
            _ => None,
        })
    }
}

impl ConfigBlock {
    pub fn properties(&self) -> impl Iterator<Item = &ConfigProperty> {
        self.members.iter().filter_map(|member| match member {
            ConfigMember::Property(property) => Some(property),
            _ => None,
        })
    }
}
