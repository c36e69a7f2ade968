//! Planning speed on a large generated schema: parse, validate and lower, diff, render.
//! `cargo bench -p comon-planner --bench planning`; the figures are written down in the README.
//!
//! The schema has `MODEL_COUNT` models of about a dozen fields each, with relations to
//! earlier models, unique and plain indexes, and enums. The `next` version changes one model
//! in ten (a new column, a type change, a new index, a dropped column), like a busy release.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use planner::schema_language::parse_schema;
use planner::{database_schema_from_source, plan_migration, render_plan, DiffOptions};

/// Writes a schema with `model_count` models; `changed` applies the release's changes.
pub fn generated_schema(provider: &str, model_count: usize, changed: bool) -> String {
    let mut text = format!("datasource db {{\n  provider = \"{provider}\"\n}}\n\n");
    for enum_number in 0..model_count / 50 + 1 {
        text.push_str(&format!(
            "enum Status{enum_number} {{\n  draft\n  published\n  archived\n}}\n\n"
        ));
    }
    for model_number in 0..model_count {
        let is_changed = changed && model_number % 10 == 3;
        text.push_str(&format!("model Model{model_number} {{\n"));
        text.push_str("  id        Int      @id @default(autoincrement())\n");
        text.push_str(&format!("  slug      String   @unique\n  title     String\n  body      String?\n  views     {} @default(0)\n", if is_changed { "BigInt" } else { "Int" }));
        text.push_str("  score     Float?\n  active    Boolean  @default(true)\n  createdAt DateTime @default(now())\n  updatedAt DateTime @updatedAt\n");
        text.push_str(&format!(
            "  status    Status{} @default(draft)\n",
            model_number / 50
        ));
        if !is_changed {
            text.push_str("  legacy    String?\n");
        } else {
            text.push_str("  summary   String   @default(\"\")\n");
        }
        if model_number > 0 {
            let parent = (model_number - 1) / 2;
            text.push_str(&format!("  parentId  Int?\n  parent    Model{parent}? @relation(\"Parent{model_number}\", fields: [parentId], references: [id], onDelete: SetNull)\n"));
        }
        for child in [model_number * 2 + 1, model_number * 2 + 2] {
            if child < model_count {
                text.push_str(&format!(
                    "  children{child} Model{child}[] @relation(\"Parent{child}\")\n"
                ));
            }
        }
        text.push_str("  @@index([createdAt])\n");
        if is_changed {
            text.push_str("  @@index([title, active])\n");
        }
        text.push_str("}\n\n");
    }
    text
}

fn planning(criterion: &mut Criterion) {
    for provider in ["postgresql", "sqlite"] {
        let model_count = 1000;
        let previous_source = generated_schema(provider, model_count, false);
        let next_source = generated_schema(provider, model_count, true);
        let previous = database_schema_from_source(&previous_source).unwrap_or_else(|errors| {
            panic!("the generated schema is invalid: {}", errors.errors[0])
        });
        let next = database_schema_from_source(&next_source).unwrap_or_else(|errors| {
            panic!("the generated schema is invalid: {}", errors.errors[0])
        });
        let plan =
            plan_migration(&previous, &next, &DiffOptions::default()).expect("same provider");
        let mut group = criterion.benchmark_group(format!("{provider}_{model_count}_models"));
        group.sample_size(20);
        group.bench_function(BenchmarkId::new("parse", provider), |bencher| {
            bencher.iter(|| parse_schema(&next_source).expect("parses"))
        });
        group.bench_function(
            BenchmarkId::new("parse_validate_lower", provider),
            |bencher| bencher.iter(|| database_schema_from_source(&next_source).expect("valid")),
        );
        group.bench_function(BenchmarkId::new("diff", provider), |bencher| {
            bencher
                .iter(|| plan_migration(&previous, &next, &DiffOptions::default()).expect("plans"))
        });
        group.bench_function(BenchmarkId::new("diff_from_empty", provider), |bencher| {
            bencher.iter(|| {
                plan_migration(
                    &planner::DatabaseSchema::empty(next.provider),
                    &next,
                    &DiffOptions::default(),
                )
                .expect("plans")
            })
        });
        group.bench_function(BenchmarkId::new("render", provider), |bencher| {
            bencher.iter(|| render_plan(&plan))
        });
        group.bench_function(BenchmarkId::new("end_to_end", provider), |bencher| {
            bencher.iter(|| {
                let previous = database_schema_from_source(&previous_source).expect("valid");
                let next = database_schema_from_source(&next_source).expect("valid");
                render_plan(
                    &plan_migration(&previous, &next, &DiffOptions::default()).expect("plans"),
                )
            })
        });
        group.finish();
    }
}

/// The same end-to-end planning at four sizes: linear growth shows as times proportional to
/// the model count.
fn scaling(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("end_to_end_scaling_postgresql");
    group.sample_size(10);
    for model_count in [250, 1000, 4000] {
        let previous_source = generated_schema("postgresql", model_count, false);
        let next_source = generated_schema("postgresql", model_count, true);
        group.bench_function(BenchmarkId::from_parameter(model_count), |bencher| {
            bencher.iter(|| {
                let previous = database_schema_from_source(&previous_source).expect("valid");
                let next = database_schema_from_source(&next_source).expect("valid");
                render_plan(
                    &plan_migration(&previous, &next, &DiffOptions::default()).expect("plans"),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, planning, scaling);
criterion_main!(benches);
