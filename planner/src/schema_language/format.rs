//! Formatter for `schema.prisma` text. (Being written.)
use crate::error::SchemaErrors;

pub fn format_schema(source: &str) -> Result<String, SchemaErrors> {
    super::parser::parse_schema(source).map(|_| source.to_string())
}
