//! The history rows the driver writes, built here and nowhere else: the apply row of a local
//! migration, the row of a planned rollback, and the row `migrate resolve --rolled-back`
//! records. The database gives each row its `id` and `applied_at` when it is inserted.

use planner::migrations::{HistoryKind, HistoryRow, HistoryState, LocalMigration};
use planner::Provider;

/// The apply row of a local migration, as `migrate deploy`, `migrate dev` and
/// `migrate resolve --applied` record it.
pub fn apply_row(provider: Provider, local: &LocalMigration, statement_count: usize) -> HistoryRow {
    HistoryRow {
        id: None,
        name: local.name.clone(),
        applied_at: String::new(),
        statement_count: statement_count as i64,
        kind: HistoryKind::Apply,
        target_name: None,
        provider: Some(provider.as_str().to_string()),
        checksum: Some(local.checksum.clone()),
        before_schema: Some(local.before_schema.clone()),
        after_schema: Some(local.after_schema.clone()),
        warnings: local.warnings.clone(),
        rebuild_required: local.rebuild_required,
        state: HistoryState::Finished,
        failure_message: None,
    }
}

/// What a planned rollback runs and records.
pub struct PlannedRollback<'a> {
    /// The history row's name, such as `<migration>_rollback_<unix ms>`.
    pub row_name: String,
    pub target_name: &'a str,
    /// The rolled-back migration's snapshots: the rollback goes from `after` to `before`.
    pub target_before_schema: &'a str,
    pub target_after_schema: &'a str,
    pub checksum: String,
    pub statement_count: usize,
    pub warnings: Vec<String>,
    pub rebuild_required: bool,
}

/// The row of a rollback that ran (`migrate rollback`): its snapshots are the target's, swapped.
pub fn rollback_row(provider: Provider, rollback: PlannedRollback<'_>) -> HistoryRow {
    HistoryRow {
        id: None,
        name: rollback.row_name,
        applied_at: String::new(),
        statement_count: rollback.statement_count as i64,
        kind: HistoryKind::Rollback,
        target_name: Some(rollback.target_name.to_string()),
        provider: Some(provider.as_str().to_string()),
        checksum: Some(rollback.checksum),
        before_schema: Some(rollback.target_after_schema.to_string()),
        after_schema: Some(rollback.target_before_schema.to_string()),
        warnings: rollback.warnings,
        rebuild_required: rollback.rebuild_required,
        state: HistoryState::Finished,
        failure_message: None,
    }
}

/// The row `migrate resolve --rolled-back` records for `target` without running anything: no
/// statements, the target's checksum (or the row's own name when the target has none), and the
/// target's snapshots swapped (either one standing in for a missing other).
pub fn resolved_rollback_row(
    provider: Provider,
    target: &HistoryRow,
    row_name: String,
) -> HistoryRow {
    HistoryRow {
        id: None,
        name: row_name.clone(),
        applied_at: String::new(),
        statement_count: 0,
        kind: HistoryKind::Rollback,
        target_name: Some(target.name.clone()),
        provider: Some(provider.as_str().to_string()),
        checksum: Some(target.checksum.clone().unwrap_or(row_name)),
        before_schema: target
            .after_schema
            .clone()
            .or_else(|| target.before_schema.clone()),
        after_schema: target
            .before_schema
            .clone()
            .or_else(|| target.after_schema.clone()),
        warnings: Vec::new(),
        rebuild_required: false,
        state: HistoryState::Finished,
        failure_message: None,
    }
}
