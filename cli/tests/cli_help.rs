//! Every command's `--help` ends with examples that parse as that command, and every flag and
//! argument is described.

mod support;

use support::{comon_in, Run};

/// Every command and subcommand with its path, such as `["migrate", "dev"]`; clap's own `help`
/// subcommand is left out.
fn commands_of(
    command: &clap::Command,
    path: Vec<String>,
    into: &mut Vec<(Vec<String>, clap::Command)>,
) {
    into.push((path.clone(), command.clone()));
    for subcommand in command.get_subcommands() {
        if subcommand.get_name() == "help" {
            continue;
        }
        let mut sub_path = path.clone();
        sub_path.push(subcommand.get_name().to_string());
        commands_of(subcommand, sub_path, into);
    }
}

fn all_commands() -> Vec<(Vec<String>, clap::Command)> {
    let mut root = comon_cli::command_definition();
    root.build();
    let mut commands = Vec::new();
    commands_of(&root, Vec::new(), &mut commands);
    commands
}

/// The example lines of a help text: the indented `comon ...` lines after `Examples:`, without
/// a trailing `# comment` or `> redirection`.
fn examples(after_help: &str) -> Vec<String> {
    after_help
        .lines()
        .skip_while(|line| line.trim() != "Examples:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .map(|line| {
            let line = line.split(" # ").next().unwrap_or(line);
            let line = line.split(" > ").next().unwrap_or(line);
            line.trim().to_string()
        })
        .collect()
}

#[test]
fn every_command_has_examples_of_itself_that_parse() {
    let commands = all_commands();
    assert!(
        commands.len() >= 17,
        "the walk finds every command: {}",
        commands.len()
    );
    for (path, command) in &commands {
        let name = format!("comon {}", path.join(" "));
        let after_help = command
            .get_after_help()
            .map(|text| text.to_string())
            .unwrap_or_default();
        let lines = examples(&after_help);
        assert!(
            !lines.is_empty(),
            "`{name} --help` has no Examples section:\n{after_help}"
        );
        for line in &lines {
            assert!(
                line.starts_with(&format!("{} ", name.trim_end())) || line == name.trim_end(),
                "an example of `{name}` runs another command: {line}"
            );
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Err(error) = comon_cli::command_definition().try_get_matches_from(&words) {
                panic!("the example `{line}` of `{name}` does not parse:\n{error}");
            }
        }
    }
}

#[test]
fn every_argument_is_described() {
    for (path, command) in all_commands() {
        assert!(
            command.get_about().is_some() || path.is_empty(),
            "`comon {}` has no description",
            path.join(" ")
        );
        for argument in command.get_arguments() {
            let id = argument.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            let described = argument
                .get_help()
                .or(argument.get_long_help())
                .is_some_and(|help| !help.to_string().trim().is_empty());
            assert!(
                described,
                "the argument {id} of `comon {}` has no help text",
                path.join(" ")
            );
        }
    }
}

#[test]
fn help_prints_the_examples() {
    let directory = tempfile::tempdir().expect("a temporary folder");
    let run: Run = comon_in(directory.path(), &[], &["migrate", "dev", "--help"]);
    run.expect(
        0,
        &[
            "Examples:",
            "comon migrate dev --name init",
            "--json",
            "Prints one JSON document",
        ],
    );
    let run = comon_in(directory.path(), &[], &["db", "execute", "-h"]);
    run.expect(0, &["Examples:", "comon db execute --file prisma/seed.sql"]);
}
