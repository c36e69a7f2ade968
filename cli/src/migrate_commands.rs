//! `comon migrate dev | deploy | status | reset | resolve | rollback | baseline`: the project's files and
//! database are opened here, the driver's commands do the work, and their reports are printed.

use super::project::Project;
use super::terminal::{applied_line, earlier_drift_warning, migration_run_json, Terminal};
use super::Context;
use comon_database::Database;
use comon_driver::backend::{backend_for_flavour, MigrationBackend};
use comon_driver::command_error::{CommandError, EXIT_FAILURE};
use comon_driver::commands::{
    self, BaselineInput, DevInput, DevReport, MigrationsFolder, ResolveReport, ResolveRequest,
    RollbackRequest, TargetSchema,
};
use comon_driver::flavour::{
    choose_flavour, FlavourChoice, FlavourEvidence, ProjectFlavour, FLAVOUR_VARIABLE,
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
pub(crate) fn choose_project_flavour(
    context: &Context,
    project: &Project,
    database: &mut Database,
) -> Result<FlavourChoice, CommandError> {
    let mut evidence = project_evidence(project)?;
    evidence.add_history_tables(database)?;
    choose_flavour_or_override(context, &evidence)
}

/// The evidence of the project's own files: its migrations folder and its Prisma config file.
pub(crate) fn project_evidence(project: &Project) -> Result<FlavourEvidence, CommandError> {
    let mut evidence = FlavourEvidence {
        prisma_config_file: project
            .config
            .as_ref()
            .map(|config| config.path.display().to_string()),
        ..FlavourEvidence::default()
    };
    evidence.add_folder(&project.migrations_directory)?;
    Ok(evidence)
}

/// `choose_flavour` with the override of `--flavour` or the environment variable, when given.
pub(crate) fn choose_flavour_or_override(
    context: &Context,
    evidence: &FlavourEvidence,
) -> Result<FlavourChoice, CommandError> {
    let source = format!("set by --flavour or {FLAVOUR_VARIABLE}");
    choose_flavour(
        evidence,
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

/// What comon cannot do in a Prisma project (`rollback`), refused before anything is read or
/// written.
fn refuse_in_prisma_project(opened: &OpenedProject, command: &str) -> Result<(), CommandError> {
    opened.choice.refuse_unsupported_command(command)
}

fn terminal<'a>(context: &'a Context, project: &Project) -> Terminal<'a> {
    Terminal::new(
        &context.output,
        project.migrations_directory.display().to_string(),
    )
}

/// After `migrate reset`, or `migrate dev` creating the database: runs package.json's
/// `prisma.seed` unless `--skip-seed`, as Prisma 6 does. A seed in prisma.config.ts runs only
/// with `db seed`, as in Prisma 7, which runs no seed after migrating.
fn seed_after_reset(
    context: &Context,
    project: &Project,
    skip_seed: bool,
) -> Result<(), CommandError> {
    match project.seed_command()? {
        Some(seed) if skip_seed => context.output.info(&format!(
            "--skip-seed: the seed command of {} was not run.",
            seed.source
        )),
        None if skip_seed => context
            .output
            .info("--skip-seed: no seed command is configured, so there is nothing to skip."),
        Some(seed) if seed.runs_after_reset => {
            crate::db_commands::run_seed(context, project, &seed, &[])?;
        }
        Some(seed) => context.output.info(&format!(
            "The seed command of {} runs with `comon db seed` (as in Prisma 7, migrating runs no seed).",
            seed.source
        )),
        None => {}
    }
    Ok(())
}

/// `migrate dev`'s command line.
pub struct DevArguments<'a> {
    pub name: Option<&'a str>,
    pub create_only: bool,
    pub online_ddl: planner::OnlineDdl,
    pub decisions: commands::Decisions,
    pub skip_seed: bool,
}

