//! The bootstrap of a rebuildable local cache: a database whose rows the app can fetch again,
//! so that a schema change resets it instead of migrating it.
//!
//! The schema's fingerprint is stored in a one-row table, `_comon_local_cache`
//! (`schema_fingerprint TEXT NOT NULL`). The fingerprint is the comon migration checksum
//! (`planner::migrations::migration_checksum`, a SHA-256 in lowercase hex) of the migration
//! that creates the schema on an empty SQLite database: provider `sqlite`, empty before and
//! after texts, the rendered `migration.sql`, no warnings, no rebuild. So it follows the SQL
//! that is run, not the way the schema text is written: comments and formatting do not reset a
//! cache, and the npm package computes the same value with its `checksum` function. A table
//! holds it rather than `PRAGMA application_id`, which has only 32 bits and is meant for the
//! app's own file-type tag.
//!
//! A cache keeps `PRAGMA user_version` at 0. The bootstrap refuses a database with another
//! version, and the versioned upgrader refuses a database with the metadata table, so neither
//! path can be taken on the other's database by mistake: the bootstrap never resets data that
//! versioned upgrades keep.

use super::connection::{
    open_database_file, read_local_database_version, run_statement, schema_object_exists,
    with_foreign_keys_paused,
};
use super::error::DeviceLocalError;
use comon_database::quote_identifier;
use planner::migrations::{database_schema_from_snapshot, migration_checksum, ChecksumInput};
use planner::render::join_statements;
use planner::{plan_migration, render_plan, DatabaseSchema, DiffOptions, Provider};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;

/// The table that marks a database as a rebuildable cache and holds its schema fingerprint.
pub const CACHE_METADATA_TABLE: &str = "_comon_local_cache";

/// The schema a rebuildable cache must have, with its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildableCacheSchema {
    statements: Vec<String>,
    fingerprint: String,
}

/// What a bootstrap did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheBootstrapOutcome {
    /// The database was empty; the schema was created.
    Created,
    /// The stored fingerprint is the app's; nothing was changed.
    AlreadyCurrent,
    /// The database held another schema (`previous_fingerprint`), or objects without a
    /// fingerprint (`None`); everything was dropped and the schema created.
    Reset {
        previous_fingerprint: Option<String>,
    },
}

/// A connection to a cache that has the app's schema. Only `RebuildableCacheSchema::bootstrap`
/// makes one; an app's cache opener takes this type, as its data opener takes
/// `UpgradedDatabase`.
#[must_use = "the bootstrapped connection is what the app's cache opener takes"]
#[derive(Debug)]
pub struct BootstrappedCache {
    connection: Connection,
    outcome: CacheBootstrapOutcome,
}

impl BootstrappedCache {
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.connection
    }

    pub fn outcome(&self) -> &CacheBootstrapOutcome {
        &self.outcome
    }

    pub fn into_connection(self) -> Connection {
        self.connection
    }

    pub fn into_parts(self) -> (Connection, CacheBootstrapOutcome) {
        (self.connection, self.outcome)
    }
}

impl RebuildableCacheSchema {
    /// The schema described by schema.prisma text (a text without a `datasource` block is read
    /// as SQLite), planned from the empty database and rendered by the planner.
    pub fn from_prisma_schema(source: &str) -> Result<RebuildableCacheSchema, DeviceLocalError> {
        let invalid = |message: String| DeviceLocalError::InvalidCacheSchema { message };
        let next = database_schema_from_snapshot(Provider::Sqlite, source)
            .map_err(|errors| invalid(errors.to_string()))?;
        if next.provider != Provider::Sqlite {
            return Err(invalid(format!(
                "its datasource is {}, but a local cache is SQLite",
                next.provider.as_str()
            )));
        }
        let plan = plan_migration(
            &DatabaseSchema::empty(Provider::Sqlite),
            &next,
            &DiffOptions::default(),
        )
        .map_err(|error| invalid(error.to_string()))?;
        Ok(RebuildableCacheSchema::from_rendered_statements(
            render_plan(&plan).statements,
        ))
    }

    /// A schema given as SQL text; each text may hold several statements separated by `;`.
    pub fn from_sql<Text: AsRef<str>>(
        texts: impl IntoIterator<Item = Text>,
    ) -> Result<RebuildableCacheSchema, DeviceLocalError> {
        let mut statements = Vec::new();
        for text in texts {
            let split = comon_database::split_sql_script(Provider::Sqlite, text.as_ref()).map_err(
                |error| DeviceLocalError::InvalidCacheSchema {
                    message: error.to_string(),
                },
            )?;
            statements.extend(split);
        }
        Ok(RebuildableCacheSchema::from_rendered_statements(statements))
    }

    fn from_rendered_statements(statements: Vec<String>) -> RebuildableCacheSchema {
        let migration_sql = join_statements(&statements);
        let fingerprint = migration_checksum(&ChecksumInput {
            provider: Provider::Sqlite.as_str(),
            before_schema: "",
            after_schema: "",
            migration_sql: &migration_sql,
            warnings: &[],
            requires_rebuild: false,
        });
        RebuildableCacheSchema {
            statements,
            fingerprint,
        }
    }

    /// The statements that create the schema.
    pub fn statements(&self) -> &[String] {
        &self.statements
    }

