//! Environment variables as a Prisma project sees them: the process environment first, then
//! the `.env` file of the project root (the working directory) and the `.env` beside the schema,
//! read with dotenvy. The files never change the process environment; they are only looked up,
//! so that nothing else in the process (or a child it starts) sees values it was not given.

use comon_driver::command_error::CommandError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One `.env` file that was looked for, and what it held if it was there.
struct EnvironmentFile {
    path: PathBuf,
    variables: Option<HashMap<String, String>>,
}

/// The variables a datasource's `env("NAME")` may name, and where they were looked for.
pub struct ProjectEnvironment {
    files: Vec<EnvironmentFile>,
}

impl ProjectEnvironment {
    /// Reads `<project_root>/.env` and `<schema_folder>/.env` (once when they are the same file).
    /// A file that does not exist is remembered as looked for; one that cannot be read or parsed
    /// is an error that names it and its line, never its content (a `.env` holds passwords).
    pub fn load(
        project_root: &Path,
        schema_folder: &Path,
    ) -> Result<ProjectEnvironment, CommandError> {
        let mut candidates = vec![project_root.join(".env")];
        let beside_schema = schema_folder.join(".env");
        if !same_file(&candidates[0], &beside_schema) {
            candidates.push(beside_schema);
        }
        let mut files = Vec::new();
        for path in candidates {
            let variables = read_environment_file(&path)?;
            files.push(EnvironmentFile { path, variables });
        }
        let environment = ProjectEnvironment { files };
        environment.refuse_conflicts()?;
        Ok(environment)
    }

    /// The value of `name`: the process environment wins, then the files in order. An empty
    /// value counts as unset, as it does for Prisma.
    pub fn variable(&self, name: &str) -> Option<String> {
        if let Ok(value) = std::env::var(name) {
            if !value.is_empty() {
                return Some(value);
            }
        }
        self.files
            .iter()
            .filter_map(|file| file.variables.as_ref()?.get(name))
            .find(|value| !value.is_empty())
            .cloned()
    }

    /// The variables the files set that the process environment does not: what a command
    /// the project configures (its seed) is given, as Prisma gives it the `.env` values.
    pub fn variables_for_child_process(&self) -> Vec<(String, String)> {
        let mut variables: Vec<(String, String)> = Vec::new();
        for file in &self.files {
            for (name, value) in file.variables.iter().flatten() {
                if std::env::var_os(name).is_none()
                    && !variables.iter().any(|(known, _)| known == name)
                {
                    variables.push((name.clone(), value.clone()));
                }
            }
        }
        variables.sort();
        variables
    }

    /// Where a variable was looked for, for the message that says it is missing.
    pub fn places_looked(&self) -> String {
        let mut places = vec!["the process environment".to_string()];
        for file in &self.files {
            let state = if file.variables.is_some() {
                "read"
            } else {
                "not found"
            };
            places.push(format!("{} ({state})", file.path.display()));
        }
        places.join(", ")
    }

    /// Prisma refuses a variable that the root `.env` and the schema folder's `.env` both set to
    /// different values, rather than pick one silently; so do we.
    fn refuse_conflicts(&self) -> Result<(), CommandError> {
        let [first, second] = &self.files[..] else {
            return Ok(());
        };
        let (Some(first_variables), Some(second_variables)) = (&first.variables, &second.variables)
        else {
            return Ok(());
        };
        let mut conflicting: Vec<&str> = first_variables
            .iter()
            .filter(|(name, value)| {
                second_variables
                    .get(name.as_str())
                    .is_some_and(|other| other != *value)
            })
            .map(|(name, _)| name.as_str())
            .collect();
        if conflicting.is_empty() {
            return Ok(());
        }
        conflicting.sort_unstable();
        Err(CommandError::refused(
            "environment-files-conflict",
            format!(
                "{} and {} set {} to different values. Keep each variable in one of the two files.",
                first.path.display(),
                second.path.display(),
                conflicting.join(", ")
            ),
        ))
    }
}

