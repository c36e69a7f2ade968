//! The versioned upgrader: the explicit call an app makes before it opens a local database
//! that holds data worth keeping. The version lives in `PRAGMA user_version`; steps are
//! chained by their from-version; every pending step runs in one transaction, so a failure
//! anywhere leaves the database exactly as it was, data and version.

use super::cache::CACHE_METADATA_TABLE;
use super::connection::{
    message_of, open_database_file, read_local_database_version, schema_object_exists,
    with_foreign_keys_paused, StepConnection,
};
use super::error::DeviceLocalError;
use super::rebuild::rebuild_table;
use super::steps::{StepAction, UpgradeStep};
use comon_database::{foreign_key_violations, run_statements_keeping_dependents};
use planner::migrations::{
    analyze_migration_statements, migration_script_of_plan, MigrationScript, ScriptStatement,
    ScriptTarget,
};
use planner::Provider;
use rusqlite::{Connection, TransactionBehavior};
use std::collections::BTreeMap;
use std::path::Path;

/// The largest value `PRAGMA user_version` holds (a signed 32-bit integer).
const LARGEST_STORABLE_VERSION: u32 = i32::MAX as u32;

/// The app's upgrade steps and the version this build of the app expects.
#[derive(Debug)]
pub struct LocalDatabaseUpgrader {
    app_version: u32,
    steps_by_from_version: BTreeMap<u32, UpgradeStep>,
}

/// What an upgrade did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradeReport {
    /// The version the database had before.
    pub previous_version: u32,
    /// The version it has now: the app's version.
    pub version: u32,
    /// The names of the steps that ran, in order; empty when the database was current.
    pub applied_steps: Vec<String>,
}

/// A connection to a database that the upgrader has brought to the app's version.
///
/// Only `LocalDatabaseUpgrader::upgrade` makes one. An app's normal opener takes this type
/// (`fn open_notes(database: UpgradedDatabase) -> Notes`) rather than a path or a bare
/// connection, so the compiler sees to it that the upgrade happened first, and the opener has
/// nothing to plan.
#[must_use = "the upgraded connection is what the app's opener takes"]
#[derive(Debug)]
pub struct UpgradedDatabase {
    connection: Connection,
    report: UpgradeReport,
}

impl UpgradedDatabase {
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.connection
    }

    pub fn report(&self) -> &UpgradeReport {
        &self.report
    }

    pub fn into_connection(self) -> Connection {
        self.connection
    }

    pub fn into_parts(self) -> (Connection, UpgradeReport) {
        (self.connection, self.report)
    }
}

impl LocalDatabaseUpgrader {
    /// Checks the steps' versions: each moves forward, none goes past the app's version, no
    /// two start at the same version. Whether a chain reaches the app's version from a given
    /// database version is checked when that database is upgraded, since an app may drop the
    /// steps of versions it no longer supports.
    pub fn new(
        app_version: u32,
        steps: Vec<UpgradeStep>,
    ) -> Result<LocalDatabaseUpgrader, DeviceLocalError> {
        if app_version > LARGEST_STORABLE_VERSION {
            return Err(DeviceLocalError::AppVersionTooLarge { app_version });
        }
        let mut steps_by_from_version = BTreeMap::new();
        for step in steps {
            if step.to_version <= step.from_version {
                return Err(DeviceLocalError::InvalidStepVersions {
                    step: step.name,
                    from_version: step.from_version,
                    to_version: step.to_version,
                });
            }
            if step.to_version > app_version {
                return Err(DeviceLocalError::StepPastAppVersion {
                    step: step.name,
                    to_version: step.to_version,
                    app_version,
                });
            }
            if steps_by_from_version.contains_key(&step.from_version) {
                return Err(DeviceLocalError::DuplicateStep {
                    version: step.from_version,
                });
            }
            steps_by_from_version.insert(step.from_version, step);
        }
        Ok(LocalDatabaseUpgrader {
            app_version,
            steps_by_from_version,
        })
    }

    pub fn app_version(&self) -> u32 {
        self.app_version
    }

    /// The steps in order of their from-version.
    pub fn steps(&self) -> impl Iterator<Item = &UpgradeStep> {
        self.steps_by_from_version.values()
    }

    /// The steps that bring a database at `database_version` to the app's version, in order.
    pub fn pending_steps(
        &self,
        database_version: i64,
    ) -> Result<Vec<&UpgradeStep>, DeviceLocalError> {
        let mut version = self.checked_database_version(database_version)?;
        let mut pending = Vec::new();
        while version < self.app_version {
            let step = self
                .steps_by_from_version
                .get(&version)
                .ok_or(DeviceLocalError::MissingStep { version })?;
            pending.push(step);
            version = step.to_version;
        }
        Ok(pending)
    }

    /// Plans and renders every step without a database: a schema diff that would be refused,
    /// or an invalid schema text, fails here. Meant for the app's own tests.
    pub fn check_steps(&self) -> Result<(), DeviceLocalError> {
        for step in self.steps() {
            step.planned_statements()?;
        }
        Ok(())
    }

