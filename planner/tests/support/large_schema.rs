//! The large schemas that the parser tests parse for correctness and `benches/parsing.rs`
//! times: one text, so that the figure in the README is for the input the tests check.

use std::fmt::Write;

/// The number of models in `one_megabyte_schema`.
pub const LARGE_SCHEMA_MODEL_COUNT: usize = 1000;

/// About 1 MB: 1,000 models of 12 fields each, with attributes, comments and documentation.
pub fn one_megabyte_schema() -> String {
    let mut source = String::from("datasource db {\n  provider = \"postgresql\"\n}\n\n");
    for model in 0..LARGE_SCHEMA_MODEL_COUNT {
        let _ = writeln!(
            source,
            "/// Model number {model}.\nmodel Model{model} {{\n  id String @id @default(cuid())"
        );
        for field in 0..10 {
            let _ = writeln!(
                source,
                "  field{field}Name String? @map(\"field_{field}_column\") @db.VarChar(255) // comment {field}"
            );
        }
        let _ = writeln!(
            source,
            "  other Model{model}? @relation(\"Relation{model}\", fields: [field0Name], references: [id], onDelete: Cascade)\n\n  @@index([field1Name(sort: Desc), field2Name])\n  @@map(\"model_{model}\")\n}}\n"
        );
    }
    source
}

/// One model on one line of about a megabyte: column tracking must not rescan the line for
/// every token.
pub fn one_long_line() -> String {
    format!("model A {{ {} }}", "a Int @id ".repeat(100_000))
}
