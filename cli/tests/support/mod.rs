//! Helpers for the end-to-end tests of the `comon` binary: a scratch project folder, a fresh
//! database of either provider, and running the binary without a terminal (stdin is closed, so
//! nothing prompts).
//!
//! Helpers panic with an explanation: a test that cannot set itself up should stop at once.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
pub use tests::{Provider, TemporaryDatabase};

pub const COMON: &str = env!("CARGO_BIN_EXE_comon");

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from_output(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Asserts the exit code and that every text appears in stdout or stderr.
    #[track_caller]
    pub fn expect(&self, code: i32, texts: &[&str]) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        for text in texts {
            assert!(
                self.all().contains(text),
                "missing {text:?}\nstdout:\n{}\nstderr:\n{}",
                self.stdout,
                self.stderr
            );
        }
        self
    }

    #[track_caller]
    pub fn lacks(&self, text: &str) -> &Run {
        assert!(
            !self.all().contains(text),
            "unexpected {text:?}\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// A scratch project: `prisma/schema.prisma` in a temporary folder, commands run from it.
pub struct Project {
    pub directory: tempfile::TempDir,
    pub provider: Provider,
    pub database: TemporaryDatabase,
}

impl Project {
    /// A project whose datasource reads `env("DATABASE_URL")`, set to a fresh database.
    pub fn new(provider: Provider, models: &str) -> Project {
        let directory = tempfile::tempdir().expect("a temporary folder");
        let project = Project {
            directory,
            provider,
            database: TemporaryDatabase::new(provider),
        };
        project.write_schema(models);
        project
    }

    /// A project whose `models` are already migrated by `migrate dev --name init`.
    pub fn with_init_migration(provider: Provider, models: &str) -> Project {
        let project = Project::new(provider, models);
        project.migrate_dev("init");
        project
    }

    /// `migrate dev --name <name>`, which must succeed.
    pub fn migrate_dev(&self, name: &str) {
        self.comon(&["migrate", "dev", "--name", name])
            .expect(0, &[]);
    }

    /// Writes `models` as the schema, then `migrate dev --name <name>`, which must succeed.
    pub fn migrate_dev_to(&self, models: &str, name: &str) {
        self.write_schema(models);
        self.migrate_dev(name);
    }

    /// `migrate dev --name <name> --create-only` for `models`, which must succeed; the folder.
    pub fn create_only(&self, models: &str, name: &str) -> String {
        self.write_schema(models);
        self.comon(&["migrate", "dev", "--name", name, "--create-only"])
            .expect(0, &["Migration draft written"]);
        self.migration(name)
    }

    /// The `migration.sql` of a migration folder.
    pub fn read_migration_sql(&self, folder: &str) -> String {
        self.read(&format!("prisma/migrations/{folder}/migration.sql"))
    }

    /// Replaces the `migration.sql` of a migration folder, as a reviewer editing it would.
    pub fn write_migration_sql(&self, folder: &str, sql: &str) {
        self.write(&format!("prisma/migrations/{folder}/migration.sql"), sql);
    }

    /// Leaves out of a folder's `migration.sql` every statement that contains `text`, as a
    /// hand edit that forgets part of the change would.
    pub fn remove_migration_statements(&self, folder: &str, text: &str) {
        let kept: String = self
            .read_migration_sql(folder)
            .split_inclusive(";\n")
            .filter(|statement| !statement.contains(text))
            .collect();
        self.write_migration_sql(folder, &kept);
    }

    /// `migrate status` on this project's database exits 0 with no issue.
    pub fn expect_no_status_issues(&self) {
        self.expect_no_status_issues_at(&self.database.url());
    }

    /// `migrate status` on the database at `url` exits 0 with no issue.
    pub fn expect_no_status_issues_at(&self, url: &str) {
        self.comon_with_url(url, &["migrate", "status"])
            .expect(0, &["Issues: 0"]);
    }

    /// `migrate diff --from-database --to-schema` on this project's database finds nothing.
    pub fn expect_no_difference_from_database(&self) {
        self.expect_no_difference_from_database_at(&self.database.url());
    }

    /// `migrate diff --from-database --to-schema` on the database at `url` finds nothing.
    pub fn expect_no_difference_from_database_at(&self, url: &str) {
        self.comon_with_url(
            url,
            &[
                "migrate",
                "diff",
                "--from-database",
                "--to-schema",
                "prisma/schema.prisma",
                "--exit-code",
            ],
        )
        .expect(0, &["No schema differences detected."]);
    }

    pub fn path(&self) -> &Path {
        self.directory.path()
    }

    pub fn schema_path(&self) -> PathBuf {
        self.path().join("prisma").join("schema.prisma")
    }

    pub fn migrations(&self) -> PathBuf {
        self.path().join("prisma").join("migrations")
    }

    pub fn schema_text(&self, models: &str) -> String {
        format!(
            "datasource db {{\n  provider = \"{}\"\n  url      = env(\"DATABASE_URL\")\n}}\n\n{models}",
            self.provider.as_str()
        )
    }

    pub fn write_schema(&self, models: &str) {
        self.write("prisma/schema.prisma", &self.schema_text(models));
    }

    pub fn write(&self, relative: &str, content: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("folder created");
        std::fs::write(&path, content).expect("file written");
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path().join(relative))
            .unwrap_or_else(|error| panic!("{relative}: {error}"))
    }

    /// Migration folder names, sorted.
    pub fn migration_names(&self) -> Vec<String> {
        if self.migrations().is_dir() {
            file_names(&self.migrations())
        } else {
            Vec::new()
        }
    }

    /// The folder whose name ends with `_<suffix>`.
    pub fn migration(&self, suffix: &str) -> String {
        self.migration_names()
            .into_iter()
            .find(|name| name.ends_with(&format!("_{suffix}")))
            .unwrap_or_else(|| {
                panic!(
                    "no migration named *_{suffix} in {:?}",
                    self.migration_names()
                )
            })
    }

    /// Runs `comon` against this project's database.
    pub fn comon(&self, arguments: &[&str]) -> Run {
        self.comon_with_url(&self.database.url(), arguments)
    }

    pub fn comon_with_url(&self, url: &str, arguments: &[&str]) -> Run {
        comon_in(self.path(), &[("DATABASE_URL", url)], arguments)
    }
}

/// `migrate diff --from-empty --to-schema prisma/schema.prisma`, then `options`.
pub fn diff_from_empty_to_schema<'a>(options: &[&'a str]) -> Vec<&'a str> {
    let mut arguments = vec![
        "migrate",
        "diff",
        "--from-empty",
        "--to-schema",
        "prisma/schema.prisma",
    ];
    arguments.extend_from_slice(options);
    arguments
}

