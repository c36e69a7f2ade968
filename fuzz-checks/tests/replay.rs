//! Replays every saved fuzz input as an ordinary test, on stable Rust and without libFuzzer:
//! the corpus of each target (`fuzz/corpus/<target>/`, seeds and what the fuzzer kept) and the
//! inputs that once crashed it (`fuzz/regressions/<target>/`, one file per bug, kept after the
//! fix). A property that no longer holds fails here, naming the file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn fuzz_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("fuzz")
}

fn files_in(directory: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(directory) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path())
            .filter(|path| path.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// Runs `check` on every file; returns the failures as `file: message`.
fn replay(check: fuzz_checks::Check, files: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&bytes))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", file.display()));
        }
    }
    failures
}

#[test]
fn every_target_holds_on_its_corpus_and_regression_inputs() {
    let mut report = Vec::new();
    for (target, check) in fuzz_checks::TARGETS {
        let corpus = files_in(&fuzz_directory().join("corpus").join(target));
        // A target without saved inputs would pass by testing nothing.
        assert!(!corpus.is_empty(), "fuzz/corpus/{target} is empty: run `scripts/fuzz.sh {target} 60` (it seeds the corpus first)");
        let regressions = files_in(&fuzz_directory().join("regressions").join(target));
        let failures = replay(
            *check,
            &corpus
                .iter()
                .chain(&regressions)
                .cloned()
                .collect::<Vec<_>>(),
        );
        println!(
            "{target}: {} corpus inputs, {} regression inputs, {} failures",
            corpus.len(),
            regressions.len(),
            failures.len()
        );
        report.extend(failures);
    }
    assert!(
        report.is_empty(),
        "{} inputs fail:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_target_has_a_fuzz_target_file() {
    for (target, _) in fuzz_checks::TARGETS {
        let path = fuzz_directory()
            .join("fuzz_targets")
            .join(format!("{target}.rs"));
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert!(
            source.contains(&format!("fuzz_checks::check_{target}(data)")),
            "{} does not call check_{target}",
            path.display()
        );
    }
}
