//! `comon validate` and `comon format`: the schema file only, no database.

use super::project::{discover_schema_path, Project};
use super::Context;
use comon_driver::command_error::{CommandError, EXIT_FAILURE};

pub fn validate(context: &Context) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    if context.output.json_mode() {
        context.output.json_document(&serde_json::json!({
            "schemaPath": project.schema_path.display().to_string(),
            "valid": true,
            "provider": project.provider().as_str(),
        }));
    }
    context.output.success(&format!(
        "The schema at {} is valid.",
        project.schema_path.display()
    ));
    Ok(0)
}

pub fn format(context: &Context, check: bool) -> Result<i32, CommandError> {
    let path = discover_schema_path(context.settings.schema.as_deref())?;
    let source = std::fs::read_to_string(&path)
        .map_err(|error| CommandError::file("read", &path, &error))?;
    let formatted = planner::schema_language::format_schema(&source).map_err(|errors| {
        CommandError::InvalidSchema {
            path: path.display().to_string(),
            schema_text: source.clone(),
            errors,
        }
    })?;
    let json_document = |already_formatted: bool, written: bool| {
        if context.output.json_mode() {
            context.output.json_document(&serde_json::json!({
                "schemaPath": path.display().to_string(),
                "alreadyFormatted": already_formatted,
                "written": written,
            }));
        }
    };
    if formatted == source {
        json_document(true, false);
        context
            .output
            .success(&format!("{} is already formatted.", path.display()));
        return Ok(0);
    }
    if check {
        json_document(false, false);
        context.output.hint(&format!(
            "{} is not formatted. Run `comon format` to format it.",
            path.display()
        ));
        return Ok(EXIT_FAILURE);
    }
    std::fs::write(&path, formatted).map_err(|error| CommandError::file("write", &path, &error))?;
    json_document(false, true);
    context
        .output
        .success(&format!("Formatted {}.", path.display()));
    Ok(0)
}
