//! The project a command works on: its `prisma.config.ts` (read, never run), the schema (a file
//! found by comon_orm's discovery rules, or a folder of `.prisma` files), its validated data
//! model, the migrations folder, and the database its datasource (or the config) names.

use crate::environment::ProjectEnvironment;
use crate::prisma_config::{self, PrismaConfig};
use comon_database::database_url::{DatabaseUrl, SqliteUrl};
use comon_database::{ConnectionOptions, Database};
use comon_driver::command_error::CommandError;
use planner::schema_language::data_model::{DataModel, DatasourceUrl};
use planner::schema_language::files::{SchemaFile, SchemaFiles};
use planner::Provider;
use std::path::{Path, PathBuf};

/// The options every command accepts.
#[derive(Debug, Clone, Default)]
pub struct GlobalSettings {
    pub schema: Option<PathBuf>,
    pub datasource: Option<String>,
    pub url: Option<String>,
    /// `--config`: the Prisma config file, instead of the `prisma.config.ts` of the working
    /// directory.
    pub config: Option<PathBuf>,
    /// `--migrations-dir`: the migrations folder, instead of the config's `migrations.path`
    /// or the folder beside the schema.
    pub migrations_directory: Option<PathBuf>,
    /// `--flavour` or `COMON_PROJECT_FLAVOUR`: overrides what the project's files and history
    /// tables say.
    pub flavour: Option<comon_driver::flavour::ProjectFlavour>,
    /// Timeouts and lock waits (`--lock-timeout`, `--statement-timeout`,
    /// `--lock-wait-timeout`), and the notice printed when the SQLite write lock is busy.
    pub connection: ConnectionOptions,
    /// Where the lines that say what a command works on go (the config loaded, the
    /// datasource), printed before it acts, as Prisma prints them.
    pub notices: Notices,
}

/// A sink for the context lines a command prints before it acts.
#[derive(Clone, Default)]
pub struct Notices(Option<NoticeSink>);

/// What prints one notice line.
pub type NoticeSink = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

impl Notices {
    pub fn new(sink: NoticeSink) -> Notices {
        Notices(Some(sink))
    }

    pub fn say(&self, line: &str) {
        if let Some(sink) = &self.0 {
            sink(line)
        }
    }
}

impl std::fmt::Debug for Notices {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Notices")
    }
}

/// The default schema places, in the order they are tried.
const DEFAULT_SCHEMA_PLACES: [&str; 3] = ["prisma/schema.prisma", "schema.prisma", "prisma/schema"];

/// Where the schema is: `--schema` (a file, or a folder of `.prisma` files), else the default
/// places `prisma/schema.prisma`, `schema.prisma` and the folder `prisma/schema`.
pub fn discover_schema_path(explicit: Option<&Path>) -> Result<PathBuf, CommandError> {
    if let Some(path) = explicit {
        if !path.exists() {
            return Err(CommandError::usage(format!(
                "Schema file not found: {}",
                path.display()
            )));
        }
        return Ok(path.to_path_buf());
    }
    for candidate in DEFAULT_SCHEMA_PLACES {
        let path = PathBuf::from(candidate);
        if path.is_file() || (path.is_dir() && candidate.ends_with("schema")) {
            return Ok(path);
        }
    }
    Err(CommandError::usage(
        "Could not find Prisma schema file.\n\nChecked the following paths:\n  - prisma/schema.prisma: file not found\n  - schema.prisma: file not found\n  - prisma/schema: folder not found\n\nYou can specify the schema path with --schema <path>.\nIn a Prisma 7 project, set `schema` in prisma.config.ts.",
    ))
}

/// `<schema folder>/migrations` when the schema's folder is named `prisma`, else
/// `<schema folder>/prisma/migrations`, as comon_orm places it.
pub fn migrations_directory_for(schema_path: &Path) -> PathBuf {
    let folder = schema_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if folder.file_name().is_some_and(|name| name == "prisma") {
        folder.join("migrations")
    } else {
        folder.join("prisma").join("migrations")
    }
}

