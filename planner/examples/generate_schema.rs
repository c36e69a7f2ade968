//! Prints one side of a generated benchmark schema pair (`benches/support/generated_schema.rs`):
//! `cargo run --release -p comon-planner --example generate_schema -- postgresql 1000 next > next.prisma`.
//! `scripts/bench.sh` writes its inputs with it, so that the script and the criterion
//! benchmarks measure the same text.

#[path = "../benches/support/generated_schema.rs"]
mod generated_schema;

use generated_schema::{generated_schema, Side};

const USAGE: &str = "usage: generate_schema <postgresql|sqlite> <model count> <previous|next>";

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [provider, model_count, side] = arguments.as_slice() else {
        eprintln!("{USAGE}");
        std::process::exit(64);
    };
    if provider != "postgresql" && provider != "sqlite" {
        eprintln!("unknown provider `{provider}`\n{USAGE}");
        std::process::exit(64);
    }
    let Ok(model_count) = model_count.parse::<usize>() else {
        eprintln!("the model count `{model_count}` is not a number\n{USAGE}");
        std::process::exit(64);
    };
    let side = match side.as_str() {
        "previous" => Side::Previous,
        "next" => Side::Next,
        other => {
            eprintln!("unknown side `{other}`\n{USAGE}");
            std::process::exit(64);
        }
    };
    print!("{}", generated_schema(provider, model_count, side));
}
