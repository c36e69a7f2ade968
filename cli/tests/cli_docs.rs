//! The documentation is run: every ```sh block of every page of `docs/` is executed, in page
//! order, in a scratch copy of `examples/blog`, with `comon` on the PATH. Files a page shows
//! with a target (```prisma file=prisma/schema.prisma, ```sql file=prisma/migrations/*_x/migration.sql)
//! are written before the commands that follow them. A command ending in `# exit N` must exit
//! with N; every other command must succeed. A page that names a variable ending in
//! `DATABASE_URL` (as `$STAGING_DATABASE_URL` or `env("DATABASE_URL")`) gets a fresh PostgreSQL
//! database in that variable.
//!
//! The README's main job, `cargo run -p comon-cli --bin comon -- migrate dev --schema
//! examples/blog/prisma/schema.prisma --name init`, is run the same way from a fresh copy.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tests::TemporaryPostgresDatabase;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace folder")
        .to_path_buf()
}

/// A fresh folder holding what a fresh clone has of the example: its schema, nothing else.
fn fresh_example(into: &Path) {
    let schema = workspace().join("examples/blog/prisma/schema.prisma");
    std::fs::create_dir_all(into.join("prisma")).expect("folder");
    std::fs::copy(&schema, into.join("prisma/schema.prisma")).expect("schema copied");
}

enum Block {
    Commands(Vec<String>),
    File { target: String, content: String },
}

fn blocks_of(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut body = Vec::new();
        for inner in lines.by_ref() {
            if inner.trim_start().starts_with("```") {
                break;
            }
            body.push(inner);
        }
        let mut words = info.split_whitespace();
        let language = words.next().unwrap_or("");
        let target = words.find_map(|word| word.strip_prefix("file="));
        match (language, target) {
            ("sh", _) => blocks.push(Block::Commands(
                body.iter()
                    .map(|line| line.trim().to_string())
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .collect(),
            )),
            (_, Some(target)) => blocks.push(Block::File {
                target: target.to_string(),
                content: format!("{}\n", body.join("\n")),
            }),
            _ => {}
        }
    }
    blocks
}

/// A target path with at most one `*` segment, matched against what exists.
fn resolve_target(directory: &Path, target: &str) -> PathBuf {
    let mut resolved = directory.to_path_buf();
    for segment in target.split('/') {
        if let Some((prefix, suffix)) = segment.split_once('*') {
            let found = support::file_names(&resolved)
                .into_iter()
                .find(|name| name.starts_with(prefix) && name.ends_with(suffix))
                .unwrap_or_else(|| panic!("nothing matches {segment} in {}", resolved.display()));
            resolved.push(found);
        } else {
            resolved.push(segment);
        }
    }
    resolved
}

fn expected_exit_code(command: &str) -> i32 {
    command
        .rsplit_once("# exit ")
        .and_then(|(_, code)| code.trim().parse().ok())
        .unwrap_or(0)
}

fn run_page(page: &Path) {
    let markdown = std::fs::read_to_string(page).expect("page readable");
    let scratch = tempfile::tempdir().expect("folder");
    fresh_example(scratch.path());
    let mut environment: BTreeMap<String, String> = BTreeMap::new();
    let mut databases = Vec::new();
    for word in
        markdown.split(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
    {
        if let Some(variable) = Some(word).filter(|word| word.ends_with("DATABASE_URL")) {
            if !environment.contains_key(variable) {
                let database = TemporaryPostgresDatabase::new();
                environment.insert(variable.to_string(), database.url().to_string());
                databases.push(database);
            }
        }
    }
    let binary_folder = Path::new(support::COMON)
        .parent()
        .expect("the binary's folder");
    let path = format!(
        "{}:{}",
        binary_folder.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for block in blocks_of(&markdown) {
        match block {
            Block::File { target, content } => {
                let file = resolve_target(scratch.path(), &target);
                std::fs::create_dir_all(file.parent().expect("parent")).expect("folder");
                std::fs::write(&file, content).expect("file written");
            }
            Block::Commands(commands) => {
                for command in commands {
                    let output = Command::new("sh")
                        .arg("-c")
                        .arg(&command)
                        .current_dir(scratch.path())
                        .env("PATH", &path)
                        .envs(&environment)
                        .stdin(Stdio::null())
                        .output()
                        .expect("sh runs");
                    let code = output.status.code().unwrap_or(-1);
                    assert_eq!(
                        code,
                        expected_exit_code(&command),
                        "{}: `{command}`\nstdout:\n{}\nstderr:\n{}",
                        page.display(),
                        String::from_utf8_lossy(&output.stdout),
                        String::from_utf8_lossy(&output.stderr)
                    );
                }
            }
        }
    }
}

#[test]
fn every_command_in_the_user_guide_runs() {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(workspace().join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    pages.sort();
    assert!(
        pages.iter().any(|page| page.ends_with("baselining.md")) && pages.len() >= 6,
        "the guide has its pages: {pages:?}"
    );
    let mut command_count = 0;
    for page in &pages {
        command_count += blocks_of(&std::fs::read_to_string(page).expect("page"))
            .iter()
            .map(|block| match block {
                Block::Commands(commands) => commands.len(),
                Block::File { .. } => 0,
            })
            .sum::<usize>();
        run_page(page);
    }
    assert!(
        command_count >= 20,
        "the guide shows its commands ({command_count})"
    );
}

#[test]
fn the_readme_main_job_works_from_a_fresh_copy_of_the_example() {
    let clone = tempfile::tempdir().expect("folder");
    fresh_example(&clone.path().join("examples/blog"));
    let run = support::comon_in(
        clone.path(),
        &[],
        &[
            "migrate",
            "dev",
            "--schema",
            "examples/blog/prisma/schema.prisma",
            "--name",
            "init",
        ],
    );
    run.expect(
        0,
        &[
            "Migration draft written: examples/blog/prisma/migrations/",
            "Your database is now in sync with your schema.",
        ],
    );
    assert!(
        clone.path().join("examples/blog/prisma/dev.db").is_file(),
        "the SQLite file sits beside the schema"
    );
    support::comon_in(
        clone.path(),
        &[],
        &[
            "migrate",
            "status",
            "--schema",
            "examples/blog/prisma/schema.prisma",
        ],
    )
    .expect(0, &["Active migrations: 1", "Issues: 0"]);
}

#[test]
fn the_documentation_harness_reads_blocks_and_exit_codes() {
    let blocks = blocks_of("text\n```sh\n# a comment\ncomon migrate status # exit 1\n\n```\n```prisma file=prisma/schema.prisma\nmodel A {}\n```\n```text\nignored\n```\n");
    assert_eq!(blocks.len(), 2);
    match &blocks[0] {
        Block::Commands(commands) => {
            assert_eq!(commands, &vec!["comon migrate status # exit 1".to_string()])
        }
        Block::File { .. } => panic!("expected commands"),
    }
    assert_eq!(expected_exit_code("comon migrate status # exit 1"), 1);
    assert_eq!(expected_exit_code("comon migrate status"), 0);
}
