//! The linter's golden cases, one test per case, run by libtest-mimic (a `harness = false`
//! target, like `golden.rs`): `cargo test -p comon-planner --features migration-sql-interpreter
//! --test lint_golden -- --exact <case>`.
//!
//! - Lint cases: every folder under `tests/lint_cases/` holds `input.sql` and `expected.txt`,
//!   the findings as `line:column severity code: message` lines (empty for a clean script).
//!   An optional `provider.txt` (`sqlite`) reads the script as SQLite, an optional
//!   `runner.txt` (`other`) lints it for a runner that sets no `lock_timeout` of its own. The
//!   `squawk_<rule>__<test>` folders are squawk's own test cases, written down as files; their
//!   `squawk.txt` is squawk's verdict for its rule (`<rule> error|ok`).
//! - `[squawk] comparison`: for each squawk rule, how many of its cases agree with ours
//!   (`squawk_rules.txt` maps its rules to our codes); `docs/lint.md` must hold the same
//!   table, so that the page stays true.
//! - `[comon plan] <golden case>`: every plan of `tests/golden/` (comon's own rendering, with
//!   the online phase) lints clean of what the online rules handle (index builds, validating
//!   constraints, `SET NOT NULL`), and reports a table rewrite exactly when the plan carries a
//!   `warning[blocking]` line.
//!
//! `UPDATE_EXPECT=1` rewrites `expected.txt` of the cases that run; review the diff.

mod support;

use libtest_mimic::{Arguments, Failed, Trial};
use planner::lint::{lint_migration, LintFinding, LintOptions, Severity};
use planner::Provider;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn main() {
    let arguments = Arguments::from_args();
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|value| value == "1");
    let mut trials = Vec::new();
    let cases = lint_cases();
    // Fewer folders than this means the folder was moved or emptied, not that all is well.
    assert!(
        cases.len() >= 80,
        "expected at least 80 lint cases in {}, found {}",
        lint_cases_directory().display(),
        cases.len()
    );
    for case in cases {
        let name = file_name(&case);
        trials.push(Trial::test(name, move || check_lint_case(&case, update)));
    }
    trials.push(Trial::test("comparison", check_squawk_comparison).with_kind("squawk"));
    trials.push(Trial::test("rules", check_documented_rules).with_kind("docs"));
    for case in support::golden_cases() {
        let name = file_name(&case);
        trials.push(Trial::test(name, move || check_comon_plan(&case)).with_kind("comon plan"));
    }
    libtest_mimic::run(&arguments, trials).exit();
}

fn lint_cases_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint_cases")
}

fn lint_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(lint_cases_directory())
        .expect("tests/lint_cases is readable")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a case folder has a name")
        .to_string_lossy()
        .into_owned()
}

fn read_optional(case: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(case.join(file))
        .ok()
        .map(|text| text.trim().to_string())
}

fn lint_case(case: &Path) -> Vec<LintFinding> {
    let provider = match read_optional(case, "provider.txt").as_deref() {
        Some("sqlite") => Provider::Sqlite,
        _ => Provider::Postgresql,
    };
    let options = LintOptions {
        runner_sets_lock_timeout: read_optional(case, "runner.txt").as_deref() != Some("other"),
    };
    let input = std::fs::read_to_string(case.join("input.sql")).expect("input.sql is readable");
    lint_migration(provider, &input, "input.sql", None, &options)
}

fn findings_text(findings: &[LintFinding]) -> String {
    findings
        .iter()
        .map(|finding| {
            format!(
                "{}:{} {} {}: {}\n",
                finding.line, finding.column, finding.severity, finding.code, finding.message
            )
        })
        .collect()
}

fn check_lint_case(case: &Path, update: bool) -> Result<(), Failed> {
    let actual = findings_text(&lint_case(case));
    let expected_path = case.join("expected.txt");
    if update {
        std::fs::write(&expected_path, &actual).map_err(|error| error.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path)
        .map_err(|error| format!("{}: {error}", expected_path.display()))?;
    if expected != actual {
        return Err(format!(
            "findings differ from {}\n--- expected\n{expected}--- actual\n{actual}",
            expected_path.display()
        )
        .into());
    }
    Ok(())
}

/// `(cases, agreeing cases)` per squawk rule, from the `squawk_*` folders.
fn squawk_comparison() -> Result<BTreeMap<String, (String, usize, usize)>, Failed> {
    let mapping_text = std::fs::read_to_string(lint_cases_directory().join("squawk_rules.txt"))
        .map_err(|error| error.to_string())?;
    let mapping: BTreeMap<&str, &str> = mapping_text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once(' '))
        .collect();
    let mut rows: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    for case in lint_cases() {
        let Some(verdict_line) = read_optional(&case, "squawk.txt") else {
            continue;
        };
        let (rule, verdict) = verdict_line
            .split_once(' ')
            .ok_or_else(|| format!("{}: squawk.txt is `<rule> error|ok`", case.display()))?;
        let codes = mapping
            .get(rule)
            .ok_or_else(|| format!("squawk_rules.txt has no line for {rule}"))?;
        let reported = lint_case(&case).iter().any(|finding| {
            finding.severity != Severity::Info && codes.split(',').any(|code| code == finding.code)
        });
        let row = rows
            .entry(rule.to_string())
            .or_insert_with(|| (codes.to_string(), 0, 0));
        row.1 += 1;
        if reported == (verdict == "error") {
            row.2 += 1;
        }
    }
    Ok(rows)
}

