//! Migration folders as data: `<migrations>/<name>/` holds `migration.sql`, `metadata.txt`,
//! `before.prisma`, `after.prisma` and, when there are warnings, `warnings.txt`. The layout and
//! every file format are comon_orm's, so that either tool reads the other's folders.

use super::checksum::{migration_checksum, ChecksumInput};
use super::naming::{generated_at_text, UtcTimestamp};
use crate::provider::Provider;
use serde::Serialize;
use std::collections::BTreeMap;

pub const MIGRATION_SQL_FILE: &str = "migration.sql";
pub const METADATA_FILE: &str = "metadata.txt";
pub const BEFORE_SCHEMA_FILE: &str = "before.prisma";
pub const AFTER_SCHEMA_FILE: &str = "after.prisma";
pub const WARNINGS_FILE: &str = "warnings.txt";

/// What comon_orm writes as `migration.sql` when it rebuilds the database instead of running
/// statements; such a folder is applied by planning from the live database to `after.prisma`.
pub const REBUILD_PLACEHOLDER: &str = "-- Schema rebuild required to apply this migration safely.";
/// What comon_orm writes as `migration.sql` for a migration without statements.
pub const NO_CHANGES_PLACEHOLDER: &str = "-- No schema changes required.";

/// The files of one migration folder as the runner read them; `None` for a missing file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationFolderFiles {
    pub migration_sql: Option<String>,
    pub metadata: Option<String>,
    pub before_schema: Option<String>,
    pub after_schema: Option<String>,
    pub warnings: Option<String>,
}

/// A migration folder that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactError {
    /// The folder name.
    pub name: String,
    /// The folder as the runner shows it, for the message.
    pub folder: String,
    pub problem: ArtifactProblem,
}

/// What is wrong with a migration folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ArtifactProblem {
    /// One of `before.prisma`, `after.prisma` and `migration.sql` is missing.
    Incomplete,
    /// `before.prisma` or `after.prisma` does not parse or validate; `errors` holds one line per
    /// error, each `<file>:<line>:<column>: error[<code>]: <message>`.
    InvalidSnapshot { file: String, errors: String },
    /// A value in `metadata.txt` cannot be what its key says (a count that is no number, ...).
    InvalidMetadata { line: usize, message: String },
}

impl ArtifactError {
    pub fn message(&self) -> String {
        match &self.problem {
            // comon_orm's message, kept word for word.
            ArtifactProblem::Incomplete => format!(
                "Migration artifact \"{}\" is incomplete in {}. Expected before.prisma, after.prisma, and migration.sql.",
                self.name, self.folder
            ),
            ArtifactProblem::InvalidSnapshot { errors, .. } => format!(
                "Migration artifact \"{}\" in {} is invalid, so it cannot be checked or applied:\n{errors}",
                self.name, self.folder
            ),
            ArtifactProblem::InvalidMetadata { line, message } => format!(
                "Migration artifact \"{}\" in {} is invalid: {METADATA_FILE} line {line}: {message}",
                self.name, self.folder
            ),
        }
    }
}

/// Checks that a snapshot parses and validates for `provider`.
fn check_snapshot(provider: Provider, file: &str, text: &str) -> Result<(), ArtifactProblem> {
    let Err(errors) = super::database_schema_from_snapshot(provider, text) else {
        return Ok(());
    };
    let lines: Vec<String> = errors
        .errors
        .iter()
        .map(|error| match error.span {
            Some(span) => format!(
                "{file}:{}:{}: error[{}]: {}",
                span.line, span.column, error.code, error.message
            ),
            None => format!("{file}: error[{}]: {}", error.code, error.message),
        })
        .collect();
    Err(ArtifactProblem::InvalidSnapshot {
        file: file.to_string(),
        errors: lines.join("\n"),
    })
}

/// Checks the values of the `metadata.txt` keys that have a meaning: counts are whole numbers,
/// `rebuild_required` is `true` or `false`, `provider` is one this tool knows.
fn check_metadata(text: &str) -> Result<(), ArtifactProblem> {
    for (index, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let problem = match key {
            "statement_count" | "warning_count" if value.parse::<u64>().is_err() => {
                Some(format!("{key} must be a whole number, not `{value}`."))
            }
            "rebuild_required" if value != "true" && value != "false" => Some(format!(
                "rebuild_required must be true or false, not `{value}`."
            )),
            "provider" if Provider::from_datasource_provider(value).is_none() => Some(format!(
                "provider must be postgresql or sqlite, not `{value}`."
            )),
            _ => None,
        };
        if let Some(message) = problem {
            return Err(ArtifactProblem::InvalidMetadata {
                line: index + 1,
                message,
            });
        }
    }
    Ok(())
}

