//! Fuzz target `snapshot_json`: the property is `fuzz_checks::check_snapshot_json` (replayed over the saved
//! inputs by `cargo test -p fuzz-checks`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_snapshot_json(data));
