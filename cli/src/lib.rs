//! The `comon` command line: argument parsing with clap, and the exit codes.
//!
//! Exit codes: 0 success; 1 an error, or `migrate status` found issues; 2 `migrate diff
//! --exit-code` found a difference (`migrate lint`: 1 when a finding is an error); 3 `migrate
//! dev` needs decisions nobody gave (renames, consent to data loss); 64 a usage error (clap's own
//! usage errors included, which
//! clap would otherwise report with 2, the code reserved here for differences); 128 + the
//! signal's number when SIGINT (130), SIGTERM (143) or SIGHUP (129) stopped the command.

pub(crate) mod db_commands;
mod decision_arguments;
mod dev_json;
mod diff_command;
mod environment;
mod lint_command;
mod migrate_commands;
pub mod output;
pub mod prisma_config;
pub mod project;
mod schema_commands;
mod terminal;

use clap::{Args, Parser, Subcommand};
use comon_driver::command_error::{CommandError, EXIT_USAGE};
use comon_driver::flavour::ProjectFlavour;
use output::{ColorWhen, Output};
use project::GlobalSettings;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "comon",
    version,
    about = "Schema migrations for Prisma-style schemas on PostgreSQL and SQLite, compatible with comon_orm.",
    after_help = "Examples:
  comon migrate dev --name init
  comon migrate deploy
  comon migrate status --json

Exit codes: 0 success, 1 error or status issues, 2 difference (migrate diff --exit-code), 3 decisions required (migrate dev), 64 usage error, 130/143 interrupted by SIGINT/SIGTERM."
)]
struct CommandLine {
    #[command(flatten)]
    global: GlobalArguments,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct GlobalArguments {
    /// The schema file, or a folder of .prisma files (a multi-file schema). Default: the
    /// config's `schema`, else prisma/schema.prisma, schema.prisma, or the folder prisma/schema.
    #[arg(long, global = true, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// The Prisma config file. Default: prisma.config.ts (or .mts, .cts, .js, .mjs, .cjs) in
    /// the working directory. It is read, never run: schema, migrations.path, migrations.seed and
    /// datasource.url/directUrl as strings, env("NAME") or process.env.NAME.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The migrations folder. Default: the config's `migrations.path`, else the folder beside
    /// the schema.
    #[arg(long, global = true, value_name = "DIR")]
    migrations_dir: Option<PathBuf>,
    /// The datasource block to use (a schema has one; its name is checked).
    #[arg(long, global = true, value_name = "NAME")]
    datasource: Option<String>,
    /// Overrides the datasource URL: a PostgreSQL URL, or a SQLite path or file: URL relative
    /// to the schema file's folder.
    #[arg(long, global = true, value_name = "URL")]
    url: Option<String>,
    /// Answers yes to every confirmation.
    #[arg(long, short = 'y', global = true)]
    yes: bool,
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR or
    /// CLICOLOR_FORCE colour it anywhere), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// PostgreSQL: how long one statement may wait for a lock another connection holds before
    /// it is cancelled (the session's lock_timeout). 0 waits as long as it takes.
    #[arg(long, global = true, value_name = "DURATION", env = "COMON_LOCK_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    lock_timeout: Duration,
    /// PostgreSQL: how many times a migration statement cancelled by lock_timeout runs again
    /// (after 1 s, 2 s, 4 s, ... up to 30 s), printing a waiting line each time: a statement of
    /// the online phase on its own, or the migration's transaction from its start after its
    /// rollback. 0 never retries.
    #[arg(long, global = true, value_name = "COUNT", env = "COMON_LOCK_RETRIES", default_value_t = comon_database::DEFAULT_LOCK_RETRIES)]
    lock_retries: u32,
    /// PostgreSQL: how long one statement may run before it is cancelled (the session's
    /// statement_timeout; the wait for the migration lock is not counted). 0 for no limit.
    #[arg(long, global = true, value_name = "DURATION", env = "COMON_STATEMENT_TIMEOUT", default_value = "1h", value_parser = parse_duration)]
    statement_timeout: Duration,
    /// How long to wait for another process that holds the migration lock (PostgreSQL) or the
    /// database write lock (SQLite). 0 waits as long as it takes.
    #[arg(long, global = true, value_name = "DURATION", env = "COMON_LOCK_WAIT_TIMEOUT", default_value = "10min", value_parser = parse_duration)]
    lock_wait_timeout: Duration,
    /// The kind of project, when detection should not decide: `comon-orm` (folders with
    /// before.prisma/after.prisma, `_comon_orm_migrations`) or `prisma` (Prisma Migrate's
    /// folders, `_prisma_migrations`, `prisma.config.ts`). Also sets the type mapping `migrate
    /// diff` reads schema files and snapshots with (detected there from the project, the
    /// migrations folders and databases it reads; comon-orm when nothing says).
    #[arg(long, global = true, value_name = "FLAVOUR", env = "COMON_PROJECT_FLAVOUR", value_parser = parse_flavour)]
    flavour: Option<ProjectFlavour>,
    /// Prints one JSON document on stdout (the command's result, or `{"error": {"code", "message",
    /// "exitCode"}}`), and the lines meant for people on stderr; never prompts. Each command's
    /// shape is in docs/json-output.md.
    #[arg(long, global = true)]
    json: bool,
}

/// `10s`, `500ms`, `5min`, `1h`, or `0` (no limit).
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    humantime::parse_duration(text).map_err(|error| {
        format!("{error} (write durations such as 500ms, 10s, 5min or 1h; 0 for no limit)")
    })
}

