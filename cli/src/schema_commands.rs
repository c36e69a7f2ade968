//! `comon validate` and `comon format`: the schema file only, no database.

use super::prisma_config::PrismaConfig;
use super::project::{schema_files_in, schema_location, Project};
use super::Context;
use comon_driver::command_error::{CommandError, EXIT_FAILURE};
use std::path::Path;

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

/// Formats the schema file, or each file of a schema folder. With `--json`, one document:
/// the file's, or for a folder the folder's with one entry per file.
pub fn format(context: &Context, check: bool) -> Result<i32, CommandError> {
    let config = PrismaConfig::discover(context.settings.config.as_deref(), Path::new(""))?;
    let location = schema_location(&context.settings, config.as_ref())?;
    let is_folder = location.is_dir();
    let paths = if is_folder {
        schema_files_in(&location, Some(&location.join("migrations")))?
    } else {
        vec![location.clone()]
    };
    let mut exit_code = 0;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let (file_exit_code, file) = format_file(context, &path, check)?;
        exit_code = exit_code.max(file_exit_code);
        files.push(file);
    }
    if context.output.json_mode() {
        let document = match (is_folder, files.as_slice()) {
            (false, [file]) => file.clone(),
            _ => serde_json::json!({
                "schemaPath": location.display().to_string(),
                "alreadyFormatted": files.iter().all(|file| file["alreadyFormatted"] == true),
                "written": files.iter().any(|file| file["written"] == true),
                "files": files,
            }),
        };
        context.output.json_document(&document);
    }
    Ok(exit_code)
}

/// Formats one file (or checks it), and says what became of it as the JSON entry of that file.
fn format_file(
    context: &Context,
    path: &Path,
    check: bool,
) -> Result<(i32, serde_json::Value), CommandError> {
    let source =
        std::fs::read_to_string(path).map_err(|error| CommandError::file("read", path, &error))?;
    let formatted = planner::schema_language::format_schema(&source).map_err(|errors| {
        CommandError::InvalidSchema {
            path: path.display().to_string(),
            schema_text: source.clone(),
            errors,
        }
    })?;
    let entry = |already_formatted: bool, written: bool| {
        serde_json::json!({
            "schemaPath": path.display().to_string(),
            "alreadyFormatted": already_formatted,
            "written": written,
        })
    };
    if formatted == source {
        context
            .output
            .success(&format!("{} is already formatted.", path.display()));
        return Ok((0, entry(true, false)));
    }
    if check {
        context.output.hint(&format!(
            "{} is not formatted. Run `comon format` to format it.",
            path.display()
        ));
        return Ok((EXIT_FAILURE, entry(false, false)));
    }
    std::fs::write(path, formatted).map_err(|error| CommandError::file("write", path, &error))?;
    context
        .output
        .success(&format!("Formatted {}.", path.display()));
    Ok((0, entry(false, true)))
}
