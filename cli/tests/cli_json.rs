//! `--json` on every command: stdout is exactly one JSON document whose top-level keys are the
//! ones docs/json-output.md shows for that command, the lines meant for people go to stderr,
//! and a failure is an `{"error": {...}}` document with its stable code and exit code.
//! Each story runs on SQLite and on PostgreSQL.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use support::{comon_in, Project, Provider, Run, USERS, USERS_AND_POSTS};

/// The documented example document of each command: docs/json-output.md has a heading
/// ``## `comon <command>` `` followed by a ```json block (and the error document under
/// `## Errors`).
fn documented_example(command: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/json-output.md");
    let text = std::fs::read_to_string(path).expect("docs/json-output.md is readable");
    let heading = match command {
        "error" => "## Errors".to_string(),
        command => format!("## `comon {command}`"),
    };
    let start = text
        .lines()
        .position(|line| line.trim() == heading)
        .unwrap_or_else(|| panic!("docs/json-output.md has no heading {heading}"));
    let block: Vec<&str> = text
        .lines()
        .skip(start)
        .skip_while(|line| line.trim() != "```json")
        .skip(1)
        .take_while(|line| line.trim() != "```")
        .collect();
    serde_json::from_str(&block.join("\n"))
        .unwrap_or_else(|error| panic!("the example under {heading} is not JSON: {error}"))
}

fn keys(document: &Value) -> BTreeSet<String> {
    document
        .as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default()
}

/// The run's stdout as one JSON document (nothing else on stdout), after checking the exit
/// code; its top-level keys must be the documented ones of `command`.
#[track_caller]
fn document(run: &Run, code: i32, command: &str) -> Value {
    assert_eq!(
        run.code, code,
        "exit code of {command}\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let value: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout of {command} --json is not one JSON document ({error}):\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        )
    });
    assert_eq!(
        keys(&value),
        keys(&documented_example(command)),
        "the keys of {command} --json differ from docs/json-output.md:\n{}",
        run.stdout
    );
    value
}

/// The error document of a failed run: `{"error": {...}}` with the error's code and exit code,
/// the human line on stderr, and only keys the error section of docs/json-output.md shows.
#[track_caller]
fn error_document(run: &Run, code: i32, error_code: &str) -> Value {
    assert_eq!(
        run.code, code,
        "exit code\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let value: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout of a failed --json run is not one JSON document ({error}):\n{}",
            run.stdout
        )
    });
    assert_eq!(keys(&value), BTreeSet::from(["error".to_string()]));
    let error = &value["error"];
    assert_eq!(error["code"], error_code, "{}", run.stdout);
    assert_eq!(error["exitCode"], code, "{}", run.stdout);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|message| !message.is_empty()),
        "{}",
        run.stdout
    );
    let documented = keys(&documented_example("error")["error"]);
    for key in keys(error) {
        assert!(
            documented.contains(&key),
            "error key {key} is not in docs/json-output.md"
        );
    }
    assert!(
        !run.stderr.trim().is_empty(),
        "the human lines (error[code] or the cancellation) are on stderr"
    );
    value
}

fn json(arguments: &[&str]) -> Vec<String> {
    let mut arguments: Vec<String> = arguments.iter().map(|text| text.to_string()).collect();
    arguments.push("--json".to_string());
    arguments
}

fn run_json(project: &Project, arguments: &[&str]) -> Run {
    let arguments = json(arguments);
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    project.comon(&arguments)
}

