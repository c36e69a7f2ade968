//! `migrate dev`'s decisions on the command line: a rename candidate without a terminal fails
//! with `decisions-required` (exit code 3) and the flags that answer it; `--rename`,
//! `--no-rename`, `--accept-data-loss` and `--answers FILE` answer; `--json` prints the pending
//! decisions and the plan as one JSON document on stdout. The prompts on a terminal are in
//! `cli_prompts.rs`.

mod support;

use serde_json::Value;
use support::{Project, Provider, Run};

const CUSTOMERS: &str =
    "model Customer {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n";
const CLIENTS: &str =
    "model Client {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n";
const CLIENTS_WITH_MAIL: &str =
    "model Client {\n  id   Int    @id @default(autoincrement())\n  mail String @unique\n}\n";

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not one JSON document ({error}):\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        )
    })
}

/// The decisions of a `migrate dev --json` document: its own on success, its error's when
/// decisions were required.
fn decisions_of(document: &Value) -> &Value {
    match document.get("error") {
        Some(error) => &error["decisions"],
        None => &document["decisions"],
    }
}

fn codes(document: &Value) -> Vec<(String, bool)> {
    decisions_of(document)
        .as_array()
        .expect("decisions is an array")
        .iter()
        .map(|decision| {
            (
                decision["code"].as_str().unwrap_or_default().to_string(),
                decision["pending"].as_bool().unwrap_or_default(),
            )
        })
        .collect()
}

fn renames_are_decided_by_flags_and_the_rows_stay(provider: Provider) {
    let project = Project::with_init_migration(provider, CUSTOMERS);
    project
        .database
        .execute("INSERT INTO \"Customer\" (email) VALUES ('a@example.com'), ('b@example.com')");
    project.write_schema(CLIENTS);

    // Nobody to ask: the candidate and the flags that decide it, nothing written.
    project
        .comon(&["migrate", "dev", "--name", "rename"])
        .expect(
            3,
            &[
                "error[decisions-required]",
                "[rename-model] Model Customer was removed and model Client with the same columns was added: is it a rename?",
                "--rename Customer=Client or --no-rename Customer=Client",
                "[data-loss]",
            ],
        );
    // `--yes` gives consent, never a rename.
    project
        .comon(&["migrate", "dev", "--name", "rename", "--yes"])
        .expect(3, &["[rename-model]"])
        .lacks("[data-loss]");
    assert_eq!(project.migration_names().len(), 1);

    // `--json`: one document on stdout with the pending decisions and the plan, exit code 3.
    let run = project.comon(&["migrate", "dev", "--name", "rename", "--json"]);
    assert_eq!(run.code, 3, "{run:?}");
    let document = json_of(&run);
    assert_eq!(document["error"]["code"], "decisions-required");
    assert_eq!(document["error"]["exitCode"], 3);
    assert_eq!(
        codes(&document),
        [
            ("rename-model".to_string(), true),
            ("data-loss".to_string(), true)
        ]
    );
    assert_eq!(document["error"]["decisions"][0]["key"], "Customer=Client");
    assert_eq!(
        document["error"]["decisions"][0]["rename"]["previous"],
        "Customer"
    );
    assert_eq!(document["error"]["code"], "decisions-required");
    assert!(
        document["error"]["plan"]["sql"]
            .as_str()
            .is_some_and(|sql| sql.contains("DROP TABLE \"Customer\"")),
        "{document}"
    );
    assert!(run.stderr.contains("error[decisions-required]"), "{run:?}");
    assert_eq!(project.migration_names().len(), 1);

    // The answer: the table is renamed with its rows, and the JSON says so.
    let run = project.comon(&[
        "migrate",
        "dev",
        "--name",
        "rename",
        "--rename",
        "Customer=Client",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let document = json_of(&run);
    assert_eq!(document["result"], "applied");
    assert!(document["migration"]
        .as_str()
        .is_some_and(|name| name.ends_with("_rename")));
    assert_eq!(codes(&document), []);
    assert!(
        document["plan"]["sql"]
            .as_str()
            .is_some_and(|sql| sql.contains("ALTER TABLE \"Customer\" RENAME TO \"Client\"")),
        "{document}"
    );
    assert_eq!(
        project.database.count(
            "SELECT COUNT(*) FROM \"Client\" WHERE email IN ('a@example.com', 'b@example.com')"
        ),
        2
    );
    project.expect_no_status_issues();
    project.expect_no_difference_from_database();
    // The same answer given again, as a CI job that always passes it does, is done already:
    // nothing to migrate and no error; a typo in it is still an error.
    project
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "rename",
            "--rename",
            "Customer=Client",
        ])
        .expect(0, &["Already in sync"]);
    project
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "rename",
            "--rename",
            "Customer=Cleint",
        ])
        .expect(1, &["error[rename-decision-unmatched]"]);
    assert_eq!(project.migration_names().len(), 2);

    // An answers file renames the field; `--no-rename` of a pair that is not there is an error.
    project.write_schema(CLIENTS_WITH_MAIL);
    project
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "mail",
            "--no-rename",
            "Client.mail=email",
        ])
        .expect(
            1,
            &[
                "error[rename-decision-unmatched]",
                "--no-rename Client.mail=email",
            ],
        );
    project.write(
        "answers.json",
        "{\"renames\": {\"Client.email=mail\": true}}",
    );
    project
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "mail",
            "--answers",
            "answers.json",
        ])
        .expect(0, &["Your database is now in sync with your schema."]);
    assert_eq!(
        project.database.count(
            "SELECT COUNT(*) FROM \"Client\" WHERE mail IN ('a@example.com', 'b@example.com')"
        ),
        2
    );
    project.expect_no_difference_from_database();
    // The answers file again, with the model's decision beside it: both are done.
    project.write(
        "answers.json",
        "{\"renames\": {\"Customer=Client\": true, \"Client.email=mail\": true}}",
    );
    project
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "mail",
            "--answers",
            "answers.json",
        ])
        .expect(0, &["Already in sync"]);
    assert_eq!(project.migration_names().len(), 3);
}

