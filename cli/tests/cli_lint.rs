//! `comon migrate lint` as users run it: exit codes and the three output formats, the findings
//! `migrate dev` prints for the migration it wrote, `migrate deploy --deny-lint-errors`
//! refusing before anything is applied, and the linter's counts on every `migration.sql` of
//! the corpus, which `docs/lint.md` must show as they are.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::{comon_in, Project, Provider};

const BLOCKING_SCRIPT: &str =
    "-- An index on a table an earlier migration made.\nCREATE INDEX \"Post_title_idx\" ON \"Post\" (\"title\");\n";
const CLEAN_SCRIPT: &str = "CREATE INDEX CONCURRENTLY \"Post_title_idx\" ON \"Post\" (\"title\");\nALTER TABLE \"Post\" ADD COLUMN \"subtitle\" TEXT;\n";

fn scratch_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let directory = tempfile::tempdir().expect("a temporary folder");
    for (name, content) in files {
        let path = directory.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, content).expect("file written");
    }
    directory
}

#[test]
fn lint_exits_1_on_an_error_finding_and_0_on_a_clean_script() {
    let scratch = scratch_with(&[
        ("blocking.sql", BLOCKING_SCRIPT),
        ("clean.sql", CLEAN_SCRIPT),
    ]);
    comon_in(scratch.path(), &[], &["migrate", "lint", "clean.sql"]).expect(
        0,
        &["0 error(s), 0 warning(s), 0 info(s) in 1 script(s) (postgresql)."],
    );
    comon_in(scratch.path(), &[], &["migrate", "lint", "blocking.sql"]).expect(
        1,
        &[
            "error[lint/blocking-index-build] blocking.sql:2:1",
            "  CREATE INDEX \"Post_title_idx\" ON \"Post\" (\"title\")",
            "  why: Building an index on the existing table Post holds a SHARE lock",
            "  instead: CREATE INDEX CONCURRENTLY",
            "1 error(s), 0 warning(s), 0 info(s) in 1 script(s) (postgresql).",
        ],
    );
    // Warnings alone do not fail.
    let drop = scratch_with(&[("drop.sql", "ALTER TABLE \"Post\" DROP COLUMN \"title\";\n")]);
    comon_in(drop.path(), &[], &["migrate", "lint", "drop.sql"])
        .expect(0, &["warning[lint/drop-breaks-running-app] drop.sql:1:32"]);
}

#[test]
fn lint_formats_github_annotations_and_json() {
    let scratch = scratch_with(&[("blocking.sql", BLOCKING_SCRIPT)]);
    let github = comon_in(
        scratch.path(),
        &[],
        &["migrate", "lint", "--format", "github", "blocking.sql"],
    );
    github.expect(1, &[]);
    let annotation = github.stdout.lines().next().expect("one annotation line");
    assert!(
        annotation.starts_with(
            "::error file=blocking.sql,line=2,col=1,title=lint/blocking-index-build::Building an index on the existing table Post"
        ),
        "{annotation}"
    );
    assert!(
        annotation.contains(" Instead: CREATE INDEX CONCURRENTLY"),
        "{annotation}"
    );

    let json = comon_in(
        scratch.path(),
        &[],
        &["migrate", "lint", "--json", "blocking.sql"],
    );
    json.expect(1, &[]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON on stdout");
    assert_eq!(value["summary"]["errors"], 1);
    assert_eq!(value["scripts"], 1);
    let finding = &value["findings"][0];
    assert_eq!(finding["code"], "lint/blocking-index-build");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["origin"], "blocking.sql");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(finding["alternative"]
        .as_str()
        .is_some_and(|text| text.contains("CONCURRENTLY")));
    // --format json is the same as --json.
    let formatted = comon_in(
        scratch.path(),
        &[],
        &["migrate", "lint", "--format", "json", "blocking.sql"],
    );
    assert_eq!(formatted.stdout, json.stdout);
}

