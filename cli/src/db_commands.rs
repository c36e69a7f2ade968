//! `comon db push | pull | execute`: work on a database without migration history.

use super::project::Project;
use super::Context;
use comon_driver::command_error::CommandError;
use comon_driver::lock::acquire_migration_lock;
use planner::database_schema::from_data_model::database_schema_from_data_model;
use planner::database_schema::to_prisma::render_prisma_schema;
use planner::schema_language::ast::{SchemaAst, Top};
use planner::schema_language::format::print_schema;
use planner::schema_language::parse_schema;
use planner::{plan_migration, render_plan, DiffOptions, WarningKind};
use std::path::Path;

pub fn push(
    context: &Context,
    accept_data_loss: bool,
    force_reset: bool,
) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut database = project.open_database(&context.settings)?;
    acquire_migration_lock(&mut database, || {
        output.info("Waiting for another comon command to release the migration lock...")
    })?;
    if force_reset {
        // Only the URL's schema (PostgreSQL) or the file's content (SQLite), as `migrate reset`.
        database.wipe()?;
        output.success("The database was reset.");
    }
    let target = database_schema_from_data_model(&project.data_model);
    let live = database.introspect()?;
    let row_counts = Some(database.row_counts()?);
    let plan = plan_migration(&live, &target, &DiffOptions { row_counts })
        .map_err(|error| CommandError::refused("provider-mismatch", error.to_string()))?;
    if plan.is_empty() {
        output.success("Your database is already in sync with your Prisma schema.");
        return Ok(0);
    }
    for warning in &plan.warnings {
        output.warning(&warning.message);
    }
    if plan.unexecutable {
        return Err(CommandError::refused(
            "push-unexecutable",
            "The changes cannot be applied to the data the database holds. Use --force-reset to drop all data, or create a migration and edit it.",
        ));
    }
    let loses_data = plan
        .warnings
        .iter()
        .any(|warning| warning.kind == WarningKind::DataLoss);
    if loses_data && !accept_data_loss && !output.confirm("Apply these changes despite data loss?")
    {
        return Err(CommandError::refused(
            "data-loss",
            "The changes lose data. Use the --accept-data-loss flag to apply them anyway.",
        ));
    }
    database.apply_statements(&render_plan(&plan).statements)?;
    output.success("Your database is now in sync with your Prisma schema.");
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
        errors,
    })?;
    let introspected =
        parse_schema(introspected_text).map_err(|errors| CommandError::InvalidSchema {
            path: "introspected schema".to_string(),
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
    let live = database.introspect()?;
    let text = pulled_schema_text(&project.schema_source, &render_prisma_schema(&live))?;
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
    let mut database = project.open_database(&context.settings)?;
    let script =
        std::fs::read_to_string(file).map_err(|error| CommandError::file("read", file, &error))?;
    let statements = comon_database::split_sql_script_with_lines(database.provider(), &script)?;
    comon_driver::apply::run_script(&mut database, &file.display().to_string(), statements)?;
    context.output.success("Script executed successfully.");
    Ok(0)
}
