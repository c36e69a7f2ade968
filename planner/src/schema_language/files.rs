//! A schema written in several files (Prisma's multi-file schemas: a folder of `.prisma`
//! files that together hold one datasource, the generators, the models and the enums).
//!
//! The files come in as data, `(name, text)` pairs that the caller has read; nothing here
//! touches the file system. Each file is parsed on its own first, so that a syntax error (an
//! unclosed block, say) is reported in its file and cannot swallow the next one. The files
//! are then validated together as one text, their concatenation, and every error's span is
//! mapped back to the file and the line it came from.

use crate::error::{SchemaError, SchemaErrors, Span};

/// One file of a schema: its name as the caller wants it shown (a path), and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaFile {
    pub name: String,
    pub text: String,
}

/// The files of one schema, in the caller's order, and their concatenation.
#[derive(Debug, Clone)]
pub struct SchemaFiles {
    files: Vec<SchemaFile>,
    combined: String,
    /// The byte offset in `combined` where each file's text starts.
    starts: Vec<usize>,
}

/// A schema error and the file its span points into (`None` for an error about the schema
/// as a whole, such as a missing datasource). Spans are relative to that file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSchemaError {
    pub file: Option<usize>,
    /// The file `error.related` points into, when the error has a related span.
    pub related_file: Option<usize>,
    pub error: SchemaError,
}

impl SchemaFiles {
    /// The files joined, each followed by a newline when it does not end with one, so that a
    /// line comment at the end of a file cannot run into the next.
    pub fn new(files: Vec<SchemaFile>) -> SchemaFiles {
        let mut combined = String::new();
        let mut starts = Vec::with_capacity(files.len());
        for file in &files {
            starts.push(combined.len());
            combined.push_str(&file.text);
            if !file.text.ends_with('\n') {
                combined.push('\n');
            }
        }
        SchemaFiles {
            files,
            combined,
            starts,
        }
    }

    pub fn files(&self) -> &[SchemaFile] {
        &self.files
    }

    /// All the files as one text: what is validated, and what a snapshot of the schema holds.
    pub fn combined_text(&self) -> &str {
        &self.combined
    }

    /// The file a span of the combined text starts in, and the span relative to that file.
    pub fn locate(&self, span: Span) -> Option<(usize, Span)> {
        let index = self.starts.partition_point(|start| *start <= span.start);
        let index = index.checked_sub(1)?;
        let start = self.starts[index];
        let text = &self.files.get(index)?.text;
        let local_end = span.end.saturating_sub(start).min(text.len());
        Some((
            index,
            Span::from_offsets(text, span.start - start, local_end),
        ))
    }

    /// Errors whose spans point into the combined text, each mapped to its file.
    pub fn errors_in_files(&self, errors: SchemaErrors) -> Vec<FileSchemaError> {
        errors
            .errors
            .into_iter()
            .map(|mut error| {
                let located = error.span.and_then(|span| self.locate(span));
                error.span = located.map(|(_, span)| span);
                let related = error.related.and_then(|span| self.locate(span));
                error.related = related.map(|(_, span)| span);
                FileSchemaError {
                    file: located.map(|(index, _)| index),
                    related_file: related.map(|(index, _)| index),
                    error,
                }
            })
            .collect()
    }

    /// Parses each file on its own: the syntax errors of every file, each in its file (empty
    /// when every file parses).
    pub fn syntax_errors(&self) -> Vec<FileSchemaError> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(index, file)| super::parse_schema(&file.text).err().map(|e| (index, e)))
            .flat_map(|(index, errors)| {
                errors.errors.into_iter().map(move |error| FileSchemaError {
                    file: error.span.map(|_| index),
                    related_file: error.related.map(|_| index),
                    error,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(texts: &[(&str, &str)]) -> SchemaFiles {
        SchemaFiles::new(
            texts
                .iter()
                .map(|(name, text)| SchemaFile {
                    name: name.to_string(),
                    text: text.to_string(),
                })
                .collect(),
        )
    }

    #[test]
    fn spans_of_the_combined_text_map_back_to_their_file_and_line() {
        let schema = files(&[
            ("a.prisma", "model A {\n  id Int @id\n}"),
            ("b.prisma", "\nmodel B {}\n"),
        ]);
        assert_eq!(
            schema.combined_text(),
            "model A {\n  id Int @id\n}\n\nmodel B {}\n"
        );
        let start = schema.combined_text().find("B {").unwrap();
        let (file, span) = schema
            .locate(Span::from_offsets(schema.combined_text(), start, start + 1))
            .unwrap();
        assert_eq!(file, 1);
        assert_eq!((span.line, span.column, span.start), (2, 7, 7));
        let (file, span) = schema
            .locate(Span::from_offsets(schema.combined_text(), 12, 14))
            .unwrap();
        assert_eq!((file, span.line, span.column), (0, 2, 3));
    }

    #[test]
    fn a_syntax_error_stays_in_its_file() {
        let schema = files(&[
            ("a.prisma", "model A {\n  id Int @id\n"),
            ("b.prisma", "model B {\n  id Int @id\n}\n"),
        ]);
        let errors = schema.syntax_errors();
        assert!(!errors.is_empty());
        assert!(
            errors.iter().all(|error| error.file == Some(0)),
            "{errors:?}"
        );
    }
}
