//! A table rebuild with the app's copy callback, by SQLite's documented procedure
//! (https://www.sqlite.org/lang_altertable.html#otheralter). The upgrader has already done
//! steps 1 and 2 (foreign keys off, transaction begun) and does 10 to 12 (foreign key check,
//! commit, enforcement back on) once for the whole upgrade; this file does steps 3 to 8. Step
//! 9, views whose text the change breaks, is the app's: views are left as they are.

use super::connection::{row_count, run_statement, schema_object_exists};
use super::error::DeviceLocalError;
use super::schema_builder::TableDefinition;
use super::steps::{CopyRows, RebuildCopy};
use comon_database::quote_identifier;
use planner::render::render_step;
use planner::{MigrationStep, Provider};
use rusqlite::Connection;

pub(crate) fn rebuild_table(
    connection: &Connection,
    step_name: &str,
    replacement: &TableDefinition,
    copy_rows: &CopyRows,
) -> Result<(), DeviceLocalError> {
    let table = replacement.name();
    // The same temporary name the planner's rebuilds use.
    let temporary_table = format!("new_{table}");
    let failed = |statement: &str, error: rusqlite::Error| {
        DeviceLocalError::step_failed(step_name, statement, &error)
    };

    let name_taken = schema_object_exists(connection, "table", &temporary_table)
        .map_err(|error| failed("SELECT ... FROM sqlite_master", error))?;
    if name_taken {
        return Err(DeviceLocalError::RebuildTemporaryTableExists {
            step: step_name.to_string(),
            table: table.to_string(),
            temporary_table,
        });
    }
    let source_rows = row_count(connection, table).map_err(|error| {
        failed(
            &format!("SELECT count(*) FROM {}", quote_identifier(table)),
            error,
        )
    })?;

    with_rebuild_bookkeeping(connection, step_name, &[table], || {
        // Step 4: the new table, rendered by the planner under the temporary name.
        let mut temporary_definition = replacement.as_table().clone();
        temporary_definition.name = temporary_table.clone();
        run_planned_step(
            connection,
            step_name,
            &MigrationStep::CreateTable {
                table: temporary_definition,
            },
        )?;

        // Step 5: the app copies the rows, converting them as the new shape requires.
        let copy = RebuildCopy {
            connection,
            source_table: table,
            target_table: &temporary_table,
        };
        copy_rows(&copy).map_err(|error| {
            failed(
                &format!("the copy callback from `{table}` into `{temporary_table}`"),
                error,
            )
        })?;
        let copied_rows = row_count(connection, &temporary_table).map_err(|error| {
            failed(
                &format!(
                    "SELECT count(*) FROM {}",
                    quote_identifier(&temporary_table)
                ),
                error,
            )
        })?;
        if copied_rows != source_rows {
            return Err(DeviceLocalError::RebuildChangedRowCount {
                step: step_name.to_string(),
                table: table.to_string(),
                source_rows,
                copied_rows,
            });
        }

        // Steps 6 and 7: drop the old table, give the new one its name.
        run_planned_step(
            connection,
            step_name,
            &MigrationStep::DropTable {
                table: table.to_string(),
            },
        )?;
        run_planned_step(
            connection,
            step_name,
            &MigrationStep::RenameTable {
                previous_name: temporary_table.clone(),
                next_name: table.to_string(),
            },
        )?;

        // Step 8, indexes: the replacement lists the indexes the rebuilt table has.
        for index in &replacement.as_table().indexes {
            run_planned_step(
                connection,
                step_name,
                &MigrationStep::CreateIndex {
                    table: table.to_string(),
                    index: index.clone(),
                },
            )?;
        }
        Ok(())
    })
}

/// What the app's rebuild needs around its own statements (a planner rebuild, of a schema diff,
/// carries the same in its statements and requirements):
///
/// - Step 3 of the procedure: dropping a table drops its triggers, so the triggers of `tables`
///   are read first and re-created at the end (step 8). A trigger that names a column the
///   rebuild removed fails then, and the whole upgrade is rolled back.
/// - `legacy_alter_table` is on while `rebuild` runs. Without it SQLite (3.26 and later)
///   re-parses every view and trigger when `new_<table>` is renamed, and a view over the
///   table, which was just dropped, fails that check. The legacy rename only renames: nothing
///   refers to `new_<table>` to be rewritten, and other tables' foreign keys already name the
///   table by its final name. A rebuild renames nothing else.
fn with_rebuild_bookkeeping(
    connection: &Connection,
    step_name: &str,
    tables: &[&str],
    rebuild: impl FnOnce() -> Result<(), DeviceLocalError>,
) -> Result<(), DeviceLocalError> {
    let failed = |statement: &str, error: rusqlite::Error| {
        DeviceLocalError::step_failed(step_name, statement, &error)
    };
    let mut triggers = Vec::new();
    for table in tables {
        triggers.extend(
            trigger_definitions(connection, table)
                .map_err(|error| failed("SELECT sql FROM sqlite_master", error))?,
        );
    }
    let legacy_before: bool = connection
        .pragma_query_value(None, "legacy_alter_table", |row| row.get(0))
        .map_err(|error| failed("PRAGMA legacy_alter_table", error))?;
    let switch_legacy = |enabled: bool| {
        let statement = format!(
            "PRAGMA legacy_alter_table = {}",
            if enabled { "ON" } else { "OFF" }
        );
        connection
            .execute_batch(&statement)
            .map_err(|error| failed(&statement, error))
    };
    switch_legacy(true)?;
    let rebuilt = rebuild();
    // The rebuild's own error is the useful one; a failed restore is reported only on success.
    let restored = if legacy_before {
        Ok(())
    } else {
        switch_legacy(false)
    };
    rebuilt.and(restored)?;
    for trigger in &triggers {
        run_statement(connection, trigger).map_err(|error| failed(trigger, error))?;
    }
    Ok(())
}

fn run_planned_step(
    connection: &Connection,
    step_name: &str,
    step: &MigrationStep,
) -> Result<(), DeviceLocalError> {
    for statement in render_step(step, Provider::Sqlite) {
        run_statement(connection, &statement)
            .map_err(|error| DeviceLocalError::step_failed(step_name, &statement, &error))?;
    }
    Ok(())
}

fn trigger_definitions(connection: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?1) AND sql IS NOT NULL ORDER BY rowid",
    )?;
    let rows = statement.query_map([table], |row| row.get::<_, String>(0))?;
    rows.collect()
}
