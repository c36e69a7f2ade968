//! A Prisma Migrate migrations folder on disk: `<timestamp>_<name>/migration.sql` folders and
//! `migration_lock.toml`. The planner's `migrations::prisma` says what the bytes mean; this
//! module reads and writes them, checks the lock file's provider against the database's, and
//! says what schema the folders build (`schema_built_by_prisma_folders`).

use crate::backend::MigrationBackend;
use crate::command_error::CommandError;
use crate::flavour::ProjectFlavour;
use crate::local_folders::{write_folder_of_files, LocalMigrations};
use crate::replayed_schema::{
    schema_built_by_migrations, BuiltSchema, MigrationScriptText, ScratchServer,
};
use planner::migrations::artifacts::MIGRATION_SQL_FILE;
use planner::migrations::prisma::{
    local_migration_from_prisma_folder, lock_file_provider, lock_file_text, LockFileProblem,
    PRISMA_LOCK_FILE,
};
use planner::migrations::MigrationDraft;
use planner::{DatabaseSchema, Provider};
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

    /// Writes the draft in Prisma's layout: `<name>/migration.sql` and nothing else (no
    /// snapshots, no metadata), so that `prisma migrate deploy` reads the folder as one of its
    /// own. The lock file is kept; a missing one is created with the draft's provider, as
    /// Prisma's first `migrate dev` creates it, and one for another provider is refused before
    /// anything is written.
    fn write(&mut self, draft: &MigrationDraft) -> Result<String, CommandError> {
        check_lock_file(&self.directory, draft.provider)?;
        let folder = write_folder_of_files(
            &self.directory,
            &draft.name,
            &[(MIGRATION_SQL_FILE, draft.migration_sql.clone())],
        )?;
        let lock_path = self.directory.join(PRISMA_LOCK_FILE);
        if !lock_path.exists() {
            std::fs::write(&lock_path, lock_file_text(draft.provider))
                .map_err(|error| CommandError::file("write", &lock_path, &error))?;
        }
        Ok(folder.display().to_string())
    }

    fn flavour(&self) -> ProjectFlavour {
        ProjectFlavour::Prisma
    }
}

/// Why the schema a Prisma history builds is not known.
pub enum UnknownPrismaSchema {
    /// The folder of an applied migration is gone.
    FolderGone { name: String },
    /// Neither the interpreter nor a replay into a scratch database built it: a script does not
    /// split into statements, the replay failed, or there is no scratch database to replay into.
    NotBuilt(CommandError),
}

impl UnknownPrismaSchema {
    /// A stable code for each case.
    pub fn code(&self) -> &'static str {
        match self {
            UnknownPrismaSchema::FolderGone { .. } => "applied-migration-missing-locally",
            UnknownPrismaSchema::NotBuilt(error) => error.code(),
        }
    }

    /// Why, in words that name the folder (and the line, when there is one).
    pub fn reason(&self) -> String {
        match self {
            UnknownPrismaSchema::FolderGone { name } => {
                format!("the folder of the applied migration {name} is gone")
            }
            UnknownPrismaSchema::NotBuilt(error) => error.to_string(),
        }
    }

    /// The refusal of a command that cannot go on without the schema (`migrate dev`,
    /// `migrate baseline`): nothing was planned or written. An interruption or a lost
    /// connection stays what it is, with its own exit code.
    pub fn refusal(self, command: &str) -> CommandError {
        if let UnknownPrismaSchema::NotBuilt(error @ CommandError::Runner(_)) = self {
            return error;
        }
        CommandError::refused(
            self.code(),
            format!(
                "`migrate {command}` needs the schema the Prisma migrations build, and it is not known: {}. comon reads a Prisma folder's migration.sql with its migration SQL interpreter, or replays the folders into a scratch database when the interpreter cannot follow a statement, and does not guess. Nothing was planned, written or recorded.",
                self.reason()
            ),
        )
    }
}

/// The schema the Prisma migrations `names` build (in that order, from an empty database), as
/// `replayed_schema::schema_built_by_migrations` finds it: the planner's migration SQL
/// interpreter, or a replay into a scratch database beside `backend`'s (SQLite in memory, a
/// temporary PostgreSQL database that is always dropped) when a script holds a statement the
/// interpreter does not follow. This is the one place `migrate dev` and `migrate baseline` ask
/// for it; the result says how it was obtained, for the command to tell.
pub fn schema_built_by_prisma_folders<'a>(
    backend: &mut dyn MigrationBackend,
    local: &LocalMigrations,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<BuiltSchema, UnknownPrismaSchema> {
    let provider = backend.provider();
    let mut scripts = Vec::new();
    for name in names {
        let migration = local
            .find(name)
            .ok_or_else(|| UnknownPrismaSchema::FolderGone {
                name: name.to_string(),
            })?;
        scripts.push(MigrationScriptText {
            origin: migration.name.as_str(),
            sql: migration.migration_sql.as_str(),
        });
    }
    let scratch = ScratchServer::for_database(backend.database());
    schema_built_by_migrations(
        provider,
        &DatabaseSchema::empty(provider),
        &scripts,
        &scratch,
    )
    .map_err(UnknownPrismaSchema::NotBuilt)
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