    /// The fingerprint stored in `_comon_local_cache` (see the module documentation).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Opens the file (creating it when missing) and bootstraps it.
    pub fn bootstrap_file(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<BootstrappedCache, DeviceLocalError> {
        self.bootstrap(open_database_file(path.as_ref())?)
    }

    /// Creates the schema on an empty database; leaves a database with the app's fingerprint
    /// alone; drops everything in any other database with version 0 and creates the schema.
    /// Refuses a database with another version: versioned upgrades manage it. The reset runs in
    /// one transaction, so a failure leaves the old cache as it was.
    pub fn bootstrap(
        &self,
        mut connection: Connection,
    ) -> Result<BootstrappedCache, DeviceLocalError> {
        let database_version = read_local_database_version(&connection)?;
        if database_version != 0 {
            return Err(DeviceLocalError::CacheDatabaseIsVersioned { database_version });
        }
        if self.stored_fingerprint(&connection)?.as_deref() == Some(self.fingerprint.as_str()) {
            return Ok(BootstrappedCache {
                connection,
                outcome: CacheBootstrapOutcome::AlreadyCurrent,
            });
        }
        let outcome = with_foreign_keys_paused(&mut connection, |connection, _| {
            self.reset_in_one_transaction(connection)
        })?;
        Ok(BootstrappedCache {
            connection,
            outcome,
        })
    }

    fn reset_in_one_transaction(
        &self,
        connection: &mut Connection,
    ) -> Result<CacheBootstrapOutcome, DeviceLocalError> {
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| {
                DeviceLocalError::database("begin the bootstrap transaction of", &error)
            })?;
        // Read again under the write lock: another process of the app may have bootstrapped the
        // cache since the first read.
        let previous_fingerprint = self.stored_fingerprint(&transaction)?;
        if previous_fingerprint.as_deref() == Some(self.fingerprint.as_str()) {
            return Ok(CacheBootstrapOutcome::AlreadyCurrent);
        }
        let dropped_anything = drop_every_schema_object(&transaction)?;
        let failed =
            |statement: &str, error: rusqlite::Error| DeviceLocalError::InvalidCacheSchema {
                message: format!("{error}\n{statement}"),
            };
        for statement in &self.statements {
            run_statement(&transaction, statement).map_err(|error| failed(statement, error))?;
        }
        let metadata = quote_identifier(CACHE_METADATA_TABLE);
        let create_metadata =
            format!("CREATE TABLE {metadata} (\"schema_fingerprint\" TEXT NOT NULL)");
        let store_fingerprint =
            format!("INSERT INTO {metadata} (\"schema_fingerprint\") VALUES (?1)");
        transaction
            .execute_batch(&create_metadata)
            .map_err(|error| failed(&create_metadata, error))?;
        transaction
            .execute(&store_fingerprint, [&self.fingerprint])
            .map_err(|error| failed(&store_fingerprint, error))?;
        transaction
            .commit()
            .map_err(|error| DeviceLocalError::database("commit the bootstrap of", &error))?;
        if dropped_anything {
            Ok(CacheBootstrapOutcome::Reset {
                previous_fingerprint,
            })
        } else {
            Ok(CacheBootstrapOutcome::Created)
        }
    }

    fn stored_fingerprint(
        &self,
        connection: &Connection,
    ) -> Result<Option<String>, DeviceLocalError> {
        let read_failed = |error: rusqlite::Error| {
            DeviceLocalError::database("read the cache fingerprint of", &error)
        };
        if !schema_object_exists(connection, "table", CACHE_METADATA_TABLE).map_err(read_failed)? {
            return Ok(None);
        }
        let query = format!(
            "SELECT \"schema_fingerprint\" FROM {} LIMIT 1",
            quote_identifier(CACHE_METADATA_TABLE)
        );
        // A metadata table of another shape counts as no fingerprint: the cache is reset.
        Ok(connection
            .query_row(&query, [], |row| row.get::<_, String>(0))
            .optional()
            .unwrap_or(None))
    }
}

/// Drops every view, trigger and table, except SQLite's own `sqlite_` tables, whose rows
/// about the dropped tables are removed. Returns whether there was anything to drop.
fn drop_every_schema_object(connection: &Connection) -> Result<bool, DeviceLocalError> {
    let failed = |statement: &str, error: rusqlite::Error| {
        DeviceLocalError::step_failed("cache reset", statement, &error)
    };
    let list = "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END, name";
    let objects: Vec<(String, String)> = {
        let mut statement = connection
            .prepare(list)
            .map_err(|error| failed(list, error))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|error| failed(list, error))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|error| failed(list, error))?
    };
    for (object_type, name) in &objects {
        // Dropping a table drops its triggers, so a trigger listed earlier may already be gone.
        let drop = format!(
            "DROP {} IF EXISTS {}",
            object_type.to_ascii_uppercase(),
            quote_identifier(name)
        );
        connection
            .execute_batch(&drop)
            .map_err(|error| failed(&drop, error))?;
    }
    // Statistics of `ANALYZE` would describe tables that are gone.
    if schema_object_exists(connection, "table", "sqlite_stat1")
        .map_err(|error| failed("sqlite_stat1", error))?
    {
        connection
            .execute_batch("DELETE FROM sqlite_stat1")
            .map_err(|error| failed("DELETE FROM sqlite_stat1", error))?;
    }
    Ok(!objects.is_empty())
}
