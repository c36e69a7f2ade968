//! Migration folders on disk: read into the planner's `LocalMigration`s, and written from a
//! `MigrationDraft`. The planner decides what the files mean; this module only moves bytes.

use crate::command_error::CommandError;
use planner::migrations::artifacts::{
    AFTER_SCHEMA_FILE, BEFORE_SCHEMA_FILE, METADATA_FILE, MIGRATION_SQL_FILE, WARNINGS_FILE,
};
use planner::migrations::{local_migration_from_files, ArtifactError, LocalMigration, MigrationDraft, MigrationFolderFiles};
use planner::Provider;
use std::path::{Path, PathBuf};

/// The folders of a migrations directory, sorted by name.
#[derive(Debug, Default)]
pub struct LocalMigrations {
    pub migrations: Vec<LocalMigration>,
    /// Folders missing one of the three required files.
    pub invalid: Vec<ArtifactError>,
}

impl LocalMigrations {
    pub fn find(&self, name: &str) -> Option<&LocalMigration> {
        self.migrations.iter().find(|migration| migration.name == name)
    }

    /// Refuses to go on when a folder is incomplete: applying around a broken folder would
    /// apply migrations out of their reviewed order.
    pub fn require_complete(&self) -> Result<(), CommandError> {
        match self.invalid.first() {
            Some(invalid) => Err(CommandError::refused("invalid-local-artifacts", invalid.message())),
            None => Ok(()),
        }
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, CommandError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(CommandError::file("read", path, &error)),
    }
}

/// Reads every folder of `directory` (a missing directory has none). Files beside the folders,
/// and folders whose name starts with `.`, are not migrations and are skipped.
pub fn read_local_migrations(directory: &Path, provider: Provider) -> Result<LocalMigrations, CommandError> {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(LocalMigrations::default()),
        Err(error) => return Err(CommandError::file("read", directory, &error)),
    };
    let mut folders = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| CommandError::file("read", directory, &error))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !name.starts_with('.') {
            folders.push((name, entry.path()));
        }
    }
    folders.sort();
    let mut local = LocalMigrations::default();
    for (name, folder) in folders {
        let files = MigrationFolderFiles {
            migration_sql: read_optional(&folder.join(MIGRATION_SQL_FILE))?,
            metadata: read_optional(&folder.join(METADATA_FILE))?,
            before_schema: read_optional(&folder.join(BEFORE_SCHEMA_FILE))?,
            after_schema: read_optional(&folder.join(AFTER_SCHEMA_FILE))?,
            warnings: read_optional(&folder.join(WARNINGS_FILE))?,
        };
        match local_migration_from_files(&name, &folder.display().to_string(), provider, files) {
            Ok(migration) => local.migrations.push(migration),
            Err(invalid) => local.invalid.push(invalid),
        }
    }
    Ok(local)
}

/// Writes the draft's folder under `directory` and returns the folder's path. An existing
/// folder of the same name is an error rather than overwritten: it may hold reviewed edits.
pub fn write_migration_folder(directory: &Path, draft: &MigrationDraft) -> Result<PathBuf, CommandError> {
    let folder = directory.join(&draft.name);
    if folder.exists() {
        return Err(CommandError::refused(
            "migration-exists",
            format!("The migration folder {} already exists. Wait a second or pick another --name.", folder.display()),
        ));
    }
    std::fs::create_dir_all(&folder).map_err(|error| CommandError::file("create", &folder, &error))?;
    for (file_name, content) in draft.files() {
        let path = folder.join(file_name);
        std::fs::write(&path, content).map_err(|error| CommandError::file("write", &path, &error))?;
    }
    Ok(folder)
}
