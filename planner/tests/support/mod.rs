//! Fixtures shared by the planner's test files, and by `tests/tests/convergence.rs`, which
//! includes this file by path: the golden case folders and the corpus of real schemas.
//!
//! Paths are written relative to the including crate's manifest folder, which is one level
//! below the workspace for both `planner` and `tests`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use planner::{database_schema_from_source_in_flavour, DatabaseSchema, Flavour, Provider};

/// `planner/tests/golden`.
pub fn golden_directory() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../planner/tests/golden"
    ))
}

/// Every golden case folder, sorted.
pub fn golden_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden_directory())
        .expect("planner/tests/golden exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The providers a case applies to: its `providers.txt`, else both.
pub fn providers_of(case: &Path) -> Vec<Provider> {
    match std::fs::read_to_string(case.join("providers.txt")) {
        Ok(text) => text
            .split_whitespace()
            .map(|name| {
                Provider::from_datasource_provider(name)
                    .unwrap_or_else(|| panic!("unknown provider {name} in {}", case.display()))
            })
            .collect(),
        Err(_) => vec![Provider::Postgresql, Provider::Sqlite],
    }
}

/// The planner options of a case: its `options.txt` may hold `online-ddl off`, for the plain
/// (blocking) forms a database nobody else uses gets, and rename decisions as the command
/// line spells them (`rename Old=New`, `rename Model.old=new`, `no-rename Old=New`), and
/// `decisions`, which lists the plan's decisions in the expected text, and `rows Table=N` row
/// counts; anything else there is an error.
pub fn diff_options_of(case: &Path) -> planner::DiffOptions {
    let mut options = planner::DiffOptions::default();
    if let Ok(text) = std::fs::read_to_string(case.join("options.txt")) {
        for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
            match line {
                "online-ddl off" => options.online_ddl = planner::OnlineDdl::Off,
                // Read by the expected text (golden.rs), not an option of the planner.
                "decisions" => {}
                // Row counts, as `migrate dev` passes the database's (convergence passes the
                // real ones instead).
                other if other.starts_with("rows ") => {
                    let (table, count) = other["rows ".len()..]
                        .split_once('=')
                        .and_then(|(table, count)| {
                            Some((table.trim(), count.trim().parse::<u64>().ok()?))
                        })
                        .unwrap_or_else(|| {
                            panic!("`{other}` is not `rows Table=N` in {}", case.display())
                        });
                    options
                        .row_counts
                        .get_or_insert_with(Default::default)
                        .insert(table.to_string(), count);
                }
                other if other.starts_with("rename ") || other.starts_with("no-rename ") => {
                    let (flag, decision) = other.split_once(' ').unwrap_or_default();
                    options.renames.push(
                        planner::RenameDecision::parse(decision, flag == "rename")
                            .unwrap_or_else(|error| panic!("{error} in {}", case.display())),
                    );
                }
                other => panic!("unknown option `{other}` in {}", case.display()),
            }
        }
    }
    options
}

/// Whether the case's `options.txt` asks for the plan's decisions in the expected text.
pub fn lists_decisions(case: &Path) -> bool {
    std::fs::read_to_string(case.join("options.txt"))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "decisions"))
}

/// Golden case files hold models only; the datasource comes from the provider under test.
pub fn with_datasource(models: &str, provider: Provider) -> String {
    format!(
        "datasource db {{\n  provider = \"{}\"\n}}\n\n{models}",
        provider.as_str()
    )
}

/// A case's `previous.prisma` or `next.prisma` with its datasource, or `None` when the file
/// is absent (the empty schema).
pub fn golden_source(case: &Path, file: &str, provider: Provider) -> Option<String> {
    // A case that writes its own datasource (for datasource settings such as `extensions`)
    // keeps it; its providers.txt names the one provider it is for.
    std::fs::read_to_string(case.join(file)).ok().map(|models| {
        if models.lines().any(|line| line.starts_with("datasource ")) {
            models
        } else {
            with_datasource(&models, provider)
        }
    })
}

/// The flavour a case is lowered in: its `flavour.txt` (`prisma` or `comon-orm`), else
/// comon_orm's.
pub fn flavour_of(case: &Path) -> Flavour {
    match std::fs::read_to_string(case.join("flavour.txt")) {
        Ok(text) => Flavour::from_name(text.trim())
            .unwrap_or_else(|| panic!("unknown flavour {text:?} in {}", case.display())),
        Err(_) => Flavour::ComonOrm,
    }
}

/// The database schema of a case's side, in the case's flavour; an absent file is the empty
/// schema.
pub fn golden_schema(case: &Path, file: &str, provider: Provider) -> DatabaseSchema {
    match golden_source(case, file, provider) {
        Some(source) => database_schema_from_source_in_flavour(&source, flavour_of(case))
            .unwrap_or_else(|errors| {
                panic!(
                    "{}/{file} is invalid on {provider}:\n{errors}",
                    case.display()
                )
            }),
        None => DatabaseSchema::empty(provider),
    }
}

// The corpus rule (where it is; missing under CI fails, elsewhere skips with a notice) is
// the `tests` crate's, which the planner cannot depend on: its one file is included here.
#[path = "../../../tests/src/corpus_location.rs"]
mod corpus_location;

#[allow(unused_imports)] // Each test file that includes this one uses some of it.
pub use corpus_location::{corpus_location, required_corpus_directory};

/// Every `*/schemas/*.prisma` file of the corpus with its text, sorted by path, or `None`
/// (saying so) when the corpus is not on this machine; under CI a missing corpus panics.
pub fn corpus_schemas() -> Option<Vec<(PathBuf, String)>> {
    let root = required_corpus_directory()?;
    let mut paths = Vec::new();
    for project in std::fs::read_dir(&root).expect("corpus directory is readable") {
        let schemas = project.expect("corpus entry").path().join("schemas");
        if !schemas.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&schemas).expect("schemas directory is readable") {
            let path = entry.expect("schema entry").path();
            if path
                .extension()
                .is_some_and(|extension| extension == "prisma")
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    Some(
        paths
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("schema is UTF-8 text");
                (path, text)
            })
            .collect(),
    )
}

/// The schema as introspection would give it: no model, field or enum names.
pub fn without_schema_names(schema: &DatabaseSchema) -> DatabaseSchema {
    let mut stripped = schema.clone();
    for table in &mut stripped.tables {
        table.model_name = None;
        for column in &mut table.columns {
            column.field_name = None;
            column.schema_type = None;
        }
    }
    for definition in &mut stripped.enums {
        definition.prisma_name = None;
        for value in &mut definition.values {
            value.prisma_name = None;
        }
    }
    stripped
}
