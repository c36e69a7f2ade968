//! Where the corpus of real Prisma schemas is, and what a test does when it is missing: the one
//! rule for every test that reads `../shared/corpus`. Under CI (`CI=true`) a missing corpus is a
//! failure, because a run that checks nothing must not pass; elsewhere the test is skipped with
//! a printed notice.
//!
//! This file uses only the standard library, so that the planner's tests, which cannot depend
//! on this crate (it depends on the planner and the database crate), include it by path from
//! `planner/tests/support/mod.rs`; everything else reaches it through the `tests` crate.

use std::path::{Path, PathBuf};

/// The variable that points the tests at another corpus folder: a copy elsewhere, or a path
/// that does not exist to see what a checkout without the corpus does.
pub const CORPUS_VARIABLE: &str = "COMON_TEST_CORPUS";

/// `COMON_TEST_CORPUS` when it is set, else `../shared/corpus/prisma` beside the workspace.
/// (Both crates that compile this file are one level below the workspace.)
pub fn corpus_location() -> PathBuf {
    match std::env::var_os(CORPUS_VARIABLE) {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("..")
            .join("shared")
            .join("corpus")
            .join("prisma"),
    }
}

/// Whether the tests run under CI, which sets `CI=true` (`1` is accepted too).
pub fn running_on_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

/// What a test does about the corpus at `location`: `Ok(Some(location))` to read it,
/// `Ok(None)` to skip (the caller prints `corpus_absent_notice`), `Err(message)` when CI
/// requires the corpus and it is missing.
pub fn corpus_requirement(location: &Path, on_ci: bool) -> Result<Option<PathBuf>, String> {
    if location.is_dir() {
        Ok(Some(location.to_path_buf()))
    } else if on_ci {
        Err(format!(
            "The corpus {} is missing, and CI=true requires it: a test that needs it must not pass by checking nothing. Put the corpus there (it is ../shared/corpus/prisma beside the workspace), or point {CORPUS_VARIABLE} at a copy.",
            location.display()
        ))
    } else {
        Ok(None)
    }
}

/// The line a test prints when it skips for want of the corpus.
pub fn corpus_absent_notice(location: &Path) -> String {
    format!(
        "The corpus {} is absent on this machine: skipping the tests that need it (under CI=true they fail).",
        location.display()
    )
}

/// The corpus directory for a test that needs it. Without it: under CI a panic with the
/// message of `corpus_requirement`; elsewhere `None`, after printing the notice.
pub fn required_corpus_directory() -> Option<PathBuf> {
    let location = corpus_location();
    match corpus_requirement(&location, running_on_ci()) {
        Ok(Some(directory)) => Some(directory),
        Ok(None) => {
            println!("{}", corpus_absent_notice(&location));
            None
        }
        Err(message) => panic!("{message}"),
    }
}
