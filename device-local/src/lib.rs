//! Device-local SQLite: databases that live on the user's device and that an app opens through
//! rusqlite, without the `comon` command line.
//!
//! Two paths, one per kind of local database, each an explicit call the app makes before it
//! opens the database, and each refusing the other's databases:
//!
//! - **Data worth keeping** (offline-first user data): `LocalDatabaseUpgrader::upgrade`. The
//!   version is `PRAGMA user_version`; `UpgradeStep`s are chained by their from-version and all
//!   pending ones run in one transaction. Step kinds: the schema builder, raw SQL, a table
//!   rebuild with the app's copy callback, and a schema diff planned by the planner (refused
//!   on warnings unless allowed). It returns an `UpgradedDatabase`, the only way to get one.
//! - **A cache the app can fetch again**: `RebuildableCacheSchema::bootstrap` creates the schema
//!   on an empty database and resets (drops and re-creates) one whose stored schema fingerprint
//!   differs from the app's. It returns a `BootstrappedCache`.
//!
//! The rule these types carry: upgrading is an explicit call made before the app opens its
//! database, and nothing plans migrations inside the app's normal opener. An app's opener
//! takes an `UpgradedDatabase` (or a `BootstrappedCache`), not a path, so it cannot run before
//! the upgrade, and it has no steps to plan with.
//!
//! ```no_run
//! use comon_device_local::{ColumnDefinition, LocalDatabaseUpgrader, TableDefinition, UpgradeStep, UpgradedDatabase};
//!
//! struct Notes {
//!     connection: rusqlite::Connection,
//! }
//!
//! // The app's opener: it can only be called with an upgraded database.
//! fn open_notes(database: UpgradedDatabase) -> Notes {
//!     Notes { connection: database.into_connection() }
//! }
//!
//! # fn main() -> Result<(), comon_device_local::DeviceLocalError> {
//! let upgrader = LocalDatabaseUpgrader::new(
//!     2,
//!     vec![
//!         UpgradeStep::schema(0, 1, "create notes", |schema| {
//!             schema.create_table(
//!                 TableDefinition::new("notes")
//!                     .column(ColumnDefinition::required("id", "INTEGER"))
//!                     .column(ColumnDefinition::required("body", "TEXT"))
//!                     .primary_key(&["id"]),
//!             );
//!         }),
//!         UpgradeStep::sql(1, 2, "add pinned", ["ALTER TABLE notes ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false"]),
//!     ],
//! )?;
//! let notes = open_notes(upgrader.upgrade_file("notes.db")?);
//! # let _ = notes.connection;
//! # Ok(())
//! # }
//! ```

mod cache;
mod connection;
mod error;
mod rebuild;
mod schema_builder;
mod steps;
mod upgrader;

pub use cache::{
    BootstrappedCache, CacheBootstrapOutcome, RebuildableCacheSchema, CACHE_METADATA_TABLE,
};
pub use connection::read_local_database_version;
pub use error::DeviceLocalError;
pub use planner::database_schema::ReferentialAction;
pub use schema_builder::{
    AlterTableBuilder, ColumnDefinition, ForeignKeyDefinition, SchemaBuilder, TableDefinition,
};
pub use steps::{CopyRows, RebuildCopy, UpgradeStep};
pub use upgrader::{LocalDatabaseUpgrader, UpgradeReport, UpgradedDatabase};
