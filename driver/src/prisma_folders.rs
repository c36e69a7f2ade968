//! A Prisma Migrate migrations folder on disk: `<timestamp>_<name>/migration.sql` folders and
//! `migration_lock.toml`. The planner's `migrations::prisma` says what the bytes mean; this
//! module only reads them, and checks the lock file's provider against the database's.

use crate::command_error::CommandError;
use crate::local_folders::LocalMigrations;
use planner::migrations::artifacts::MIGRATION_SQL_FILE;
use planner::migrations::prisma::{
    local_migration_from_prisma_folder, lock_file_provider, LockFileProblem, PRISMA_LOCK_FILE,
};
use planner::migrations::MigrationDraft;
use planner::Provider;
use std::path::{Path, PathBuf};

/// A Prisma project's migrations folder, read through the same trait as comon_orm's.
pub struct PrismaMigrationsFolder {
    pub directory: PathBuf,
}

impl crate::commands::MigrationsFolder for PrismaMigrationsFolder {
    fn location(&self) -> String {
        self.directory.display().to_string()
    }

    fn read(&mut self, provider: Provider) -> Result<LocalMigrations, CommandError> {
        read_prisma_migrations(&self.directory, provider)
    }

    fn write(&mut self, _draft: &MigrationDraft) -> Result<String, CommandError> {
        Err(CommandError::refused(
            "prisma-dev-unsupported",
            format!(
                "{} is a Prisma Migrate folder: `migrate dev` cannot write to it yet. Create the migration with `prisma migrate dev`, then apply it with `comon migrate deploy`.",
                self.directory.display()
            ),
        ))
    }
}

/// Checks `migration_lock.toml`, when there is one, against the database's provider: a folder
/// locked to another provider was written for another database, and nothing of it may run.
pub fn check_lock_file(directory: &Path, provider: Provider) -> Result<(), CommandError> {
    let path = directory.join(PRISMA_LOCK_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(CommandError::file("read", &path, &error)),
    };
    match lock_file_provider(&text) {
        Ok(locked) if locked == provider => Ok(()),
        Ok(locked) => Err(CommandError::refused(
            "lock-file-provider-mismatch",
            format!(
                "{} locks these migrations to {locked}, but the database is {provider}. Point the project at a {locked} database, or start a new migrations folder for {provider}.",
                path.display()
            ),
        )),
        Err(LockFileProblem::UnknownProvider(name)) => Err(CommandError::refused(
            "lock-file-provider-mismatch",
            format!(
                "{} locks these migrations to provider \"{name}\", which comon does not support; the database is {provider}.",
                path.display()
            ),
        )),
        Err(LockFileProblem::NoProvider) => Err(CommandError::refused(
            "invalid-lock-file",
            format!(
                "{} has no `provider = \"...\"` line. Prisma writes one; restore the file from version control.",
                path.display()
            ),
        )),
    }
}

/// Reads every `<name>/migration.sql` of `directory` in name order (a missing directory has
/// none). Files beside the folders (the lock file) and folders whose name starts with `.` are
/// skipped. A folder without `migration.sql` is an error that names it, as Prisma refuses it.
pub fn read_prisma_migrations(
    directory: &Path,
    provider: Provider,
) -> Result<LocalMigrations, CommandError> {
    check_lock_file(directory, provider)?;
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
    folders.sort();
    let mut local = LocalMigrations::default();
    for (name, folder) in folders {
        let path = folder.join(MIGRATION_SQL_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(CommandError::refused(
                    "invalid-local-artifacts",
                    format!(
                        "Migration folder {} has no {MIGRATION_SQL_FILE}; a Prisma migration folder holds one.",
                        folder.display()
                    ),
                ))
            }
            Err(error) => return Err(CommandError::file("read", &path, &error)),
        };
        local
            .migrations
            .push(local_migration_from_prisma_folder(&name, &bytes));
    }
    Ok(local)
}
