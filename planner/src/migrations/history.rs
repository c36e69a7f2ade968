//! The history table `_comon_orm_migrations` as rows, and the replay that turns them into the
//! set of active migrations.
//!
//! comon_orm's rules are kept: an `apply` row makes its `name` active, a `rollback` row makes its
//! `target_name` inactive, rows are replayed in order. Ours add a `state` (`started`, `finished`,
//! `failed`) for migrations that run outside a transaction, and an `id` that gives the replay
//! order and lets one name have several apply rows (applied, rolled back, applied again).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HistoryKind {
    Apply,
    Rollback,
}

impl HistoryKind {
    /// comon_orm reads anything other than `rollback` as `apply`; so does this.
    pub fn from_text(text: Option<&str>) -> HistoryKind {
        match text.map(str::trim) {
            Some("rollback") => HistoryKind::Rollback,
            _ => HistoryKind::Apply,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Apply => "apply",
            HistoryKind::Rollback => "rollback",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HistoryState {
    /// A migration running outside a transaction has begun; seen by a later run, it means the
    /// run that wrote it stopped half-way.
    Started,
    Finished,
    Failed,
}

impl HistoryState {
    /// Rows written by comon_orm have no state: they were written on success, so `finished`.
    pub fn from_text(text: Option<&str>) -> HistoryState {
        match text.map(str::trim) {
            Some("started") => HistoryState::Started,
            Some("failed") => HistoryState::Failed,
            _ => HistoryState::Finished,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryState::Started => "started",
            HistoryState::Finished => "finished",
            HistoryState::Failed => "failed",
        }
    }
}

/// One row of the history table, every column optional where comon_orm's may be NULL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRow {
    /// Insertion order; `None` in a table comon_orm wrote and nobody upgraded yet.
    pub id: Option<i64>,
    pub name: String,
    /// ISO 8601 UTC text, such as `2024-01-02T03:04:05.123Z`.
    pub applied_at: String,
    pub statement_count: i64,
    pub kind: HistoryKind,
    pub target_name: Option<String>,
    pub provider: Option<String>,
    pub checksum: Option<String>,
    pub before_schema: Option<String>,
    pub after_schema: Option<String>,
    pub warnings: Vec<String>,
    pub rebuild_required: bool,
    pub state: HistoryState,
    pub failure_message: Option<String>,
}

/// The `warnings` column: a JSON array of strings, or comon_orm's legacy one-per-line text.
pub fn decode_warnings(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|text| !text.is_empty()) else {
        return Vec::new();
    };
    if let Ok(serde_json::Value::Array(values)) = serde_json::from_str::<serde_json::Value>(text) {
        return values
            .into_iter()
            .map(|value| match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            })
            .collect();
    }
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// The `warnings` column text for a list of warnings: a compact JSON array.
pub fn encode_warnings(warnings: &[String]) -> String {
    serde_json::to_string(warnings).unwrap_or_else(|_| "[]".to_string())
}

/// `applied_at` made comparable as text: the fraction of a second padded to six digits, so
/// that comon_orm's `.123Z` and `.123456Z` sort by time.
fn comparable_applied_at(applied_at: &str) -> String {
    let trimmed = applied_at.trim().trim_end_matches('Z');
    match trimmed.split_once('.') {
        Some((seconds, fraction)) => format!("{seconds}.{fraction:0<6}"),
        None => format!("{trimmed}.000000"),
    }
}

/// Sorts rows into replay order: by `id` when every row has one (the upgraded table), else by
/// `(applied_at, name)` as comon_orm does.
pub fn sort_in_replay_order(rows: &mut [HistoryRow]) {
    if rows.iter().all(|row| row.id.is_some()) {
        rows.sort_by_key(|row| row.id);
    } else {
        rows.sort_by(|left, right| {
            (comparable_applied_at(&left.applied_at), &left.name)
                .cmp(&(comparable_applied_at(&right.applied_at), &right.name))
        });
    }
}

/// What the history says now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryReplay {
    /// The latest apply row of every active migration, in the order they were applied: the last
    /// one is the latest active migration.
    pub active: Vec<HistoryRow>,
    /// Migrations whose latest row is an apply that failed or never finished.
    pub failed: Vec<HistoryRow>,
}

impl HistoryReplay {
    pub fn is_active(&self, name: &str) -> bool {
        self.active.iter().any(|row| row.name == name)
    }

    pub fn active_row(&self, name: &str) -> Option<&HistoryRow> {
        self.active.iter().find(|row| row.name == name)
    }

    pub fn failed_row(&self, name: &str) -> Option<&HistoryRow> {
        self.failed.iter().find(|row| row.name == name)
    }

    pub fn latest_active(&self) -> Option<&HistoryRow> {
        self.active.last()
    }
}

