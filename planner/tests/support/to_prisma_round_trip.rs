//! The `render_prisma_schema` round trip, shared by `to_prisma.rs` and the golden cases of
//! `golden.rs`.

use planner::database_schema::to_prisma::render_prisma_schema_in_flavour;
use planner::{
    database_schema_from_source_in_flavour, plan_migration, render_plan, DatabaseSchema,
    DiffOptions, Flavour,
};

/// Renders, re-parses and diffs; describes the first problem found.
#[allow(dead_code)] // Not every test target that includes this file uses both functions.
pub fn check_round_trip(schema: &DatabaseSchema) -> Result<(), String> {
    check_round_trip_in_flavour(schema, Flavour::ComonOrm)
}

/// The round trip of a schema lowered in `flavour`: rendered with the flavour's type mapping and
/// read back in the same flavour, since the flavour decides what a type without `@db.*`
/// becomes.
pub fn check_round_trip_in_flavour(
    schema: &DatabaseSchema,
    flavour: Flavour,
) -> Result<(), String> {
    let render = |schema: &DatabaseSchema| render_prisma_schema_in_flavour(schema, flavour);
    let rendered = render(schema);
    let reparsed =
        database_schema_from_source_in_flavour(&rendered, flavour).map_err(|errors| {
            format!("the rendered schema does not validate:\n{errors}\n--- rendered\n{rendered}")
        })?;
    let plan = plan_migration(schema, &reparsed, &DiffOptions::default())
        .map_err(|error| format!("planning failed: {error}"))?;
    if !plan.steps.is_empty() {
        return Err(format!(
            "the rendered schema describes another database; planned:\n{}\n--- rendered\n{rendered}",
            render_plan(&plan).sql
        ));
    }
    if render(&reparsed) != rendered && schema.tables.iter().all(|table| table.model_name.is_some())
    {
        // Rendering what was rendered must be stable once names are settled.
        return Err(format!(
            "rendering is not stable:\n--- first\n{rendered}\n--- second\n{}",
            render(&reparsed)
        ));
    }
    Ok(())
}
