//! Migration artifacts and history, as pure functions: checksums, artifact files, the active
//! set of a history table, and `migrate status` issues. The runner and the npm package call
//! these so that both give the same answers.
//!
//! Nothing here reads files, clocks or databases: the runner reads a migration folder into
//! `MigrationFolderFiles`, history rows into `HistoryRow`s and the clock into a `UtcTimestamp`,
//! and writes back the `(file name, content)` pairs that `MigrationDraft::files` returns.

pub mod artifacts;
pub mod checksum;
pub mod drift;
pub mod history;
pub mod naming;
pub mod prisma;
pub mod script;
pub mod secrets;
pub mod status;

pub use artifacts::{
    local_migration_from_files, metadata_text, parse_metadata_text, parse_warnings_text,
    ArtifactError, ArtifactProblem, LocalMigration, MigrationDraft, MigrationFolderFiles,
};
pub use checksum::{migration_checksum, normalize_line_endings, ChecksumInput};
pub use history::{
    decode_warnings, encode_warnings, replay_history, HistoryKind, HistoryReplay, HistoryRow,
    HistoryState,
};
pub use naming::{generated_at_text, migration_folder_name, sanitize_migration_name, UtcTimestamp};
pub use script::{
    analyze_migration_script, analyze_migration_statements, migration_script_of_plan,
    migration_script_of_steps, split_sql_script, split_sql_script_with_lines,
    statements_of_rendering, MigrationScript, ScriptError, ScriptStatement, ScriptTarget,
};
pub use secrets::schema_text_without_passwords;
pub use status::{
    compute_status, invalid_indexes, InvalidIndex, MigrationStatus, StatusInput, StatusIssue,
    INVALID_INDEX,
};

use crate::database_schema::DatabaseSchema;
use crate::error::SchemaErrors;
use crate::provider::{Flavour, Provider};

/// The history table, named as comon_orm names it so that both tools share one history.
pub const HISTORY_TABLE_NAME: &str = "_comon_orm_migrations";

/// Turns a schema snapshot (an artifact's `before.prisma`/`after.prisma`, or a history row's
/// `before_schema`/`after_schema`) into the database schema it describes.
///
/// comon_orm writes snapshots of introspected databases without a `datasource` block, and an
/// empty database as empty text, so a snapshot without a datasource is read as one for
/// `provider` rather than rejected.
pub fn database_schema_from_snapshot(
    provider: Provider,
    snapshot: &str,
) -> Result<DatabaseSchema, SchemaErrors> {
    database_schema_from_snapshot_in_flavour(provider, snapshot, Flavour::ComonOrm)
}

/// `database_schema_from_snapshot` with the mapping of `flavour`.
pub fn database_schema_from_snapshot_in_flavour(
    provider: Provider,
    snapshot: &str,
    flavour: Flavour,
) -> Result<DatabaseSchema, SchemaErrors> {
    use crate::database_schema::from_data_model::database_schema_from_source_in_flavour;
    if snapshot.trim().is_empty() {
        return Ok(DatabaseSchema::empty(provider));
    }
    match database_schema_from_source_in_flavour(snapshot, flavour) {
        Ok(schema) => Ok(schema),
        Err(errors)
            if errors
                .errors
                .iter()
                .any(|error| error.code == "missing-datasource") =>
        {
            // The datasource goes after the text, so the spans of errors in the text stay true.
            let with_datasource = format!("{snapshot}\n{}", datasource_only_schema(provider));
            database_schema_from_source_in_flavour(&with_datasource, flavour)
        }
        Err(errors) => Err(errors),
    }
}

/// A schema with a datasource and nothing else: the `before.prisma` of a first migration.
pub fn datasource_only_schema(provider: Provider) -> String {
    format!(
        "datasource db {{\n  provider = \"{}\"\n}}\n",
        provider.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_without_datasource_take_the_given_provider() {
        let schema =
            database_schema_from_snapshot(Provider::Sqlite, "model User {\n  id Int @id\n}\n")
                .unwrap();
        assert_eq!(schema.provider, Provider::Sqlite);
        assert_eq!(schema.tables.len(), 1);
        assert!(database_schema_from_snapshot(Provider::Postgresql, "  \n")
            .unwrap()
            .tables
            .is_empty());
    }

    #[test]
    fn errors_in_a_snapshot_without_datasource_point_into_the_snapshot() {
        let errors = database_schema_from_snapshot(
            Provider::Sqlite,
            "model User {\n  id Int @id\n  b  Nope\n}\n",
        )
        .unwrap_err();
        let span = errors.errors[0].span.expect("an unknown type has a place");
        assert_eq!((span.line, span.column), (3, 6));
    }

    #[test]
    fn the_datasource_only_schema_is_valid() {
        let schema = database_schema_from_snapshot(
            Provider::Postgresql,
            &datasource_only_schema(Provider::Postgresql),
        );
        assert!(schema.unwrap().tables.is_empty());
    }
}
