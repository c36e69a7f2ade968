//! Migration folders on disk: read into the planner's `LocalMigration`s, and written from a
//! `MigrationDraft`. The planner decides what the files mean; this module only moves bytes.

use crate::command_error::CommandError;
use planner::migrations::artifacts::local_migrations_from_folders;
use planner::migrations::artifacts::{
    AFTER_SCHEMA_FILE, BEFORE_SCHEMA_FILE, METADATA_FILE, MIGRATION_SQL_FILE, WARNINGS_FILE,
};
use planner::migrations::{MigrationDraft, MigrationFolderFiles};
use planner::Provider;
use std::path::{Path, PathBuf};

pub use planner::migrations::artifacts::LocalMigrations;

/// Refuses to go on when a folder is incomplete: applying around a broken folder would apply
/// migrations out of their reviewed order.
pub fn require_complete(local: &LocalMigrations) -> Result<(), CommandError> {
    match local.invalid.first() {
        Some(invalid) => Err(CommandError::refused(
            "invalid-local-artifacts",
            invalid.message(),
        )),
        None => Ok(()),
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
pub fn read_local_migrations(
    directory: &Path,
    provider: Provider,
) -> Result<LocalMigrations, CommandError> {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(LocalMigrations::default())
        }
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
    let mut folders_with_files = Vec::with_capacity(folders.len());
    for (name, folder) in folders {
        let files = MigrationFolderFiles {
            migration_sql: read_optional(&folder.join(MIGRATION_SQL_FILE))?,
            metadata: read_optional(&folder.join(METADATA_FILE))?,
            before_schema: read_optional(&folder.join(BEFORE_SCHEMA_FILE))?,
            after_schema: read_optional(&folder.join(AFTER_SCHEMA_FILE))?,
            warnings: read_optional(&folder.join(WARNINGS_FILE))?,
        };
        folders_with_files.push((name, folder.display().to_string(), files));
    }
    let local = local_migrations_from_folders(provider, folders_with_files);
    Ok(local)
}

/// Writes the draft's folder under `directory` and returns the folder's path. An existing
/// folder of the same name is an error rather than overwritten: it may hold reviewed edits.
///
/// The files go into a temporary folder first (`.<name>.partial`, which the folder reader
/// skips), each synced to disk, and the folder is renamed into place at the end: a full disk or
/// a crash half-way leaves no half-written migration that would block every later command.
pub fn write_migration_folder(
    directory: &Path,
    draft: &MigrationDraft,
) -> Result<PathBuf, CommandError> {
    write_folder_of_files(directory, &draft.name, &draft.files())
}

/// `write_migration_folder` for any list of `(file name, content)`: a Prisma Migrate folder
/// holds only `migration.sql`.
pub fn write_folder_of_files(
    directory: &Path,
    name: &str,
    files: &[(&str, String)],
) -> Result<PathBuf, CommandError> {
    let folder = directory.join(name);
    if folder.exists() {
        return Err(CommandError::refused(
            "migration-exists",
            format!(
                "The migration folder {} already exists. Wait a second or pick another --name.",
                folder.display()
            ),
        ));
    }
    std::fs::create_dir_all(directory)
        .map_err(|error| CommandError::file("create", directory, &error))?;
    let partial = directory.join(format!(".{name}.partial"));
    // A partial folder of the same name is what an earlier interrupted run of this left behind.
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .map_err(|error| CommandError::file("delete", &partial, &error))?;
    }
    let written = write_files(&partial, files).and_then(|()| {
        std::fs::rename(&partial, &folder)
            .map_err(|error| CommandError::file("rename", &partial, &error))?;
        // The rename itself is made durable by syncing the directory that holds it.
        if let Ok(handle) = std::fs::File::open(directory) {
            let _ = handle.sync_all();
        }
        Ok(())
    });
    if let Err(error) = written {
        let _ = std::fs::remove_dir_all(&partial);
        return Err(error);
    }
    Ok(folder)
}

fn write_files(partial: &Path, files: &[(&str, String)]) -> Result<(), CommandError> {
    use std::io::Write;
    std::fs::create_dir(partial).map_err(|error| CommandError::file("create", partial, &error))?;
    for (file_name, content) in files {
        let path = partial.join(file_name);
        let mut file = std::fs::File::create(&path)
            .map_err(|error| CommandError::file("write", &path, &error))?;
        file.write_all(content.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|error| CommandError::file("write", &path, &error))?;
    }
    Ok(())
}

/// A project's migrations folder on disk, as the commands read and write it.
pub struct DiskMigrationsFolder {
    pub directory: PathBuf,
}

impl crate::commands::MigrationsFolder for DiskMigrationsFolder {
    fn location(&self) -> String {
        self.directory.display().to_string()
    }

    fn read(&mut self, provider: Provider) -> Result<LocalMigrations, CommandError> {
        read_local_migrations(&self.directory, provider)
    }

    fn write(&mut self, draft: &MigrationDraft) -> Result<String, CommandError> {
        Ok(write_migration_folder(&self.directory, draft)?
            .display()
            .to_string())
    }
}
