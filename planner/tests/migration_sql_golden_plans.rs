//! The migration SQL interpreter reads comon's own plans: every PostgreSQL and SQLite script of
//! `tests/golden/` is interpreted on the schema of its case's `previous.prisma`, without a
//! statement it cannot parse, and on PostgreSQL without one it does not follow. comon's
//! renderer writes forms sqlparser does not parse (`DROP IDENTITY`, `DROP INDEX CONCURRENTLY IF
//! EXISTS`, `ALTER SEQUENCE ... AS`), which the interpreter reads by their words
//! (`migration_sql::unparsed`), and `VALIDATE CONSTRAINT` after its online `NOT VALID`
//! constraints; without those, a history of comon's own folders would be replayed on a scratch
//! database.

mod support;

use planner::migration_sql::{interpret_migration, SkippedEffect};
use planner::Provider;

#[test]
fn every_golden_plan_interprets_without_a_parse_error() {
    let mut interpreted_scripts = 0;
    let mut failures = Vec::new();
    for case in support::golden_cases() {
        for provider in support::providers_of(&case) {
            let file = match provider {
                Provider::Postgresql => "postgresql.sql",
                Provider::Sqlite => "sqlite.sql",
            };
            let Ok(script) = std::fs::read_to_string(case.join(file)) else {
                continue;
            };
            let previous = support::golden_schema(&case, "previous.prisma", provider);
            let origin = format!("{}/{file}", case.file_name().unwrap().to_string_lossy());
            interpreted_scripts += 1;
            match interpret_migration(provider, previous, &script, &origin) {
                Ok(interpreted) => {
                    for skipped in interpreted
                        .skipped
                        .iter()
                        .filter(|skipped| skipped.effect == SkippedEffect::MayChangeSchema)
                    {
                        match provider {
                            // Every statement of comon's PostgreSQL plans is followed, so a
                            // history of them needs no scratch database.
                            Provider::Postgresql => failures
                                .push(format!("{skipped}: comon's own plan would be replayed")),
                            // SQLite rebuilds set `PRAGMA legacy_alter_table`, which changes
                            // how renames rewrite references; the interpreter does not follow
                            // it yet.
                            Provider::Sqlite => println!("  may change the schema: {skipped}"),
                        }
                    }
                }
                Err(error) => failures.push(format!("{error} ({})", error.code)),
            }
        }
    }
    assert!(
        interpreted_scripts >= 300,
        "expected the golden plans, found {interpreted_scripts}"
    );
    assert!(
        failures.is_empty(),
        "{} of {interpreted_scripts} plans do not interpret:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