#[test]
fn renames_are_decided_by_flags_and_the_rows_stay_on_sqlite() {
    renames_are_decided_by_flags_and_the_rows_stay(Provider::Sqlite);
}

#[test]
fn renames_are_decided_by_flags_and_the_rows_stay_on_postgresql() {
    renames_are_decided_by_flags_and_the_rows_stay(Provider::Postgresql);
}

const POSTS_AND_TAGS: &str = "model Post {\n  id    Int    @id @default(autoincrement())\n  title String @unique\n  tags  Tag[]\n}\n\nmodel Tag {\n  id    Int    @id @default(autoincrement())\n  name  String @unique\n  posts Post[]\n}\n";
const POSTS_AND_LABELS: &str = "model Post {\n  id    Int     @id @default(autoincrement())\n  title String  @unique\n  tags  Label[]\n}\n\nmodel Label {\n  id    Int    @id @default(autoincrement())\n  name  String @unique\n  posts Post[]\n}\n";
/// comon_orm's join table of `Post.tags` and `Tag.posts` (`A` is the Post), and of `Post.tags`
/// and `Label.posts` (`A` is the Label: "Label" sorts before "Post").
const POST_TAG_JOIN_TABLE: &str = "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM";
const LABEL_POST_JOIN_TABLE: &str = "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw";

/// The links of the many-to-many relation as `post title:tag name`, sorted.
fn links(project: &Project, join_table: &str, post_column: &str, tag_table: &str) -> Vec<String> {
    let tag_column = if post_column == "A" { "B" } else { "A" };
    project
        .database
        .column(&format!(
            "SELECT p.title || ':' || t.name FROM \"{join_table}\" j JOIN \"Post\" p ON p.id = j.\"{post_column}\" JOIN \"{tag_table}\" t ON t.id = j.\"{tag_column}\" ORDER BY 1"
        ))
        .into_iter()
        .flatten()
        .collect()
}

/// A model rename takes the join table of its implicit many-to-many relation along, with every
/// link: the table is renamed, its columns swap as the model names' order changed, and the
/// database equals one built from the new schema.
fn a_model_rename_keeps_its_many_to_many_links(provider: Provider) {
    let project = Project::with_init_migration(provider, POSTS_AND_TAGS);
    project.database.execute(&format!(
        "INSERT INTO \"Post\" (title) VALUES ('first'), ('second'); INSERT INTO \"Tag\" (name) VALUES ('red'), ('blue'), ('green'); INSERT INTO \"{POST_TAG_JOIN_TABLE}\" (\"A\", \"B\") VALUES (1, 1), (1, 2), (2, 3);"
    ));
    let expected = ["first:blue", "first:red", "second:green"];
    assert_eq!(links(&project, POST_TAG_JOIN_TABLE, "A", "Tag"), expected);
    project.write_schema(POSTS_AND_LABELS);
    // The join table is no question of its own: the model's rename answers it.
    project
        .comon(&["migrate", "dev", "--name", "label"])
        .expect(3, &["--rename Tag=Label"])
        .lacks("Model _comon_orm_m2m__");
    project
        .comon(&["migrate", "dev", "--name", "label", "--rename", "Tag=Label"])
        .expect(0, &["Your database is now in sync with your schema."])
        .lacks("data loss");
    assert_eq!(
        links(&project, LABEL_POST_JOIN_TABLE, "B", "Label"),
        expected
    );
    project.expect_no_status_issues();
    project.expect_no_difference_from_database();
}