/// A complete local migration folder, with its checksum computed from the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMigration {
    pub name: String,
    pub before_schema: String,
    pub after_schema: String,
    pub migration_sql: String,
    pub warnings: Vec<String>,
    pub metadata: BTreeMap<String, String>,
    /// `rebuild_required=true` in the metadata, or the rebuild placeholder as `migration.sql`.
    pub rebuild_required: bool,
    pub checksum: String,
    /// Whether the folder is comon_orm's, with `before.prisma` and `after.prisma` (even empty
    /// ones), or Prisma Migrate's, with only `migration.sql`
    /// (`prisma::local_migration_from_prisma_folder`).
    pub from_prisma_folder: bool,
}

impl LocalMigration {
    /// Whether the folder has comon_orm's schema snapshots; a Prisma folder has none, so what
    /// it builds cannot be checked against one.
    pub fn has_snapshots(&self) -> bool {
        !self.from_prisma_folder
    }

    /// Whether `migration.sql` is only one of comon_orm's placeholder comments, which carry no
    /// statements to run: such a migration is applied by planning to `after.prisma`.
    pub fn is_placeholder(&self) -> bool {
        let sql = self.migration_sql.trim();
        sql == REBUILD_PLACEHOLDER
            || sql == NO_CHANGES_PLACEHOLDER
            || sql.starts_with(REBUILD_PLACEHOLDER)
    }

    /// The provider named in `metadata.txt`, when it names one.
    pub fn metadata_provider(&self) -> Option<Provider> {
        self.metadata
            .get("provider")
            .and_then(|provider| Provider::from_datasource_provider(provider.trim()))
    }

    /// `statement_count` from `metadata.txt`, when it is a number.
    pub fn metadata_statement_count(&self) -> Option<u64> {
        self.metadata
            .get("statement_count")
            .and_then(|count| count.trim().parse().ok())
    }
}

/// Reads a migration folder. `provider` is the provider of the database the folder is checked
/// against; comon_orm hashes with it, so this does too.
pub fn local_migration_from_files(
    name: &str,
    folder: &str,
    provider: Provider,
    files: MigrationFolderFiles,
) -> Result<LocalMigration, ArtifactError> {
    let invalid = |problem| ArtifactError {
        name: name.to_string(),
        folder: folder.to_string(),
        problem,
    };
    let incomplete = || invalid(ArtifactProblem::Incomplete);
    let before_schema = files.before_schema.ok_or_else(incomplete)?;
    let after_schema = files.after_schema.ok_or_else(incomplete)?;
    let migration_sql = files.migration_sql.ok_or_else(incomplete)?;
    // A folder whose snapshots or metadata cannot be read cannot be checked after it is
    // applied, nor reported on truthfully: it is invalid, like an incomplete one.
    check_snapshot(provider, BEFORE_SCHEMA_FILE, &before_schema).map_err(invalid)?;
    check_snapshot(provider, AFTER_SCHEMA_FILE, &after_schema).map_err(invalid)?;
    if let Some(metadata) = &files.metadata {
        check_metadata(metadata).map_err(invalid)?;
    }
    let warnings = files
        .warnings
        .as_deref()
        .map(parse_warnings_text)
        .unwrap_or_default();
    let metadata = files
        .metadata
        .as_deref()
        .map(parse_metadata_text)
        .unwrap_or_default();
    let rebuild_required = metadata
        .get("rebuild_required")
        .map(|value| value.trim() == "true")
        .unwrap_or(false)
        || migration_sql.starts_with(REBUILD_PLACEHOLDER);
    let checksum = migration_checksum(&ChecksumInput {
        provider: provider.as_str(),
        before_schema: &before_schema,
        after_schema: &after_schema,
        migration_sql: &migration_sql,
        warnings: &warnings,
        requires_rebuild: rebuild_required,
    });
    Ok(LocalMigration {
        name: name.to_string(),
        before_schema,
        after_schema,
        migration_sql,
        warnings,
        metadata,
        rebuild_required,
        checksum,
        from_prisma_folder: false,
    })
}

