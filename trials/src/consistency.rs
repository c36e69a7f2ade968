//! The check a deploy trial runs after every kill: history and catalog agree, the data is
//! exactly what the recorded migrations make of the seed rows, and nothing is half-recorded.
//!
//! - The history (`_comon_orm_migrations`, read with plain SQL, not through comon) records a
//!   prefix of the local migrations, in order, each once, each `finished`.
//! - The catalog, introspected, has no difference from the `after.prisma` of the latest
//!   recorded migration (or is empty when none is recorded): every recorded migration has its
//!   effect and no unrecorded one has any.
//! - The data equals what a reference database holds after the same migrations (row counts and
//!   contents of every table), so a backfill applied twice or not at all shows.
//! - The seed rows (`Author`, `Book`) are all there once the first migration is recorded.

use crate::data_history::DataHistory;
use crate::database::{single_value, TrialDatabase};
use crate::fingerprint::fingerprint;
use crate::report::Failure;
use comon_database::{quote_identifier, quote_string_literal, Database};
use comon_driver::apply::describe_difference;
use planner::migrations::{database_schema_from_snapshot, HISTORY_TABLE_NAME};
use planner::{plan_migration, DatabaseSchema, Provider};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub name: String,
    pub kind: String,
    pub state: String,
}

#[derive(Debug, Clone, Default)]
pub struct Consistency {
    /// How many migrations the history records as applied.
    pub recorded: usize,
    /// What is wrong; empty when the state is consistent.
    pub problems: Vec<String>,
    /// Seed rows missing from `Author` and `Book`.
    pub lost_rows: u64,
}

impl Consistency {
    pub fn is_consistent(&self) -> bool {
        self.problems.is_empty()
    }

    /// The failure this state makes of an attempt: the problems found, then `output` (what the
    /// deploy printed).
    pub fn failure(
        &self,
        trial: &'static str,
        provider: Provider,
        place: String,
        summary: &str,
        output: &str,
    ) -> Failure {
        let details = format!("{}\n{output}", self.problems.join("\n"));
        Failure::new(trial, provider, place, summary, details)
    }
}

fn history_table_exists(database: &mut Database) -> bool {
    let sql = match database.provider() {
        Provider::Sqlite => format!(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = {}",
            quote_string_literal(HISTORY_TABLE_NAME)
        ),
        Provider::Postgresql => format!(
            "SELECT count(*)::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {}",
            quote_string_literal(HISTORY_TABLE_NAME)
        ),
    };
    single_value(database, &sql).is_some_and(|count| count != "0")
}

/// The history rows in the order they were written; none when there is no history table.
pub fn read_history(database: &mut Database) -> Result<Vec<HistoryEntry>, String> {
    if !history_table_exists(database) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT name, kind, state FROM {} ORDER BY id",
        quote_identifier(HISTORY_TABLE_NAME)
    );
    let rows = database
        .query_rows(&sql)
        .map_err(|error| format!("{sql}: {error}"))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let text = |index: usize| row.get(index).cloned().flatten().unwrap_or_default();
            HistoryEntry {
                name: text(0),
                kind: text(1),
                state: text(2),
            }
        })
        .collect())
}

/// The difference between the live catalog and `expected`, described, or `None`.
pub fn catalog_difference(
    database: &mut Database,
    expected: &DatabaseSchema,
) -> Result<Option<String>, String> {
    let live = database
        .introspect()
        .map_err(|error| format!("introspection failed: {error}"))?;
    let plan = plan_migration(&live, expected, &comon_driver::apply::describing_options())
        .map_err(|error| format!("planning failed: {error}"))?;
    Ok((!plan.is_empty()).then(|| describe_difference(&live, &plan)))
}

pub fn check_consistency(trial_database: &TrialDatabase, history: &DataHistory) -> Consistency {
    let mut consistency = Consistency::default();
    // Opening the file is what rolls back a hot SQLite journal; comon would do the same.
    let mut database = trial_database.open();
    let entries = match read_history(&mut database) {
        Ok(entries) => entries,
        Err(error) => {
            consistency
                .problems
                .push(format!("the history cannot be read: {error}"));
            return consistency;
        }
    };
    for entry in &entries {
        if entry.kind != "apply" || entry.state != "finished" {
            consistency.problems.push(format!(
                "history row {} is kind={} state={}",
                entry.name, entry.kind, entry.state
            ));
        }
    }
    let recorded: Vec<&str> = entries.iter().map(|entry| entry.name.as_str()).collect();
    let expected_prefix: Vec<&str> = history
        .migrations
        .iter()
        .take(recorded.len())
        .map(|migration| migration.name.as_str())
        .collect();
    if recorded != expected_prefix {
        consistency.problems.push(format!(
            "the history is not a prefix of the local migrations, each once: {recorded:?}"
        ));
    }
    consistency.recorded = recorded.len().min(history.migrations.len());

    let expected_schema = match consistency.recorded {
        0 => Ok(DatabaseSchema::empty(history.provider)),
        recorded => database_schema_from_snapshot(
            history.provider,
            &history.migrations[recorded - 1].after_schema,
        )
        .map_err(|errors| errors.to_string()),
    };
    match expected_schema.map_err(|error| format!("after.prisma cannot be read: {error}")).and_then(|expected| catalog_difference(&mut database, &expected)) {
        Ok(None) => {}
        Ok(Some(difference)) => consistency.problems.push(format!(
            "the catalog is not the after.prisma of the latest recorded migration ({}); it differs by:{difference}",
            recorded.last().unwrap_or(&"none")
        )),
        Err(error) => consistency.problems.push(error),
    }

    match fingerprint(&mut database) {
        Ok(actual) => {
            let expected = &history.fingerprints[consistency.recorded];
            if &actual != expected {
                consistency.problems.push(format!(
                    "the data is not what {} recorded migrations make of the seed:\n{}",
                    consistency.recorded,
                    actual.difference(expected)
                ));
            }
            if consistency.recorded >= 1 {
                for (table, expected_rows) in [
                    ("Author", history.seed_rows),
                    ("Book", 4 * history.seed_rows),
                ] {
                    consistency.lost_rows +=
                        expected_rows.saturating_sub(actual.rows_of(table).unwrap_or(0));
                }
            }
        }
        Err(error) => consistency
            .problems
            .push(format!("the data cannot be read: {error}")),
    }
    consistency
}
