//! `comon db push | pull | execute`: work on a database without migration history.

use super::project::{Project, SeedCommand};
use super::terminal::Terminal;
use super::Context;
use comon_driver::backend::{backend_for, backend_for_flavour};
use comon_driver::command_error::CommandError;
use comon_driver::commands::{self, PushInput, PushReport};
use planner::database_schema::to_prisma::render_prisma_schema_in_flavour;
use planner::schema_language::ast::{SchemaAst, Top};
use planner::schema_language::format::print_schema;
use planner::schema_language::parse_schema;
use std::io::Read;
use std::path::Path;

pub fn push(
    context: &Context,
    accept_data_loss: bool,
    force_reset: bool,
    online_ddl: planner::OnlineDdl,
) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut database = project.open_database_creating_schema(&context.settings)?;
    // A Prisma project is pushed with Prisma's type mapping and join tables, as `prisma db
    // push` would build it, so that `migrate dev` and `migrate diff` afterwards see no drift.
    let choice = super::migrate_commands::choose_project_flavour(context, &project, &mut database)?;
    let mut backend = backend_for_flavour(database, choice.flavour);
    let mut terminal = Terminal::new(output, project.migrations_directory.display().to_string());
    let report = commands::push(
        backend.as_mut(),
        &mut terminal,
        PushInput {
            data_model: &project.data_model,
            flavour: choice.flavour.planner_flavour(),
            accept_data_loss,
            force_reset,
            online_ddl,
        },
    )
    .inspect_err(|error| output.error_document_with_warnings(error, &terminal.record.warnings))?;
    if output.json_mode() {
        output.json_document(&serde_json::json!({
            "result": match report {
                PushReport::AlreadyInSync => "already-in-sync",
                PushReport::Applied => "applied",
            },
            "databaseReset": terminal.record.database_wiped,
            "warnings": terminal.record.warnings,
        }));
    }
    output.success(match report {
        PushReport::AlreadyInSync => "Your database is already in sync with your Prisma schema.",
        PushReport::Applied => "Your database is now in sync with your Prisma schema.",
    });
    Ok(0)
}

/// The schema text `db pull` writes: the datasource and generator blocks (and the comments
/// around them) of the existing schema, then the models and enums introspected from the
/// database.
fn pulled_schema_text(
    existing_source: &str,
    introspected_text: &str,
) -> Result<String, CommandError> {
    let existing = parse_schema(existing_source).map_err(|errors| CommandError::InvalidSchema {
        path: "schema".to_string(),
        schema_text: existing_source.to_string(),
        errors,
    })?;
    let introspected =
        parse_schema(introspected_text).map_err(|errors| CommandError::InvalidSchema {
            path: "introspected schema".to_string(),
            schema_text: introspected_text.to_string(),
            errors,
        })?;
    let mut tops: Vec<Top> = existing
        .tops
        .into_iter()
        .filter(|top| matches!(top, Top::Datasource(_) | Top::Generator(_)))
        .collect();
    tops.extend(
        introspected
            .tops
            .into_iter()
            .filter(|top| !matches!(top, Top::Datasource(_))),
    );
    Ok(print_schema(&SchemaAst { tops }))
}

