//! Golden cases, one test per case, so that a failure names its case and one case runs alone.
//! This is a `harness = false` target: `main` registers one libtest-mimic trial per case and
//! libtest-mimic gives it the usual test runner's command line (filters, `--exact`, `--list`,
//! `--test-threads`).
//!
//! - Plan cases: every folder under `tests/golden/` holds `previous.prisma` and `next.prisma`
//!   (either may be absent: an absent side is the empty schema) written without a datasource,
//!   and one expected file per provider, `postgresql.sql` and `sqlite.sql`: the plan's warnings
//!   as `-- warning[kind]: message` lines, the undecided rename candidates as
//!   `-- rename-candidate[rename-model]: Old=New` lines, then the migration SQL. An optional
//!   `providers.txt` lists the providers the case applies to (default: both), an optional
//!   `options.txt` the planner options (`online-ddl off`, `rename Old=New`,
//!   `rename Model.old=new`, `no-rename Old=New`, `rows Table=N`, and `decisions`, which adds
//!   the plan's decisions as `-- decision[code]: answers` lines), an optional `flavour.txt` (`prisma`) lowers both sides
//!   in Prisma's flavour. The trial is named after the
//!   folder: `cargo test -p comon-planner --test golden -- --exact add_default`.
//! - The same folders' schemas through `render_prisma_schema` (`db pull`'s rendering): each
//!   side, as lowered and with its schema-side names removed (as introspection gives them),
//!   renders to text that validates and describes the same database. The trial is
//!   `[to_prisma] <folder>`.
//! - Format cases: `tests/format_cases/<name>.input.prisma` formats to
//!   `<name>.expected.prisma`, stably. The trial is `[format] <name>`:
//!   `cargo test -p comon-planner --test golden -- --exact "[format] config_blocks"`.
//!
//! `UPDATE_EXPECT=1` rewrites the expected files of the cases that run; review the diff.
//! The plan cases' folders are also applied to real databases by `tests/tests/convergence.rs`.

#[path = "support/format_stability.rs"]
mod format_stability;
mod support;
#[path = "support/to_prisma_round_trip.rs"]
mod to_prisma_round_trip;

use std::path::{Path, PathBuf};

use format_stability::assert_formats_stably;
use libtest_mimic::{Arguments, Failed, Trial};
use planner::schema_language::format_schema;
use planner::{plan_migration, render_plan, DatabaseSchema, DiffOptions};
use support::{
    diff_options_of, flavour_of, golden_cases, golden_schema, golden_source, lists_decisions,
    providers_of, without_schema_names,
};
use to_prisma_round_trip::check_round_trip_in_flavour;

fn main() {
    let arguments = Arguments::from_args();
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|value| value == "1");
    let mut trials = Vec::new();

    let cases = golden_cases();
    // Fewer folders than this means the folder was moved or emptied, not that all is well.
    assert!(
        cases.len() >= 60,
        "expected at least 60 golden cases in {}, found {}",
        support::golden_directory().display(),
        cases.len()
    );
    for case in cases {
        let name = file_name(&case);
        let to_prisma_case = case.clone();
        trials.push(Trial::test(name.clone(), move || {
            check_plan_case(&case, update)
        }));
        trials.push(
            Trial::test(name, move || check_to_prisma_case(&to_prisma_case)).with_kind("to_prisma"),
        );
    }

    let format_inputs = format_case_inputs();
    assert!(
        !format_inputs.is_empty(),
        "no golden format cases in {}",
        format_cases_directory().display()
    );
    for input_path in format_inputs {
        let name = file_name(&input_path)
            .trim_end_matches(".input.prisma")
            .to_string();
        trials.push(
            Trial::test(name, move || check_format_case(&input_path, update)).with_kind("format"),
        );
    }

    libtest_mimic::run(&arguments, trials).exit();
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// The text an expected file holds for a plan.
fn expected_text(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    options: &DiffOptions,
    lists_decisions: bool,
) -> String {
    let plan = plan_migration(previous, next, options).expect("same provider on both sides");
    let mut text = String::new();
    for warning in &plan.warnings {
        text.push_str(&format!(
            "-- warning[{}]: {}\n",
            warning.kind.as_str(),
            warning.message
        ));
    }
    // A rename nobody decided: the plan drops and creates, and says which pair to decide.
    for candidate in &plan.rename_candidates {
        text.push_str(&format!(
            "-- rename-candidate[{}]: {}\n",
            candidate.decision_code().as_str(),
            candidate.answer()
        ));
    }
    let decisions = match lists_decisions {
        true => plan.decisions(),
        false => Vec::new(),
    };
    for decision in &decisions {
        text.push_str(&format!(
            "-- decision[{}]: {}\n",
            decision.code.as_str(),
            decision.answers.join(" or ")
        ));
    }
    if !plan.warnings.is_empty() || !plan.rename_candidates.is_empty() || !decisions.is_empty() {
        text.push('\n');
    }
    text.push_str(&render_plan(&plan).sql);
    text
}

