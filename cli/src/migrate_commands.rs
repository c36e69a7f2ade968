//! `comon migrate dev | deploy | status | reset | resolve | rollback | baseline`: the project's files and
//! database are opened here, the driver's commands do the work, and their reports are printed.

use super::project::Project;
use super::terminal::{applied_line, earlier_drift_warning, Terminal};
use super::Context;
use comon_driver::backend::backend_for;
use comon_driver::command_error::{CommandError, EXIT_FAILURE};
use comon_driver::commands::{
    self, BaselineInput, DevInput, DevReport, ResolveReport, ResolveRequest, RollbackRequest,
    TargetSchema,
};
use comon_driver::local_folders::DiskMigrationsFolder;
use std::time::SystemTime;

fn migrations_folder(project: &Project) -> DiskMigrationsFolder {
    DiskMigrationsFolder {
        directory: project.migrations_directory.clone(),
    }
}

fn terminal<'a>(context: &'a Context, project: &Project) -> Terminal<'a> {
    Terminal::new(
        &context.output,
        project.migrations_directory.display().to_string(),
    )
}

pub fn dev(context: &Context, name: Option<&str>, create_only: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    let schema_path = project.schema_path.display().to_string();
    let report = commands::dev(
        backend.as_mut(),
        &mut migrations_folder(&project),
        &mut terminal(context, &project),
        DevInput {
            schema: TargetSchema {
                path: &schema_path,
                source: &project.schema_source,
                data_model: &project.data_model,
            },
            name: name.map(str::to_string),
            create_only,
            now: SystemTime::now(),
        },
    )?;
    match report {
        DevReport::AlreadyInSync => {
            output.success("Already in sync, no schema changes detected.");
        }
        DevReport::Created { .. } => {
            output.info("Review (and edit) its migration.sql, then run `comon migrate dev` or `comon migrate deploy` to apply it.");
        }
        DevReport::Applied {
            folder_name,
            elapsed,
            outcome,
        } => {
            output.success(&applied_line(&folder_name, elapsed, &outcome));
            if let Some(warning) =
                earlier_drift_warning(&format!("migration `{folder_name}`"), &outcome)
            {
                output.warning(&warning);
            }
            output.success("Your database is now in sync with your schema.");
        }
    }
    Ok(0)
}

pub fn deploy(context: &Context) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    commands::deploy(
        backend.as_mut(),
        &mut migrations_folder(&project),
        &mut terminal(context, &project),
    )?;
    Ok(0)
}

pub fn status(context: &Context, json: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    // Status only reads: a SQLite file that does not exist is an error rather than created.
    let mut backend = backend_for(project.open_existing_database(&context.settings)?);
    let status = commands::status(backend.as_mut(), &mut migrations_folder(&project))?;
    if json {
        let text = serde_json::to_string_pretty(&status).unwrap_or_default();
        output.data(&format!("{text}\n"));
    } else {
        output.info(&format!(
            "Active migrations: {}",
            status.active_migration_count
        ));
        output.info(&format!(
            "Local migrations: {}",
            status.local_migration_count
        ));
        output.info(&format!("Issues: {}", status.issues.len()));
        for issue in &status.issues {
            output.warning(&format!("{} | {}", issue.code, issue.message));
        }
    }
    Ok(if status.is_clean() { 0 } else { EXIT_FAILURE })
}

pub fn reset(context: &Context, force: bool) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    commands::reset(
        || Ok(backend_for(project.open_database(&context.settings)?)),
        &mut migrations_folder(&project),
        &mut terminal(context, &project).saying_when_wiped("Database reset successful."),
        force,
    )?;
    Ok(0)
}

pub fn resolve(
    context: &Context,
    applied: Option<&str>,
    rolled_back: Option<&str>,
) -> Result<i32, CommandError> {
    let request = match (applied, rolled_back) {
        (Some(name), None) => ResolveRequest::Applied(name.to_string()),
        (None, Some(name)) => ResolveRequest::RolledBack(name.to_string()),
        _ => {
            return Err(CommandError::usage(
                "Pass exactly one of --applied <migration> or --rolled-back <migration>.",
            ))
        }
    };
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    let report = commands::resolve(
        backend.as_mut(),
        &mut migrations_folder(&project),
        &mut terminal(context, &project),
        request,
        SystemTime::now(),
    )?;
    match report {
        ResolveReport::AlreadyApplied { name } => {
            output.info(&format!("Migration {name} was already marked as applied."))
        }
        ResolveReport::MarkedApplied { name } => {
            output.success(&format!("Migration {name} has been marked as applied."))
        }
        ResolveReport::AlreadyRolledBack { name } => output.info(&format!(
            "Migration {name} was already marked as rolled back."
        )),
        ResolveReport::MarkedRolledBack { name } => {
            output.success(&format!("Migration {name} has been marked as rolled back."))
        }
    }
    Ok(0)
}

pub fn rollback(
    context: &Context,
    name: Option<&str>,
    rollback_name: Option<&str>,
    allow_warnings: bool,
) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    let report = commands::rollback(
        backend.as_mut(),
        &mut migrations_folder(&project),
        &mut terminal(context, &project),
        RollbackRequest {
            name: name.map(str::to_string),
            rollback_name: rollback_name.map(str::to_string),
            allow_warnings,
            now: SystemTime::now(),
        },
    )?;
    output.success("Rolled back: true");
    if let Some(warning) = earlier_drift_warning(
        &format!("the rollback of `{}`", report.target_name),
        &report.outcome,
    ) {
        output.warning(&warning);
    }
    output.info(&format!("Target migration: {}", report.target_name));
    output.info(&format!("Statements: {}", report.statement_count));
    output.info(&format!("Warnings: {}", report.warnings.len()));
    for warning in &report.warnings {
        output.warning(warning);
    }
    output.warning("Rollback exists, but production usually wants a forward fix rather than a blind revert: prefer a new migration that undoes the change.");
    if report.local_folder_remains {
        output.info(&format!(
            "The folder {} is still in {}: `migrate deploy` applies it again. Delete or change it if the change should not come back.",
            report.target_name,
            project.migrations_directory.display()
        ));
    }
    Ok(0)
}

pub fn baseline(context: &Context, name: &str) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    let mut backend = backend_for(project.open_database(&context.settings)?);
    let schema_path = project.schema_path.display().to_string();
    let report = commands::baseline(
        backend.as_mut(),
        &mut migrations_folder(&project),
        &mut terminal(context, &project),
        BaselineInput {
            schema: TargetSchema {
                path: &schema_path,
                source: &project.schema_source,
                data_model: &project.data_model,
            },
            name: name.to_string(),
            now: SystemTime::now(),
        },
    )?;
    output.success(&format!(
        "Baseline written: {} ({} statements, tables {}).",
        report.folder_path,
        report.statement_count,
        report.table_names.join(", ")
    ));
    output.success(&format!(
        "Migration {} has been marked as applied without running it: the database already matches {schema_path}.",
        report.folder_name
    ));
    output.info("Commit the folder. `comon migrate deploy` creates the same schema on an empty database, and `comon migrate dev` plans the next change from it.");
    Ok(0)
}
