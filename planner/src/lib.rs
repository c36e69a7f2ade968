//! The planner: a pure, IO-free core.
//!
//! It parses and validates `schema.prisma` text, lowers it to a provider's database schema,
//! interprets introspection rows into the same database schema, diffs two database schemas
//! (`previous` and `next`) into a plan made of data, and renders that plan to SQL.
//! Nothing in this crate reads files, clocks, the environment or the network: every input
//! comes in as an argument, so that the same code runs natively and in WebAssembly.

pub mod database_schema;
pub mod diff;
pub mod error;
pub mod introspection;
pub mod migrations;
pub mod plan;
pub mod provider;
pub mod render;
pub mod schema_language;

pub use database_schema::DatabaseSchema;
pub use error::{SchemaError, Span};
pub use plan::{MigrationPlan, MigrationStep, Warning, WarningKind};
pub use provider::Provider;

pub use diff::DiffOptions;
pub use render::{render_plan, RenderedMigration};

/// Parses, validates and lowers schema text to the database schema it describes.
pub fn database_schema_from_source(source: &str) -> Result<DatabaseSchema, error::SchemaErrors> {
    let data_model = schema_language::parse_and_validate(source)?;
    let schema = database_schema::from_data_model::database_schema_from_data_model(&data_model);
    let errors = database_schema::check_object_names(&schema, &data_model);
    if errors.is_empty() {
        Ok(schema)
    } else {
        Err(error::SchemaErrors { errors })
    }
}

/// Plans the migration from `previous` to `next` (see `diff::diff`).
pub fn plan_migration(previous: &DatabaseSchema, next: &DatabaseSchema, options: &DiffOptions) -> Result<MigrationPlan, SchemaError> {
    diff::diff(previous, next, options)
}
