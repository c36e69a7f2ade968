//! Prisma Migrate's history table `_prisma_migrations`, as both backends keep it, so that a
//! database migrated by Prisma continues under comon and one migrated by comon continues under
//! Prisma. The offline Prisma peer cannot run `prisma migrate deploy`, so this follows Prisma's
//! documented table contract (`../shared/docs/engineering.md`, "Prisma Migrate's contract"):
//!
//! - The table is created as Prisma creates it: `id VARCHAR(36)` primary key, `checksum`,
//!   `finished_at`, `migration_name`, `logs`, `rolled_back_at`, `started_at`,
//!   `applied_steps_count`, in that order.
//! - `id` is a version 4 UUID in text, made by the database (`gen_random_uuid()` on
//!   PostgreSQL 13 and later, `randomblob` on SQLite), so that the driver needs neither a UUID
//!   crate nor a clock or random source of its own.
//! - `checksum` is the lowercase hex SHA-256 of the `migration.sql` bytes (the local
//!   migration's checksum in a Prisma project, `planner::migrations::prisma`).
//! - A deployed migration gets `started_at` and `finished_at` and one applied step (Prisma
//!   counts the script as one step); `migrate resolve --applied` records zero steps, as Prisma
//!   does. A migration that runs outside a transaction first gets a row with `finished_at`
//!   NULL, which is what a failed migration looks like to Prisma too: a row with `finished_at`
//!   and `rolled_back_at` both NULL blocks deploys. A failure's message goes to `logs`.
//! - `migrate resolve --rolled-back` sets `rolled_back_at` on the migration's rows; Prisma
//!   disregards such rows, and so does `load` here.
//! - Times: PostgreSQL `TIMESTAMPTZ` from `clock_timestamp()`; SQLite, where Prisma's driver
//!   stores a date as Unix milliseconds, an integer of milliseconds (text written by other
//!   tools reads too).
//!
//! The commands address a row by an `i64` id: here that is the first 64 bits of the UUID,
//! which is how `update_state` finds the row again.

use super::HistoryTable;
use comon_database::{quote_identifier, Database, NamedRow, RunnerError, SqlValue};
use planner::migrations::prisma::PRISMA_HISTORY_TABLE_NAME;
use planner::migrations::{HistoryKind, HistoryRow, HistoryState};

/// What one provider's `_prisma_migrations` looks like where the providers differ.
pub(super) struct PrismaLayout {
    /// Prisma's `CREATE TABLE`, with `IF NOT EXISTS`.
    pub create_table: &'static str,
    /// An expression for a new row's UUID, as text.
    pub new_id: &'static str,
    /// The time a new row gets.
    pub now: &'static str,
    /// A timestamp column read as ISO 8601 UTC text (NULL stays NULL).
    pub timestamp_as_text: fn(&str) -> String,
    /// One row when a table named by its one parameter exists.
    pub table_exists_query: &'static str,
    /// The spelling of the parameter at `position` (from 1).
    pub placeholder: fn(usize) -> String,
}

/// `_prisma_migrations` on one provider.
pub struct PrismaHistoryTable {
    pub(super) layout: PrismaLayout,
}

fn table() -> String {
    quote_identifier(PRISMA_HISTORY_TABLE_NAME)
}

/// The `i64` the commands know a row by: the UUID's first 16 hex digits.
fn row_key(uuid: &str) -> Option<i64> {
    let digits: String = uuid.chars().filter(|c| *c != '-').take(16).collect();
    u64::from_str_radix(&digits, 16).ok().map(|key| key as i64)
}

fn key_digits(key: i64) -> String {
    format!("{:016x}", key as u64)
}

impl PrismaHistoryTable {
    fn exists(&self, database: &mut Database) -> Result<bool, RunnerError> {
        let rows = database.query_named_rows(
            self.layout.table_exists_query,
            &[SqlValue::Text(PRISMA_HISTORY_TABLE_NAME)],
        )?;
        Ok(!rows.rows.is_empty())
    }

    /// Sets `rolled_back_at` on the target's rows that are not rolled back yet.
    fn mark_rolled_back(&self, database: &mut Database, target: &str) -> Result<(), RunnerError> {
        let sql = format!(
            "UPDATE {} SET rolled_back_at = {} WHERE migration_name = {} AND rolled_back_at IS NULL",
            table(),
            self.layout.now,
            (self.layout.placeholder)(1)
        );
        database.execute_with_parameters(&sql, &[SqlValue::Text(target)])?;
        Ok(())
    }
}

impl HistoryTable for PrismaHistoryTable {
    fn ensure(&self, database: &mut Database) -> Result<(), RunnerError> {
        database.execute_batch(self.layout.create_table)
    }