/// `migrate dev`. With `--json` nothing is asked: a decision no flag answered stops the command
/// with `decisions-required` (exit 3), and its error document lists the plan's decisions.
pub fn dev(context: &Context, arguments: DevArguments<'_>) -> Result<i32, CommandError> {
    let output = &context.output;
    let create_only = arguments.create_only;
    let skip_seed = arguments.skip_seed;
    let project = Project::load(&context.settings)?;
    let (database, created) = project.open_or_create_database(&context.settings)?;
    let mut opened = open_project(context, &project, database)?;
    let schema_path = project.schema_path.display().to_string();
    let mut terminal = terminal(context, &project);
    let report = commands::dev(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
        &mut terminal,
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
    );
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            match &error {
                CommandError::DecisionsRequired {
                    decisions, plan, ..
                } if output.json_mode() => {
                    // The error document, with what a program needs to answer: the plan's
                    // decisions (the pending ones marked), the plan, and its warnings.
                    let mut document = super::output::error_json(&error);
                    let plan_document = super::dev_json::plan_value(plan);
                    document["error"]["warnings"] = plan_document["warnings"].clone();
                    document["error"]["decisions"] =
                        super::dev_json::decisions_value(plan, decisions);
                    document["error"]["plan"] = plan_document;
                    output.json_document(&document);
                }
                // A plan that cannot run on the rows: its `unexecutable` decision is what
                // `--create-only` answers, so the document lists it as pending.
                _ if output.json_mode() && error.code() == "manual-migration-required" => {
                    if let Some(plan) = &terminal.record.plan {
                        let unexecutable: Vec<planner::Decision> = plan
                            .decisions()
                            .into_iter()
                            .filter(|decision| decision.code == planner::DecisionCode::Unexecutable)
                            .collect();
                        let mut document = super::output::error_json(&error);
                        document["error"]["decisions"] =
                            super::dev_json::decisions_value(plan, &unexecutable);
                        document["error"]["plan"] = super::dev_json::plan_value(plan);
                        output.json_document(&document);
                    }
                }
                _ => output.error_document_with_warnings(&error, &terminal.record.warnings),
            }
            return Err(error);
        }
    };
    if output.json_mode() {
        let record = terminal.record;
        let (result, migration, run) = match &report {
            DevReport::AlreadyInSync => ("already-in-sync", None, None),
            DevReport::Created { folder_name } => ("created", Some(folder_name.as_str()), None),
            DevReport::Applied {
                folder_name,
                elapsed,
                outcome,
            } => (
                "applied",
                Some(folder_name.as_str()),
                Some(migration_run_json(folder_name, *elapsed, outcome)),
            ),
        };
        // The new migration's run is reported apart from the pending ones applied before it.
        let pending_applied: Vec<&serde_json::Value> = record
            .migrations
            .iter()
            .filter(|applied| migration.is_none_or(|name| applied["name"] != name))
            .collect();
        output.json_document(&serde_json::json!({
            "result": result,
            "migration": migration,
            "folder": record.folder_written,
            "run": run,
            "appliedPending": pending_applied,
            "warnings": record.warnings,
            "decisions": record
                .plan
                .as_ref()
                .map(|plan| super::dev_json::decisions_value(plan, &[]))
                .unwrap_or_else(|| serde_json::json!([])),
            "plan": record.plan.as_ref().map(super::dev_json::plan_value),
        }));
    }
    match report {
        DevReport::AlreadyInSync => {
            output.success("Already in sync, no schema changes detected.");
        }
        DevReport::Created { folder_name } => {
            print_findings_of_new_migration(context, &project, &folder_name);
            output.info("Review (and edit) its migration.sql, then run `comon migrate dev` or `comon migrate deploy` to apply it.");
        }
        DevReport::Applied {
            folder_name,
            elapsed,
            outcome,
        } => {
            output.success(&applied_line(&folder_name, elapsed, &outcome));
            print_findings_of_new_migration(context, &project, &folder_name);
            if let Some(warning) =
                earlier_drift_warning(&format!("migration `{folder_name}`"), &outcome)
            {
                output.warning(&warning);
            }
            output.success("Your database is now in sync with your schema.");
        }
    }
    if created && !create_only {
        seed_after_reset(context, &project, skip_seed)?;
    } else if skip_seed {
        output.info("--skip-seed: the database was neither created nor reset, so no seed runs.");
    }
    Ok(0)
}

/// What the linter says about the migration `migrate dev` just wrote.
fn print_findings_of_new_migration(context: &Context, project: &Project, folder_name: &str) {
    super::lint_command::print_findings_of_new_migration(
        context,
        project.provider(),
        &project.migrations_directory,
        folder_name,
    );
}

pub fn deploy(context: &Context, deny_lint_errors: bool) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    let database = project.open_database_creating_schema(&context.settings)?;
    let mut opened = open_project(context, &project, database)?;
    let mut terminal = terminal(context, &project);
    let report = commands::deploy_with_options(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
        &mut terminal,
        commands::DeployOptions { deny_lint_errors },
    )?;
    if context.output.json_mode() {
        context.output.json_document(&serde_json::json!({
            "localMigrationCount": report.local_migration_count,
            "applied": report.applied,
            "migrations": terminal.record.migrations,
            "checksumMismatches": report.checksum_mismatches,
        }));
    }
    Ok(0)
}

