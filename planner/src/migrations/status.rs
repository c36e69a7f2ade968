//! `migrate status`: local folders against the history, as issues with stable codes.
//!
//! The codes and messages of comon_orm are kept word for word; `failed-migration` and `drift`
//! are ours. The serialized `MigrationStatus` is the documented `migrate status --json` output.

use super::artifacts::{ArtifactError, LocalMigration};
use super::history::HistoryReplay;
use crate::database_schema::DatabaseSchema;
use crate::render::QuotedIdentifier;
use serde::Serialize;
use std::collections::HashSet;

pub const APPLIED_MIGRATION_MISSING_LOCALLY: &str = "applied-migration-missing-locally";
pub const CHECKSUM_MISMATCH: &str = "checksum-mismatch";
pub const MISSING_DB_SNAPSHOT: &str = "missing-db-snapshot";
pub const LOCAL_MIGRATION_NOT_APPLIED: &str = "local-migration-not-applied";
pub const INVALID_LOCAL_ARTIFACTS: &str = "invalid-local-artifacts";
pub const FAILED_MIGRATION: &str = "failed-migration";
pub const DRIFT: &str = "drift";
pub const INVALID_INDEX: &str = "invalid-index";

/// An index PostgreSQL marks INVALID (`pg_index.indisvalid` false, `Index::invalid`): a
/// `CREATE INDEX CONCURRENTLY` failed or was interrupted (or a `DROP INDEX CONCURRENTLY`
/// was). Queries do not use it, and a unique one does not vouch for the rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvalidIndex {
    pub table: String,
    pub index: String,
}

impl InvalidIndex {
    /// What it is and the documented repair, with the stable code.
    pub fn repair(&self) -> String {
        format!(
            "The index {} on table {} is INVALID ({INVALID_INDEX}): a CREATE INDEX CONCURRENTLY failed or was interrupted, so queries do not use it and a unique index does not enforce uniqueness. Drop it with `DROP INDEX CONCURRENTLY {};` and build it again (the migration's CREATE INDEX CONCURRENTLY statement).",
            QuotedIdentifier(&self.index),
            QuotedIdentifier(&self.table),
            QuotedIdentifier(&self.index)
        )
    }

    pub fn status_issue(&self) -> StatusIssue {
        issue(INVALID_INDEX, None, self.repair())
    }
}

