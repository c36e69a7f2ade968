//! Fuzz target `plan_two_schemas`: the property is `fuzz_checks::check_plan_two_schemas` (replayed over the saved
//! inputs by `cargo test -p fuzz-checks`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_plan_two_schemas(data));