fn parse_flavour(text: &str) -> Result<ProjectFlavour, String> {
    ProjectFlavour::from_name(text.trim())
        .ok_or_else(|| format!("unknown flavour `{text}`: write `comon-orm` or `prisma`"))
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Checks that the schema is valid.
    #[command(
        alias = "check",
        after_help = "Examples:
  comon validate
  comon validate --schema prisma/schema.prisma --json"
    )]
    Validate,
    /// Formats the schema file in place.
    #[command(after_help = "Examples:
  comon format
  comon format --check   # exit 1 when the file is not formatted (CI)")]
    Format {
        /// Only checks: exits 1 when the file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Reviewed migrations: create, apply, inspect and repair them.
    #[command(
        subcommand,
        after_help = "Examples:
  comon migrate dev --name init
  comon migrate deploy
  comon migrate status --json"
    )]
    Migrate(MigrateCommand),
    /// Work on a database without migration history.
    #[command(
        subcommand,
        after_help = "Examples:
  comon db push
  comon db pull --print
  comon db execute --file fix.sql"
    )]
    Db(DbCommand),
    /// Prints a shell completion script: `comon completions bash > /etc/bash_completion.d/comon`,
    /// `comon completions zsh > "${fpath[1]}/_comon"`, `comon completions fish >
    /// ~/.config/fish/completions/comon.fish`.
    #[command(after_help = "Examples:
  comon completions bash > /etc/bash_completion.d/comon
  comon completions zsh > \"${fpath[1]}/_comon\"
  comon completions fish > ~/.config/fish/completions/comon.fish")]
    Completions {
        /// The shell to write the script for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
enum MigrateCommand {
    /// Applies pending migrations, then creates (and applies) a migration for schema changes.
    #[command(after_help = "Examples:
  comon migrate dev --name init
  comon migrate dev --name add_bio --create-only   # write migration.sql to edit it first
  comon migrate dev --schema examples/blog/prisma/schema.prisma --name init
  comon migrate dev --name rename_user --rename User=Account
  comon migrate dev --name drop_bio --accept-data-loss --json   # exit 3 lists pending decisions")]
    Dev {
        /// The migration name; the folder is `<UTC yyyymmddHHMMSS>_<name>`.
        #[arg(long, short = 'n')]
        name: Option<String>,
        /// Writes the migration folder without applying it, so that migration.sql can be edited.
        #[arg(long)]
        create_only: bool,
        #[command(flatten)]
        online_ddl: OnlineDdlArgument,
        #[command(flatten)]
        decisions: decision_arguments::DecisionArguments,
        #[command(flatten)]
        prisma_compatibility: PrismaCompatibilityFlags,
    },
    /// Applies every local migration that is not active in the database, as committed.
    #[command(after_help = "Examples:
  comon migrate deploy
  comon migrate deploy --url \"$PRODUCTION_DATABASE_URL\" --lock-wait-timeout 30min
  comon migrate deploy --deny-lint-errors
  comon migrate deploy --json")]
    Deploy {
        /// Refuses, before anything is applied, when `comon migrate lint` finds an error in a
        /// pending migration (a blocking index build, a validating constraint, a rewrite...).
        #[arg(long)]
        deny_lint_errors: bool,
    },
    /// Lints migration.sql files for what blocks or breaks a busy production database. Exit
    /// codes: 0 no error finding, 1 error findings, 64 usage or input error.
    #[command(after_help = "Examples:
  comon migrate lint
  comon migrate lint prisma/migrations/20250101000000_init/migration.sql
  comon migrate lint --format github
  comon migrate lint --json")]
    Lint(lint_command::LintArguments),
    /// Compares local migrations, the history table and the live schema.
    #[command(after_help = "Examples:
  comon migrate status   # exit 1 when there are issues
  comon migrate status --json
  comon migrate status --fail-on-script-mismatch")]
    Status {
        /// Makes a comon_orm folder whose migration.sql does not build its after.prisma (a
        /// hand edit the snapshot does not know of) an issue, so that status fails, instead of
        /// a warning.
        #[arg(long)]
        fail_on_script_mismatch: bool,
    },
    /// Drops everything in the database, then applies every local migration.
    #[command(after_help = "Examples:
  comon migrate reset
  comon migrate reset --force   # no confirmation (CI, scripts)")]
    Reset {
        /// Skips the confirmation.
        #[arg(long, short = 'f')]
        force: bool,
        #[command(flatten)]
        prisma_compatibility: PrismaCompatibilityFlags,
    },
    /// Records a migration as applied or rolled back without running SQL.
    #[command(after_help = "Examples:
  comon migrate resolve --applied 20250101000000_init
  comon migrate resolve --rolled-back 20250102000000_add_bio")]
    Resolve {
        /// Records the migration (a folder name) as applied: its changes are in the database
        /// already, made by hand after it failed.
        #[arg(long, value_name = "MIGRATION")]
        applied: Option<String>,
        /// Records the failed migration (a folder name) as rolled back: the database was
        /// repaired to before it, so that `migrate deploy` runs it again.
        #[arg(long, value_name = "MIGRATION")]
        rolled_back: Option<String>,
    },
    /// Takes the latest (or the named) active migration back to its before.prisma.
    #[command(after_help = "Examples:
  comon migrate rollback
  comon migrate rollback --name 20250102000000_add_bio --allow-warnings")]
    Rollback {
        /// The active migration to take back (a folder name); default: the latest.
        #[arg(long, short = 'n', value_name = "MIGRATION")]
        name: Option<String>,
        /// The name of the rollback's history row (default `<migration>_rollback_<unix ms>`).
        #[arg(long, value_name = "NAME")]
        rollback_name: Option<String>,
        /// Rolls back even when the reverse plan has warnings (such as data loss).
        #[arg(long)]
        allow_warnings: bool,
    },
    /// Adopts a database that has tables but no migration history: writes the whole schema as
    /// the first migration and records it as applied here without running it, after checking
    /// that the database matches the schema.
    #[command(after_help = "Examples:
  comon migrate baseline
  comon migrate baseline --name initial_schema --url \"$PRODUCTION_DATABASE_URL\"")]
    Baseline {
        /// The migration name; the folder is `<UTC yyyymmddHHMMSS>_<name>`.
        #[arg(long, short = 'n', default_value = comon_driver::commands::DEFAULT_BASELINE_NAME)]
        name: String,
    },
    /// Compares two schema sources and prints the difference.
    #[command(after_help = "Examples:
  comon migrate diff --from-database --to-schema prisma/schema.prisma --exit-code
  comon migrate diff --from-empty --to-schema prisma/schema.prisma --script -o schema.sql
  comon migrate diff --from-migrations prisma/migrations --to-schema prisma/schema.prisma --json")]
    Diff(DiffArguments),
}

