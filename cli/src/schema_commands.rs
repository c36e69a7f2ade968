//! `comon validate` and `comon format`: the schema file only, no database.

use super::prisma_config::PrismaConfig;
use super::project::{schema_files_in, schema_location, Project};
use super::Context;
use comon_driver::command_error::{CommandError, EXIT_FAILURE};
use std::path::Path;

pub fn validate(context: &Context) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    context.output.success(&format!(
        "The schema at {} is valid.",
        project.schema_path.display()
    ));
    Ok(0)
}

/// Formats the schema file, or each file of a schema folder.
pub fn format(context: &Context, check: bool) -> Result<i32, CommandError> {
    let config = PrismaConfig::discover(context.settings.config.as_deref(), Path::new(""))?;
    let location = schema_location(&context.settings, config.as_ref())?;
    let paths = if location.is_dir() {
        schema_files_in(&location, Some(&location.join("migrations")))?
    } else {
        vec![location]
    };
    let mut exit_code = 0;
    for path in paths {
        exit_code = exit_code.max(format_file(context, &path, check)?);
    }
    Ok(exit_code)
}

fn format_file(context: &Context, path: &Path, check: bool) -> Result<i32, CommandError> {
    let source =
        std::fs::read_to_string(path).map_err(|error| CommandError::file("read", path, &error))?;
    let formatted = planner::schema_language::format_schema(&source).map_err(|errors| {
        CommandError::InvalidSchema {
            path: path.display().to_string(),
            schema_text: source.clone(),
            errors,
        }
    })?;
    if formatted == source {
        context
            .output
            .success(&format!("{} is already formatted.", path.display()));
        return Ok(0);
    }
    if check {
        context.output.hint(&format!(
            "{} is not formatted. Run `comon format` to format it.",
            path.display()
        ));
        return Ok(EXIT_FAILURE);
    }
    std::fs::write(path, formatted).map_err(|error| CommandError::file("write", path, &error))?;
    context
        .output
        .success(&format!("Formatted {}.", path.display()));
    Ok(0)
}
