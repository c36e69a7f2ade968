//! The `render_prisma_schema` round trip, shared by `to_prisma.rs` and the golden cases of
//! `golden.rs`.

use planner::database_schema::to_prisma::render_prisma_schema;
use planner::{
    database_schema_from_source, plan_migration, render_plan, DatabaseSchema, DiffOptions,
};

/// Renders, re-parses and diffs; describes the first problem found.
pub fn check_round_trip(schema: &DatabaseSchema) -> Result<(), String> {
    let rendered = render_prisma_schema(schema);
    let reparsed = database_schema_from_source(&rendered).map_err(|errors| {
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
    if render_prisma_schema(&reparsed) != rendered
        && schema.tables.iter().all(|table| table.model_name.is_some())
    {
        // Rendering what was rendered must be stable once names are settled.
        return Err(format!(
            "rendering is not stable:\n--- first\n{rendered}\n--- second\n{}",
            render_prisma_schema(&reparsed)
        ));
    }
    Ok(())
}
