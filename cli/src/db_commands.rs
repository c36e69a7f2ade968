//! `comon db push | pull | execute`: work on a database without migration history.

use super::project::Project;
use super::terminal::Terminal;
use super::Context;
use comon_driver::backend::backend_for;
use comon_driver::command_error::CommandError;
use comon_driver::commands::{self, PushInput, PushReport};
use planner::database_schema::to_prisma::render_prisma_schema_in_flavour;
use planner::schema_language::ast::{SchemaAst, Top};
use planner::schema_language::format::print_schema;
use planner::schema_language::parse_schema;
use std::path::Path;

pub fn push(
    context: &Context,
    accept_data_loss: bool,
    force_reset: bool,
    online_ddl: planner::OnlineDdl,
) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    let report = commands::push(
        backend.as_mut(),
        &mut Terminal::new(output, project.migrations_directory.display().to_string()),
        PushInput {
            data_model: &project.data_model,
            accept_data_loss,
            force_reset,
            online_ddl,
        },
    )?;
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
    if print {
        output.data(&text);
        return Ok(0);
    }
    std::fs::write(&project.schema_path, &text)
        .map_err(|error| CommandError::file("write", &project.schema_path, &error))?;
    output.success(&format!(
        "Introspected {} models and {} enums and wrote them into {}.",
        live.tables.len(),
        live.enums.len(),
        project.schema_path.display()
    ));
    Ok(0)
}

pub fn execute(context: &Context, file: &Path) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    let script =
        std::fs::read_to_string(file).map_err(|error| CommandError::file("read", file, &error))?;
    let statements = comon_database::split_sql_script_with_lines(backend.provider(), &script)?;
    comon_driver::apply::run_script(backend.as_mut(), &file.display().to_string(), statements)?;
    context.output.success("Script executed successfully.");
    Ok(0)
}
