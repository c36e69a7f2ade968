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
pub mod plan;
pub mod provider;
pub mod render;
pub mod schema_language;

pub use database_schema::DatabaseSchema;
pub use error::{SchemaError, Span};
pub use plan::{MigrationPlan, MigrationStep, Warning, WarningKind};
pub use provider::Provider;