/// Replays the rows (in any order; they are sorted first) into the active and failed sets.
pub fn replay_history(rows: &[HistoryRow]) -> HistoryReplay {
    let mut ordered = rows.to_vec();
    sort_in_replay_order(&mut ordered);
    // Position of the row in replay order, to list active migrations in the order of their
    // latest apply.
    let mut active: HashMap<String, (usize, HistoryRow)> = HashMap::new();
    let mut failed: HashMap<String, (usize, HistoryRow)> = HashMap::new();
    for (position, row) in ordered.into_iter().enumerate() {
        match (row.kind, row.state) {
            (HistoryKind::Apply, HistoryState::Finished) => {
                failed.remove(&row.name);
                active.insert(row.name.clone(), (position, row));
            }
            (HistoryKind::Apply, HistoryState::Started | HistoryState::Failed) => {
                failed.insert(row.name.clone(), (position, row));
            }
            (HistoryKind::Rollback, HistoryState::Finished) => {
                if let Some(target) = &row.target_name {
                    active.remove(target);
                    failed.remove(target);
                }
            }
            // A rollback that did not finish changed nothing that the history can vouch for.
            (HistoryKind::Rollback, HistoryState::Started | HistoryState::Failed) => {}
        }
    }
    let in_order = |map: HashMap<String, (usize, HistoryRow)>| {
        let mut rows: Vec<(usize, HistoryRow)> = map.into_values().collect();
        rows.sort_by_key(|(position, _)| *position);
        rows.into_iter().map(|(_, row)| row).collect::<Vec<_>>()
    };
    HistoryReplay {
        active: in_order(active),
        failed: in_order(failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        id: Option<i64>,
        name: &str,
        applied_at: &str,
        kind: HistoryKind,
        target: Option<&str>,
    ) -> HistoryRow {
        HistoryRow {
            id,
            name: name.to_string(),
            applied_at: applied_at.to_string(),
            statement_count: 1,
            kind,
            target_name: target.map(str::to_string),
            provider: Some("sqlite".to_string()),
            checksum: None,
            before_schema: None,
            after_schema: None,
            warnings: Vec::new(),
            rebuild_required: false,
            state: HistoryState::Finished,
            failure_message: None,
        }
    }

    fn names(rows: &[HistoryRow]) -> Vec<&str> {
        rows.iter().map(|row| row.name.as_str()).collect()
    }

    #[test]
    fn comon_orm_rows_replay_by_time_then_name() {
        let rows = vec![
            row(
                None,
                "b",
                "2024-01-01T00:00:02.000Z",
                HistoryKind::Apply,
                None,
            ),
            row(
                None,
                "a",
                "2024-01-01T00:00:01.000Z",
                HistoryKind::Apply,
                None,
            ),
            row(
                None,
                "b_rollback_1",
                "2024-01-01T00:00:03.000Z",
                HistoryKind::Rollback,
                Some("b"),
            ),
        ];
        let replay = replay_history(&rows);
        assert_eq!(names(&replay.active), vec!["a"]);
    }

    #[test]
    fn a_rolled_back_migration_can_be_applied_again() {
        let rows = vec![
            row(
                Some(1),
                "a",
                "2024-01-01T00:00:01.000Z",
                HistoryKind::Apply,
                None,
            ),
            row(
                Some(2),
                "b",
                "2024-01-01T00:00:01.000Z",
                HistoryKind::Apply,
                None,
            ),
            row(
                Some(3),
                "b_rollback_1",
                "2024-01-01T00:00:01.000Z",
                HistoryKind::Rollback,
                Some("b"),
            ),
            row(
                Some(4),
                "b",
                "2024-01-01T00:00:01.000Z",
                HistoryKind::Apply,
                None,
            ),
        ];
        let replay = replay_history(&rows);
        assert_eq!(names(&replay.active), vec!["a", "b"]);
        assert_eq!(replay.latest_active().and_then(|row| row.id), Some(4));
    }

    #[test]
    fn a_failed_apply_is_not_active_until_resolved() {
        let mut failed = row(Some(2), "b", "t", HistoryKind::Apply, None);
        failed.state = HistoryState::Failed;
        let mut rows = vec![row(Some(1), "a", "t", HistoryKind::Apply, None), failed];
        let replay = replay_history(&rows);
        assert_eq!(names(&replay.active), vec!["a"]);
        assert_eq!(names(&replay.failed), vec!["b"]);
        rows.push(row(Some(3), "b", "t", HistoryKind::Apply, None));
        let resolved = replay_history(&rows);
        assert_eq!(names(&resolved.active), vec!["a", "b"]);
        assert!(resolved.failed.is_empty());
    }

    #[test]
    fn millisecond_and_microsecond_times_sort_together() {
        assert!(
            comparable_applied_at("2024-01-01T00:00:01.5Z")
                > comparable_applied_at("2024-01-01T00:00:01.400000Z")
        );
        assert!(
            comparable_applied_at("2024-01-01T00:00:01.123Z")
                < comparable_applied_at("2024-01-01T00:00:01.123001Z")
        );
    }

    #[test]
    fn warnings_decode_from_json_and_from_lines() {
        assert_eq!(decode_warnings(Some("[\"a\",\"b\"]")), vec!["a", "b"]);
        assert_eq!(decode_warnings(Some("a\n\n b \n")), vec!["a", "b"]);
        assert!(decode_warnings(None).is_empty());
        assert_eq!(encode_warnings(&["x\"y".to_string()]), "[\"x\\\"y\"]");
    }
}
