use serde::{Deserialize, Serialize};

/// A place in schema text: byte offsets plus the 1-based line and column of the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// Builds a span from byte offsets, computing the line and column from the source text.
    pub fn from_offsets(source: &str, start: usize, end: usize) -> Span {
        let start = start.min(source.len());
        let before = &source[..start];
        let line = before.bytes().filter(|byte| *byte == b'\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map(|index| index + 1).unwrap_or(0);
        let column = source[line_start..start].chars().count() as u32 + 1;
        Span {
            start,
            end: end.max(start),
            line,
            column,
        }
    }
}

/// An error in schema text or in a planner input. `code` is stable and documented;
/// `message` is for people; `span` points into the schema text when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaError {
    pub code: String,
    pub message: String,
    pub span: Option<Span>,
    /// The other place the error concerns, when there is one: the first definition of a name
    /// defined twice. In a schema of several files it may be in another file than `span`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<Span>,
}

impl SchemaError {
    pub fn new(code: &str, message: impl Into<String>, span: Option<Span>) -> SchemaError {
        SchemaError {
            code: code.to_string(),
            message: message.into(),
            span,
            related: None,
        }
    }

    /// The same error, pointing also at `related` (see the field).
    pub fn with_related(mut self, related: Span) -> SchemaError {
        self.related = Some(related);
        self
    }
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.span {
            Some(span) => write!(
                formatter,
                "error[{}] at {}:{}: {}",
                self.code, span.line, span.column, self.message
            ),
            None => write!(formatter, "error[{}]: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for SchemaError {}

/// All the errors found in one input, in source order. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaErrors {
    pub errors: Vec<SchemaError>,
}

impl SchemaErrors {
    /// The errors sorted by where they start in the source; errors without a span come last.
    pub fn in_source_order(mut errors: Vec<SchemaError>) -> SchemaErrors {
        errors.sort_by_key(|error| error.span.map(|span| span.start).unwrap_or(usize::MAX));
        SchemaErrors { errors }
    }
}

impl std::fmt::Display for SchemaErrors {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (index, error) in self.errors.iter().enumerate() {
            if index > 0 {
                writeln!(formatter)?;
            }
            write!(formatter, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaErrors {}

impl From<SchemaError> for SchemaErrors {
    fn from(error: SchemaError) -> SchemaErrors {
        SchemaErrors {
            errors: vec![error],
        }
    }
}
