//! The prompts people see on a terminal. The binary runs under `script` (util-linux), which
//! gives it a real pseudo-terminal, so it prompts; the answers are typed into that terminal.
//! Colour (`--color`, `NO_COLOR`, `FORCE_COLOR`) and the completion scripts are checked here too.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use support::{Project, Provider, Run, COMON, USERS, USERS_AND_POSTS};

/// Runs `comon` with a pseudo-terminal as stdin and stdout, typing `answers` into it.
fn comon_on_terminal(project: &Project, arguments: &[&str], answers: &str, no_color: bool) -> Run {
    let quoted: Vec<String> = std::iter::once(COMON)
        .chain(arguments.iter().copied())
        .map(|word| format!("'{}'", word.replace('\'', "'\\''")))
        .collect();
    let mut command = Command::new("script");
    command
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .current_dir(project.path())
        .env("DATABASE_URL", project.database.url())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if no_color {
        command.env("NO_COLOR", "1");
    }
    let mut child = command
        .spawn()
        .expect("`script` (util-linux) runs; install util-linux or bsdutils if it is missing");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(answers.as_bytes())
        .expect("answers are typed");
    let output = child.wait_with_output().expect("script ends");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn reset_asks_and_respects_the_answer() {
    let project = Project::with_init_migration(Provider::Sqlite, USERS);
    project
        .database
        .execute("INSERT INTO \"User\" (email) VALUES ('kept@example.com')");

    comon_on_terminal(&project, &["migrate", "reset"], "n\n", true).expect(
        1,
        &[
            "Are you sure you want to reset your database? All data will be lost.",
            "Reset cancelled.",
        ],
    );
    assert_eq!(
        project.database.count("SELECT COUNT(*) FROM \"User\""),
        1,
        "a cancelled reset keeps the data"
    );

    comon_on_terminal(&project, &["migrate", "reset"], "y\n", true).expect(
        0,
        &[
            "Are you sure you want to reset your database?",
            "All migrations have been successfully applied.",
        ],
    );
    assert_eq!(
        project.database.count("SELECT COUNT(*) FROM \"User\""),
        0,
        "a confirmed reset empties the database"
    );
}

#[test]
fn dev_asks_for_a_name_and_for_confirmation_of_warnings() {
    let project = Project::new(Provider::Sqlite, USERS_AND_POSTS);
    comon_on_terminal(&project, &["migrate", "dev"], "init\n", true).expect(0, &["Migration name"]);
    assert!(
        project
            .migration_names()
            .iter()
            .any(|name| name.ends_with("_init")),
        "the typed name is used: {:?}",
        project.migration_names()
    );
    project
        .database
        .execute("INSERT INTO \"User\" (email) VALUES ('a@example.com')");
    project
        .database
        .execute("INSERT INTO \"Post\" (title, \"authorId\") VALUES ('first', 1)");

    // Dropping the posts loses data: the terminal is asked, and "no" writes nothing.
    project.write_schema(USERS);
    comon_on_terminal(
        &project,
        &["migrate", "dev", "--name", "drop_posts"],
        "n\n",
        true,
    )
    .expect(
        1,
        &[
            "Potential data loss",
            "Apply this migration despite warnings? [y/N]",
            "Migration creation cancelled.",
        ],
    );
    assert!(!project
        .migration_names()
        .iter()
        .any(|name| name.ends_with("_drop_posts")));
    assert_eq!(project.database.count("SELECT COUNT(*) FROM \"Post\""), 1);

    comon_on_terminal(
        &project,
        &["migrate", "dev", "--name", "drop_posts"],
        "y\n",
        true,
    )
    .expect(0, &["Apply this migration despite warnings?"]);
    assert!(project
        .migration_names()
        .iter()
        .any(|name| name.ends_with("_drop_posts")));
    let remaining = project
        .database
        .column("SELECT name FROM sqlite_master WHERE name = 'Post'");
    assert!(remaining.is_empty(), "the confirmed migration was applied");
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let project = Project::new(Provider::Sqlite, USERS);
    let coloured = comon_on_terminal(&project, &["validate"], "", false);
    coloured.expect(0, &[]);
    assert!(
        coloured.all().contains("\u{1b}["),
        "a terminal gets colour: {:?}",
        coloured.all()
    );
    let plain = comon_on_terminal(&project, &["validate"], "", true);
    plain.expect(0, &[]);
    assert!(
        !plain.all().contains("\u{1b}["),
        "NO_COLOR turns colour off: {:?}",
        plain.all()
    );
    let piped = project.comon(&["validate"]);
    assert!(
        !piped.all().contains("\u{1b}["),
        "no terminal, no colour: {:?}",
        piped.all()
    );
}

#[test]
fn the_color_flag_and_force_color_decide_over_the_terminal() {
    let project = Project::new(Provider::Sqlite, USERS);
    let has_colour = |run: &Run| run.all().contains("\u{1b}[");
    let never = comon_on_terminal(&project, &["--color", "never", "validate"], "", false);
    never.expect(0, &[]);
    assert!(
        !has_colour(&never),
        "--color never on a terminal: {:?}",
        never.all()
    );

    let always = project.comon(&["--color", "always", "validate"]);
    always.expect(0, &[]);
    assert!(
        has_colour(&always),
        "--color always in a pipe: {:?}",
        always.all()
    );

    let url = project.database.url();
    let forced = support::comon_in(
        project.path(),
        &[("DATABASE_URL", &url), ("FORCE_COLOR", "1")],
        &["validate"],
    );
    assert!(
        has_colour(&forced),
        "FORCE_COLOR=1 in a pipe: {:?}",
        forced.all()
    );
    let not_forced = support::comon_in(
        project.path(),
        &[("DATABASE_URL", &url), ("FORCE_COLOR", "0")],
        &["validate"],
    );
    assert!(
        !has_colour(&not_forced),
        "FORCE_COLOR=0: {:?}",
        not_forced.all()
    );
    let overruled = support::comon_in(
        project.path(),
        &[("DATABASE_URL", &url), ("FORCE_COLOR", "1")],
        &["--color", "never", "validate"],
    );
    assert!(
        !has_colour(&overruled),
        "--color never wins: {:?}",
        overruled.all()
    );
}

#[test]
fn completion_scripts_are_printed_for_each_shell() {
    let project = Project::new(Provider::Sqlite, USERS);
    let bash = project.comon(&["completions", "bash"]);
    bash.expect(0, &["_comon()", "deploy", "--create-only"]);
    project
        .comon(&["completions", "zsh"])
        .expect(0, &["#compdef comon", "rollback"]);
    project
        .comon(&["completions", "fish"])
        .expect(0, &["complete -c comon", "status"]);
    project
        .comon(&["completions", "tcsh"])
        .expect(64, &["tcsh"]);
}

/// A rename candidate is asked on a terminal, answered only by y or n (anything else asks
/// again); no is "not a rename", after which the data-loss question comes as before.
#[test]
fn a_rename_candidate_is_asked_on_a_terminal() {
    const CUSTOMERS: &str =
        "model Customer {\n  id    Int    @id @default(autoincrement())\n  email String\n}\n";
    const CLIENTS: &str =
        "model Client {\n  id    Int    @id @default(autoincrement())\n  email String\n}\n";
    let project = Project::with_init_migration(Provider::Sqlite, CUSTOMERS);
    project
        .database
        .execute("INSERT INTO \"Customer\" (email) VALUES ('a@example.com')");
    project.write_schema(CLIENTS);
    let question = "Model Customer was removed and model Client with the same columns was added: is it a rename? [y/n]";
    // No: not a rename, so the table would be dropped, and the data-loss question says no.
    let declined = comon_on_terminal(
        &project,
        &["migrate", "dev", "--name", "replace"],
        "n\nn\n",
        true,
    );
    declined.expect(
        1,
        &[
            question,
            "Apply this migration despite warnings? [y/N]",
            "Migration creation cancelled.",
        ],
    );
    assert_eq!(project.migration_names().len(), 1);
    // An empty line and another word do not answer; yes renames, and nothing else is asked.
    let renamed = comon_on_terminal(
        &project,
        &["migrate", "dev", "--name", "rename"],
        "\nmaybe\ny\n",
        true,
    );
    renamed
        .expect(
            0,
            &[question, "Your database is now in sync with your schema."],
        )
        .lacks("despite warnings");
    assert_eq!(
        renamed.all().matches(question).count(),
        3,
        "asked until answered: {renamed:?}"
    );
    assert_eq!(
        project
            .database
            .count("SELECT COUNT(*) FROM \"Client\" WHERE email = 'a@example.com'"),
        1
    );
}