/// The names of the entries of `directory`, sorted.
pub fn file_names(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()))
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Runs the binary in `directory` with closed stdin and extra environment variables.
pub fn comon_in(directory: &Path, environment: &[(&str, &str)], arguments: &[&str]) -> Run {
    let mut command = Command::new(COMON);
    command
        .current_dir(directory)
        .args(arguments)
        .stdin(Stdio::null())
        .env_remove("NO_COLOR");
    for (name, value) in environment {
        command.env(name, value);
    }
    Run::from_output(command.output().expect("the comon binary runs"))
}

/// Starts the binary without waiting, for concurrency tests.
pub fn spawn_comon(
    directory: &Path,
    environment: &[(&str, &str)],
    arguments: &[&str],
) -> std::process::Child {
    let mut command = Command::new(COMON);
    command
        .current_dir(directory)
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in environment {
        command.env(name, value);
    }
    command.spawn().expect("the comon binary starts")
}

pub fn wait(child: std::process::Child) -> Run {
    Run::from_output(child.wait_with_output().expect("the comon binary ends"))
}

/// Waits for a child whose stdout and stderr are piped, killing it (and failing the test) if it
/// is still running after `limit`: a command that hangs must fail its test, not hang the suite.
pub fn wait_at_most(mut child: std::process::Child, limit: std::time::Duration, what: &str) -> Run {
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let read = |stream: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut stream) = stream {
                let _ = stream.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = read(stdout.map(|stream| Box::new(stream) as Box<dyn std::io::Read + Send>));
    let stderr = read(stderr.map(|stream| Box::new(stream) as Box<dyn std::io::Read + Send>));
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{what}: still running after {limit:?}, killed\nstdout:\n{}\nstderr:\n{}",
                stdout.join().unwrap_or_default(),
                stderr.join().unwrap_or_default()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Polls `condition` every 50 ms until it holds, for at most `limit`; false if it never did.
/// For waiting on another process (a backend to go away, a line to appear), never to measure.
pub fn eventually(limit: std::time::Duration, mut condition: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    loop {
        if condition() {
            return true;
        }
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

pub const USERS: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n}\n";

pub const USERS_WITH_BIO_AND_POSTS: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  bio   String?\n  posts Post[]\n}\n\nmodel Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  author   User   @relation(fields: [authorId], references: [id])\n  authorId Int\n\n  @@index([title])\n}\n";

pub const USERS_AND_POSTS: &str = "model User {\n  id    Int     @id @default(autoincrement())\n  email String  @unique\n  name  String?\n  posts Post[]\n}\n\nmodel Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  author   User   @relation(fields: [authorId], references: [id])\n  authorId Int\n\n  @@index([title])\n}\n";