#[test]
fn lint_input_errors_are_usage_errors() {
    let scratch = scratch_with(&[("clean.sql", CLEAN_SCRIPT)]);
    comon_in(scratch.path(), &[], &["migrate", "lint", "missing.sql"])
        .expect(64, &["Cannot read missing.sql"]);
    comon_in(
        scratch.path(),
        &[],
        &["migrate", "lint", "--migrations-dir", "nowhere"],
    )
    .expect(64, &["Cannot read the migrations folder nowhere"]);
    comon_in(
        scratch.path(),
        &[],
        &["migrate", "lint", "--migrations-dir", ".", "clean.sql"],
    )
    .expect(64, &["cannot be used with"]);
    // No files, no folder and no schema: nothing to lint.
    comon_in(scratch.path(), &[], &["migrate", "lint"]).expect(64, &["Nothing to lint"]);
}

#[test]
fn lint_reads_a_migrations_folder_in_order_with_its_lock_file_provider() {
    let scratch = scratch_with(&[
        ("migrations/migration_lock.toml", "provider = \"sqlite\"\n"),
        (
            "migrations/20240101000000_init/migration.sql",
            "CREATE TABLE \"User\" (\"id\" INTEGER NOT NULL PRIMARY KEY);\n",
        ),
        (
            "migrations/20240102000000_nickname/migration.sql",
            "ALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT NOT NULL;\n",
        ),
    ]);
    comon_in(
        scratch.path(),
        &[],
        &["migrate", "lint", "--migrations-dir", "migrations"],
    )
    .expect(
        1,
        &[
            "error[lint/not-null-column-without-default] migrations/20240102000000_nickname/migration.sql:1:31",
            "in 2 script(s) (sqlite).",
        ],
    );
}

const USER_WITH_NAME: &str = "model User {\n  id   Int     @id\n  name String?\n}\n";
const USER_WITHOUT_NAME: &str = "model User {\n  id Int @id\n}\n";

#[test]
fn migrate_dev_prints_the_findings_of_the_migration_it_wrote() {
    let project = Project::with_init_migration(Provider::Postgresql, USER_WITH_NAME);
    project.write_schema(USER_WITHOUT_NAME);
    let run = project.comon(&["migrate", "dev", "--name", "drop_name", "--create-only"]);
    let folder = project.migration("drop_name");
    run.expect(
        0,
        &[
            &format!(
                "comon migrate lint: 1 finding(s) in prisma/migrations/{folder}/migration.sql"
            ),
            "warning[lint/drop-breaks-running-app] line ",
            "Dropping the column User.name",
        ],
    );
}

const POST: &str = "model Post {\n  id    Int    @id\n  title String\n}\n";
const POST_WITH_INDEX: &str =
    "model Post {\n  id    Int    @id\n  title String\n\n  @@index([title])\n}\n";

#[test]
fn deploy_with_deny_lint_errors_refuses_a_blocking_migration_before_applying_anything() {
    let project = Project::with_init_migration(Provider::Postgresql, POST);
    let folder = project.create_only(POST_WITH_INDEX, "title_index");
    // comon's own plan builds the index CONCURRENTLY: it lints clean and deploys.
    assert!(project
        .read_migration_sql(&folder)
        .contains("CREATE INDEX CONCURRENTLY"));
    project
        .comon(&["migrate", "lint"])
        .expect(0, &["0 error(s)"]);
    // A reviewer's edit to the blocking form is refused, and nothing runs.
    project.write_migration_sql(
        &folder,
        "CREATE INDEX \"Post_title_idx\" ON \"Post\" (\"title\");\n",
    );
    project
        .comon(&["migrate", "deploy", "--deny-lint-errors"])
        .expect(
            1,
            &[
                "error[lint-errors]",
                "nothing was applied",
                &format!("{folder}:1:1: error[lint/blocking-index-build]"),
            ],
        );
    project
        .comon(&["migrate", "status"])
        .expect(1, &["local-migration-not-applied"]);
    // Without the flag the same migration deploys (the linter only advises).
    project.comon(&["migrate", "deploy"]).expect(0, &[]);
    project.expect_no_status_issues();
}

/// The corpus apps and their folders, as docs/lint.md lists them.
const CORPUS_COLUMNS: &[(&str, &str)] = &[
    ("rallly", "migrations"),
    ("pingvin-share", "migrations"),
    ("rallly", "step_migrations"),
    ("pingvin-share", "step_migrations"),
];

