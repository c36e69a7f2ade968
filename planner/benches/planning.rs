//! Planning speed, stage by stage, on generated schema pairs of 100, 1,000 and 5,000 models
//! (`support/generated_schema.rs`: relations, indexes, enums, one model in ten changed with the
//! change kinds of the golden cases) and on the newest schemas of the corpus:
//! `cargo bench -p comon-planner --bench planning`; the figures are written down in BENCHMARKS.md.
//!
//! Stages: `parse` (text to syntax tree), `validate_lower` (syntax tree to database schema),
//! `diff` (`previous` to `next`, and empty to `next`), `render` (plan to SQL) and `end_to_end`
//! (two texts to SQL, what `comon migrate diff --script` does between reading and printing).
//! Filter one size or stage with criterion's argument: `-- postgresql_1000/diff`.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use planner::database_schema::from_data_model::validate_and_lower;
use planner::schema_language::parse_schema;
use planner::{database_schema_from_source, plan_migration, render_plan, DiffOptions};

mod support;
use support::generated_schema::{generated_schema, Side};

/// Two schema texts to SQL: the work of `comon migrate diff --script` between reading the
/// files and printing.
fn end_to_end(previous_source: &str, next_source: &str) -> String {
    let previous = database_schema_from_source(previous_source).expect("valid");
    let next = database_schema_from_source(next_source).expect("valid");
    render_plan(&plan_migration(&previous, &next, &DiffOptions::default()).expect("plans")).sql
}

/// Every stage on one pair of texts, in a group named `name`.
fn stages(criterion: &mut Criterion, name: &str, previous_source: &str, next_source: &str) {
    let previous = database_schema_from_source(previous_source)
        .unwrap_or_else(|errors| panic!("{name}: previous is invalid: {}", errors.errors[0]));
    let next = database_schema_from_source(next_source)
        .unwrap_or_else(|errors| panic!("{name}: next is invalid: {}", errors.errors[0]));
    let next_ast = parse_schema(next_source).expect("parses");
    let empty = planner::DatabaseSchema::empty(next.provider);
    let plan = plan_migration(&previous, &next, &DiffOptions::default()).expect("same provider");
    let mut group = criterion.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Bytes(next_source.len() as u64));
    group.bench_function("parse", |bencher| {
        bencher.iter(|| parse_schema(next_source).expect("parses"))
    });
    group.bench_function("validate_lower", |bencher| {
        bencher.iter(|| validate_and_lower(&next_ast).expect("valid"))
    });
    group.throughput(Throughput::Elements(next.tables.len() as u64));
    group.bench_function("diff", |bencher| {
        bencher.iter(|| plan_migration(&previous, &next, &DiffOptions::default()).expect("plans"))
    });
    group.bench_function("diff_from_empty", |bencher| {
        bencher.iter(|| plan_migration(&empty, &next, &DiffOptions::default()).expect("plans"))
    });
    group.bench_function("render", |bencher| bencher.iter(|| render_plan(&plan)));
    group.throughput(Throughput::Bytes(
        (previous_source.len() + next_source.len()) as u64,
    ));
    group.bench_function("end_to_end", |bencher| {
        bencher.iter(|| end_to_end(previous_source, next_source))
    });
    group.bench_function("end_to_end_from_empty", |bencher| {
        bencher.iter(|| {
            let next = database_schema_from_source(next_source).expect("valid");
            render_plan(&plan_migration(&empty, &next, &DiffOptions::default()).expect("plans")).sql
        })
    });
    group.finish();
}

fn generated(criterion: &mut Criterion) {
    for provider in ["postgresql", "sqlite"] {
        for model_count in [100, 1000, 5000] {
            let previous_source = generated_schema(provider, model_count, Side::Previous);
            let next_source = generated_schema(provider, model_count, Side::Next);
            stages(
                criterion,
                &format!("{provider}_{model_count}"),
                &previous_source,
                &next_source,
            );
        }
    }
}

/// The end-to-end curve from 100 to 5,000 models: linear growth shows as a constant time per
/// model.
fn scaling(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("end_to_end_scaling_postgresql");
    group.sample_size(10);
    for model_count in [100, 250, 500, 1000, 2000, 5000] {
        let previous_source = generated_schema("postgresql", model_count, Side::Previous);
        let next_source = generated_schema("postgresql", model_count, Side::Next);
        group.throughput(Throughput::Elements(model_count as u64));
        group.bench_function(BenchmarkId::from_parameter(model_count), |bencher| {
            bencher.iter(|| end_to_end(&previous_source, &next_source))
        });
    }
    group.finish();
}

/// The corpus folder (`../shared/corpus/prisma`, or `COMON_TEST_CORPUS`), if it is there.
fn corpus_folder() -> Option<PathBuf> {
    let location = std::env::var_os("COMON_TEST_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/prisma")
        });
    location.is_dir().then_some(location)
}

/// Each corpus application's last schema change: its two newest schemas.
fn corpus(criterion: &mut Criterion) {
    let Some(folder) = corpus_folder() else {
        eprintln!("the corpus (../shared/corpus/prisma) is missing: no corpus benchmarks");
        return;
    };
    for application in ["rallly", "pingvin-share"] {
        let schemas = folder.join(application).join("schemas");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&schemas)
            .unwrap_or_else(|error| panic!("{}: {error}", schemas.display()))
            .map(|entry| entry.expect("a folder entry").path())
            .collect();
        files.sort();
        let [.., previous_file, next_file] = files.as_slice() else {
            panic!("{} has fewer than two schemas", schemas.display());
        };
        let read = |file: &Path| {
            std::fs::read_to_string(file)
                .unwrap_or_else(|error| panic!("{}: {error}", file.display()))
        };
        stages(
            criterion,
            &format!("corpus_{application}"),
            &read(previous_file),
            &read(next_file),
        );
    }
}

criterion_group!(benches, generated, scaling, corpus);
criterion_main!(benches);
