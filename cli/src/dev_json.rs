//! The plan and its decisions as `migrate dev --json` shows them: nothing is asked with
//! `--json` (a rename candidate or a consent question nobody answered with a flag becomes a
//! pending decision, exit code 3), so that CI or a coding agent can answer them and run again.
//! The document's shape is in docs/json-output.md.

use planner::{render_plan, Decision, MigrationPlan};
use serde_json::{json, Value};

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

/// The plan as JSON: its SQL, statements, steps, warnings and what it needs.
pub fn plan_value(plan: &MigrationPlan) -> Value {
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

/// Every decision of `plan`, each marked `pending` when it is one of `pending` (the decisions
/// nobody answered, which made `migrate dev` stop).
pub fn decisions_value(plan: &MigrationPlan, pending: &[Decision]) -> Value {
    Value::Array(
        plan.decisions()
            .iter()
            .map(|decision| decision_value(decision, pending.contains(decision)))
            .collect(),
    )
}
