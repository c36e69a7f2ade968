//! The project a command works on: the schema file (found by comon_orm's discovery rules), its
//! validated data model, the migrations folder beside it, and the database its datasource names.

use crate::environment::ProjectEnvironment;
use comon_database::database_url::{DatabaseUrl, SqliteUrl};
use comon_database::{ConnectionOptions, Database};
use comon_driver::command_error::CommandError;
use planner::schema_language::data_model::{DataModel, DatasourceUrl};
use planner::Provider;
use std::path::{Path, PathBuf};

/// The options every command accepts.
#[derive(Debug, Clone, Default)]
pub struct GlobalSettings {
    pub schema: Option<PathBuf>,
    pub datasource: Option<String>,
    pub url: Option<String>,
    /// `--flavour` or `COMON_PROJECT_FLAVOUR`: overrides what the project's files and history
    /// tables say.
    pub flavour: Option<comon_driver::flavour::ProjectFlavour>,
    /// Timeouts and lock waits (`--lock-timeout`, `--statement-timeout`,
    /// `--lock-wait-timeout`), and the notice printed when the SQLite write lock is busy.
    pub connection: ConnectionOptions,
}

/// Where the schema is: `--schema`, else `prisma/schema.prisma`, else `schema.prisma`.
pub fn discover_schema_path(explicit: Option<&Path>) -> Result<PathBuf, CommandError> {
    if let Some(path) = explicit {
        if !path.is_file() {
            return Err(CommandError::usage(format!(
                "Schema file not found: {}",
                path.display()
            )));
        }
        return Ok(path.to_path_buf());
    }
    for candidate in ["prisma/schema.prisma", "schema.prisma"] {
        let path = PathBuf::from(candidate);
        if path.is_file() {
            return Ok(path);
        }
    }
    Err(CommandError::usage(
        "Could not find Prisma schema file.\n\nChecked the following paths:\n  - prisma/schema.prisma: file not found\n  - schema.prisma: file not found\n\nYou can specify the schema path with --schema <path>.",
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

pub struct Project {
    pub schema_path: PathBuf,
    pub schema_source: String,
    pub data_model: DataModel,
    pub migrations_directory: PathBuf,
}

impl Project {
    pub fn load(settings: &GlobalSettings) -> Result<Project, CommandError> {
        let schema_path = discover_schema_path(settings.schema.as_deref())?;
        let schema_source = std::fs::read_to_string(&schema_path)
            .map_err(|error| CommandError::file("read", &schema_path, &error))?;
        let data_model = planner::parse_and_validate(&schema_source).map_err(|errors| {
            CommandError::InvalidSchema {
                path: schema_path.display().to_string(),
                schema_text: schema_source.clone(),
                errors,
            }
        })?;
        if let Some(name) = &settings.datasource {
            if &data_model.datasource.name != name {
                return Err(CommandError::usage(format!(
                    "Unknown datasource \"{name}\"."
                )));
            }
        }
        let migrations_directory = migrations_directory_for(&schema_path);
        Ok(Project {
            schema_path,
            schema_source,
            data_model,
            migrations_directory,
        })
    }

    pub fn provider(&self) -> Provider {
        self.data_model.provider
    }

    pub fn schema_folder(&self) -> PathBuf {
        self.schema_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The database URL: `--url` when given, else the datasource's `url`, with `env("X")`
    /// expanded from the process environment or the project's `.env` files, parsed. SQLite paths are made relative to the schema's folder, as Prisma does.
    pub fn database_url(&self, settings: &GlobalSettings) -> Result<DatabaseUrl, CommandError> {
        let datasource = &self.data_model.datasource;
        let text = match (&settings.url, &datasource.url) {
            (Some(url), _) => url.clone(),
            (None, Some(DatasourceUrl::Literal(url))) => url.clone(),
            (None, Some(DatasourceUrl::Environment(variable))) => {
                let project_root = std::env::current_dir()
                    .map_err(|error| CommandError::file("read", Path::new("."), &error))?;
                let environment = ProjectEnvironment::load(&project_root, &self.schema_folder())?;
                match environment.variable(variable) {
                    Some(value) => value,
                    None => {
                        return Err(CommandError::refused(
                            "environment-variable-not-set",
                            format!(
                                "Environment variable \"{variable}\" referenced by datasource {}.url is not set. Looked in: {}. Set it there, or pass --url.",
                                datasource.name,
                                environment.places_looked()
                            ),
                        ))
                    }
                }
            }
            (None, None) => {
                return Err(CommandError::usage(format!(
                    "The datasource {} has no url. Add `url = env(\"DATABASE_URL\")` to it or pass --url.",
                    datasource.name
                )))
            }
        };
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
                path: path_relative_to(&self.schema_folder(), &path),
            }),
            postgres => postgres,
        })
    }

    /// Opens the database for a command that may change it: a missing SQLite file is created.
    pub fn open_database(&self, settings: &GlobalSettings) -> Result<Database, CommandError> {
        let options = ConnectionOptions {
            create_missing_sqlite_file: true,
            ..settings.connection.clone()
        };
        Ok(Database::open_with_options(
            &self.database_url(settings)?,
            &options,
        )?)
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
        Ok(Database::open_with_options(
            &self.database_url(settings)?,
            &options,
        )?)
    }
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