#[derive(Debug, Args)]
pub struct DiffArguments {
    /// The previous side is an empty database.
    #[arg(long)]
    from_empty: bool,
    /// The previous side is a schema file.
    #[arg(long, value_name = "PATH")]
    from_schema: Option<PathBuf>,
    /// The previous side is the live database.
    #[arg(long)]
    from_database: bool,
    /// The previous side is the database at this URL (a PostgreSQL URL, or a SQLite path or
    /// file: URL relative to the current folder), read only.
    #[arg(long, value_name = "URL")]
    from_url: Option<String>,
    /// The previous side is the after.prisma of the last migration in a folder.
    #[arg(long, value_name = "DIR")]
    from_migrations: Option<PathBuf>,
    /// The next side is an empty database.
    #[arg(long)]
    to_empty: bool,
    /// The next side is a schema file.
    #[arg(long, value_name = "PATH")]
    to_schema: Option<PathBuf>,
    /// The next side is the live database.
    #[arg(long)]
    to_database: bool,
    /// The next side is the database at this URL, read only.
    #[arg(long, value_name = "URL")]
    to_url: Option<String>,
    /// The next side is the after.prisma of the last migration in a folder.
    #[arg(long, value_name = "DIR")]
    to_migrations: Option<PathBuf>,
    /// Prints the SQL script instead of a summary.
    #[arg(long)]
    script: bool,
    /// Prints the difference as JSON (the global `--json`).
    #[arg(skip)]
    json: bool,
    /// Writes the output to a file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exits 2 when there is a difference.
    #[arg(long)]
    exit_code: bool,
    #[command(flatten)]
    pub online_ddl: OnlineDdlArgument,
}