/// `warnings.txt`: one warning per line; lines are trimmed and blank ones dropped.
pub fn parse_warnings_text(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// `metadata.txt`: `key=value` lines; a line without `=` (or starting with it) is ignored.
pub fn parse_metadata_text(text: &str) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some((key, value)) = line.split_once('=') {
            if !key.is_empty() {
                values.insert(key.to_string(), value.to_string());
            }
        }
    }
    values
}

/// The `metadata.txt` text, keys in comon_orm's order.
pub fn metadata_text(draft: &MigrationDraft, checksum: &str) -> String {
    format!(
        "name={}\ngenerated_at={}\nstatement_count={}\nrebuild_required={}\nwarning_count={}\nprovider={}\nchecksum={checksum}\n",
        draft.name,
        generated_at_text(&draft.generated_at),
        draft.statement_count,
        draft.rebuild_required,
        draft.warnings.len(),
        draft.provider.as_str(),
    )
}

/// A migration about to be written to its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationDraft {
    /// The folder name, such as `20240102030405_add_posts`.
    pub name: String,
    pub generated_at: UtcTimestamp,
    pub provider: Provider,
    pub before_schema: String,
    pub after_schema: String,
    pub migration_sql: String,
    pub statement_count: usize,
    pub warnings: Vec<String>,
    pub rebuild_required: bool,
}

impl MigrationDraft {
    pub fn checksum(&self) -> String {
        migration_checksum(&ChecksumInput {
            provider: self.provider.as_str(),
            before_schema: &self.before_schema,
            after_schema: &self.after_schema,
            migration_sql: &self.migration_sql,
            warnings: &self.warnings,
            requires_rebuild: self.rebuild_required,
        })
    }

