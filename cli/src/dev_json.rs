//! `migrate dev --json`: nothing is asked (a rename candidate or a consent question nobody
//! answered with a flag becomes a pending decision, exit code 3), and one JSON document on
//! stdout says what happened, with the plan and its decisions, so that CI or a coding agent
//! can answer them and run again. Its shape is in docs/commands.md.

use comon_driver::command_error::CommandError;
use comon_driver::commands::{DevReport, Event, Interaction, Question};
use planner::{render_plan, Decision, MigrationPlan, RenameCandidate};
use serde_json::{json, Value};

/// The driver's `Interaction` for `--json`: it keeps the plan and never prompts.
pub struct JsonInteraction {
    /// `--yes`: consent questions are answered yes, as on a terminal.
    assume_yes: bool,
    plan: Option<MigrationPlan>,
    folder_path: Option<String>,
}

impl JsonInteraction {
    pub fn new(assume_yes: bool) -> JsonInteraction {
        JsonInteraction {
            assume_yes,
            plan: None,
            folder_path: None,
        }
    }
}

impl Interaction for JsonInteraction {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::MigrationPlanned { plan } => self.plan = Some(plan.clone()),
            Event::MigrationFolderWritten { path } => self.folder_path = Some(path.to_string()),
            _ => {}
        }
    }

    fn confirm(&mut self, _question: Question) -> bool {
        self.assume_yes
    }

    fn migration_name(&mut self) -> Result<String, CommandError> {
        Err(CommandError::usage(
            "Missing migration name. Pass --name <migration> with --json.",
        ))
    }

    fn can_confirm(&self) -> bool {
        self.assume_yes
    }

    fn decide_rename(&mut self, _candidate: &RenameCandidate) -> Option<bool> {
        None
    }
}

/// A `JsonInteraction` lent to a command, so that what it kept can be read after the command
/// failed.
pub struct KeepingInteraction<'a>(pub &'a mut JsonInteraction);

impl Interaction for KeepingInteraction<'_> {
    fn event(&mut self, event: Event<'_>) {
        self.0.event(event)
    }

    fn confirm(&mut self, question: Question) -> bool {
        self.0.confirm(question)
    }

    fn migration_name(&mut self) -> Result<String, CommandError> {
        self.0.migration_name()
    }

    fn can_confirm(&self) -> bool {
        self.0.can_confirm()
    }

    fn decide_rename(&mut self, candidate: &RenameCandidate) -> Option<bool> {
        self.0.decide_rename(candidate)
    }
}

/// A decision as JSON: the planner's fields, the `key` an answers file's `renames` takes for a
/// rename, and whether it is still `pending`.
fn decision_value(decision: &Decision, pending: bool) -> Value {
    let mut value = serde_json::to_value(decision).unwrap_or_default();
    if let (Some(object), Some(rename)) = (value.as_object_mut(), &decision.rename) {
        object.insert("key".to_string(), Value::String(rename.answer()));
    }
    if let Some(object) = value.as_object_mut() {
        object.insert("pending".to_string(), Value::Bool(pending));
    }
    value
}

fn plan_value(plan: &MigrationPlan) -> Value {
    let rendered = render_plan(plan);
    json!({
        "provider": plan.provider,
        "sql": rendered.sql,
        "statements": rendered.statements,
        "steps": plan.steps.iter().map(|step| step.summary()).collect::<Vec<_>>(),
        "warnings": plan.warnings,
        "requiresRebuild": plan.requires_rebuild,
        "unexecutable": plan.unexecutable,
    })
}

/// The document `migrate dev --json` prints for the command's result.
pub fn dev_document(
    interaction: &JsonInteraction,
    result: &Result<DevReport, CommandError>,
) -> Value {
    let (status, migration) = match result {
        Ok(DevReport::AlreadyInSync) => ("in-sync", None),
        Ok(DevReport::Created { folder_name }) => ("created", Some(folder_name.clone())),
        Ok(DevReport::Applied { folder_name, .. }) => ("applied", Some(folder_name.clone())),
        Err(CommandError::DecisionsRequired { .. }) => ("decisions-required", None),
        Err(_) => ("error", None),
    };
    let plan = match result {
        Err(CommandError::DecisionsRequired { plan, .. }) => Some(plan.as_ref()),
        _ => interaction.plan.as_ref(),
    };
    let pending: &[Decision] = match result {
        Err(CommandError::DecisionsRequired { decisions, .. }) => decisions,
        _ => &[],
    };
    // A plan that cannot run on the rows is refused as `manual-migration-required`: its
    // `unexecutable` decision is what `--create-only` would answer.
    let refused_as_unexecutable =
        matches!(result, Err(error) if error.code() == "manual-migration-required");
    let decisions: Vec<Value> = plan
        .map(|plan| {
            plan.decisions()
                .iter()
                .map(|decision| {
                    let is_pending = pending.contains(decision)
                        || (refused_as_unexecutable
                            && decision.code == planner::DecisionCode::Unexecutable);
                    decision_value(decision, is_pending)
                })
                .collect()
        })
        .unwrap_or_default();
    let exit_code = match result {
        Ok(_) => 0,
        Err(error) => error.exit_code(),
    };
    let mut document = json!({
        "status": status,
        "exitCode": exit_code,
        "decisions": decisions,
        "plan": plan.map(plan_value),
    });
    if let Some(object) = document.as_object_mut() {
        if let Some(name) = migration {
            object.insert("migration".to_string(), Value::String(name));
        }
        if let Some(path) = &interaction.folder_path {
            object.insert("folder".to_string(), Value::String(path.clone()));
        }
        if let Err(error) = result {
            object.insert(
                "error".to_string(),
                json!({ "code": error.code(), "message": error.to_string() }),
            );
        }
    }
    document
}