/// Plans the case on each of its providers and compares with (or, updating, writes) the
/// expected files.
fn check_plan_case(case: &Path, update: bool) -> Result<(), Failed> {
    let mut failures = Vec::new();
    for provider in providers_of(case) {
        let previous = golden_schema(case, "previous.prisma", provider);
        let next = golden_schema(case, "next.prisma", provider);
        let options = diff_options_of(case);
        let lists_decisions = lists_decisions(case);
        let actual = expected_text(&previous, &next, &options, lists_decisions);
        if actual != expected_text(&previous, &next, &options, lists_decisions) {
            failures.push(format!("planning is not deterministic on {provider}"));
        }
        let expected_path = case.join(format!("{}.sql", provider.as_str()));
        if update {
            std::fs::write(&expected_path, &actual).expect("expected file is writable");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected.replace("\r\n", "\n") == actual => {}
            Ok(expected) => failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                expected_path.display()
            )),
            Err(_) => failures.push(format!(
                "{} is missing (run with UPDATE_EXPECT=1)",
                expected_path.display()
            )),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n").into())
    }
}

/// Renders each side of the case on each of its providers back to `schema.prisma`, in both
/// forms, and checks the round trip.
fn check_to_prisma_case(case: &Path) -> Result<(), Failed> {
    let mut failures = Vec::new();
    for provider in providers_of(case) {
        for file in ["previous.prisma", "next.prisma"] {
            if golden_source(case, file, provider).is_none() {
                continue;
            }
            let schema = golden_schema(case, file, provider);
            for (form, candidate) in [
                ("from schema.prisma", schema.clone()),
                ("introspected form", without_schema_names(&schema)),
            ] {
                if let Err(problem) = check_round_trip_in_flavour(&candidate, flavour_of(case)) {
                    failures.push(format!("{file} on {provider} ({form}): {problem}"));
                }
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n").into())
    }
}

fn format_cases_directory() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/format_cases"))
}

/// Every `<name>.input.prisma` of the format cases, sorted.
fn format_case_inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(format_cases_directory())
        .expect("tests/format_cases exists")
        .map(|entry| entry.expect("format case entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".input.prisma"))
        .collect();
    inputs.sort();
    inputs
}

/// Formats the input and compares with (or, updating, writes) `<name>.expected.prisma`; the
/// input must format stably and the expected output must already be formatted.
fn check_format_case(input_path: &Path, update: bool) -> Result<(), Failed> {
    let input = std::fs::read_to_string(input_path).expect("readable input");
    let expected_path = PathBuf::from(
        input_path
            .to_string_lossy()
            .replace(".input.prisma", ".expected.prisma"),
    );
    let formatted = format_schema(&input)
        .map_err(|errors| format!("{} does not format:\n{errors}", input_path.display()))?;
    if update {
        std::fs::write(&expected_path, &formatted).expect("writable expected file");
        return Ok(());
    }
    let mut failures = Vec::new();
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if formatted != expected {
        failures.push(format!(
            "{}: output differs from {} (UPDATE_EXPECT=1 rewrites it)\n--- got ---\n{formatted}",
            input_path.display(),
            expected_path.display()
        ));
    }
    if let Err(problem) = assert_formats_stably(&input) {
        failures.push(format!("{}: {problem}", input_path.display()));
    }
    if format_schema(&expected).ok().as_deref() != Some(expected.as_str()) {
        failures.push(format!(
            "{}: the expected output is not stable under format",
            expected_path.display()
        ));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n").into())
    }
}
