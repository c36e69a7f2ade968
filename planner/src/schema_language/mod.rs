//! The `schema.prisma` language: syntax tree, parser, formatter, and validation into a data model.

pub mod ast;
pub mod data_model;
pub mod files;
pub mod format;
pub mod lower;
pub mod parser;

pub use data_model::DataModel;
pub use format::format_schema;
pub use parser::parse_schema;