fn check_squawk_comparison() -> Result<(), Failed> {
    let rows = squawk_comparison()?;
    if rows.len() < 10 {
        return Err(format!("only {} squawk rules have cases", rows.len()).into());
    }
    let documentation_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/lint.md");
    let documentation =
        std::fs::read_to_string(&documentation_path).map_err(|error| error.to_string())?;
    let mut missing = Vec::new();
    for (rule, (codes, cases, agreeing)) in &rows {
        let row = format!("| `{rule}` | `{codes}` | {cases} | {agreeing} |");
        if !documentation.lines().any(|line| line.starts_with(&row)) {
            missing.push(row);
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "{} does not hold these rows of the squawk comparison (or holds other figures):\n{}",
            documentation_path.display(),
            missing.join("\n")
        )
        .into());
    }
    Ok(())
}

/// docs/lint.md lists every rule with its severity, in the order of `RULES`.
fn check_documented_rules() -> Result<(), Failed> {
    let documentation_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/lint.md");
    let documentation =
        std::fs::read_to_string(&documentation_path).map_err(|error| error.to_string())?;
    let mut previous_position = 0;
    for rule in planner::lint::RULES {
        let row = format!("| `{}` | {}", rule.code, rule.severity);
        let position = documentation
            .find(&row)
            .ok_or_else(|| format!("{} has no rules row `{row}`", documentation_path.display()))?;
        if position < previous_position {
            return Err(format!(
                "{}: `{}` is out of RULES order",
                documentation_path.display(),
                rule.code
            )
            .into());
        }
        previous_position = position;
    }
    Ok(())
}

/// What the online rules plan around: comon's plans must never be reported for these.
const HANDLED_BY_ONLINE_RULES: &[&str] = &[
    planner::lint::BLOCKING_INDEX_BUILD,
    planner::lint::CONSTRAINT_VALIDATION,
    planner::lint::SET_NOT_NULL_SCAN,
];

/// What the planner warns about as `blocking` instead of avoiding.
const REWRITES: &[&str] = &[
    planner::lint::COLUMN_TYPE_REWRITE,
    planner::lint::VOLATILE_DEFAULT_REWRITE,
    planner::lint::NEW_PRIMARY_KEY,
];

/// Plans of `tests/golden/` that block where the planner gives no `blocking` warning: gaps
/// in the planner that the linter finds (it must keep reporting them; once the planner is
/// fixed, the case leaves this list).
/// (Empty: the enum re-creations now warn, and a foreign key to a new unique column is added
/// after the concurrent build of its index.)
const PLANNER_GAPS: &[(&str, &str)] = &[];

fn check_comon_plan(case: &Path) -> Result<(), Failed> {
    let name = file_name(case);
    let online = support::diff_options_of(case).online_ddl == planner::OnlineDdl::On;
    let gap = PLANNER_GAPS
        .iter()
        .find(|(gap_case, _)| *gap_case == name)
        .map(|(_, code)| *code);
    for provider in support::providers_of(case) {
        let file = match provider {
            Provider::Postgresql => "postgresql.sql",
            Provider::Sqlite => "sqlite.sql",
        };
        let Ok(script) = std::fs::read_to_string(case.join(file)) else {
            continue;
        };
        let previous = support::golden_schema(case, "previous.prisma", provider);
        let findings = lint_migration(
            provider,
            &script,
            file,
            Some(&previous),
            &LintOptions::default(),
        );
        if let (Some(code), Provider::Postgresql) = (gap, provider) {
            if !findings.iter().any(|finding| finding.code == code) {
                return Err(format!(
                    "{file}: the linter no longer reports {code} for this plan: if the planner now avoids it, take the case out of PLANNER_GAPS\n{}",
                    findings_text(&findings)
                )
                .into());
            }
            continue;
        }
        let handled: Vec<&LintFinding> = findings
            .iter()
            .filter(|finding| HANDLED_BY_ONLINE_RULES.contains(&finding.code.as_str()))
            .collect();
        if !online {
            // The blocking forms, planned on request: the linter must see them.
            if provider == Provider::Postgresql && handled.is_empty() {
                return Err(format!(
                    "{file}: a plan without online DDL, but the linter reports nothing it blocks on:\n{}",
                    findings_text(&findings)
                )
                .into());
            }
            continue;
        }
        if !handled.is_empty() {
            return Err(format!(
                "{file}: comon's plan is reported for what the online rules handle:\n{}",
                findings_text(&handled.into_iter().cloned().collect::<Vec<_>>())
            )
            .into());
        }
        let unparsed: Vec<LintFinding> = findings
            .iter()
            .filter(|finding| {
                finding.code == planner::lint::UNPARSED_STATEMENT
                    || finding.code == planner::lint::INVALID_SCRIPT
            })
            .cloned()
            .collect();
        if !unparsed.is_empty() {
            return Err(format!(
                "{file}: the linter cannot read comon's own plan:\n{}",
                findings_text(&unparsed)
            )
            .into());
        }
        let rewrite_reported = findings
            .iter()
            .any(|finding| REWRITES.contains(&finding.code.as_str()));
        let blocking_warned = script.contains("-- warning[blocking]");
        if rewrite_reported != blocking_warned {
            return Err(format!(
                "{file}: the plan {} a warning[blocking] line, but the linter {} a table rewrite:\n{}",
                if blocking_warned { "has" } else { "has no" },
                if rewrite_reported { "reports" } else { "reports no" },
                findings_text(&findings)
            )
            .into());
        }
    }
    Ok(())
}
