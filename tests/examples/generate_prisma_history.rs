//! Writes a generated Prisma Migrate history (`tests::prisma_history`) into a folder:
//! `generate_prisma_history <migrations folder> <folders> <postgresql|sqlite>`. For
//! `scripts/bench-prisma-status.sh`.

use planner::Provider;
use std::path::PathBuf;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: generate_prisma_history <migrations folder> <folders> <postgresql|sqlite>";
    let [directory, folders, provider] = arguments.as_slice() else {
        eprintln!("{usage}");
        std::process::exit(64);
    };
    let provider = match provider.as_str() {
        "postgresql" => Provider::Postgresql,
        "sqlite" => Provider::Sqlite,
        _ => {
            eprintln!("{usage}");
            std::process::exit(64);
        }
    };
    let Ok(folders) = folders.parse::<usize>() else {
        eprintln!("{usage}");
        std::process::exit(64);
    };
    if let Err(error) =
        tests::prisma_history::write_prisma_history(&PathBuf::from(directory), provider, folders)
    {
        eprintln!("cannot write {directory}: {error}");
        std::process::exit(1);
    }
}
