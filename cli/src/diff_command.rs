//! `comon migrate diff`: the difference between two schema sources, as a summary, a SQL script
//! or JSON.
//!
//! The `--json` output (docs/json-output.md) is documented and stable:
//! `{"empty", "provider", "steps": [summary], "statements": [sql], "warnings": [{"kind", "message"}],
//! "requiresRebuild", "unexecutable"}`.

use super::migrate_commands::{choose_flavour_or_override, project_evidence};
use super::project::{discover_schema_path, same_path, schema_files_in, Project};
use super::{Context, DiffArguments};
use comon_database::Database;
use comon_driver::command_error::{CommandError, EXIT_DIFFERENCE};
use comon_driver::flavour::{folder_evidence, FlavourChoice, FlavourEvidence, ProjectFlavour};
use comon_driver::local_folders::read_local_migrations;
use comon_driver::prisma_folders::read_prisma_migrations;
use comon_driver::replayed_schema::{
    schema_built_by_migrations, MigrationScriptText, ScratchServer,
};
use planner::migrations::artifacts::NO_CHANGES_PLACEHOLDER;
use planner::migrations::database_schema_from_snapshot_in_flavour;
use planner::migrations::prisma::{lock_file_provider, PRISMA_LOCK_FILE};
use planner::schema_language::files::{SchemaFile, SchemaFiles};
use planner::{
    plan_migration, render_plan, DatabaseSchema, DiffOptions, Flavour, MigrationPlan, Provider,
    Warning,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

enum Source {
    Empty,
    Schema(PathBuf),
    Database,
    Url(String),
    Migrations(PathBuf),
}

fn source_of(
    side: &str,
    empty: bool,
    schema: &Option<PathBuf>,
    database: bool,
    url: &Option<String>,
    migrations: &Option<PathBuf>,
) -> Result<Source, CommandError> {
    let mut chosen = Vec::new();
    if empty {
        chosen.push(Source::Empty);
    }
    if let Some(path) = schema {
        chosen.push(Source::Schema(path.clone()));
    }
    if database {
        chosen.push(Source::Database);
    }
    if let Some(url) = url {
        chosen.push(Source::Url(url.clone()));
    }
    if let Some(path) = migrations {
        chosen.push(Source::Migrations(path.clone()));
    }
    if chosen.len() != 1 {
        return Err(CommandError::usage(format!(
            "Pass exactly one of --{side}-empty, --{side}-schema, --{side}-database, --{side}-url, or --{side}-migrations."
        )));
    }
    Ok(chosen.remove(0))
}

/// The database at `url`, opened read only: a SQLite file that does not exist is an error, never
/// created. The URL is described by its parts in messages, never printed.
fn open_url(context: &Context, url: &str) -> Result<Database, CommandError> {
    let url = comon_database::database_url::DatabaseUrl::parse(url)?;
    let options = comon_database::ConnectionOptions {
        create_missing_sqlite_file: false,
        ..context.settings.connection.clone()
    };
    Ok(Database::open_with_options(&url, &options)?)
}

/// The type mapping schema files and `after.prisma` snapshots are read with: `--flavour` (or
/// `COMON_PROJECT_FLAVOUR`); else what `choose_flavour` makes of the evidence the diff can
/// see: the project's migrations folder and Prisma config file (when a schema is found), the
/// folders named by `--from-migrations`/`--to-migrations`, and the history tables of the
/// databases it reads. With none of these (no project, only schema files and empty sides) it
/// is comon_orm's.
fn diff_flavour(
    context: &Context,
    project: Option<&Project>,
    sides: [&Source; 2],
    databases: Vec<&mut Database>,
) -> Result<FlavourChoice, CommandError> {
    if context.settings.flavour.is_some() {
        // The override decides; nothing else needs to be read.
        return choose_flavour_or_override(context, &FlavourEvidence::default());
    }
    let mut evidence = match project {
        Some(project) => project_evidence(project)?,
        None => FlavourEvidence::default(),
    };
    let mut folders_read: Vec<&Path> = project
        .map(|project| project.migrations_directory.as_path())
        .into_iter()
        .collect();
    for side in sides {
        if let Source::Migrations(directory) = side {
            // A mistyped folder is its own error, before its evidence is looked for.
            require_migrations_directory(directory)?;
            if !folders_read
                .iter()
                .any(|folder| same_path(folder, directory))
            {
                evidence.add_folder(directory)?;
                folders_read.push(directory);
            }
        }
    }
    for database in databases {
        evidence.add_history_tables(database)?;
    }
    choose_flavour_or_override(context, &evidence)
}

/// A schema file, or a folder of `.prisma` files read as one schema.
fn schema_from_file(path: &Path, flavour: Flavour) -> Result<DatabaseSchema, CommandError> {
    if path.is_dir() {
        return schema_from_folder(path, flavour);
    }
    let source =
        std::fs::read_to_string(path).map_err(|error| CommandError::file("read", path, &error))?;
    planner::database_schema_from_source_in_flavour(&source, flavour).map_err(|errors| {
        CommandError::InvalidSchema {
            path: path.display().to_string(),
            schema_text: source.clone(),
            errors,
        }
    })
}

/// The files of a schema folder (its `migrations` subfolder left out), validated together so
/// that errors point into their files, then read as one text.
fn schema_from_folder(folder: &Path, flavour: Flavour) -> Result<DatabaseSchema, CommandError> {
    let mut files = Vec::new();
    for path in schema_files_in(folder, Some(&folder.join("migrations")))? {
        let text = std::fs::read_to_string(&path)
            .map_err(|error| CommandError::file("read", &path, &error))?;
        files.push(SchemaFile {
            name: path.display().to_string(),
            text,
        });
    }
    let files = SchemaFiles::new(files);
    let invalid = |errors| CommandError::InvalidSchemaFiles {
        folder: folder.display().to_string(),
        files: files.files().to_vec(),
        errors,
    };
    planner::parse_and_validate_files(&files).map_err(invalid)?;
    planner::database_schema_from_source_in_flavour(files.combined_text(), flavour)
        .map_err(|errors| invalid(files.errors_in_files(errors)))
}

/// The folder named by `--from-migrations`/`--to-migrations` must exist: a mistyped name read as
/// "no migrations" would turn the diff into dropping every table.
fn require_migrations_directory(directory: &Path) -> Result<(), CommandError> {
    if !directory.is_dir() {
        let what = if directory.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(CommandError::refused(
            "migrations-folder-not-found",
            format!("The migrations folder {} {what}. Check the path given to --from-migrations or --to-migrations.", directory.display()),
        ));
    }
    Ok(())
}

/// The `after.prisma` of the last migration of a comon_orm folder (sorted by name), if there is
/// one.
fn last_after_schema(directory: &Path, provider: Provider) -> Result<Option<String>, CommandError> {
    let local = read_local_migrations(directory, provider)?;
    comon_driver::local_folders::require_complete(&local)?;
    Ok(local
        .migrations
        .last()
        .map(|migration| migration.after_schema.clone()))
}

/// Whether `directory` is a Prisma Migrate folder (the lock file, or folders with only
/// `migration.sql`) rather than a comon_orm one.
fn is_prisma_migrations_folder(directory: &Path) -> Result<bool, CommandError> {
    let evidence = folder_evidence(directory)?;
    Ok(evidence.comon_orm_folders == 0 && (evidence.lock_file || evidence.prisma_folders > 0))
}

/// The schema a Prisma Migrate folder's `migration.sql` files build, in folder order
/// (`schema_built_by_migrations`: the interpreter, or a replay into a scratch database: in
/// memory for SQLite, on the project's PostgreSQL server). The provider is the lock file's when
/// it names one.
fn schema_of_prisma_folder(
    context: &Context,
    project: Option<&Project>,
    directory: &Path,
    provider: Option<Provider>,
) -> Result<DatabaseSchema, CommandError> {
    let locked = std::fs::read_to_string(directory.join(PRISMA_LOCK_FILE))
        .ok()
        .and_then(|text| lock_file_provider(&text).ok());
    let provider = locked.or(provider).unwrap_or(Provider::Postgresql);
    let local = read_prisma_migrations(directory, provider)?;
    let scripts: Vec<MigrationScriptText<'_>> = local
        .migrations
        .iter()
        .map(|migration| MigrationScriptText {
            origin: migration.name.as_str(),
            sql: migration.migration_sql.as_str(),
        })
        .collect();
    let project_server = project
        .filter(|project| project.provider() == provider)
        .and_then(|project| project.database_url(&context.settings).ok())
        .map(|url| ScratchServer::for_url(&url, &context.settings.connection));
    let scratch = match (provider, project_server) {
        (Provider::Sqlite, _) => ScratchServer::SqliteInMemory,
        (Provider::Postgresql, Some(server)) => server,
        (Provider::Postgresql, None) => ScratchServer::Unavailable {
            remedy: "Run the command in a project whose datasource (or --url) is a PostgreSQL server on which a scratch database may be created.".to_string(),
        },
    };
    let built = schema_built_by_migrations(
        provider,
        &DatabaseSchema::empty(provider),
        &scripts,
        &scratch,
    )?;
    if let Some(notice) = built.replay_notice() {
        // On stderr: stdout may be the script or the JSON.
        context
            .output
            .hint(&format!("{}: {notice}.", directory.display()));
    }
    Ok(built.schema)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiffJson<'a> {
    empty: bool,
    provider: Provider,
    steps: Vec<String>,
    statements: Vec<String>,
    warnings: &'a [Warning],
    requires_rebuild: bool,
    unexecutable: bool,
}

fn summary_text(plan: &MigrationPlan, statements: &[String]) -> String {
    if plan.is_empty() {
        return "No schema differences detected.\n".to_string();
    }
    let mut text = String::from("Schema differences detected.\n");
    if plan.requires_rebuild {
        text.push_str("Rebuild required: true\n");
    }
    if !statements.is_empty() {
        text.push_str("Statements:\n");
        for statement in statements {
            text.push_str(&format!("- {statement}\n"));
        }
    }
    if !plan.warnings.is_empty() {
        text.push_str("Warnings:\n");
        for warning in &plan.warnings {
            text.push_str(&format!("- {}\n", warning.message));
        }
    }
    text
}

pub fn diff(context: &Context, arguments: &DiffArguments) -> Result<i32, CommandError> {
    let from = source_of(
        "from",
        arguments.from_empty,
        &arguments.from_schema,
        arguments.from_database,
        &arguments.from_url,
        &arguments.from_migrations,
    )?;
    let to = source_of(
        "to",
        arguments.to_empty,
        &arguments.to_schema,
        arguments.to_database,
        &arguments.to_url,
        &arguments.to_migrations,
    )?;
    if [arguments.script, arguments.json]
        .iter()
        .filter(|flag| **flag)
        .count()
        > 1
    {
        return Err(CommandError::usage(
            "Pass at most one of --script and --json.",
        ));
    }
    // The project (schema file and its datasource) is needed for the live database, and gives
    // the provider of empty and snapshot sides when it can be found.
    let needs_project = matches!(from, Source::Database) || matches!(to, Source::Database);
    let project = if needs_project {
        Some(Project::load(&context.settings)?)
    } else if discover_schema_path(context.settings.schema.as_deref()).is_ok() {
        Project::load(&context.settings).ok()
    } else {
        None
    };
    let mut database: Option<Database> = match (&project, needs_project) {
        // A diff only reads the database: a SQLite file that does not exist is an error.
        (Some(project), true) => Some(project.open_existing_database(&context.settings)?),
        _ => None,
    };

    // The databases of URL sides are opened first: their history tables are flavour evidence.
    let mut from_url_database = match &from {
        Source::Url(url) => Some(open_url(context, url)?),
        _ => None,
    };
    let mut to_url_database = match &to {
        Source::Url(url) => Some(open_url(context, url)?),
        _ => None,
    };
    let choice = diff_flavour(
        context,
        project.as_ref(),
        [&from, &to],
        [
            database.as_mut(),
            from_url_database.as_mut(),
            to_url_database.as_mut(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    )?;
    if context.settings.flavour.is_none() && choice.flavour == ProjectFlavour::Prisma {
        // On stderr: stdout may be the script or the JSON.
        context.output.hint(&format!(
            "Schema files are read with Prisma's type mapping (flavour prisma: {}); pass --flavour comon-orm for comon_orm's.",
            choice.reason
        ));
    }
    let flavour = choice.flavour.planner_flavour();

    // Sides with a provider of their own first; the others take it from them or the project.
    let mut resolve_intrinsic = |source: &Source,
                                 url_database: Option<&mut Database>|
     -> Result<Option<DatabaseSchema>, CommandError> {
        Ok(match source {
            Source::Schema(path) => Some(schema_from_file(path, flavour)?),
            Source::Database => match database.as_mut() {
                Some(database) => Some(database.introspect()?),
                None => None,
            },
            Source::Url(_) => match url_database {
                Some(database) => Some(database.introspect()?),
                None => return unreachable_source(),
            },
            Source::Empty | Source::Migrations(_) => None,
        })
    };
    let from_schema = resolve_intrinsic(&from, from_url_database.as_mut())?;
    let to_schema = resolve_intrinsic(&to, to_url_database.as_mut())?;
    let provider = from_schema
        .as_ref()
        .or(to_schema.as_ref())
        .map(|schema| schema.provider)
        .or_else(|| project.as_ref().map(Project::provider));
    let resolve_rest = |source: &Source,
                        resolved: Option<DatabaseSchema>|
     -> Result<DatabaseSchema, CommandError> {
        if let Some(schema) = resolved {
            return Ok(schema);
        }
        match source {
            Source::Empty => provider.map(DatabaseSchema::empty).ok_or_else(|| {
                CommandError::usage("An empty side needs a provider: pass --schema, or a schema or database on the other side.")
            }),
            Source::Migrations(directory) => {
                require_migrations_directory(directory)?;
                if is_prisma_migrations_folder(directory)? {
                    return schema_of_prisma_folder(context, project.as_ref(), directory, provider);
                }
                let provider = provider.unwrap_or(Provider::Postgresql);
                match last_after_schema(directory, provider)? {
                    Some(text) => database_schema_from_snapshot_in_flavour(provider, &text, flavour).map_err(|errors| {
                        CommandError::InvalidSchema { path: directory.display().to_string(), schema_text: text.clone(), errors }
                    }),
                    None => Ok(DatabaseSchema::empty(provider)),
                }
            }
            Source::Schema(_) | Source::Database | Source::Url(_) => unreachable_source(),
        }
    };
    let previous = resolve_rest(&from, from_schema)?;
    let next = resolve_rest(&to, to_schema)?;
    let options = DiffOptions {
        online_ddl: arguments.online_ddl.online_ddl(),
        ..DiffOptions::default()
    };
    let plan = plan_migration(&previous, &next, &options)
        .map_err(|error| CommandError::usage(error.message))?;
    // The rendered statements and script are moved into the output, not copied: the script of
    // a large schema from empty is megabytes.
    let rendered = render_plan(&plan);
    let mut document = None;
    let text = if arguments.json {
        let json = DiffJson {
            empty: plan.is_empty(),
            provider: plan.provider,
            steps: plan.steps.iter().map(|step| step.summary()).collect(),
            statements: rendered.statements,
            warnings: &plan.warnings,
            requires_rebuild: plan.requires_rebuild,
            unexecutable: plan.unexecutable,
        };
        let value = serde_json::to_value(&json).unwrap_or_default();
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        document = Some(value);
        text
    } else if arguments.script {
        if plan.is_empty() {
            format!("{NO_CHANGES_PLACEHOLDER}\n")
        } else {
            rendered.sql
        }
    } else {
        summary_text(&plan, &rendered.statements)
    };
    match &arguments.output {
        Some(path) => {
            if let Some(parent) = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent)
                    .map_err(|error| CommandError::file("create", parent, &error))?;
            }
            std::fs::write(path, &text)
                .map_err(|error| CommandError::file("write", path, &error))?;
            context
                .output
                .success(&format!("Diff output written: {}", path.display()));
        }
        None if document.is_none() => context.output.data(&text),
        None => {}
    }
    // With --json, stdout has the document even when -o wrote it to a file as well.
    if let Some(document) = &document {
        context.output.json_document(document);
    }
    Ok(if arguments.exit_code && !plan.is_empty() {
        EXIT_DIFFERENCE
    } else {
        0
    })
}

/// Schema and database sides are resolved before; reaching here would be a bug, reported as a
/// usage error rather than a panic.
fn unreachable_source<T>() -> Result<T, CommandError> {
    Err(CommandError::usage(
        "The diff source could not be resolved.",
    ))
}
