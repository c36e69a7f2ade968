//! `comon migrate dev | deploy | status | reset | resolve | rollback | baseline`: the project's files and
//! database are opened here, the driver's commands do the work, and their reports are printed.

use super::dev_json::{dev_document, JsonInteraction, KeepingInteraction};
use super::project::Project;
use super::terminal::{applied_line, earlier_drift_warning, Terminal};
use super::Context;
use comon_database::Database;
use comon_driver::backend::{backend_for_flavour, history_tables_present, MigrationBackend};
use comon_driver::command_error::{CommandError, EXIT_FAILURE};
use comon_driver::commands::{
    self, BaselineInput, DevInput, DevReport, Interaction, MigrationsFolder, ResolveReport,
    ResolveRequest, RollbackRequest, TargetSchema,
};
use comon_driver::flavour::{
    choose_flavour, folder_evidence, FlavourChoice, ProjectFlavour, FLAVOUR_VARIABLE,
};
use comon_driver::local_folders::DiskMigrationsFolder;
use comon_driver::prisma_folders::PrismaMigrationsFolder;
use std::time::SystemTime;

/// A project's database and migrations folder, in the flavour its files and history tables
/// say (or the override).
struct OpenedProject {
    backend: Box<dyn MigrationBackend>,
    folder: Box<dyn MigrationsFolder>,
    choice: FlavourChoice,
}

fn migrations_folder(project: &Project, flavour: ProjectFlavour) -> Box<dyn MigrationsFolder> {
    let directory = project.migrations_directory.clone();
    match flavour {
        ProjectFlavour::ComonOrm => Box::new(DiskMigrationsFolder { directory }),
        ProjectFlavour::Prisma => Box::new(PrismaMigrationsFolder { directory }),
    }
}

/// The flavour of the project with this database: the folder's and the database's evidence,
/// unless `--flavour` or the environment variable says.
fn choose_project_flavour(
    context: &Context,
    project: &Project,
    database: &mut Database,
) -> Result<FlavourChoice, CommandError> {
    let mut evidence = folder_evidence(&project.migrations_directory)?;
    let (comon_orm_table, prisma_table) = history_tables_present(database)?;
    evidence.comon_orm_table = comon_orm_table;
    evidence.prisma_table = prisma_table;
    let source = format!("set by --flavour or {FLAVOUR_VARIABLE}");
    choose_flavour(
        &evidence,
        context
            .settings
            .flavour
            .map(|flavour| (flavour, source.as_str())),
    )
}

fn open_project(
    context: &Context,
    project: &Project,
    mut database: Database,
) -> Result<OpenedProject, CommandError> {
    let choice = choose_project_flavour(context, project, &mut database)?;
    Ok(OpenedProject {
        backend: backend_for_flavour(database, choice.flavour),
        folder: migrations_folder(project, choice.flavour),
        choice,
    })
}

/// What comon cannot do yet in a Prisma project, refused before anything is read or written.
fn refuse_in_prisma_project(opened: &OpenedProject, command: &str) -> Result<(), CommandError> {
    opened.choice.refuse_unsupported_command(command)
}

fn terminal<'a>(context: &'a Context, project: &Project) -> Terminal<'a> {
    Terminal::new(
        &context.output,
        project.migrations_directory.display().to_string(),
    )
}

/// `migrate dev`'s command line.
pub struct DevArguments<'a> {
    pub name: Option<&'a str>,
    pub create_only: bool,
    pub online_ddl: planner::OnlineDdl,
    pub decisions: commands::Decisions,
    /// `--json`: ask nothing, print one JSON document (`dev_json.rs`).
    pub json: bool,
}

/// Loads the project and runs the driver's `dev` on it with `interaction` (made for the
/// project's migrations folder).
fn run_dev<I: Interaction>(
    context: &Context,
    arguments: DevArguments<'_>,
    interaction: impl FnOnce(&Project) -> I,
) -> Result<(I, DevReport), CommandError> {
    let project = Project::load(&context.settings)?;
    let mut opened = open_project(context, &project, project.open_database(&context.settings)?)?;
    refuse_in_prisma_project(&opened, "dev")?;
    let schema_path = project.schema_path.display().to_string();
    let mut interaction = interaction(&project);
    let report = commands::dev(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
        &mut interaction,
        DevInput {
            schema: TargetSchema {
                path: &schema_path,
                source: &project.schema_source,
                data_model: &project.data_model,
            },
            name: arguments.name.map(str::to_string),
            create_only: arguments.create_only,
            now: SystemTime::now(),
            online_ddl: arguments.online_ddl,
            decisions: arguments.decisions,
        },
    )?;
    Ok((interaction, report))
}

