//! The generated benchmark schemas (`benches/support/generated_schema.rs`) are valid on both
//! providers and their pair plans every change kind it says it makes: a benchmark of a pair
//! that silently stopped changing anything would measure nothing. (The pair is applied to real
//! databases by `tests/tests/convergence.rs`.)

#[path = "../benches/support/generated_schema.rs"]
mod generated_schema;

use generated_schema::{generated_schema, new_model_count, Side};
use planner::{database_schema_from_source, plan_migration, render_plan, DiffOptions};

fn sql_of(previous_source: &str, next_source: &str) -> String {
    let previous = database_schema_from_source(previous_source)
        .unwrap_or_else(|errors| panic!("previous is invalid: {}", errors.errors[0]));
    let next = database_schema_from_source(next_source)
        .unwrap_or_else(|errors| panic!("next is invalid: {}", errors.errors[0]));
    render_plan(&plan_migration(&previous, &next, &DiffOptions::default()).expect("plans")).sql
}

#[test]
fn the_same_side_twice_plans_nothing() {
    for provider in ["postgresql", "sqlite"] {
        for side in [Side::Previous, Side::Next] {
            let source = generated_schema(provider, 120, side);
            let sql = sql_of(&source, &source);
            assert!(sql.trim().is_empty(), "{provider} {side:?}:\n{sql}");
        }
    }
}

#[test]
fn the_same_model_count_gives_the_same_text() {
    assert_eq!(
        generated_schema("postgresql", 300, Side::Next),
        generated_schema("postgresql", 300, Side::Next)
    );
    assert_ne!(
        generated_schema("postgresql", 300, Side::Previous),
        generated_schema("postgresql", 300, Side::Next)
    );
}

#[test]
fn every_model_and_relation_is_created_from_empty() {
    for provider in ["postgresql", "sqlite"] {
        let model_count = 250;
        let next = generated_schema(provider, model_count, Side::Next);
        let sql = sql_of(
            &format!("datasource db {{\n  provider = \"{provider}\"\n}}\n"),
            &next,
        );
        let created_tables = sql.matches("CREATE TABLE").count();
        assert_eq!(
            created_tables,
            model_count + new_model_count(model_count),
            "{provider}"
        );
        // Every model but the first has a required relation, every third one a second one.
        let foreign_keys = sql.matches("FOREIGN KEY").count();
        assert_eq!(
            foreign_keys,
            model_count - 1 + (model_count - 1) / 3,
            "{provider}"
        );
    }
}

#[test]
fn the_pair_plans_each_change_kind_on_postgresql() {
    let sql = sql_of(
        &generated_schema("postgresql", 100, Side::Previous),
        &generated_schema("postgresql", 100, Side::Next),
    );
    for expected in [
        // The new enum value.
        "ALTER TYPE \"Status0\" ADD VALUE 'PENDING'",
        // Kind 0 (model 3): a dropped column, a required column with a default, an index.
        "ALTER TABLE \"tbl_3\" DROP COLUMN \"description\"",
        "ADD COLUMN \"region\" TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX CONCURRENTLY \"tbl_3_region_title_idx\"",
        // Kind 1 (model 13): Int to BigInt.
        "ALTER COLUMN \"amount\" SET DATA TYPE BIGINT",
        // Kind 2 (model 23): a changed default and a composite unique.
        "ALTER TABLE \"tbl_23\" ALTER COLUMN \"active\" DROP DEFAULT,\n    ALTER COLUMN \"active\" SET DEFAULT false",
        "CREATE UNIQUE INDEX CONCURRENTLY \"tbl_23_title_amount_key\"",
        // Kind 3 (model 33): an optional column and a changed referential action.
        "ALTER TABLE \"tbl_33\" ADD COLUMN \"note\" TEXT",
        "ON DELETE RESTRICT",
        // Kind 4: a widened varchar (model 93), a renamed table (model 43, whose model name
        // stays and pairs the tables).
        "ALTER TABLE \"tbl_93\" ALTER COLUMN \"title\" SET DATA TYPE VARCHAR(400)",
        "ALTER TABLE \"tbl_43\" RENAME TO \"tbl_43_renamed\"",
        // A new model.
        "CREATE TABLE \"Added0\"",
    ] {
        assert!(sql.contains(expected), "missing `{expected}` in:\n{sql}");
    }
}

#[test]
fn the_pair_plans_each_change_kind_on_sqlite() {
    let sql = sql_of(
        &generated_schema("sqlite", 100, Side::Previous),
        &generated_schema("sqlite", 100, Side::Next),
    );
    for expected in [
        // Every change but the rename rebuilds its table on SQLite: kind 0 (model 3), 1 (13),
        // 2 (23) and 3 (33).
        "CREATE TABLE \"new_tbl_3\"",
        "CREATE INDEX \"tbl_3_region_title_idx\"",
        "CREATE TABLE \"new_tbl_13\"",
        "CREATE TABLE \"new_tbl_23\"",
        "CREATE UNIQUE INDEX \"tbl_23_title_amount_key\"",
        "CREATE TABLE \"new_tbl_33\"",
        "ALTER TABLE \"tbl_43\" RENAME TO \"tbl_43_renamed\"",
        "CREATE TABLE \"Added0\"",
    ] {
        assert!(sql.contains(expected), "missing `{expected}` in:\n{sql}");
    }
}
