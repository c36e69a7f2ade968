//! The decisions `migrate dev` needs before it writes a migration: whether a removed and an
//! added model or field of the same shape is a rename, and consent to a plan that loses data or
//! may fail. Answers come from the command line (`--rename`, `--no-rename`,
//! `--accept-data-loss`, `--accept-may-fail`, or an answers file), else from a terminal through
//! `Interaction`; what neither answered is the error `decisions-required` (exit code 3), which
//! lists each decision with its stable code and the flags that answer it. A rename is never
//! guessed: `--yes` answers consent questions, never a rename.

use super::Interaction;
use crate::command_error::CommandError;
use planner::{
    plan_migration, DatabaseSchema, Decision, DecisionCode, DiffOptions, MigrationPlan,
    RenameDecision,
};

/// The answers given before the command runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decisions {
    /// `--rename Old=New`, `--no-rename Old=New` (and `Model.old=new`), the answers file's
    /// `renames`.
    pub renames: Vec<RenameDecision>,
    /// `--accept-data-loss`: apply a plan with `data-loss` warnings without asking.
    pub accept_data_loss: bool,
    /// `--accept-may-fail`: apply a plan with `may-fail` warnings without asking.
    pub accept_may_fail: bool,
}

impl Decisions {
    fn accepts(&self, code: DecisionCode) -> bool {
        match code {
            DecisionCode::DataLoss => self.accept_data_loss,
            DecisionCode::MayFail => self.accept_may_fail,
            _ => false,
        }
    }
}

/// Plans with the given rename decisions, asking the interaction about each candidate that
/// remains; a rename answered yes pairs two items, so the plan is made again and the
/// candidates that shared one of them are gone. Candidates nobody could answer stay in the plan.
pub(super) fn plan_with_rename_decisions(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    options: DiffOptions,
    interaction: &mut dyn Interaction,
) -> Result<MigrationPlan, CommandError> {
    let mut options = options;
    loop {
        let plan = plan_migration(previous, next, &options).map_err(|error| {
            let code = match error.code.as_str() {
                "rename-decision-unmatched" => "rename-decision-unmatched",
                _ => "provider-mismatch",
            };
            CommandError::refused(code, error.message)
        })?;
        let mut answered = false;
        for candidate in &plan.rename_candidates {
            let Some(renamed) = interaction.decide_rename(candidate) else {
                continue;
            };
            options.renames.push(RenameDecision {
                model: candidate.model.clone(),
                previous: candidate.previous.clone(),
                next: candidate.next.clone(),
                renamed,
            });
            answered = true;
            if renamed {
                break;
            }
        }
        if !answered {
            return Ok(plan);
        }
    }
}

/// The decisions the plan still needs after `given`: every rename candidate left, and the
/// consent decisions that no flag answered when the interaction cannot ask (`can_ask` false);
/// `create_only` applies nothing, so it needs no consent. `unexecutable` is left to the
/// caller's `manual-migration-required` refusal, which `--create-only` answers.
pub(super) fn pending_decisions(
    plan: &MigrationPlan,
    given: &Decisions,
    create_only: bool,
    can_ask: bool,
) -> Vec<Decision> {
    plan.decisions()
        .into_iter()
        .filter(|decision| match decision.code {
            DecisionCode::RenameModel | DecisionCode::RenameField => true,
            DecisionCode::DataLoss | DecisionCode::MayFail => {
                !create_only && !can_ask && !given.accepts(decision.code)
            }
            DecisionCode::Unexecutable => false,
        })
        .collect()
}

/// Whether the plan still needs consent that no flag gave.
pub(super) fn needs_consent(plan: &MigrationPlan, given: &Decisions) -> bool {
    plan.decisions().iter().any(|decision| {
        matches!(
            decision.code,
            DecisionCode::DataLoss | DecisionCode::MayFail
        ) && !given.accepts(decision.code)
    })
}

/// The `decisions-required` error: each decision with its code, what it is about and the
/// flags that answer it.
pub(super) fn decisions_required(decisions: Vec<Decision>, plan: &MigrationPlan) -> CommandError {
    let mut message = String::from("The migration needs decisions that were not given:");
    for decision in &decisions {
        message.push_str(&format!(
            "\n  [{}] {} Answer with {}.",
            decision.code.as_str(),
            decision.message,
            decision.answers.join(" or ")
        ));
        for warning in &decision.warnings {
            message.push_str(&format!("\n      {warning}"));
        }
    }
    message.push_str("\nRun `comon migrate dev` again with the answers (flags, or `--answers FILE`), or on a terminal to be asked. `--json` prints the decisions and the plan as JSON.");
    CommandError::DecisionsRequired {
        message,
        decisions,
        plan: Box::new(plan.clone()),
    }
}