/// `migrate dev --json`: one JSON document on stdout, whatever happened.
fn dev_as_json(context: &Context, arguments: DevArguments<'_>) -> Result<i32, CommandError> {
    let mut kept = JsonInteraction::new(context.output.assumes_yes());
    let result =
        run_dev(context, arguments, |_| KeepingInteraction(&mut kept)).map(|(_, report)| report);
    let document = dev_document(&kept, &result);
    context.output.data(&format!(
        "{}\n",
        serde_json::to_string_pretty(&document).unwrap_or_default()
    ));
    result.map(|_| 0)
}

pub fn dev(context: &Context, arguments: DevArguments<'_>) -> Result<i32, CommandError> {
    if arguments.json {
        return dev_as_json(context, arguments);
    }
    let output = &context.output;
    let (_, report) = run_dev(context, arguments, |project| terminal(context, project))?;
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
    let mut opened = open_project(context, &project, project.open_database(&context.settings)?)?;
    commands::deploy(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
        &mut terminal(context, &project),
    )?;
    Ok(0)
}

pub fn status(context: &Context, json: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    // Status only reads: a SQLite file that does not exist is an error rather than created.
    let mut opened = open_project(
        context,
        &project,
        project.open_existing_database(&context.settings)?,
    )?;
    let report = commands::status_report(opened.backend.as_mut(), opened.folder.as_mut())?;
    let status = report.status;
    if json {
        let mut value = serde_json::to_value(&status).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "flavour".to_string(),
                serde_json::Value::String(opened.choice.flavour.as_str().to_string()),
            );
            if let Some(reason) = &report.drift_not_checked {
                object.insert(
                    "driftNotChecked".to_string(),
                    serde_json::Value::String(reason.clone()),
                );
            }
        }
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        output.data(&format!("{text}\n"));
    } else {
        output.info(&format!(
            "Project flavour: {} ({})",
            opened.choice.flavour.as_str(),
            opened.choice.reason
        ));
        output.info(&format!(
            "Active migrations: {}",
            status.active_migration_count
        ));
        output.info(&format!(
            "Local migrations: {}",
            status.local_migration_count
        ));
        if let Some(reason) = &report.drift_not_checked {
            output.warning(&format!(
                "Drift not checked: the schema the migrations build is not known ({reason})."
            ));
        }
        output.info(&format!("Issues: {}", status.issues.len()));
        for issue in &status.issues {
            output.warning(&format!("{} | {}", issue.code, issue.message));
        }
    }
    Ok(if status.is_clean() { 0 } else { EXIT_FAILURE })
}

pub fn reset(context: &Context, force: bool) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    let opened = open_project(context, &project, project.open_database(&context.settings)?)?;
    refuse_in_prisma_project(&opened, "reset")?;
    let flavour = opened.choice.flavour;
    // The driver opens its own connection after the question; this one was only for choosing.
    drop(opened.backend);
    let mut folder = opened.folder;
    commands::reset(
        || {
            Ok(backend_for_flavour(
                project.open_database(&context.settings)?,
                flavour,
            ))
        },
        folder.as_mut(),
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
    let mut opened = open_project(context, &project, project.open_database(&context.settings)?)?;
    let report = commands::resolve(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
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
    let mut opened = open_project(context, &project, project.open_database(&context.settings)?)?;
    refuse_in_prisma_project(&opened, "rollback")?;
    let report = commands::rollback(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
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
    let mut opened = open_project(context, &project, project.open_database(&context.settings)?)?;
    refuse_in_prisma_project(&opened, "baseline")?;
    let schema_path = project.schema_path.display().to_string();
    let report = commands::baseline(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
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