pub fn pull(context: &Context, print: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    // Pulling only reads the database: a SQLite file that does not exist is an error.
    let mut database = project.open_existing_database(&context.settings)?;
    // In a Prisma project the schema is written with Prisma's type mapping, so that a database
    // Prisma built pulls without `@db.*` attributes Prisma would not write.
    let flavour =
        super::migrate_commands::choose_project_flavour(context, &project, &mut database)?
            .flavour
            .planner_flavour();
    let live = database.introspect()?;
    let text = pulled_schema_text(
        &project.schema_source,
        &render_prisma_schema_in_flavour(&live, flavour),
    )?;
    if !print && project.is_schema_folder() {
        return Err(CommandError::usage(format!(
            "{} is a folder of schema files, and db pull writes one file. Pass --print and place the models into the files yourself.",
            project.schema_path.display()
        )));
    }
    let json_document = |written: bool| {
        serde_json::json!({
            "schemaPath": project.schema_path.display().to_string(),
            "written": written,
            "models": live.tables.len(),
            "enums": live.enums.len(),
            "schema": text,
        })
    };
    if print {
        match output.json_mode() {
            true => output.json_document(&json_document(false)),
            false => output.data(&text),
        }
        return Ok(0);
    }
    std::fs::write(&project.schema_path, &text)
        .map_err(|error| CommandError::file("write", &project.schema_path, &error))?;
    if output.json_mode() {
        output.json_document(&json_document(true));
    }
    output.success(&format!(
        "Introspected {} models and {} enums and wrote them into {}.",
        live.tables.len(),
        live.enums.len(),
        project.schema_path.display()
    ));
    Ok(0)
}

/// Runs a script from `file`, or from standard input when `file` is `None` (`--stdin`).
pub fn execute(context: &Context, file: Option<&Path>) -> Result<i32, CommandError> {
    let (script, name) = match file {
        Some(file) => (
            std::fs::read_to_string(file)
                .map_err(|error| CommandError::file("read", file, &error))?,
            file.display().to_string(),
        ),
        None => {
            let mut script = String::new();
            std::io::stdin()
                .read_to_string(&mut script)
                .map_err(|error| CommandError::file("read", Path::new("standard input"), &error))?;
            (script, "standard input".to_string())
        }
    };
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    let statements = comon_database::split_sql_script_with_lines(backend.provider(), &script)?;
    let statement_count = statements.len();
    comon_driver::apply::run_script(backend.as_mut(), &name, statements)?;
    if context.output.json_mode() {
        context.output.json_document(&serde_json::json!({
            "file": name,
            "statementCount": statement_count,
        }));
    }
    context.output.success("Script executed successfully.");
    Ok(0)
}

/// `comon db seed`: the project's seed command, with `arguments` after it.
pub fn seed(context: &Context, arguments: &[String]) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    match project.seed_command()? {
        Some(seed) => run_seed(context, &project, &seed, arguments),
        None => Err(CommandError::refused(
            "seed-not-configured",
            "No seed command is configured. Set `migrations.seed` in prisma.config.ts (for example `seed: \"tsx prisma/seed.ts\"`), or `prisma.seed` in package.json.",
        )),
    }
}

/// Runs the seed command through the shell, in the working directory, with the project's
/// `.env` values the process environment does not set; its output goes straight to ours.
pub fn run_seed(
    context: &Context,
    project: &Project,
    seed: &SeedCommand,
    arguments: &[String],
) -> Result<i32, CommandError> {
    let mut command_line = seed.command.clone();
    for argument in arguments {
        command_line.push(' ');
        command_line.push_str(&shell_quoted(argument));
    }
    context.output.info(&format!(
        "Running seed command `{command_line}` (from {}) ...",
        seed.source
    ));
    let mut command = if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.arg("/C").arg(&command_line);
        command
    } else {
        let mut command = std::process::Command::new("sh");
        command.arg("-c").arg(&command_line);
        command
    };
    command.envs(project.environment()?.variables_for_child_process());
    let status = command.status().map_err(|error| {
        CommandError::refused(
            "seed-failed",
            format!("The seed command `{command_line}` could not be started: {error}"),
        )
    })?;
    if !status.success() {
        return Err(CommandError::refused(
            "seed-failed",
            format!(
                "The seed command `{command_line}` (from {}) failed ({status}).",
                seed.source
            ),
        ));
    }
    context
        .output
        .success("The seed command has been executed.");
    Ok(0)
}

/// A word for `sh -c`, quoted so that the shell passes it as it is.
fn shell_quoted(argument: &str) -> String {
    if !argument.is_empty()
        && argument
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "-_=./:,@".contains(character))
    {
        argument.to_string()
    } else {
        format!("'{}'", argument.replace('\'', "'\\''"))
    }
}