fn story_of_every_command(provider: Provider) {
    let project = Project::new(provider, USERS);

    let validate = document(&run_json(&project, &["validate"]), 0, "validate");
    assert_eq!(validate["valid"], true);
    assert_eq!(validate["provider"], provider.as_str());
    assert_eq!(validate["schemaPath"], "prisma/schema.prisma");

    document(&run_json(&project, &["format"]), 0, "format");
    let format = document(&run_json(&project, &["format"]), 0, "format");
    assert_eq!(format["alreadyFormatted"], true, "formatted twice");
    assert_eq!(format["written"], false);

    let init_run = run_json(&project, &["migrate", "dev", "--name", "init"]);
    let init = document(&init_run, 0, "migrate dev");
    let init_name = project.migration("init");
    assert_eq!(init["result"], "applied");
    assert_eq!(init["migration"], init_name.as_str());
    assert_eq!(init["run"]["name"], init_name.as_str());
    assert_eq!(init["run"]["outcome"], "applied");
    assert_eq!(init["appliedPending"], serde_json::json!([]));
    assert!(
        init_run.stderr.contains("Your database is now in sync"),
        "the human lines go to stderr: {}",
        init_run.stderr
    );

    let again = document(
        &run_json(&project, &["migrate", "dev", "--name", "again"]),
        0,
        "migrate dev",
    );
    assert_eq!(again["result"], "already-in-sync");
    assert_eq!(again["migration"], Value::Null);

    project.write_schema(USERS_AND_POSTS);
    let created = document(
        &run_json(
            &project,
            &["migrate", "dev", "--name", "posts", "--create-only"],
        ),
        0,
        "migrate dev",
    );
    let posts_name = project.migration("posts");
    assert_eq!(created["result"], "created");
    assert_eq!(created["migration"], posts_name.as_str());
    assert_eq!(created["run"], Value::Null);
    assert!(created["folder"]
        .as_str()
        .is_some_and(|folder| folder.ends_with(&posts_name)));

    // Issues make status exit 1, and its document is still the status, not an error.
    let status = document(
        &run_json(&project, &["migrate", "status"]),
        1,
        "migrate status",
    );
    assert_eq!(status["pendingMigrations"], serde_json::json!([posts_name]));
    assert_eq!(status["issues"][0]["code"], "local-migration-not-applied");

    let deploy = document(
        &run_json(&project, &["migrate", "deploy"]),
        0,
        "migrate deploy",
    );
    assert_eq!(deploy["applied"], serde_json::json!([posts_name]));
    assert_eq!(deploy["migrations"][0]["name"], posts_name.as_str());
    assert_eq!(deploy["localMigrationCount"], 2);

    let diff = document(
        &run_json(
            &project,
            &[
                "migrate",
                "diff",
                "--from-database",
                "--to-schema",
                "prisma/schema.prisma",
            ],
        ),
        0,
        "migrate diff",
    );
    assert_eq!(diff["empty"], true, "deployed, so no difference");

    let push = document(&run_json(&project, &["db", "push"]), 0, "db push");
    assert_eq!(push["result"], "already-in-sync");

    let pull = document(
        &run_json(&project, &["db", "pull", "--print"]),
        0,
        "db pull",
    );
    assert_eq!(pull["written"], false);
    assert_eq!(pull["models"], 2);
    assert!(pull["schema"]
        .as_str()
        .is_some_and(|schema| schema.contains("model Post")));

    project.write(
        "seed.sql",
        "INSERT INTO \"User\" (\"email\") VALUES ('a@example.com');\nINSERT INTO \"User\" (\"email\") VALUES ('b@example.com');\n",
    );
    let execute = document(
        &run_json(&project, &["db", "execute", "--file", "seed.sql"]),
        0,
        "db execute",
    );
    assert_eq!(execute["statementCount"], 2);

    let resolve = document(
        &run_json(&project, &["migrate", "resolve", "--applied", &init_name]),
        0,
        "migrate resolve",
    );
    assert_eq!(resolve["migration"], init_name.as_str());
    assert_eq!(resolve["recordedAs"], "applied");
    assert_eq!(resolve["changed"], false, "init was applied already");

    let rollback = document(
        &run_json(&project, &["migrate", "rollback"]),
        0,
        "migrate rollback",
    );
    assert_eq!(rollback["targetMigration"], posts_name.as_str());
    assert!(rollback["statementCount"]
        .as_u64()
        .is_some_and(|count| count > 0));
    assert_eq!(rollback["localFolderRemains"], true);

    let reset = document(
        &run_json(&project, &["migrate", "reset", "--force"]),
        0,
        "migrate reset",
    );
    assert_eq!(reset["reset"], true);
    assert_eq!(
        reset["applied"],
        serde_json::json!([init_name, posts_name]),
        "reset applies every local migration again"
    );
    project.expect_no_status_issues();

    // A database with tables and no history: db push builds it, baseline adopts it.
    let adopted = Project::new(provider, USERS);
    document(&run_json(&adopted, &["db", "push"]), 0, "db push");
    let baseline = document(
        &run_json(&adopted, &["migrate", "baseline"]),
        0,
        "migrate baseline",
    );
    assert_eq!(baseline["tables"], serde_json::json!(["User"]));
    assert!(baseline["statementCount"]
        .as_u64()
        .is_some_and(|count| count > 0));
    adopted.expect_no_status_issues();
}

