//! Prints the introspection snapshot of each database given on the command line, one compact
//! JSON line per database, as the native runner reads it. The npm package's tests compare it
//! with what `introspectionQueries` + `snapshotFromRows` give through a JS SQLite driver.
//!
//! `cargo run -p comon-database --example snapshot -- <url or SQLite path>...`

use comon_database::Database;

fn main() {
    let mut failed = false;
    for url in std::env::args().skip(1) {
        let snapshot = Database::open(&url).and_then(|mut database| database.introspect());
        match snapshot {
            Ok(snapshot) => println!(
                "{}",
                serde_json::to_string(&snapshot).expect("a snapshot serializes")
            ),
            Err(error) => {
                eprintln!("{url}: {error}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