/// `migrate status`. A comon_orm folder whose `migration.sql` does not build its `after.prisma`
/// is a warning line, and an issue (status fails) with `fail_on_script_mismatch`.
pub fn status(context: &Context, fail_on_script_mismatch: bool) -> Result<i32, CommandError> {
    let output = &context.output;
    let project = Project::load(&context.settings)?;
    // Status only reads: a SQLite file that does not exist is an error rather than created.
    let mut opened = open_project(
        context,
        &project,
        project.open_existing_database(&context.settings)?,
    )?;
    let report = commands::status_report(opened.backend.as_mut(), opened.folder.as_mut())?;
    let mut status = report.status;
    let script_warnings = if fail_on_script_mismatch {
        status.issues.extend(report.script_findings);
        Vec::new()
    } else {
        report.script_findings
    };
    if output.json_mode() {
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
            if let Some(notice) = &report.schema_replayed {
                object.insert(
                    "schemaReplayed".to_string(),
                    serde_json::Value::String(notice.clone()),
                );
            }
            object.insert(
                "scriptWarnings".to_string(),
                serde_json::to_value(&script_warnings).unwrap_or_default(),
            );
        }
        output.json_document(&value);
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
        if let Some(notice) = &report.schema_replayed {
            output.info(&format!("Drift checked: {notice}."));
        }
        for warning in &script_warnings {
            output.warning(&format!("{} | {}", warning.code, warning.message));
        }
        output.info(&format!("Issues: {}", status.issues.len()));
        for issue in &status.issues {
            output.warning(&format!("{} | {}", issue.code, issue.message));
        }
    }
    Ok(if status.is_clean() { 0 } else { EXIT_FAILURE })
}

pub fn reset(context: &Context, force: bool, skip_seed: bool) -> Result<i32, CommandError> {
    let project = Project::load(&context.settings)?;
    let opened = open_project(context, &project, project.open_database(&context.settings)?)?;
    let flavour = opened.choice.flavour;
    // The driver opens its own connection after the question; this one was only for choosing.
    drop(opened.backend);
    let mut folder = opened.folder;
    let mut terminal = terminal(context, &project).saying_when_wiped("Database reset successful.");
    let report = commands::reset(
        || {
            Ok(backend_for_flavour(
                project.open_database(&context.settings)?,
                flavour,
            ))
        },
        folder.as_mut(),
        &mut terminal,
        force,
    )?;
    seed_after_reset(context, &project, skip_seed)?;
    if context.output.json_mode() {
        context.output.json_document(&serde_json::json!({
            "reset": terminal.record.database_wiped,
            "localMigrationCount": report.local_migration_count,
            "applied": report.applied,
            "migrations": terminal.record.migrations,
        }));
    }
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
    // It records (or undoes) history of a database that must already exist: a SQLite file
    // that does not is refused, never created.
    let database = project.open_existing_database(&context.settings)?;
    let mut opened = open_project(context, &project, database)?;
    let report = commands::resolve(
        opened.backend.as_mut(),
        opened.folder.as_mut(),
        &mut terminal(context, &project),
        request,
        SystemTime::now(),
    )?;
    if output.json_mode() {
        let (migration, recorded_as, changed) = match &report {
            ResolveReport::AlreadyApplied { name } => (name, "applied", false),
            ResolveReport::MarkedApplied { name } => (name, "applied", true),
            ResolveReport::AlreadyRolledBack { name } => (name, "rolled-back", false),
            ResolveReport::MarkedRolledBack { name } => (name, "rolled-back", true),
        };
        output.json_document(&serde_json::json!({
            "migration": migration,
            "recordedAs": recorded_as,
            "changed": changed,
        }));
    }
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
    // It records (or undoes) history of a database that must already exist: a SQLite file
    // that does not is refused, never created.
    let database = project.open_existing_database(&context.settings)?;
    let mut opened = open_project(context, &project, database)?;
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
    if output.json_mode() {
        let earlier_drift = match &report.outcome {
            comon_driver::apply::RunOutcome::Applied { earlier_drift, .. } => earlier_drift.clone(),
            comon_driver::apply::RunOutcome::AlreadyApplied => None,
        };
        output.json_document(&serde_json::json!({
            "targetMigration": report.target_name,
            "statementCount": report.statement_count,
            "warnings": report.warnings,
            "earlierDrift": earlier_drift,
            "localFolderRemains": report.local_folder_remains,
        }));
    }
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
    // It records (or undoes) history of a database that must already exist: a SQLite file
    // that does not is refused, never created.
    let database = project.open_existing_database(&context.settings)?;
    let mut opened = open_project(context, &project, database)?;
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
    if output.json_mode() {
        output.json_document(&serde_json::json!({
            "migration": report.folder_name,
            "folder": report.folder_path,
            "statementCount": report.statement_count,
            "tables": report.table_names,
            "existingFoldersRecorded": report.existing_folders_recorded,
        }));
    }
    if !report.existing_folders_recorded.is_empty() {
        output.success(&format!(
            "The database is what the {} migrations in {} build: each was marked as applied without running it ({} first, {} last).",
            report.existing_folders_recorded.len(),
            report.folder_path,
            report.existing_folders_recorded[0],
            report.folder_name
        ));
        output.info("`comon migrate deploy` applies the folders added from now on, and `comon migrate dev` plans the next change from them.");
        return Ok(0);
    }
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
