//! Golden cases: every folder under `tests/golden/` holds `previous.prisma` and `next.prisma`
//! (either may be absent: an absent side is the empty schema) written without a datasource,
//! and one expected file per provider, `postgresql.sql` and `sqlite.sql`: the plan's warnings
//! as `-- warning[kind]: message` lines, then the migration SQL. An optional `providers.txt`
//! lists the providers the case applies to (default: both), an optional `options.txt` the
//! planner options (`online-ddl off`). Run with `UPDATE_EXPECT=1` to
//! rewrite the expected files, then review the diff.
//!
//! The same folders are applied to real databases by `tests/tests/convergence.rs`.

mod support;

use planner::{plan_migration, render_plan, DatabaseSchema, DiffOptions};
use support::{diff_options_of, golden_cases, golden_schema, providers_of};

/// The text an expected file holds for a plan.
fn expected_text(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    options: &DiffOptions,
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
    if !plan.warnings.is_empty() {
        text.push('\n');
    }
    text.push_str(&render_plan(&plan).sql);
    text
}

#[test]
fn golden_cases_render_the_expected_sql() {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|value| value == "1");
    let cases = golden_cases();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        for provider in providers_of(case) {
            let previous = golden_schema(case, "previous.prisma", provider);
            let next = golden_schema(case, "next.prisma", provider);
            let options = diff_options_of(case);
            let actual = expected_text(&previous, &next, &options);
            assert_eq!(
                actual,
                expected_text(&previous, &next, &options),
                "planning is not deterministic for {}",
                case.display()
            );
            let expected_path = case.join(format!("{}.sql", provider.as_str()));
            if update {
                std::fs::write(&expected_path, &actual).expect("expected file is writable");
            } else {
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
            checked += 1;
        }
    }
    println!(
        "{} golden cases, {checked} case-provider pairs checked",
        cases.len()
    );
    assert!(
        cases.len() >= 60,
        "expected at least 60 golden cases, found {}",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} golden mismatches:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
