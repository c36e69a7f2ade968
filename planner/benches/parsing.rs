//! Parsing speed on a megabyte of schema, and on a megabyte-long line:
//! `cargo bench -p comon-planner --bench parsing`; the figures are written down in the README.
//!
//! The parser tests check that these inputs parse correctly; the time is measured here, because
//! a test that asserts wall-clock time fails on a busy machine. Linear parsing shows as
//! milliseconds: with line and column recomputed from the start of the text for each token, a
//! megabyte takes minutes.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planner::schema_language::parse_schema;

#[path = "../tests/support/large_schema.rs"]
mod large_schema;

use large_schema::{one_long_line, one_megabyte_schema};

fn parsing(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("parse");
    group.sample_size(20);
    let schema = one_megabyte_schema();
    group.throughput(Throughput::Bytes(schema.len() as u64));
    group.bench_function("one_megabyte_schema", |bencher| {
        bencher.iter(|| parse_schema(&schema).expect("the large schema parses"))
    });
    let line = one_long_line();
    group.throughput(Throughput::Bytes(line.len() as u64));
    group.bench_function("one_megabyte_line", |bencher| {
        // The line is a syntax error after each field; the errors are part of the work.
        bencher.iter(|| parse_schema(&line).expect_err("fields on one line are an error"))
    });
    group.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
