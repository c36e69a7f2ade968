//! Fuzz target `schema_parse`: the property is `fuzz_checks::check_schema_parse` (replayed over the saved
//! inputs by `cargo test -p fuzz-checks`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_schema_parse(data));
