//! Plans the difference between two schema files and prints the SQL, as
//! `comon migrate diff --from-schema <previous> --to-schema <next> --script` does, in one
//! process of the planner alone and with the system allocator, so that heap profilers that
//! follow `malloc` (valgrind's massif and dhat, heaptrack) see every allocation:
//! `cargo run --release -p comon-planner --example plan_files -- previous.prisma next.prisma`.
//! BENCHMARKS.md measures peak memory with it.

use planner::{
    database_schema_from_source_in_flavour, plan_migration, render_plan, DiffOptions, Flavour,
};

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [previous_path, next_path] = arguments.as_slice() else {
        eprintln!("usage: plan_files <previous.prisma> <next.prisma>");
        std::process::exit(64);
    };
    let schema_of = |path: &str| {
        let source = std::fs::read_to_string(path).unwrap_or_else(|error| {
            eprintln!("cannot read {path}: {error}");
            std::process::exit(66);
        });
        database_schema_from_source_in_flavour(&source, Flavour::ComonOrm).unwrap_or_else(
            |errors| {
                eprintln!("{path} is not a valid schema: {errors:?}");
                std::process::exit(65);
            },
        )
    };
    let previous = schema_of(previous_path);
    let next = schema_of(next_path);
    let plan = plan_migration(&previous, &next, &DiffOptions::default()).unwrap_or_else(|error| {
        eprintln!("cannot plan: {}", error.message);
        std::process::exit(70);
    });
    print!("{}", render_plan(&plan).sql);
}