/// Every `migration.sql` under `directory`, sorted.
fn migration_files(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).expect("readable folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(migration_files(&path));
        } else if path.file_name().is_some_and(|name| name == "migration.sql") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// `(scripts, findings per code)` of one corpus column: the final migrations folder linted as a
/// history (`--migrations-dir`), the step snapshots file by file.
fn lint_corpus_column(
    corpus: &Path,
    app: &str,
    folder: &str,
    runner: &str,
) -> (usize, BTreeMap<String, usize>) {
    let app_directory = corpus.join(app);
    let lock = std::fs::read_to_string(app_directory.join("migrations/migration_lock.toml"))
        .expect("the app's migration_lock.toml");
    let provider = if lock.contains("sqlite") {
        "sqlite"
    } else {
        "postgresql"
    };
    let mut arguments: Vec<String> = [
        "migrate",
        "lint",
        "--json",
        "--provider",
        provider,
        "--runner",
        runner,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let script_count;
    if folder == "migrations" {
        arguments.push("--migrations-dir".to_string());
        arguments.push(app_directory.join(folder).display().to_string());
        script_count = migration_files(&app_directory.join(folder)).len();
    } else {
        let files = migration_files(&app_directory.join(folder));
        script_count = files.len();
        arguments.extend(files.iter().map(|file| file.display().to_string()));
    }
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let run = comon_in(&app_directory, &[], &arguments);
    assert!(
        run.code == 0 || run.code == 1,
        "lint of {app}/{folder} exits 0 or 1\n{}",
        run.stderr
    );
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["scripts"].as_u64(), Some(script_count as u64));
    let mut counts = BTreeMap::new();
    for finding in value["findings"].as_array().expect("findings") {
        let code = finding["code"].as_str().expect("code").to_string();
        *counts.entry(code).or_insert(0) += 1;
    }
    (script_count, counts)
}

#[test]
fn lint_counts_on_the_corpus_are_the_ones_docs_lint_md_shows() {
    let Some(corpus) = tests::required_corpus_directory() else {
        return;
    };
    let columns: Vec<(usize, BTreeMap<String, usize>)> = CORPUS_COLUMNS
        .iter()
        .map(|(app, folder)| lint_corpus_column(&corpus, app, folder, "comon"))
        .collect();
    // The same scripts for the runner they were written for (Prisma Migrate, which sets no
    // lock_timeout): only the one rule that differs is counted.
    let other_runner: Vec<usize> = CORPUS_COLUMNS
        .iter()
        .map(|(app, folder)| {
            let (_, counts) = lint_corpus_column(&corpus, app, folder, "other");
            counts
                .get("lint/missing-lock-timeout")
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let total_scripts: usize = columns.iter().map(|(scripts, _)| scripts).sum();
    assert!(
        total_scripts >= 300,
        "the corpus has its scripts ({total_scripts})"
    );
    let mut rows = vec![format!(
        "| scripts | {} |",
        columns
            .iter()
            .map(|(scripts, _)| scripts.to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    )];
    let codes: std::collections::BTreeSet<&String> = columns
        .iter()
        .flat_map(|(_, counts)| counts.keys())
        .collect();
    for code in codes {
        rows.push(format!(
            "| `{code}` | {} |",
            columns
                .iter()
                .map(|(_, counts)| counts.get(code).copied().unwrap_or(0).to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    rows.push(format!(
        "| all findings | {} |",
        columns
            .iter()
            .map(|(_, counts)| counts.values().sum::<usize>().to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    rows.push(format!(
        "| `lint/missing-lock-timeout` with `--runner other` | {} |",
        other_runner
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let documentation_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/lint.md");
    let documentation = std::fs::read_to_string(&documentation_path).expect("docs/lint.md");
    let missing: Vec<&String> = rows
        .iter()
        .filter(|row| !documentation.lines().any(|line| line == row.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/lint.md does not show these corpus counts (or shows others):\n{}",
        missing
            .iter()
            .map(|row| row.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