    /// The rows Prisma counts (not rolled back), ordered by `started_at` as Prisma orders them,
    /// numbered in that order.
    fn load(&self, database: &mut Database) -> Result<Vec<HistoryRow>, RunnerError> {
        if !self.exists(database)? {
            return Ok(Vec::new());
        }
        let as_text = self.layout.timestamp_as_text;
        let sql = format!(
            "SELECT CAST(id AS TEXT) AS id, CAST(checksum AS TEXT) AS checksum, {} AS finished_at, CAST(migration_name AS TEXT) AS migration_name, CAST(logs AS TEXT) AS logs, {} AS started_at, CAST(applied_steps_count AS TEXT) AS applied_steps_count FROM {} WHERE rolled_back_at IS NULL ORDER BY {}, migration_name",
            as_text("finished_at"),
            as_text("started_at"),
            table(),
            as_text("started_at"),
        );
        let rows = database.query_named_rows(&sql, &[])?;
        Ok(rows
            .iter()
            .enumerate()
            .map(|(position, row)| history_row(position, &row))
            .collect())
    }

    fn insert(&self, database: &mut Database, row: &HistoryRow) -> Result<i64, RunnerError> {
        if row.kind == HistoryKind::Rollback {
            let target = row.target_name.as_deref().unwrap_or(&row.name);
            self.mark_rolled_back(database, target)?;
            return Ok(0);
        }
        let placeholder = self.layout.placeholder;
        let finished = row.state == HistoryState::Finished;
        let finished_at = if finished { self.layout.now } else { "NULL" };
        // Prisma counts a script as one step; `resolve --applied` records none.
        let steps = i64::from(finished && row.statement_count > 0);
        let sql = format!(
            "INSERT INTO {} (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ({}, {}, {finished_at}, {}, {}, NULL, {}, {}) RETURNING CAST(id AS TEXT) AS id",
            table(),
            self.layout.new_id,
            placeholder(1),
            placeholder(2),
            placeholder(3),
            self.layout.now,
            placeholder(4),
        );
        let inserted = database.query_named_rows(
            &sql,
            &[
                SqlValue::Text(row.checksum.as_deref().unwrap_or("")),
                SqlValue::Text(&row.name),
                SqlValue::optional_text(row.failure_message.as_deref()),
                SqlValue::Integer(steps),
            ],
        )?;
        inserted
            .first()
            .and_then(|row| row.get("id"))
            .and_then(row_key)
            .ok_or_else(|| RunnerError::UnexpectedResult {
                statement: sql.clone(),
                message: "the insert returned no id".to_string(),
            })
    }

    /// The statement starts with `UPDATE "_prisma_migrations"`, which is what lets it record a
    /// failure after a signal.
    fn update_state(
        &self,
        database: &mut Database,
        id: i64,
        state: HistoryState,
        failure_message: Option<&str>,
    ) -> Result<(), RunnerError> {
        let placeholder = self.layout.placeholder;
        let set = match state {
            HistoryState::Finished => format!(
                "finished_at = {}, applied_steps_count = 1, logs = {}",
                self.layout.now,
                placeholder(1)
            ),
            HistoryState::Started | HistoryState::Failed => {
                format!("finished_at = NULL, logs = {}", placeholder(1))
            }
        };
        let sql = format!(
            "UPDATE {} SET {set} WHERE substr(replace(id, '-', ''), 1, 16) = {}",
            table(),
            placeholder(2)
        );
        let digits = key_digits(id);
        database.execute_with_parameters(
            &sql,
            &[
                SqlValue::optional_text(failure_message),
                SqlValue::Text(&digits),
            ],
        )?;
        Ok(())
    }

    /// Deletes the row whose id `id` stands for (see `key_digits`), as the comon_orm table does.
    fn delete(&self, database: &mut Database, id: i64) -> Result<(), RunnerError> {
        let sql = format!(
            "DELETE FROM {} WHERE substr(replace(id, '-', ''), 1, 16) = {}",
            table(),
            (self.layout.placeholder)(1)
        );
        let digits = key_digits(id);
        database.execute_with_parameters(&sql, &[SqlValue::Text(&digits)])?;
        Ok(())
    }
}

fn history_row(position: usize, row: &NamedRow<'_>) -> HistoryRow {
    let text = |column: &str| row.get(column).map(str::to_string);
    let finished = row.get("finished_at").is_some();
    HistoryRow {
        id: Some(position as i64 + 1),
        name: text("migration_name").unwrap_or_default(),
        applied_at: text("started_at").unwrap_or_default(),
        statement_count: row
            .get("applied_steps_count")
            .and_then(|count| count.trim().parse().ok())
            .unwrap_or(0),
        kind: HistoryKind::Apply,
        target_name: None,
        provider: None,
        checksum: text("checksum"),
        before_schema: None,
        after_schema: None,
        warnings: Vec::new(),
        rebuild_required: false,
        state: if finished {
            HistoryState::Finished
        } else {
            HistoryState::Failed
        },
        failure_message: text("logs"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_key_is_the_first_64_bits_of_the_uuid() {
        let key = row_key("8f14e45f-ceea-4167-a5a2-b5e3a5c1d2e3").expect("key");
        assert_eq!(key_digits(key), "8f14e45fceea4167");
        assert_eq!(row_key("not hex"), None);
    }
}
