use super::*;
use crate::migrations::script::STATEMENT_EXCERPT_CHARACTERS;

fn codes(findings: &[LintFinding]) -> Vec<(&str, Severity)> {
    findings
        .iter()
        .map(|finding| (finding.code.as_str(), finding.severity))
        .collect()
}

const CREATE_USER: &str = r#"CREATE TABLE "User" ("id" INTEGER NOT NULL, "name" VARCHAR(20), "age" INTEGER, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));"#;

#[test]
fn a_folder_linted_in_order_knows_the_previous_column_types() {
    let findings = lint_migrations(
        Provider::Postgresql,
        [
            ("1_init", CREATE_USER),
            (
                "2_widen",
                r#"ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(40);"#,
            ),
            (
                "3_to_text",
                r#"ALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE TEXT;"#,
            ),
        ],
        &LintOptions::default(),
    );
    // varchar(20) to varchar(40) keeps the table; integer to text rewrites it.
    assert_eq!(
        codes(&findings),
        vec![(COLUMN_TYPE_REWRITE, Severity::Error)]
    );
    assert_eq!(findings[0].origin, "3_to_text");
    assert!(
        findings[0].message.contains("from integer"),
        "{}",
        findings[0].message
    );
}

#[test]
fn without_the_previous_schema_a_type_change_is_a_warning() {
    let findings = lint_migration(
        Provider::Postgresql,
        r#"ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(40);"#,
        "change",
        None,
        &LintOptions::default(),
    );
    assert_eq!(
        codes(&findings),
        vec![(COLUMN_TYPE_REWRITE, Severity::Warning)]
    );
}

#[test]
fn findings_point_at_the_line_and_column_of_their_statement() {
    let script =
        "SELECT 1;\n  -- a comment\n  UPDATE \"User\" SET \"age\" = 1; DELETE FROM \"User\";\n";
    let findings = lint_migration(
        Provider::Postgresql,
        script,
        "positions",
        None,
        &LintOptions::default(),
    );
    let places: Vec<(u64, u64)> = findings
        .iter()
        .map(|finding| (finding.line, finding.column))
        .collect();
    assert_eq!(places, vec![(3, 3), (3, 32)]);
    assert_eq!(findings[1].statement, "DELETE FROM \"User\"");
}

#[test]
fn enum_removal_names_the_removed_values_when_the_history_is_known() {
    let findings = lint_migrations(
        Provider::Postgresql,
        [
            (
                "1_init",
                r#"CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST'); CREATE TABLE "User" ("id" INTEGER NOT NULL, "role" "Role" NOT NULL);"#,
            ),
            (
                "2_remove",
                r#"ALTER TYPE "Role" RENAME TO "Role_old";
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" SET DATA TYPE "Role" USING ("role"::text::"Role");
DROP TYPE "Role_old";"#,
            ),
        ],
        &LintOptions::default(),
    );
    assert_eq!(
        codes(&findings),
        vec![
            (ENUM_VALUE_REMOVAL, Severity::Warning),
            (COLUMN_TYPE_REWRITE, Severity::Error)
        ]
    );
    assert!(
        findings[0].message.contains("without the values GUEST"),
        "{}",
        findings[0].message
    );
}

#[test]
fn a_table_created_by_the_script_is_exempt_from_the_blocking_rules() {
    let script = format!(
        "{CREATE_USER}\nCREATE INDEX \"User_name_idx\" ON \"User\" (\"name\");\nALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;\nALTER TABLE \"User\" ALTER COLUMN \"age\" SET NOT NULL;\nDROP TABLE \"User\";"
    );
    let findings = lint_migration(
        Provider::Postgresql,
        &script,
        "new_table",
        None,
        &LintOptions {
            runner_sets_lock_timeout: false,
        },
    );
    assert_eq!(codes(&findings), vec![]);
}

#[test]
fn every_rule_has_a_distinct_code_and_every_code_a_rule() {
    let mut seen = BTreeSet::new();
    for rule in RULES {
        assert!(rule.code.starts_with("lint/"), "{}", rule.code);
        assert!(seen.insert(rule.code), "{} twice", rule.code);
    }
    assert_eq!(seen.len(), 16);
}

#[test]
fn has_errors_looks_at_severities_only() {
    let warning = lint_migration(
        Provider::Postgresql,
        r#"ALTER TABLE "User" DROP COLUMN "age";"#,
        "drop",
        None,
        &LintOptions::default(),
    );
    assert_eq!(
        codes(&warning),
        vec![(DROP_BREAKS_RUNNING_APP, Severity::Warning)]
    );
    assert!(!has_errors(&warning));
    let error = lint_migration(
        Provider::Postgresql,
        "COMMIT;",
        "commit",
        None,
        &LintOptions::default(),
    );
    assert!(has_errors(&error));
}

#[test]
fn findings_of_a_one_line_script_quote_each_statement_cut_short() {
    // Some tools write a whole migration on one line: each finding quotes its own statement,
    // cut to 80 characters on a character boundary, and says where it starts.
    let indexed = ["\"déjà_vu\""; 12].join(", ");
    let added: Vec<String> = (0..12)
        .map(|n| format!("ADD COLUMN \"déjà_vu{n}\" TEXT"))
        .collect();
    let added = added.join(", ");
    let sql = format!(
        r#"CREATE INDEX "User_name_idx" ON "User" ("name", {indexed}); DO $$ BEGIN PERFORM 1; END $$; ALTER TABLE "User" ADD COLUMN "x" INTEGER NOT NULL, {added};"#
    );
    let findings = lint_migration(
        Provider::Postgresql,
        &sql,
        "20240101000000_one_line",
        None,
        &LintOptions::default(),
    );
    assert!(findings.len() >= 3, "{findings:?}");
    for finding in &findings {
        assert_eq!(finding.line, 1);
        assert!(
            finding.statement.chars().count() <= STATEMENT_EXCERPT_CHARACTERS + 1,
            "{}",
            finding.statement
        );
    }
    let index_build = findings
        .iter()
        .find(|finding| finding.code == BLOCKING_INDEX_BUILD)
        .expect("the index build is found");
    assert_eq!(index_build.column, 1);
    assert!(index_build
        .statement
        .starts_with("CREATE INDEX \"User_name_idx\" ON \"User\" (\"name\", \"déjà_vu\""));
    assert!(index_build.statement.ends_with('…'));
    let unparsed = findings
        .iter()
        .find(|finding| finding.code == UNPARSED_STATEMENT)
        .expect("the DO block is not parsed");
    assert_eq!(unparsed.statement, "DO $$ BEGIN PERFORM 1; END $$");
    let added = findings
        .iter()
        .find(|finding| finding.code == NOT_NULL_COLUMN_WITHOUT_DEFAULT)
        .expect("the NOT NULL column is found");
    assert!(added
        .statement
        .starts_with("ALTER TABLE \"User\" ADD COLUMN \"x\""));
    assert!(added.statement.ends_with('…'));
    assert!(added.column > unparsed.column && unparsed.column > index_build.column);
}