    /// The files of the folder as `(file name, content)`, in the order comon_orm writes them.
    /// `warnings.txt` is present only when there are warnings.
    pub fn files(&self) -> Vec<(&'static str, String)> {
        let mut files = vec![
            (MIGRATION_SQL_FILE, self.migration_sql.clone()),
            (METADATA_FILE, metadata_text(self, &self.checksum())),
            (BEFORE_SCHEMA_FILE, self.before_schema.clone()),
            (AFTER_SCHEMA_FILE, self.after_schema.clone()),
        ];
        if !self.warnings.is_empty() {
            files.push((WARNINGS_FILE, format!("{}\n", self.warnings.join("\n"))));
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(warnings: Vec<String>) -> MigrationDraft {
        MigrationDraft {
            name: "20240102030405_init".to_string(),
            generated_at: UtcTimestamp {
                year: 2024,
                month: 1,
                day: 2,
                hour: 3,
                minute: 4,
                second: 5,
                microsecond: 0,
            },
            provider: Provider::Sqlite,
            before_schema: "datasource db {\n  provider = \"sqlite\"\n}\n".to_string(),
            after_schema:
                "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel A {\n  id Int @id\n}\n"
                    .to_string(),
            migration_sql: "CREATE TABLE \"A\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n"
                .to_string(),
            statement_count: 1,
            warnings,
            rebuild_required: false,
        }
    }

    fn read_back(files: &[(&'static str, String)]) -> LocalMigration {
        let file = |name: &str| {
            files
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(_, content)| content.clone())
        };
        let folder_files = MigrationFolderFiles {
            migration_sql: file(MIGRATION_SQL_FILE),
            metadata: file(METADATA_FILE),
            before_schema: file(BEFORE_SCHEMA_FILE),
            after_schema: file(AFTER_SCHEMA_FILE),
            warnings: file(WARNINGS_FILE),
        };
        local_migration_from_files(
            "20240102030405_init",
            "migrations/20240102030405_init",
            Provider::Sqlite,
            folder_files,
        )
        .unwrap()
    }

    #[test]
    fn written_folders_read_back_with_the_same_checksum() {
        for warnings in [
            vec![],
            vec!["Potential data loss: model B is removed from the target schema.".to_string()],
        ] {
            let draft = draft(warnings.clone());
            let files = draft.files();
            assert_eq!(
                files.iter().any(|(name, _)| *name == WARNINGS_FILE),
                !warnings.is_empty()
            );
            let local = read_back(&files);
            assert_eq!(local.checksum, draft.checksum());
            assert_eq!(local.metadata.get("checksum"), Some(&draft.checksum()));
            assert_eq!(local.warnings, warnings);
        }
    }

    #[test]
    fn metadata_has_comon_orm_keys_in_order() {
        let draft = draft(vec![]);
        let text = metadata_text(&draft, "abc");
        assert_eq!(
            text,
            "name=20240102030405_init\ngenerated_at=2024-01-02T03:04:05.000Z\nstatement_count=1\nrebuild_required=false\nwarning_count=0\nprovider=sqlite\nchecksum=abc\n"
        );
        let parsed = parse_metadata_text(&text);
        assert_eq!(parsed.get("provider").map(String::as_str), Some("sqlite"));
        assert_eq!(
            parse_metadata_text("a=b=c\n=x\nnoise\n")
                .get("a")
                .map(String::as_str),
            Some("b=c")
        );
    }

    #[test]
    fn a_folder_without_after_prisma_is_incomplete() {
        let files = MigrationFolderFiles {
            migration_sql: Some(String::new()),
            before_schema: Some(String::new()),
            ..MigrationFolderFiles::default()
        };
        let error = local_migration_from_files("x", "m/x", Provider::Sqlite, files).unwrap_err();
        assert_eq!(
            error.message(),
            "Migration artifact \"x\" is incomplete in m/x. Expected before.prisma, after.prisma, and migration.sql."
        );
    }

    #[test]
    fn unreadable_snapshots_and_metadata_make_a_folder_invalid() {
        let files = |after: &str, metadata: &str| MigrationFolderFiles {
            migration_sql: Some("SELECT 1;\n".to_string()),
            before_schema: Some(String::new()),
            after_schema: Some(after.to_string()),
            metadata: Some(metadata.to_string()),
            ..MigrationFolderFiles::default()
        };
        let error = local_migration_from_files(
            "x",
            "m/x",
            Provider::Sqlite,
            files("model A {\n  id Nope @id\n}\n", ""),
        )
        .unwrap_err();
        assert!(
            matches!(&error.problem, ArtifactProblem::InvalidSnapshot { file, .. } if file == AFTER_SCHEMA_FILE)
        );
        assert!(
            error.message().contains("\nafter.prisma:2:"),
            "{}",
            error.message()
        );
        let error = local_migration_from_files(
            "x",
            "m/x",
            Provider::Sqlite,
            files("", "name=x\nstatement_count=two\n"),
        )
        .unwrap_err();
        assert_eq!(
            error.message(),
            "Migration artifact \"x\" in m/x is invalid: metadata.txt line 2: statement_count must be a whole number, not `two`."
        );
        assert!(local_migration_from_files(
            "x",
            "m/x",
            Provider::Sqlite,
            files("", "provider=sqlite\nrebuild_required=false\n")
        )
        .is_ok());
    }

    #[test]
    fn the_rebuild_placeholder_marks_a_rebuild() {
        let files = MigrationFolderFiles {
            migration_sql: Some(format!("{REBUILD_PLACEHOLDER}\n")),
            before_schema: Some(String::new()),
            after_schema: Some(String::new()),
            ..MigrationFolderFiles::default()
        };
        let local = local_migration_from_files("x", "m/x", Provider::Sqlite, files).unwrap();
        assert!(local.rebuild_required);
        assert!(local.is_placeholder());
    }
}

/// The folders of a migrations directory, sorted by name: the complete ones, and those missing
/// one of the three required files.
#[derive(Debug, Default, Clone)]
pub struct LocalMigrations {
    pub migrations: Vec<LocalMigration>,
    pub invalid: Vec<ArtifactError>,
}

impl LocalMigrations {
    pub fn find(&self, name: &str) -> Option<&LocalMigration> {
        self.migrations
            .iter()
            .find(|migration| migration.name == name)
    }
}

/// Reads a whole migrations directory given as `(folder name, folder path for messages,
/// files)`, in any order. The runner reads the files from disk and the npm package gets them
/// from JS; both sort and split them here.
pub fn local_migrations_from_folders(
    provider: Provider,
    folders: Vec<(String, String, MigrationFolderFiles)>,
) -> LocalMigrations {
    let mut folders = folders;
    folders.sort_by(|left, right| left.0.cmp(&right.0));
    let mut local = LocalMigrations::default();
    for (name, path, files) in folders {
        match local_migration_from_files(&name, &path, provider, files) {
            Ok(migration) => local.migrations.push(migration),
            Err(invalid) => local.invalid.push(invalid),
        }
    }
    local
}