/// `--no-online-ddl`, for the commands that plan.
#[derive(Debug, Clone, Copy, Args)]
pub struct OnlineDdlArgument {
    /// PostgreSQL: plan the plain, blocking statements instead of the online ones, for a
    /// database nobody else uses (dev, CI). By default a change to a table that already exists
    /// builds indexes CONCURRENTLY, adds foreign keys NOT VALID and validates them, and makes a
    /// column required through a validated check, after the migration's transaction commits.
    /// Migration files written with this flag block reads and writes when deployed.
    #[arg(long)]
    no_online_ddl: bool,
}

impl OnlineDdlArgument {
    pub fn online_ddl(self) -> planner::OnlineDdl {
        match self.no_online_ddl {
            true => planner::OnlineDdl::Off,
            false => planner::OnlineDdl::On,
        }
    }
}

/// Flags Prisma's `migrate dev` and `migrate reset` take, accepted so that a project's scripts
/// run unchanged. comon generates no client, so `--skip-generate` changes nothing, and saying
/// so keeps a user from thinking a step was skipped that never runs.
#[derive(Debug, Args)]
struct PrismaCompatibilityFlags {
    /// Accepted for Prisma's scripts: comon generates no client, so there is nothing to skip.
    #[arg(long)]
    skip_generate: bool,
    /// Does not run the seed command of package.json's `prisma.seed` after a reset or after
    /// creating the database. (A seed in prisma.config.ts runs only with `comon db seed`, as in
    /// Prisma 7.)
    #[arg(long)]
    skip_seed: bool,
}

impl PrismaCompatibilityFlags {
    fn explain(&self, output: &Output) {
        explain_skip_generate(self.skip_generate, output);
    }
}