/// The INVALID indexes of an introspected schema, in its order.
pub fn invalid_indexes(schema: &DatabaseSchema) -> Vec<InvalidIndex> {
    schema
        .tables
        .iter()
        .flat_map(|table| {
            table
                .indexes
                .iter()
                .filter(|index| index.invalid)
                .map(|index| InvalidIndex {
                    table: table.name.clone(),
                    index: index.name.clone(),
                })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusIssue {
    pub code: String,
    /// The migration the issue is about.
    pub migration: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationStatus {
    pub active_migration_count: usize,
    pub local_migration_count: usize,
    /// Active migrations in the order they were applied.
    pub active_migrations: Vec<String>,
    /// Complete local folders, sorted by name.
    pub local_migrations: Vec<String>,
    /// Local folders that are neither active nor failed: what `migrate deploy` would apply.
    pub pending_migrations: Vec<String>,
    pub failed_migrations: Vec<String>,
    pub issues: Vec<StatusIssue>,
}

impl MigrationStatus {
    pub fn is_clean(&self) -> bool {
        self.issues.is_empty()
    }
}

pub struct StatusInput<'a> {
    pub replay: &'a HistoryReplay,
    /// Complete local folders, sorted by name.
    pub local_migrations: &'a [LocalMigration],
    pub invalid_local_migrations: &'a [ArtifactError],
    /// The migrations folder as the runner shows it in messages.
    pub migrations_directory: &'a str,
    /// The name of the latest active migration when the live schema differs from its
    /// `after_schema` (the runner compares, since only it can introspect).
    pub drift_since: Option<&'a str>,
    /// What differs, in words (`drift::describe_differences`), listed in the drift issue; may be
    /// empty when the runner only knows that something differs.
    pub drift_differences: &'a [super::drift::Difference],
}

fn issue(code: &str, migration: Option<&str>, message: String) -> StatusIssue {
    StatusIssue {
        code: code.to_string(),
        migration: migration.map(str::to_string),
        message,
    }
}

pub fn compute_status(input: &StatusInput<'_>) -> MigrationStatus {
    let directory = input.migrations_directory;
    let mut issues = Vec::new();
    for invalid in input.invalid_local_migrations {
        issues.push(issue(
            INVALID_LOCAL_ARTIFACTS,
            Some(&invalid.name),
            invalid.message(),
        ));
    }
    for failed in &input.replay.failed {
        let reason = failed
            .failure_message
            .as_deref()
            .map(|message| format!(": {message}"))
            .unwrap_or_default();
        issues.push(issue(
            FAILED_MIGRATION,
            Some(&failed.name),
            format!(
                "Migration {name} failed{reason}. Repair the database, then run `migrate resolve --applied {name}` or `migrate resolve --rolled-back {name}`.",
                name = failed.name
            ),
        ));
    }
    for active in &input.replay.active {
        let name = active.name.as_str();
        let Some(local) = input
            .local_migrations
            .iter()
            .find(|local| local.name == name)
        else {
            issues.push(issue(
                APPLIED_MIGRATION_MISSING_LOCALLY,
                Some(name),
                format!("Migration {name} is active in the database but missing from {directory}."),
            ));
            continue;
        };
        if active
            .checksum
            .as_deref()
            .is_some_and(|checksum| checksum != local.checksum)
        {
            issues.push(issue(
                CHECKSUM_MISMATCH,
                Some(name),
                format!("Migration {name} differs between database history and local artifacts."),
            ));
        }
        // A Prisma folder has no snapshots, so its row (in `_prisma_migrations`) has none to
        // miss.
        if local.has_snapshots()
            && (active.before_schema.is_none() || active.after_schema.is_none())
        {
            issues.push(issue(
                MISSING_DB_SNAPSHOT,
                Some(name),
                format!("Migration {name} was applied before database snapshots were recorded."),
            ));
        }
    }
    let failed_names: HashSet<&str> = input
        .replay
        .failed
        .iter()
        .map(|row| row.name.as_str())
        .collect();
    let mut pending_migrations = Vec::new();
    for local in input.local_migrations {
        let name = local.name.as_str();
        if input.replay.is_active(name) || failed_names.contains(name) {
            continue;
        }
        pending_migrations.push(local.name.clone());
        issues.push(issue(
            LOCAL_MIGRATION_NOT_APPLIED,
            Some(name),
            format!("Local migration {name} exists in {directory} but is not currently active in the database."),
        ));
    }
    if let Some(latest) = input.drift_since {
        let mut message = format!(
            "Drift detected between the live database and the latest recorded migration `{latest}`."
        );
        if !input.drift_differences.is_empty() {
            message.push_str(" The database differs:");
            for difference in input.drift_differences {
                message.push_str(&format!("\n  - {difference}"));
            }
        }
        issues.push(issue(DRIFT, Some(latest), message));
    }
    MigrationStatus {
        active_migration_count: input.replay.active.len(),
        local_migration_count: input.local_migrations.len(),
        active_migrations: input
            .replay
            .active
            .iter()
            .map(|row| row.name.clone())
            .collect(),
        local_migrations: input
            .local_migrations
            .iter()
            .map(|local| local.name.clone())
            .collect(),
        pending_migrations,
        failed_migrations: input
            .replay
            .failed
            .iter()
            .map(|row| row.name.clone())
            .collect(),
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::super::artifacts::{local_migration_from_files, MigrationFolderFiles};
    use super::super::history::{replay_history, HistoryKind, HistoryRow, HistoryState};
    use super::*;
    use crate::provider::Provider;

    fn local(name: &str, sql: &str) -> LocalMigration {
        let files = MigrationFolderFiles {
            migration_sql: Some(sql.to_string()),
            before_schema: Some(String::new()),
            after_schema: Some(String::new()),
            ..MigrationFolderFiles::default()
        };
        local_migration_from_files(name, name, Provider::Sqlite, files).unwrap()
    }

    fn applied(id: i64, local: &LocalMigration, state: HistoryState) -> HistoryRow {
        HistoryRow {
            id: Some(id),
            name: local.name.clone(),
            applied_at: "2024-01-01T00:00:00.000Z".to_string(),
            statement_count: 1,
            kind: HistoryKind::Apply,
            target_name: None,
            provider: Some("sqlite".to_string()),
            checksum: Some(local.checksum.clone()),
            before_schema: Some(String::new()),
            after_schema: Some(String::new()),
            warnings: Vec::new(),
            rebuild_required: false,
            state,
            failure_message: Some("boom".to_string()).filter(|_| state == HistoryState::Failed),
        }
    }

    fn codes(status: &MigrationStatus) -> Vec<&str> {
        status
            .issues
            .iter()
            .map(|issue| issue.code.as_str())
            .collect()
    }

    #[test]
    fn every_issue_code_is_reported() {
        let first = local("1_first", "SELECT 1;\n");
        let second = local("2_second", "SELECT 2;\n");
        let third = local("3_third", "SELECT 3;\n");
        let mut tampered = applied(1, &first, HistoryState::Finished);
        tampered.checksum = Some("0".repeat(64));
        tampered.before_schema = None;
        let mut gone = applied(2, &local("0_gone", ""), HistoryState::Finished);
        gone.name = "0_gone".to_string();
        let rows = vec![tampered, gone, applied(3, &second, HistoryState::Failed)];
        let replay = replay_history(&rows);
        let invalid = vec![ArtifactError {
            name: "4_broken".to_string(),
            folder: "m/4_broken".to_string(),
            problem: super::super::artifacts::ArtifactProblem::Incomplete,
        }];
        let locals = vec![first, second, third];
        let status = compute_status(&StatusInput {
            replay: &replay,
            local_migrations: &locals,
            invalid_local_migrations: &invalid,
            migrations_directory: "m",
            drift_since: Some("0_gone"),
            drift_differences: &[super::super::drift::Difference {
                object: "table \"Audit\"".to_string(),
                description: "in the database only".to_string(),
            }],
        });
        assert!(status.issues.iter().any(|issue| issue
            .message
            .ends_with("The database differs:\n  - table \"Audit\": in the database only")));
        assert_eq!(
            codes(&status),
            vec![
                INVALID_LOCAL_ARTIFACTS,
                FAILED_MIGRATION,
                CHECKSUM_MISMATCH,
                MISSING_DB_SNAPSHOT,
                APPLIED_MIGRATION_MISSING_LOCALLY,
                LOCAL_MIGRATION_NOT_APPLIED,
                DRIFT
            ]
        );
        assert_eq!(status.pending_migrations, vec!["3_third"]);
        assert_eq!(status.failed_migrations, vec!["2_second"]);
        assert_eq!(
            status.issues[4].message,
            "Migration 0_gone is active in the database but missing from m."
        );
        assert!(status.issues[1]
            .message
            .starts_with("Migration 2_second failed: boom."));
    }

    #[test]
    fn matching_history_is_clean() {
        let first = local("1_first", "SELECT 1;\n");
        let replay = replay_history(&[applied(1, &first, HistoryState::Finished)]);
        let status = compute_status(&StatusInput {
            replay: &replay,
            local_migrations: std::slice::from_ref(&first),
            invalid_local_migrations: &[],
            migrations_directory: "m",
            drift_since: None,
            drift_differences: &[],
        });
        assert!(status.is_clean());
        assert_eq!(status.active_migration_count, 1);
    }
}
