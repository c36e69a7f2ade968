//! Fuzz target `split_script`: the property is `fuzz_checks::check_split_script` (replayed over the saved
//! inputs by `cargo test -p fuzz-checks`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::check_split_script(data));