fn same_file(first: &Path, second: &Path) -> bool {
    match (
        first.parent().map(std::fs::canonicalize),
        second.parent().map(std::fs::canonicalize),
    ) {
        (Some(Ok(first_folder)), Some(Ok(second_folder))) => first_folder == second_folder,
        _ => first == second,
    }
}

/// The variables of one `.env` file, `None` when it does not exist.
fn read_environment_file(path: &Path) -> Result<Option<HashMap<String, String>>, CommandError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(CommandError::file("read", path, &error)),
    };
    let mut variables = HashMap::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((name, value)) => {
                variables.insert(name, value);
            }
            Err(dotenvy::Error::LineParse(line, _)) => {
                return Err(invalid_environment_file(path, line_number_of(&text, &line)))
            }
            Err(_) => return Err(invalid_environment_file(path, None)),
        }
    }
    Ok(Some(variables))
}

/// The line of `text` where the unparsable `fragment` starts (dotenvy gives the text, not the
/// line, and the text must not be printed).
fn line_number_of(text: &str, fragment: &str) -> Option<usize> {
    let first_line = fragment.lines().next()?.trim();
    if first_line.is_empty() {
        return None;
    }
    text.lines()
        .position(|line| line.trim() == first_line || line.contains(first_line))
        .map(|index| index + 1)
}

fn invalid_environment_file(path: &Path, line: Option<usize>) -> CommandError {
    let place = match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    };
    CommandError::refused(
        "invalid-environment-file",
        format!(
            "{place} is not a valid .env file (expected NAME=value lines). Its content is not shown, since it may hold passwords."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let folder = tempfile::tempdir().unwrap();
        for (name, content) in files {
            let path = folder.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        folder
    }

    #[test]
    fn variables_come_from_the_schema_folder_and_the_root() {
        let folder = folder_with(&[
            (".env", "COMON_TEST_ROOT_ONLY=root\n"),
            ("prisma/.env", "COMON_TEST_SCHEMA_ONLY=\"beside schema\"\n"),
        ]);
        let environment =
            ProjectEnvironment::load(folder.path(), &folder.path().join("prisma")).unwrap();
        assert_eq!(
            environment.variable("COMON_TEST_ROOT_ONLY").as_deref(),
            Some("root")
        );
        assert_eq!(
            environment.variable("COMON_TEST_SCHEMA_ONLY").as_deref(),
            Some("beside schema")
        );
        assert_eq!(environment.variable("COMON_TEST_NOWHERE"), None);
        assert!(environment.places_looked().contains("prisma/.env (read)"));
    }

    #[test]
    fn the_process_environment_wins_over_the_files() {
        // PATH is set in every process that runs tests.
        let folder = folder_with(&[(".env", "PATH=/from/dotenv\n")]);
        let environment = ProjectEnvironment::load(folder.path(), folder.path()).unwrap();
        assert_eq!(environment.variable("PATH"), std::env::var("PATH").ok());
        assert_eq!(
            environment.files.len(),
            1,
            "one file when root and schema folder agree"
        );
    }

    #[test]
    fn two_files_that_disagree_are_refused_by_name() {
        let folder = folder_with(&[
            (".env", "COMON_TEST_URL=value-one\nCOMON_TEST_SAME=x\n"),
            (
                "prisma/.env",
                "COMON_TEST_URL=value-two\nCOMON_TEST_SAME=x\n",
            ),
        ]);
        let error = ProjectEnvironment::load(folder.path(), &folder.path().join("prisma"))
            .err()
            .expect("a conflict is an error");
        let message = error.to_string();
        assert!(message.contains("COMON_TEST_URL"), "{message}");
        assert!(!message.contains("COMON_TEST_SAME"), "{message}");
        assert!(!message.contains("value-"), "{message}");
    }

    #[test]
    fn a_broken_file_is_named_with_its_line_and_without_its_content() {
        let folder = folder_with(&[(".env", "GOOD=1\nDATABASE_URL='postgres://u:s3cret@h/db\n")]);
        let error = ProjectEnvironment::load(folder.path(), folder.path())
            .err()
            .expect("an unterminated quote is an error");
        let message = error.to_string();
        assert!(message.contains(".env:2"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }
}