/// The `.prisma` files under `folder`, recursively, in path order, leaving out `skip` (the
/// migrations folder, whose snapshots are `.prisma` files too).
pub fn schema_files_in(folder: &Path, skip: Option<&Path>) -> Result<Vec<PathBuf>, CommandError> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|error| CommandError::file("read", &current, &error))?;
        for entry in entries {
            let entry = entry.map_err(|error| CommandError::file("read", &current, &error))?;
            let path = entry.path();
            if path.is_dir() {
                if skip.is_none_or(|skip| !same_path(skip, &path)) {
                    pending.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|extension| extension == "prisma")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Whether two paths name the same file or folder (compared as written when either is missing).
pub fn same_path(first: &Path, second: &Path) -> bool {
    match (std::fs::canonicalize(first), std::fs::canonicalize(second)) {
        (Ok(first), Ok(second)) => first == second,
        _ => first == second,
    }
}

pub struct Project {
    /// The schema file, or the folder of a schema written in several files.
    pub schema_path: PathBuf,
    /// The schema's files: one, or those of the folder, each with its text.
    pub schema_files: Vec<SchemaFile>,
    /// The schema's text: the file's, or the folder's files joined (what snapshots hold).
    pub schema_source: String,
    pub data_model: DataModel,
    pub migrations_directory: PathBuf,
    /// The folder the datasource's relative SQLite paths and the schema's `.env` are taken
    /// from: the schema file's, or that of the folder's file holding the datasource.
    datasource_folder: PathBuf,
    /// The project's `prisma.config.ts`, when it has one.
    pub config: Option<PrismaConfig>,
}

impl Project {
    pub fn load(settings: &GlobalSettings) -> Result<Project, CommandError> {
        let config = PrismaConfig::discover(settings.config.as_deref(), Path::new(""))?;
        if let Some(config) = &config {
            settings.notices.say(&format!(
                "Loaded Prisma config from {}.",
                config.path.display()
            ));
        }
        let schema_path = schema_location(settings, config.as_ref())?;
        let explicit_migrations = match (&settings.migrations_directory, &config) {
            (Some(directory), _) => Some(directory.clone()),
            (None, Some(config)) => {
                let environment = project_environment(&schema_path)?;
                config.path_value(
                    prisma_config::MIGRATIONS_PATH,
                    "--migrations-dir <DIR>",
                    &environment,
                )?
            }
            (None, None) => None,
        };
        let (schema_files, schema_source, data_model, datasource_folder) = if schema_path.is_dir() {
            let skip = explicit_migrations
                .clone()
                .unwrap_or_else(|| schema_path.join("migrations"));
            load_schema_folder(&schema_path, &skip)?
        } else {
            let schema_source = std::fs::read_to_string(&schema_path)
                .map_err(|error| CommandError::file("read", &schema_path, &error))?;
            let data_model = planner::parse_and_validate(&schema_source).map_err(|errors| {
                CommandError::InvalidSchema {
                    path: schema_path.display().to_string(),
                    schema_text: schema_source.clone(),
                    errors,
                }
            })?;
            let file = SchemaFile {
                name: schema_path.display().to_string(),
                text: schema_source.clone(),
            };
            let folder = parent_folder(&schema_path);
            (vec![file], schema_source, data_model, folder)
        };
        settings.notices.say(&format!(
            "Prisma schema loaded from {}.",
            schema_path.display()
        ));
        if let Some(name) = &settings.datasource {
            if &data_model.datasource.name != name {
                return Err(CommandError::usage(format!(
                    "Unknown datasource \"{name}\"."
                )));
            }
        }
        let migrations_directory = match explicit_migrations {
            Some(directory) => directory,
            // Prisma keeps the migrations of a folder schema beside the file with the
            // datasource.
            None if schema_path.is_dir() => datasource_folder.join("migrations"),
            None => migrations_directory_for(&schema_path),
        };
        Ok(Project {
            schema_path,
            schema_files,
            schema_source,
            data_model,
            migrations_directory,
            datasource_folder,
            config,
        })
    }

    pub fn provider(&self) -> Provider {
        self.data_model.provider
    }

    /// Whether the schema is a folder of files rather than one file.
    pub fn is_schema_folder(&self) -> bool {
        self.schema_path.is_dir()
    }

    pub fn schema_folder(&self) -> PathBuf {
        self.datasource_folder.clone()
    }

    /// The environment the config's and the datasource's `env("NAME")` are read from.
    pub fn environment(&self) -> Result<ProjectEnvironment, CommandError> {
        let project_root = std::env::current_dir()
            .map_err(|error| CommandError::file("read", Path::new("."), &error))?;
        ProjectEnvironment::load(&project_root, &self.schema_folder())
    }

    /// The seed command the project configures: `migrations.seed` in prisma.config.ts, else
    /// `prisma.seed` in the working directory's package.json (Prisma 6's place).
    pub fn seed_command(&self) -> Result<Option<SeedCommand>, CommandError> {
        if let Some(config) = &self.config {
            let environment = self.environment()?;
            if let Some(command) = config.string(prisma_config::SEED, "", &environment)? {
                return Ok(Some(SeedCommand {
                    command,
                    source: format!("{} (migrations.seed)", config.path.display()),
                    runs_after_reset: false,
                }));
            }
        }
        let package = Path::new("package.json");
        let text = match std::fs::read_to_string(package) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(CommandError::file("read", package, &error)),
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|error| {
            CommandError::refused(
                "invalid-package-json",
                format!(
                    "package.json is not valid JSON (line {}): {error}",
                    error.line()
                ),
            )
        })?;
        Ok(value
            .pointer("/prisma/seed")
            .and_then(serde_json::Value::as_str)
            .map(|command| SeedCommand {
                command: command.to_string(),
                source: "package.json (prisma.seed)".to_string(),
                runs_after_reset: true,
            }))
    }

    /// The URL text and where it came from, for migrations: `--url`; else the config's
    /// `datasource.directUrl` or `datasource.url`; else the schema's `directUrl` or `url`. The
    /// direct URL wins, as Prisma Migrate uses it to bypass a connection pooler. SQLite paths
    /// are relative to the folder of the file that gave them.
    fn database_url_text(
        &self,
        settings: &GlobalSettings,
    ) -> Result<(String, PathBuf), CommandError> {
        if let Some(url) = &settings.url {
            return Ok((url.clone(), self.schema_folder()));
        }
        let environment = self.environment()?;
        if let Some(config) = &self.config {
            for key in [prisma_config::DIRECT_URL, prisma_config::DATASOURCE_URL] {
                if let Some(url) = config.string(key, "--url <URL>", &environment)? {
                    return Ok((url, config.folder()));
                }
            }
        }
        let datasource = &self.data_model.datasource;
        let (property, url) = match (&datasource.direct_url, &datasource.url) {
            (Some(direct), _) => ("directUrl", direct),
            (None, Some(url)) => ("url", url),
            (None, None) => {
                return Err(CommandError::usage(format!(
                    "The datasource {} has no url, and no prisma.config.ts gives one. Set `datasource.url` in prisma.config.ts (for example `url: env(\"DATABASE_URL\")`), add `url = env(\"DATABASE_URL\")` to the datasource, or pass --url.",
                    datasource.name
                )))
            }
        };
        let text = match url {
            DatasourceUrl::Literal(url) => url.clone(),
            DatasourceUrl::Environment(variable) => match environment.variable(variable) {
                Some(value) => value,
                None => {
                    return Err(CommandError::refused(
                        "environment-variable-not-set",
                        format!(
                            "Environment variable \"{variable}\" referenced by datasource {}.{property} is not set. Looked in: {}. Set it there, or pass --url.",
                            datasource.name,
                            environment.places_looked()
                        ),
                    ))
                }
            },
        };
        Ok((text, self.schema_folder()))
    }

    /// The database URL (see `database_url_text`), parsed, its provider checked against the
    /// schema's.
    pub fn database_url(&self, settings: &GlobalSettings) -> Result<DatabaseUrl, CommandError> {
        let (text, folder) = self.database_url_text(settings)?;
        let url = DatabaseUrl::parse(&text)?;
        if url.provider() != self.provider() {
            return Err(CommandError::usage(format!(
                "The schema's datasource provider is {}, but the URL names a {} database.",
                self.provider(),
                url.provider()
            )));
        }
        Ok(match url {
            DatabaseUrl::Sqlite(SqliteUrl { path }) => DatabaseUrl::Sqlite(SqliteUrl {
                path: path_relative_to(&folder, &path),
            }),
            postgres => postgres,
        })
    }

    /// The line Prisma prints before it acts: which datasource, which database, where. Never
    /// the password (the URL is described by its parts).
    pub fn datasource_line(&self, url: &DatabaseUrl) -> String {
        let name = &self.data_model.datasource.name;
        match url {
            DatabaseUrl::Postgresql(url) => format!(
                "Datasource \"{name}\": PostgreSQL database \"{}\", schema \"{}\" at \"{}:{}\"",
                url.database_name(),
                url.schema,
                url.host,
                url.port
            ),
            DatabaseUrl::Sqlite(url) => {
                let file = Path::new(&url.path)
                    .file_name()
                    .map(|name| name.to_string_lossy().to_string())
                    .unwrap_or_else(|| url.path.clone());
                format!(
                    "Datasource \"{name}\": SQLite database \"{file}\" at \"{}\"",
                    url.path
                )
            }
        }
    }

    /// Opens the database for a command that may change it: a missing SQLite file is created.
    pub fn open_database(&self, settings: &GlobalSettings) -> Result<Database, CommandError> {
        let options = ConnectionOptions {
            create_missing_sqlite_file: true,
            ..settings.connection.clone()
        };
        let url = self.database_url(settings)?;
        settings.notices.say(&self.datasource_line(&url));
        Ok(Database::open_with_options(&url, &options)?)
    }

    /// `open_database`, creating the URL's PostgreSQL schema (`?schema=`) when it does not
    /// exist yet, with a line saying so, as Prisma Migrate does: for the commands that migrate
    /// or push, which would otherwise fail at their first `CREATE TABLE`.
    pub fn open_database_creating_schema(
        &self,
        settings: &GlobalSettings,
    ) -> Result<Database, CommandError> {
        let mut database = self.open_database(settings)?;
        create_missing_schema(&mut database, &self.database_url(settings)?, settings)?;
        Ok(database)
    }

    /// `open_database`, creating a PostgreSQL database that does not exist yet (with a
    /// message), as `prisma migrate dev` does, and then the URL's schema.
    pub fn open_or_create_database(
        &self,
        settings: &GlobalSettings,
    ) -> Result<(Database, bool), CommandError> {
        let options = ConnectionOptions {
            create_missing_sqlite_file: true,
            ..settings.connection.clone()
        };
        let url = self.database_url(settings)?;
        settings.notices.say(&self.datasource_line(&url));
        let created = match &url {
            DatabaseUrl::Postgresql(postgres) => {
                Database::create_postgres_database_if_missing(postgres)?
            }
            DatabaseUrl::Sqlite(sqlite) => !Path::new(&sqlite.path).exists(),
        };
        // Opened before the message, so that a SQLite file that cannot be created is never
        // said to be.
        let mut database = Database::open_with_options(&url, &options)?;
        if created {
            settings.notices.say(&match &url {
                DatabaseUrl::Postgresql(postgres) => format!(
                    "PostgreSQL database {} created at {}:{}",
                    postgres.database_name(),
                    postgres.host,
                    postgres.port
                ),
                DatabaseUrl::Sqlite(sqlite) => {
                    format!("SQLite database created at {}", sqlite.path)
                }
            });
        }
        create_missing_schema(&mut database, &url, settings)?;
        Ok((database, created))
    }

    /// Opens the database for a command that only reads it (`migrate status`, `migrate diff`,
    /// `db pull`): a SQLite file that does not exist is an error, never created.
    pub fn open_existing_database(
        &self,
        settings: &GlobalSettings,
    ) -> Result<Database, CommandError> {
        let options = ConnectionOptions {
            create_missing_sqlite_file: false,
            ..settings.connection.clone()
        };
        let url = self.database_url(settings)?;
        settings.notices.say(&self.datasource_line(&url));
        Ok(Database::open_with_options(&url, &options)?)
    }
}

/// Creates the PostgreSQL schema the URL names when it is missing, and says so.
fn create_missing_schema(
    database: &mut Database,
    url: &DatabaseUrl,
    settings: &GlobalSettings,
) -> Result<(), CommandError> {
    if let DatabaseUrl::Postgresql(postgres) = url {
        if database.create_schema_if_missing()? {
            settings.notices.say(&format!(
                "PostgreSQL schema \"{}\" created in database {}",
                postgres.schema,
                postgres.database_name()
            ));
        }
    }
    Ok(())
}

/// The command `db seed` (and `migrate dev`/`reset` after a reset) runs, and where it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedCommand {
    pub command: String,
    pub source: String,
    /// Whether `migrate reset` (and `migrate dev` creating the database) runs it: package.json's
    /// `prisma.seed` (Prisma 6 runs it then), not prisma.config.ts's (Prisma 7 runs none).
    pub runs_after_reset: bool,
}

