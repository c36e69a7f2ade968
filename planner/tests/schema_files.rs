//! Schemas written in several files: validated together, each error in its own file.

use planner::schema_language::files::{SchemaFile, SchemaFiles};

fn schema_files(texts: &[(&str, &str)]) -> SchemaFiles {
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

const DATASOURCE: &str = "datasource db {\n  provider = \"postgresql\"\n}\n";

#[test]
fn models_in_several_files_validate_as_one_schema() {
    let files = schema_files(&[
        ("schema.prisma", DATASOURCE),
        (
            "post.prisma",
            "model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n",
        ),
        ("user.prisma", "model User {\n  id    Int    @id\n  posts Post[]\n}"),
    ]);
    let data_model = planner::parse_and_validate_files(&files).expect("valid across files");
    let mut names: Vec<&str> = data_model
        .models
        .iter()
        .map(|model| model.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Post", "User"]);
    assert_eq!(
        data_model.datasource.url, None,
        "no url is valid: it may come from the config or --url"
    );
}

#[test]
fn a_model_defined_in_two_files_names_both() {
    let files = schema_files(&[
        ("schema.prisma", DATASOURCE),
        ("a.prisma", "model User {\n  id Int @id\n}\n"),
        ("b.prisma", "\n\nmodel User {\n  id Int @id\n}\n"),
    ]);
    let errors = planner::parse_and_validate_files(&files).expect_err("a duplicate model");
    let duplicate = errors
        .iter()
        .find(|error| error.error.code == "duplicate-name")
        .expect("the duplicate is reported");
    assert_eq!(
        duplicate.file,
        Some(2),
        "the second definition is in b.prisma"
    );
    assert_eq!(
        duplicate.error.span.map(|span| (span.line, span.column)),
        Some((3, 7))
    );
    assert_eq!(
        duplicate.related_file,
        Some(1),
        "the first one is in a.prisma"
    );
    assert_eq!(
        duplicate.error.related.map(|span| (span.line, span.column)),
        Some((1, 7))
    );
}

#[test]
fn a_syntax_error_is_reported_in_its_file_only() {
    let files = schema_files(&[
        ("schema.prisma", DATASOURCE),
        ("broken.prisma", "model Broken {\n  id Int @id\n"),
        ("fine.prisma", "model Fine {\n  id Int @id\n}\n"),
    ]);
    let errors = planner::parse_and_validate_files(&files).expect_err("an unclosed block");
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|error| error.file == Some(1)),
        "{errors:?}"
    );
}

#[test]
fn two_datasources_in_two_files_point_at_both() {
    let files = schema_files(&[("one.prisma", DATASOURCE), ("two.prisma", DATASOURCE)]);
    let errors = planner::parse_and_validate_files(&files).expect_err("two datasources");
    let duplicate = errors
        .iter()
        .find(|error| error.error.code == "duplicate-datasource")
        .expect("reported");
    assert_eq!((duplicate.file, duplicate.related_file), (Some(1), Some(0)));
}
