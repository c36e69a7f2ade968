//! The planner: a pure, IO-free core.
//!
//! It parses and validates `schema.prisma` text, lowers it to a provider's database schema,
//! interprets introspection rows into the same database schema, diffs two database schemas
//! (`previous` and `next`) into a plan made of data, and renders that plan to SQL.
//! Nothing in this crate reads files, clocks, the environment or the network: every input
//! comes in as an argument, so that the same code runs natively and in WebAssembly.

pub(crate) mod collections;
pub mod database_schema;
pub mod diff;
pub mod error;
pub mod introspection;
#[cfg(feature = "migration-sql-interpreter")]
pub mod lint;
#[cfg(feature = "migration-sql-interpreter")]
pub mod migration_sql;
pub mod migrations;
pub mod plan;
pub mod provider;
pub mod render;
pub mod schema_language;
pub mod types;
pub mod values;

pub use database_schema::from_data_model::{
    database_schema_from_source, database_schema_from_source_in_flavour,
};
pub use database_schema::DatabaseSchema;
pub use error::{SchemaError, Span};
pub use plan::{
    Decision, DecisionCode, MigrationPlan, MigrationStep, RenameCandidate, RenameKind, Warning,
    WarningKind,
};
pub use provider::{Flavour, Provider};

pub use diff::{DiffOptions, OnlineDdl, RenameDecision};
pub use render::{render_plan, RenderedMigration};

/// Parses and validates schema text into a data model: the rules of the language, then the
/// names the database would reject, which need the lowered schema.
pub fn parse_and_validate(source: &str) -> Result<schema_language::DataModel, error::SchemaErrors> {
    let ast = schema_language::parse_schema(source)?;
    database_schema::from_data_model::validate_and_lower(&ast).map(|(data_model, _)| data_model)
}

/// `parse_and_validate` for a schema written in several files: each file is parsed on its
/// own, then they are validated together, and every error points into its file (see
/// `schema_language::files`).
pub fn parse_and_validate_files(
    files: &schema_language::files::SchemaFiles,
) -> Result<schema_language::DataModel, Vec<schema_language::files::FileSchemaError>> {
    let syntax_errors = files.syntax_errors();
    if !syntax_errors.is_empty() {
        return Err(syntax_errors);
    }
    parse_and_validate(files.combined_text()).map_err(|errors| files.errors_in_files(errors))
}

/// Plans the migration from `previous` to `next` (see `diff::diff`).
pub fn plan_migration(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    options: &DiffOptions,
) -> Result<MigrationPlan, SchemaError> {
    diff::diff(previous, next, options)
}

/// Reads schema text for a known provider: text without a datasource takes it (as comon_orm's
/// snapshots are written), and a datasource of another provider is a `provider-mismatch`.
pub fn database_schema_for_provider(
    provider: Provider,
    source: &str,
) -> Result<DatabaseSchema, error::SchemaErrors> {
    database_schema_for_provider_in_flavour(provider, source, Flavour::ComonOrm)
}

/// `database_schema_for_provider` with the mapping of `flavour`.
pub fn database_schema_for_provider_in_flavour(
    provider: Provider,
    source: &str,
    flavour: Flavour,
) -> Result<DatabaseSchema, error::SchemaErrors> {
    let schema = migrations::database_schema_from_snapshot_in_flavour(provider, source, flavour)?;
    if schema.provider != provider {
        return Err(SchemaError::new(
            "provider-mismatch",
            format!(
                "The schema's datasource is {}, but {provider} was asked for.",
                schema.provider
            ),
            None,
        )
        .into());
    }
    Ok(schema)
}

/// One side of a plan as a caller holds it: nothing, schema text, or a snapshot.
#[derive(Debug, Clone)]
pub enum PlanSide {
    Empty,
    /// `schema.prisma` text; without a datasource it takes the plan's provider.
    SchemaText(String),
    Snapshot(DatabaseSchema),
}

impl PlanSide {
    fn into_database_schema(
        self,
        provider: Option<Provider>,
        flavour: Flavour,
    ) -> Result<DatabaseSchema, error::SchemaErrors> {
        match (self, provider) {
            (PlanSide::Snapshot(schema), _) => Ok(schema),
            (PlanSide::SchemaText(text), Some(provider)) => {
                database_schema_for_provider_in_flavour(provider, &text, flavour)
            }
            (PlanSide::SchemaText(text), None) => {
                database_schema_from_source_in_flavour(&text, flavour)
            }
            (PlanSide::Empty, Some(provider)) => Ok(DatabaseSchema::empty(provider)),
            (PlanSide::Empty, None) => Err(SchemaError::new(
                "missing-provider",
                "Both sides of the plan are empty: pass `provider`.",
                None,
            )
            .into()),
        }
    }
}

/// Why the two sides of a plan could not be read: the errors, and which side they belong to
/// (`None` when they concern the plan as a whole, such as a provider mismatch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSidesError {
    pub side: Option<&'static str>,
    pub errors: error::SchemaErrors,
}

impl std::fmt::Display for PlanSidesError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.side {
            Some(side) => write!(formatter, "{side}: {}", self.errors),
            None => write!(formatter, "{}", self.errors),
        }
    }
}

impl std::error::Error for PlanSidesError {}

/// Turns both sides of a plan into database schemas. The provider is `provider` when given;
/// otherwise the one `next` names (or `previous`, when `next` is empty), and the other side
/// takes it. A side that names another provider than `provider` is a `provider-mismatch`.
pub fn resolve_plan_sides(
    previous: PlanSide,
    next: PlanSide,
    provider: Option<Provider>,
) -> Result<(DatabaseSchema, DatabaseSchema), PlanSidesError> {
    resolve_plan_sides_in_flavour(previous, next, provider, Flavour::ComonOrm)
}

/// `resolve_plan_sides` with schema text read in `flavour`. Snapshots are taken as they are:
/// they already hold database types and names.
pub fn resolve_plan_sides_in_flavour(
    previous: PlanSide,
    next: PlanSide,
    provider: Option<Provider>,
    flavour: Flavour,
) -> Result<(DatabaseSchema, DatabaseSchema), PlanSidesError> {
    let on = |side: &'static str| {
        move |errors: error::SchemaErrors| PlanSidesError {
            side: Some(side),
            errors,
        }
    };
    let next_is_empty = matches!(next, PlanSide::Empty);
    let previous_is_empty = matches!(previous, PlanSide::Empty);
    let (previous, next) = if next_is_empty && !previous_is_empty {
        let previous = previous
            .into_database_schema(provider, flavour)
            .map_err(on("previous"))?;
        let next = next
            .into_database_schema(provider.or(Some(previous.provider)), flavour)
            .map_err(on("next"))?;
        (previous, next)
    } else {
        let next = next
            .into_database_schema(provider, flavour)
            .map_err(|errors| PlanSidesError {
                // Both sides empty and no provider is about the plan, not about `next`.
                side: if next_is_empty { None } else { Some("next") },
                errors,
            })?;
        let previous = previous
            .into_database_schema(provider.or(Some(next.provider)), flavour)
            .map_err(on("previous"))?;
        (previous, next)
    };
    if let Some(provider) = provider {
        if let Some(side) = [&previous, &next]
            .into_iter()
            .find(|side| side.provider != provider)
        {
            let error = SchemaError::new(
                "provider-mismatch",
                format!(
                    "`provider` is {provider} but a side of the plan is a {} schema.",
                    side.provider
                ),
                None,
            );
            return Err(PlanSidesError {
                side: None,
                errors: error.into(),
            });
        }
    }
    Ok((previous, next))
}