fn parent_folder(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The environment of the project before its schema is read (for the config's paths).
fn project_environment(schema_path: &Path) -> Result<ProjectEnvironment, CommandError> {
    let project_root = std::env::current_dir()
        .map_err(|error| CommandError::file("read", Path::new("."), &error))?;
    let folder = if schema_path.is_dir() {
        schema_path.to_path_buf()
    } else {
        parent_folder(schema_path)
    };
    ProjectEnvironment::load(&project_root, &folder)
}

/// The schema's place: `--schema`, else the config's `schema`, else the default places.
pub fn schema_location(
    settings: &GlobalSettings,
    config: Option<&PrismaConfig>,
) -> Result<PathBuf, CommandError> {
    if settings.schema.is_some() {
        return discover_schema_path(settings.schema.as_deref());
    }
    if let Some(config) = config {
        let environment = ProjectEnvironment::load(&config.folder(), &config.folder())?;
        if let Some(path) =
            config.path_value(prisma_config::SCHEMA, "--schema <PATH>", &environment)?
        {
            if !path.exists() {
                return Err(CommandError::usage(format!(
                    "The schema {} that {} names does not exist.",
                    path.display(),
                    config.path.display()
                )));
            }
            return Ok(path);
        }
    }
    discover_schema_path(None)
}

/// The files of a folder schema, validated together; errors point into their files.
fn load_schema_folder(
    folder: &Path,
    migrations_directory: &Path,
) -> Result<(Vec<SchemaFile>, String, DataModel, PathBuf), CommandError> {
    let paths = schema_files_in(folder, Some(migrations_directory))?;
    if paths.is_empty() {
        return Err(CommandError::usage(format!(
            "The schema folder {} holds no .prisma files.",
            folder.display()
        )));
    }
    let mut files = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .map_err(|error| CommandError::file("read", path, &error))?;
        files.push(SchemaFile {
            name: path.display().to_string(),
            text,
        });
    }
    let schema_files = SchemaFiles::new(files);
    let data_model = planner::parse_and_validate_files(&schema_files).map_err(|errors| {
        CommandError::InvalidSchemaFiles {
            folder: folder.display().to_string(),
            files: schema_files.files().to_vec(),
            errors,
        }
    })?;
    let datasource_folder = schema_files
        .files()
        .iter()
        .zip(&paths)
        .find(|(file, _)| {
            planner::schema_language::parse_schema(&file.text).is_ok_and(|ast| {
                ast.tops
                    .iter()
                    .any(|top| matches!(top, planner::schema_language::ast::Top::Datasource(_)))
            })
        })
        .map(|(_, path)| parent_folder(path))
        .unwrap_or_else(|| folder.to_path_buf());
    Ok((
        schema_files.files().to_vec(),
        schema_files.combined_text().to_string(),
        data_model,
        datasource_folder,
    ))
}

/// A SQLite path from a URL; relative paths are taken from `folder`.
fn path_relative_to(folder: &Path, path: &str) -> String {
    let path = Path::new(path);
    if path.is_absolute() {
        path.display().to_string()
    } else {
        folder.join(path).display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_relative_to_the_schema_folder() {
        assert_eq!(
            path_relative_to(Path::new("app/prisma"), "./dev.db"),
            "app/prisma/./dev.db"
        );
        assert_eq!(path_relative_to(Path::new("app"), "/tmp/x.db"), "/tmp/x.db");
        assert_eq!(path_relative_to(Path::new("app"), "dev.db"), "app/dev.db");
    }

    #[test]
    fn migrations_live_beside_a_prisma_folder_schema() {
        assert_eq!(
            migrations_directory_for(Path::new("app/prisma/schema.prisma")),
            Path::new("app/prisma/migrations")
        );
        assert_eq!(
            migrations_directory_for(Path::new("app/schema.prisma")),
            Path::new("app/prisma/migrations")
        );
    }
}