#[test]
fn every_command_prints_its_documented_document_on_sqlite() {
    story_of_every_command(Provider::Sqlite);
}

#[test]
fn every_command_prints_its_documented_document_on_postgresql() {
    story_of_every_command(Provider::Postgresql);
}

#[test]
fn completions_in_json_carry_the_script() {
    let directory = tempfile::tempdir().expect("a temporary folder");
    let run = comon_in(directory.path(), &[], &["completions", "bash", "--json"]);
    let completions = document(&run, 0, "completions");
    assert_eq!(completions["shell"], "bash");
    assert!(completions["script"]
        .as_str()
        .is_some_and(|script| script.contains("comon")));
}

#[test]
fn failures_are_error_documents_with_stable_codes() {
    let project = Project::new(Provider::Sqlite, USERS);

    // clap's own usage errors, before any command runs, are documents too.
    let usage = error_document(
        &run_json(&project, &["migrate", "deploy", "--no-such-flag"]),
        64,
        "usage",
    );
    assert!(usage["error"]["message"]
        .as_str()
        .is_some_and(|message| message.contains("--no-such-flag")));

    error_document(&run_json(&project, &["migrate", "resolve"]), 64, "usage");

    let missing = error_document(
        &run_json(&project, &["db", "execute", "--file", "missing.sql"]),
        1,
        "file",
    );
    assert_eq!(missing["error"]["path"], "missing.sql");

    project.write(
        "broken.sql",
        "CREATE TABLE \"Fine\" (\"id\" INTEGER PRIMARY KEY);\nINSERT INTO \"NoSuchTable\" VALUES (1);\n",
    );
    let failed = error_document(
        &run_json(&project, &["db", "execute", "--file", "broken.sql"]),
        1,
        "statement-failed",
    );
    assert_eq!(failed["error"]["statement"]["line"], 2);
    assert_eq!(failed["error"]["statement"]["position"], 2);
    assert_eq!(failed["error"]["statement"]["count"], 2);

    // A change that loses data is a decision nobody answered (--json never asks): the warnings
    // and the pending decision say why.
    project.migrate_dev("init");
    project.write(
        "row.sql",
        "INSERT INTO \"User\" (\"email\") VALUES ('kept@example.com');\n",
    );
    project
        .comon(&["db", "execute", "--file", "row.sql"])
        .expect(0, &[]);
    project.write_schema("model Other {\n  id Int @id\n}\n");
    let declined = error_document(
        &run_json(&project, &["migrate", "dev", "--name", "drop_user"]),
        3,
        "decisions-required",
    );
    assert_eq!(
        declined["error"]["decisions"][0]["code"], "data-loss",
        "{declined}"
    );
    assert_eq!(declined["error"]["decisions"][0]["pending"], true);
    assert!(declined["error"]["plan"]["sql"]
        .as_str()
        .is_some_and(|sql| sql.contains("DROP TABLE")));
    assert_eq!(
        declined["error"]["warnings"][0]["kind"], "data-loss",
        "{declined}"
    );
    let refused = error_document(&run_json(&project, &["db", "push"]), 1, "data-loss");
    assert_eq!(
        refused["error"]["warnings"][0]["kind"], "data-loss",
        "{refused}"
    );

    project.write(
        "prisma/schema.prisma",
        "datasource db {\n  provider = \"sqlite\"\n  url      = env(\"DATABASE_URL\")\n}\n\nmodel User {\n  id Int @id\n  friend Nope\n}\n",
    );
    let invalid = error_document(&run_json(&project, &["validate"]), 1, "invalid-schema");
    let schema_error = &invalid["error"]["schemaErrors"][0];
    assert_eq!(schema_error["line"], 8, "{invalid}");
    assert!(schema_error["code"]
        .as_str()
        .is_some_and(|code| !code.is_empty()));
    assert_eq!(invalid["error"]["path"], "prisma/schema.prisma");
}