fn explain_skip_generate(skip_generate: bool, output: &Output) {
    if skip_generate {
        output.info("--skip-generate: comon generates no client, so there is nothing to skip.");
    }
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Makes the database match the schema, without migration history.
    #[command(after_help = "Examples:
  comon db push
  comon db push --accept-data-loss
  comon db push --force-reset --yes")]
    Push {
        /// Applies changes that lose data.
        #[arg(long)]
        accept_data_loss: bool,
        /// Drops everything in the database first.
        #[arg(long)]
        force_reset: bool,
        #[command(flatten)]
        online_ddl: OnlineDdlArgument,
        /// Accepted for Prisma's scripts: comon generates no client, so there is nothing to skip.
        #[arg(long)]
        skip_generate: bool,
    },
    /// Introspects the database and writes its schema into the schema file.
    #[command(after_help = "Examples:
  comon db pull
  comon db pull --print > introspected.prisma")]
    Pull {
        /// Prints the schema instead of writing the file.
        #[arg(long)]
        print: bool,
    },
    /// Runs a SQL script against the database, in one transaction.
    #[command(after_help = "Examples:
  comon db execute --file prisma/seed.sql
  comon db execute --file fix.sql --url \"$STAGING_DATABASE_URL\"
  comon db execute --stdin   # the script on standard input")]
    Execute {
        /// The SQL script to run (statements after a `-- comon:after-commit` line run after the
        /// commit, each on its own).
        #[arg(
            long,
            value_name = "FILE",
            required_unless_present = "stdin",
            conflicts_with = "stdin"
        )]
        file: Option<PathBuf>,
        /// Reads the script from standard input.
        #[arg(long)]
        stdin: bool,
    },
    /// Runs the seed command the project configures: `migrations.seed` in prisma.config.ts, else
    /// `prisma.seed` in package.json. Arguments after `--` are passed to it.
    #[command(after_help = "Examples:
  comon db seed
  comon db seed -- --environment staging")]
    Seed {
        /// Passed to the seed command as they are.
        #[arg(last = true, value_name = "ARGUMENTS")]
        arguments: Vec<String>,
    },
}

/// The command line's definition, for the tests that check every command's help (examples,
/// every argument described) and for generating completions.
pub fn command_definition() -> clap::Command {
    <CommandLine as clap::CommandFactory>::command()
}

/// What every command gets: the global settings and the output.
pub struct Context {
    pub settings: GlobalSettings,
    pub output: Output,
}

/// Runs the command line and returns the process exit code.
pub fn run<I, T>(arguments: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let arguments: Vec<OsString> = arguments.into_iter().map(Into::into).collect();
    let command_line = match CommandLine::try_parse_from(arguments.iter().cloned()) {
        Ok(command_line) => command_line,
        Err(error) => {
            // Help and version requests are successes; everything else clap rejects is usage.
            let _ = error.print();
            if !error.use_stderr() {
                return 0;
            }
            // The caller asked for JSON: the usage error is a JSON document too.
            if arguments.iter().any(|argument| argument == "--json") {
                let document = output::usage_error_json(&error.render().to_string());
                let text = serde_json::to_string_pretty(&document).unwrap_or_default();
                println!("{text}");
            }
            return EXIT_USAGE;
        }
    };
    let output = Output::from_environment(command_line.global.yes, command_line.global.color)
        .with_json(command_line.global.json);
    let connection = comon_database::ConnectionOptions {
        lock_timeout: command_line.global.lock_timeout,
        statement_timeout: command_line.global.statement_timeout,
        lock_wait_timeout: command_line.global.lock_wait_timeout,
        create_missing_sqlite_file: true,
        on_write_lock_wait: Some(
            output.once_notice("Waiting for the database write lock held by another process..."),
        ),
        lock_retries: comon_database::LockRetries {
            retries: command_line.global.lock_retries,
            ..comon_database::LockRetries::default()
        },
        on_lock_retry: Some(output.lock_retry_notice()),
    };
    let context = Context {
        settings: GlobalSettings {
            schema: command_line.global.schema.clone(),
            datasource: command_line.global.datasource.clone(),
            url: command_line.global.url.clone(),
            config: command_line.global.config.clone(),
            migrations_directory: command_line.global.migrations_dir.clone(),
            flavour: command_line.global.flavour,
            connection,
            notices: output.notices(),
        },
        output,
    };
    let result = dispatch(&context, command_line.command);
    if let Err(error) = &result {
        context.output.error_document(error);
    }
    match result {
        Ok(exit_code) => exit_code,
        Err(CommandError::Cancelled { message }) => {
            context.output.warning(&message);
            CommandError::Cancelled { message }.exit_code()
        }
        Err(CommandError::InvalidSchema {
            path,
            schema_text,
            errors,
        }) => {
            context.output.schema_errors(&path, &schema_text, &errors);
            CommandError::InvalidSchema {
                path,
                schema_text,
                errors,
            }
            .exit_code()
        }
        Err(CommandError::InvalidSchemaFiles {
            folder,
            files,
            errors,
        }) => {
            context.output.schema_file_errors(&folder, &files, &errors);
            CommandError::InvalidSchemaFiles {
                folder,
                files,
                errors,
            }
            .exit_code()
        }
        Err(error) => {
            context.output.error(error.code(), &error.to_string());
            error.exit_code()
        }
    }
}