    /// Opens the file (creating it when missing) and upgrades it.
    pub fn upgrade_file(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<UpgradedDatabase, DeviceLocalError> {
        self.upgrade(open_database_file(path.as_ref())?)
    }

    /// Brings the database to the app's version and hands the connection back as an
    /// `UpgradedDatabase`. Every pending step runs in one `BEGIN IMMEDIATE` transaction with
    /// foreign key enforcement paused; when the connection enforced foreign keys, `PRAGMA
    /// foreign_key_check` must pass before the commit, and enforcement is on again afterwards.
    /// On any error the transaction is rolled back and the connection is closed: data and
    /// version are as they were.
    pub fn upgrade(
        &self,
        mut connection: Connection,
    ) -> Result<UpgradedDatabase, DeviceLocalError> {
        refuse_rebuildable_cache(&connection)?;
        // The common case, a database already at the app's version, costs one pragma read and
        // takes no write lock.
        let version_before = read_local_database_version(&connection)?;
        if version_before == i64::from(self.app_version) {
            let report = UpgradeReport {
                previous_version: self.app_version,
                version: self.app_version,
                applied_steps: Vec::new(),
            };
            return Ok(UpgradedDatabase { connection, report });
        }
        // Refuse a newer database or a missing step before touching any setting.
        self.pending_steps(version_before)?;
        let report =
            with_foreign_keys_paused(&mut connection, |connection, check_foreign_keys| {
                self.upgrade_in_one_transaction(connection, check_foreign_keys)
            })?;
        Ok(UpgradedDatabase { connection, report })
    }

    fn upgrade_in_one_transaction(
        &self,
        connection: &mut Connection,
        check_foreign_keys: bool,
    ) -> Result<UpgradeReport, DeviceLocalError> {
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| {
                DeviceLocalError::database("begin the upgrade transaction of", &error)
            })?;
        // Read again under the write lock: another process of the app may have upgraded the
        // database since the first read.
        let previous_version =
            self.checked_database_version(read_local_database_version(&transaction)?)?;
        let pending = self.pending_steps(i64::from(previous_version))?;
        let mut applied_steps = Vec::new();
        for step in pending {
            run_step(&transaction, step)?;
            let set_version = format!("PRAGMA user_version = {}", step.to_version);
            transaction
                .execute_batch(&set_version)
                .map_err(|error| DeviceLocalError::step_failed(&step.name, &set_version, &error))?;
            applied_steps.push(step.name.clone());
        }
        if check_foreign_keys {
            let violations =
                foreign_key_violations(&mut StepConnection(&transaction)).map_err(|error| {
                    DeviceLocalError::Database {
                        action: "check the foreign keys of",
                        message: message_of(&error),
                    }
                })?;
            if !violations.is_empty() {
                // Dropping the transaction rolls it back.
                return Err(DeviceLocalError::ForeignKeyViolation { violations });
            }
        }
        transaction
            .commit()
            .map_err(|error| DeviceLocalError::database("commit the upgrade of", &error))?;
        Ok(UpgradeReport {
            previous_version,
            version: self.app_version,
            applied_steps,
        })
    }

    fn checked_database_version(&self, database_version: i64) -> Result<u32, DeviceLocalError> {
        if database_version < 0 {
            return Err(DeviceLocalError::InvalidDatabaseVersion { database_version });
        }
        if database_version > i64::from(self.app_version) {
            return Err(DeviceLocalError::DatabaseNewerThanApp {
                database_version,
                app_version: self.app_version,
            });
        }
        // Not negative and at most the app's version, which fits in a u32.
        Ok(database_version as u32)
    }
}

fn refuse_rebuildable_cache(connection: &Connection) -> Result<(), DeviceLocalError> {
    let is_cache = schema_object_exists(connection, "table", CACHE_METADATA_TABLE)
        .map_err(|error| DeviceLocalError::database("read the schema of", &error))?;
    if is_cache {
        return Err(DeviceLocalError::DatabaseIsRebuildableCache {
            metadata_table: CACHE_METADATA_TABLE,
        });
    }
    Ok(())
}

/// Runs one step inside the upgrade's transaction. A step that is SQL (a schema diff's plan,
/// the schema builder's statements, raw SQL) runs as the planner's analysis of it says, in the
/// loop every runner follows (`comon_database::run_statements_keeping_dependents`): a rebuilt
/// table keeps its triggers, partial and expression indexes. What the analysis asks around the
/// transaction (foreign keys off, checked before the commit) the upgrader does once for all
/// its steps.
fn run_step(connection: &Connection, step: &UpgradeStep) -> Result<(), DeviceLocalError> {
    let origin = format!("Upgrade step `{}`", step.name);
    let script = match &step.action {
        StepAction::RebuildTable {
            replacement,
            copy_rows,
        } => return rebuild_table(connection, &step.name, replacement, copy_rows),
        StepAction::SchemaDiff {
            previous,
            next,
            warnings,
        } => {
            let plan = step.plan_schema_diff(previous, next, *warnings)?;
            Ok(migration_script_of_plan(&plan))
        }
        StepAction::Statements(_) | StepAction::RawSql(_) => {
            let statements = step
                .planned_statements()?
                .into_iter()
                .map(ScriptStatement::planned)
                .collect();
            let target = ScriptTarget {
                server_version_number: None,
                always_in_transaction: true,
            };
            analyze_migration_statements(Provider::Sqlite, &origin, statements, &target)
        }
    }
    .map_err(|error| DeviceLocalError::step_refused(&step.name, error))?;
    run_script(connection, &step.name, &script)
}

fn run_script(
    connection: &Connection,
    step_name: &str,
    script: &MigrationScript,
) -> Result<(), DeviceLocalError> {
    run_statements_keeping_dependents(&mut StepConnection(connection), script)
        .map_err(|failure| DeviceLocalError::step_script_failed(step_name, failure))
}
