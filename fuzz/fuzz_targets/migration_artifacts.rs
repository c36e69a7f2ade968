//! Fuzz target `migration_artifacts`: the property is `fuzz_checks::check_migration_artifacts` (replayed over the saved
//! inputs by `cargo test -p fuzz-checks`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_migration_artifacts(data));