fn dispatch(context: &Context, command: Command) -> Result<i32, CommandError> {
    match command {
        Command::Validate => schema_commands::validate(context),
        Command::Format { check } => schema_commands::format(context, check),
        Command::Migrate(MigrateCommand::Dev {
            name,
            create_only,
            online_ddl,
            decisions,
            prisma_compatibility,
        }) => {
            prisma_compatibility.explain(&context.output);
            migrate_commands::dev(
                context,
                migrate_commands::DevArguments {
                    name: name.as_deref(),
                    create_only,
                    online_ddl: online_ddl.online_ddl(),
                    decisions: decisions.decisions()?,
                    skip_seed: prisma_compatibility.skip_seed,
                },
            )
        }
        Command::Migrate(MigrateCommand::Deploy { deny_lint_errors }) => {
            migrate_commands::deploy(context, deny_lint_errors)
        }
        Command::Migrate(MigrateCommand::Lint(mut arguments)) => {
            arguments.json = context.output.json_mode();
            lint_command::lint(context, &arguments)
        }
        Command::Migrate(MigrateCommand::Status {
            fail_on_script_mismatch,
        }) => migrate_commands::status(context, fail_on_script_mismatch),
        Command::Migrate(MigrateCommand::Reset {
            force,
            prisma_compatibility,
        }) => {
            prisma_compatibility.explain(&context.output);
            migrate_commands::reset(context, force, prisma_compatibility.skip_seed)
        }
        Command::Migrate(MigrateCommand::Resolve {
            applied,
            rolled_back,
        }) => migrate_commands::resolve(context, applied.as_deref(), rolled_back.as_deref()),
        Command::Migrate(MigrateCommand::Rollback {
            name,
            rollback_name,
            allow_warnings,
        }) => migrate_commands::rollback(
            context,
            name.as_deref(),
            rollback_name.as_deref(),
            allow_warnings,
        ),
        Command::Migrate(MigrateCommand::Baseline { name }) => {
            migrate_commands::baseline(context, &name)
        }
        Command::Migrate(MigrateCommand::Diff(mut arguments)) => {
            arguments.json = context.output.json_mode();
            diff_command::diff(context, &arguments)
        }
        Command::Db(DbCommand::Push {
            accept_data_loss,
            force_reset,
            online_ddl,
            skip_generate,
        }) => {
            explain_skip_generate(skip_generate, &context.output);
            db_commands::push(
                context,
                accept_data_loss,
                force_reset,
                online_ddl.online_ddl(),
            )
        }
        Command::Db(DbCommand::Pull { print }) => db_commands::pull(context, print),
        Command::Db(DbCommand::Execute { file, stdin }) => {
            db_commands::execute(context, file.as_deref().filter(|_| !stdin))
        }
        Command::Db(DbCommand::Seed { arguments }) => db_commands::seed(context, &arguments),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(
                shell,
                &mut <CommandLine as clap::CommandFactory>::command(),
                "comon",
                &mut script,
            );
            let script = String::from_utf8_lossy(&script);
            if context.output.json_mode() {
                context.output.json_document(&serde_json::json!({
                    "shell": shell.to_string(),
                    "script": script,
                }));
            } else {
                context.output.data(&script);
            }
            Ok(0)
        }
    }
}