tests::test_on_each_provider!(a_model_rename_keeps_its_many_to_many_links,
    sqlite: a_model_rename_keeps_its_many_to_many_links_on_sqlite,
    postgresql: a_model_rename_keeps_its_many_to_many_links_on_postgresql);

const USERS_WITH_ROLE: &str = "enum Role {\n  USER\n  ADMIN\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  role  Role?\n}\n";
const USERS_WITH_BIO: &str = "enum Role {\n  USER\n  ADMIN\n}\n\nmodel User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  bio   String?\n}\n";

/// An enum field and a String field are never a rename candidate, on SQLite (where both are
/// TEXT) as on PostgreSQL: replacing one by the other asks only for consent to the data loss.
fn an_enum_field_and_a_string_field_are_no_rename_candidate(provider: Provider) {
    let project = Project::with_init_migration(provider, USERS_WITH_ROLE);
    project
        .database
        .execute("INSERT INTO \"User\" (email, role) VALUES ('a@example.com', 'ADMIN')");
    project.write_schema(USERS_WITH_BIO);
    project
        .comon(&["migrate", "dev", "--name", "bio"])
        .expect(3, &["[data-loss]", "field User.role is removed"])
        .lacks("[rename-field]");
    project
        .comon(&["migrate", "dev", "--name", "bio", "--accept-data-loss"])
        .expect(0, &["Your database is now in sync with your schema."]);
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM \"User\" WHERE email = 'a@example.com' AND bio IS NULL"),
        1
    );
    project.expect_no_difference_from_database();
}

tests::test_on_each_provider!(an_enum_field_and_a_string_field_are_no_rename_candidate,
    sqlite: an_enum_field_and_a_string_field_are_no_rename_candidate_on_sqlite,
    postgresql: an_enum_field_and_a_string_field_are_no_rename_candidate_on_postgresql);

#[test]
fn not_a_rename_and_data_loss_are_answered_explicitly() {
    let project = Project::with_init_migration(Provider::Sqlite, CUSTOMERS);
    project
        .database
        .execute("INSERT INTO \"Customer\" (email) VALUES ('a@example.com')");
    project.write_schema(CLIENTS);
    // "Not a rename" still leaves the data-loss decision, which only its flag answers.
    project
        .comon(&[
            "migrate",
            "dev",
            "--name",
            "replace",
            "--no-rename",
            "Customer=Client",
        ])
        .expect(
            3,
            &[
                "[data-loss]",
                "Potential data loss: model Customer is removed",
            ],
        )
        .lacks("[rename-model]");
    project.write(
        "answers.json",
        "{\"renames\": {\"Customer=Client\": false}, \"acceptDataLoss\": true}",
    );
    let run = project.comon(&[
        "migrate",
        "dev",
        "--name",
        "replace",
        "--answers",
        "answers.json",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let document = json_of(&run);
    assert_eq!(document["result"], "applied");
    assert_eq!(codes(&document), [("data-loss".to_string(), false)]);
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"Client\""), 0);
}

#[test]
fn bad_answers_are_usage_errors_that_name_the_problem() {
    let project = Project::with_init_migration(Provider::Sqlite, CUSTOMERS);
    project.write_schema(CLIENTS);
    project
        .comon(&["migrate", "dev", "--name", "x", "--rename", "Customer"])
        .expect(64, &["--rename: `Customer` is not a rename decision"]);
    project.write("answers.json", "{\"acceptDataLos\": true}");
    project
        .comon(&["migrate", "dev", "--name", "x", "--answers", "answers.json"])
        .expect(
            64,
            &[
                "The answers file answers.json is not valid",
                "acceptDataLos",
            ],
        );
    project
        .comon(&["migrate", "dev", "--name", "x", "--answers", "missing.json"])
        .expect(1, &["missing.json"]);
    assert_eq!(project.migration_names().len(), 1);
}

#[test]
fn a_plan_that_cannot_run_on_the_rows_lists_its_unexecutable_decision() {
    let project = Project::with_init_migration(Provider::Sqlite, CUSTOMERS);
    project
        .database
        .execute("INSERT INTO \"Customer\" (email) VALUES ('a@example.com')");
    project.write_schema(
        "model Customer {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  slug  String\n}\n",
    );
    let run = project.comon(&["migrate", "dev", "--name", "slug", "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let document = json_of(&run);
    assert_eq!(document["error"]["code"], "manual-migration-required");
    assert_eq!(codes(&document), [("unexecutable".to_string(), true)]);
    assert_eq!(
        document["error"]["decisions"][0]["answers"][0],
        "--create-only"
    );
    let run = project.comon(&[
        "migrate",
        "dev",
        "--name",
        "slug",
        "--json",
        "--create-only",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let document = json_of(&run);
    assert_eq!(document["result"], "created");
    assert!(document["folder"]
        .as_str()
        .is_some_and(|folder| folder.ends_with("_slug")));
}
