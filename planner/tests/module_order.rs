//! The planner's top-level modules depend on each other in one direction, in the order
//! ARCHITECTURE.md gives: a module may name (`crate::<module>`) only the modules listed before
//! it, and no module names the crate root, which only re-exports. Tests inside a module count
//! too, so that a test-only use cannot bring a cycle back.

use std::path::{Path, PathBuf};

/// The dependency order, lowest first.
const MODULE_ORDER: &[&str] = &[
    "collections",
    "error",
    "provider",
    "values",
    "types",
    "schema_language",
    "database_schema",
    "introspection",
    "plan",
    "diff",
    "render",
    "migrations",
    "migration_sql",
    "lint",
];

fn source_directory() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
}

/// Every `.rs` file under `directory`, sorted.
fn rust_files(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).expect("source directory is readable") {
        let path = entry.expect("readable directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The first path segment after each `crate::` in a line of code, including every name of a
/// group such as `crate::{provider::Provider, types}`.
fn names_after_crate(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = line;
    while let Some(position) = rest.find("crate::") {
        rest = &rest[position + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: those at brace depth zero, after `{` or `,`.
            let mut depth = 0;
            let mut at_name_start = true;
            let mut name = String::new();
            for character in group.chars() {
                match character {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => at_name_start = true,
                    character if at_name_start && depth == 0 => {
                        if character.is_alphanumeric() || character == '_' {
                            name.push(character);
                        } else if !name.is_empty() {
                            names.push(std::mem::take(&mut name));
                            at_name_start = false;
                        }
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                names.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|character| character.is_alphanumeric() || *character == '_')
                .collect();
            names.push(name);
        }
    }
    names
}

#[test]
fn each_module_names_only_the_modules_before_it() {
    let root = source_directory();
    let mut violations = Vec::new();
    let mut files_checked = 0;
    for path in rust_files(&root) {
        let relative = path.strip_prefix(&root).expect("file is under src");
        let first = relative
            .components()
            .next()
            .expect("a path inside src")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if first == "lib" {
            continue;
        }
        let Some(rank) = MODULE_ORDER.iter().position(|module| *module == first) else {
            violations.push(format!(
                "{}: the module `{first}` is missing from MODULE_ORDER (and ARCHITECTURE.md)",
                relative.display()
            ));
            continue;
        };
        files_checked += 1;
        let text = std::fs::read_to_string(&path).expect("source file is UTF-8 text");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for name in names_after_crate(line) {
                let allowed = match MODULE_ORDER.iter().position(|module| *module == name) {
                    Some(target) => target <= rank,
                    None => false,
                };
                if !allowed {
                    violations.push(format!(
                        "{}:{}: `{first}` names `crate::{name}`: {}",
                        relative.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        files_checked > 30,
        "only {files_checked} source files found under {}",
        root.display()
    );
    assert!(
        violations.is_empty(),
        "module dependencies against the order {MODULE_ORDER:?}:\n{}",
        violations.join("\n")
    );
}

#[test]
fn crate_paths_are_read_from_lines() {
    assert_eq!(
        names_after_crate("use crate::types::sqlite::canonical_type_name;"),
        ["types"]
    );
    assert_eq!(
        names_after_crate(
            "use crate::{provider::Provider, types::{ColumnType, ScalarType}, error};"
        ),
        ["provider", "types", "error"]
    );
    assert_eq!(
        names_after_crate("let a = crate::diff::diff(x, crate::render::render_plan(y));"),
        ["diff", "render"]
    );
    assert!(names_after_crate("let crater = 1;").is_empty());
}
