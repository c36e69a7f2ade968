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
    let scratch = ScratchServer::for_database(backend.database());
    schema_built_by_prisma_folders_with(provider, &scratch, local, names)
}

/// `schema_built_by_prisma_folders`, replaying (when it must) on `scratch`.
fn schema_built_by_prisma_folders_with<'a>(
    provider: Provider,
    scratch: &ScratchServer,
    local: &LocalMigrations,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<BuiltSchema, UnknownPrismaSchema> {
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
    schema_built_by_migrations(
        provider,
        &DatabaseSchema::empty(provider),
        &scripts,
        scratch,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::MigrationsFolder;
    use planner::migrations::UtcTimestamp;

    fn draft(name: &str, provider: Provider) -> MigrationDraft {
        MigrationDraft {
            name: name.to_string(),
            generated_at: UtcTimestamp {
                year: 2026,
                month: 12,
                day: 3,
                hour: 8,
                minute: 0,
                second: 0,
                microsecond: 0,
            },
            provider,
            before_schema: "// before".to_string(),
            after_schema: "// after".to_string(),
            migration_sql: "CREATE TABLE \"A\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n"
                .to_string(),
            statement_count: 1,
            warnings: vec!["a warning".to_string()],
            rebuild_required: false,
        }
    }

    fn entries(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(directory)
            .expect("folder")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_draft_is_written_in_prismas_layout_with_the_lock_file() {
        let scratch = tempfile::tempdir().expect("folder");
        let directory = scratch.path().join("migrations");
        let mut folder = PrismaMigrationsFolder {
            directory: directory.clone(),
        };
        let written = folder
            .write(&draft("20261203080000_init", Provider::Sqlite))
            .expect("written");
        assert!(written.ends_with("20261203080000_init"), "{written}");
        assert_eq!(
            entries(&directory),
            ["20261203080000_init", PRISMA_LOCK_FILE]
        );
        assert_eq!(
            entries(&directory.join("20261203080000_init")),
            [MIGRATION_SQL_FILE]
        );
        assert_eq!(
            std::fs::read_to_string(directory.join(PRISMA_LOCK_FILE)).expect("lock"),
            lock_file_text(Provider::Sqlite)
        );
        // What was written reads back as a Prisma folder with Prisma's checksum.
        let read = folder.read(Provider::Sqlite).expect("read");
        assert_eq!(read.migrations.len(), 1);
        assert!(!read.migrations[0].has_snapshots());

        // An existing lock file is kept byte for byte.
        let kept = "# edited by someone\nprovider = \"sqlite\"\n";
        std::fs::write(directory.join(PRISMA_LOCK_FILE), kept).expect("lock");
        folder
            .write(&draft("20261203080001_second", Provider::Sqlite))
            .expect("written");
        assert_eq!(
            std::fs::read_to_string(directory.join(PRISMA_LOCK_FILE)).expect("lock"),
            kept
        );
        let again = folder
            .write(&draft("20261203080001_second", Provider::Sqlite))
            .expect_err("the folder exists");
        assert_eq!(again.code(), "migration-exists");
    }

    #[test]
    fn a_lock_file_for_another_provider_is_refused_before_anything_is_written() {
        let scratch = tempfile::tempdir().expect("folder");
        let directory = scratch.path().to_path_buf();
        std::fs::write(
            directory.join(PRISMA_LOCK_FILE),
            lock_file_text(Provider::Postgresql),
        )
        .expect("lock");
        let mut folder = PrismaMigrationsFolder {
            directory: directory.clone(),
        };
        let error = folder
            .write(&draft("20261203080000_init", Provider::Sqlite))
            .expect_err("refused");
        assert_eq!(error.code(), "lock-file-provider-mismatch");
        assert_eq!(entries(&directory), [PRISMA_LOCK_FILE]);
    }

    fn local(folders: &[(&str, &str)]) -> LocalMigrations {
        LocalMigrations {
            migrations: folders
                .iter()
                .map(|(name, sql)| local_migration_from_prisma_folder(name, sql.as_bytes()))
                .collect(),
            invalid: Vec::new(),
        }
    }

    #[test]
    fn the_schema_the_folders_build_or_why_it_is_not_known() {
        let folders = local(&[
            (
                "1_init",
                "CREATE TABLE \"User\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n",
            ),
            ("2_name", "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT;\n"),
            (
                "3_procedural",
                "-- a comment\nDO $$ BEGIN PERFORM 1; END $$;\n",
            ),
            ("4_broken", "CREATE TABLE (;\n"),
        ]);
        // No server to replay on: what the interpreter follows is known, the rest is refused.
        let nowhere = ScratchServer::Unavailable {
            remedy: "Pass --url.".to_string(),
        };
        let built_by = |names: &[&str]| {
            schema_built_by_prisma_folders_with(
                Provider::Postgresql,
                &nowhere,
                &folders,
                names.iter().copied(),
            )
        };
        let built = built_by(&["1_init", "2_name"]).ok().expect("known");
        assert_eq!(
            built.source,
            crate::replayed_schema::SchemaSource::Interpreted
        );
        let user = built.schema.table("User").expect("the table");
        assert_eq!(
            user.columns
                .iter()
                .map(|column| column.name.as_str())
                .collect::<Vec<_>>(),
            ["id", "name"]
        );
        // The order given is the order applied: only what is named counts.
        let first = built_by(&["1_init"]).ok().expect("known");
        assert_eq!(first.schema.table("User").expect("table").columns.len(), 1);

        let Err(gone) = built_by(&["1_init", "9_gone"]) else {
            panic!("a folder that is gone is refused");
        };
        assert_eq!(gone.code(), "applied-migration-missing-locally");
        assert!(gone.reason().contains("9_gone"), "{}", gone.reason());

        // A `DO` block and a script sqlparser cannot read both need a replay, and there is no
        // server for one: the refusal names the folder, the line and the remedy.
        for (name, line) in [("3_procedural", 2), ("4_broken", 1)] {
            let Err(unknown) = built_by(&["1_init", name]) else {
                panic!("{name} needs a replay");
            };
            assert_eq!(
                unknown.code(),
                crate::replayed_schema::SCRATCH_UNAVAILABLE_CODE
            );
            assert!(
                unknown
                    .reason()
                    .contains(&format!("{name}/migration.sql line {line}")),
                "{}",
                unknown.reason()
            );
            let refusal = unknown.refusal("dev");
            assert!(
                refusal.to_string().contains("`migrate dev` needs")
                    && refusal.to_string().contains("Pass --url."),
                "{refusal}"
            );
        }
    }
}
