//! `comon migrate lint`: reads migration scripts from disk, has the planner's linter
//! (`planner::lint`) check them, and prints the findings as text, JSON or GitHub Actions
//! annotations.
//!
//! Exit codes: 0 when no finding is an error (warnings and infos do not fail), 1 when one is,
//! 64 for a usage or input error (no such file or folder, unreadable file, both files and
//! `--migrations-dir`).

use super::project::{discover_schema_path, migrations_directory_for};
use super::Context;
use comon_driver::command_error::{CommandError, EXIT_FAILURE};
use planner::lint::{has_errors, lint_migration, lint_migrations, LintFinding, LintOptions};
use planner::migrations::prisma::{lock_file_provider, PRISMA_LOCK_FILE};
use planner::Provider;
use std::path::{Path, PathBuf};

/// How the findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// One block per finding, then a summary line.
    Text,
    /// `{"findings": [...], "summary": {...}}` on stdout.
    Json,
    /// `::error file=...,line=...,col=...,title=...::message` lines for GitHub Actions.
    Github,
}

/// The runner the scripts are linted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintRunner {
    /// comon's runner, which sets lock_timeout and statement_timeout on its session.
    Comon,
    /// Another runner (psql, Prisma Migrate): a statement taking ACCESS EXCLUSIVE needs a
    /// `SET lock_timeout` before it in the script.
    Other,
}

/// The provider the scripts are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintProvider {
    Postgresql,
    Sqlite,
}

#[derive(Debug, clap::Args)]
pub struct LintArguments {
    /// migration.sql files (or migration folders holding one) to lint, each on its own.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Lints every `<folder>/migration.sql` of this migrations folder, in name order, each
    /// with the schema the ones before it built. Default: the project's migrations folder.
    #[arg(long, value_name = "DIR", conflicts_with = "files")]
    migrations_dir: Option<PathBuf>,
    /// Prints the findings as JSON: the global `--json`, the same as `--format json`.
    #[arg(skip)]
    pub json: bool,
    /// text, json, or github (annotations GitHub Actions shows on the pull request).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// The SQL dialect. Default: the migrations folder's migration_lock.toml, else the schema's
    /// datasource, else postgresql.
    #[arg(long, value_enum, value_name = "PROVIDER")]
    provider: Option<LintProvider>,
    /// comon (it sets lock_timeout itself) or other (psql, Prisma Migrate): with other, a
    /// statement taking ACCESS EXCLUSIVE without SET lock_timeout before it is reported.
    #[arg(long, value_enum, value_name = "RUNNER", default_value_t = LintRunner::Comon)]
    runner: LintRunner,
}

/// What was linted and what was found.
pub struct LintRun {
    pub findings: Vec<LintFinding>,
    pub script_count: usize,
    pub provider: Provider,
}

pub fn lint(context: &Context, arguments: &LintArguments) -> Result<i32, CommandError> {
    let options = LintOptions {
        runner_sets_lock_timeout: arguments.runner == LintRunner::Comon,
    };
    let explicit_provider = arguments.provider.map(|provider| match provider {
        LintProvider::Postgresql => Provider::Postgresql,
        LintProvider::Sqlite => Provider::Sqlite,
    });
    let run = if arguments.files.is_empty() {
        let directory = match &arguments.migrations_dir {
            Some(directory) => directory.clone(),
            None => {
                let schema = discover_schema_path(context.settings.schema.as_deref())
                    .map_err(|_| {
                        CommandError::usage(
                            "Nothing to lint: give migration.sql files, or --migrations-dir, or run it in a project with a schema.prisma.",
                        )
                    })?;
                migrations_directory_for(&schema)
            }
        };
        let provider = explicit_provider
            .or_else(|| lock_file_provider_of(&directory))
            .unwrap_or_else(|| schema_provider(context));
        lint_migrations_directory(provider, &directory, &options)?
    } else {
        lint_files(context, explicit_provider, &arguments.files, &options)?
    };
    let format = if arguments.json {
        LintFormat::Json
    } else {
        arguments.format
    };
    print_findings(context, &run, format);
    Ok(if has_errors(&run.findings) {
        EXIT_FAILURE
    } else {
        0
    })
}

/// The provider `migration_lock.toml` in `directory` names, if there is one that reads.
fn lock_file_provider_of(directory: &Path) -> Option<Provider> {
    let text = std::fs::read_to_string(directory.join(PRISMA_LOCK_FILE)).ok()?;
    lock_file_provider(&text).ok()
}

/// The schema's datasource provider, when a valid schema is found; else PostgreSQL, where the
/// linter's rules matter most.
fn schema_provider(context: &Context) -> Provider {
    super::project::Project::load(&context.settings)
        .map(|project| project.provider())
        .unwrap_or(Provider::Postgresql)
}

/// Every `<folder>/migration.sql` of `directory`, in name order: `(folder name, path)`.
fn migration_scripts(directory: &Path) -> Result<Vec<(String, PathBuf)>, CommandError> {
    let entries = std::fs::read_dir(directory).map_err(|error| {
        CommandError::usage(format!(
            "Cannot read the migrations folder {}: {error}",
            directory.display()
        ))
    })?;
    let mut scripts: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("migration.sql").is_file())
        .map(|path| {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, path.join("migration.sql"))
        })
        .collect();
    scripts.sort();
    Ok(scripts)
}

fn read_script(path: &Path) -> Result<String, CommandError> {
    std::fs::read_to_string(path)
        .map_err(|error| CommandError::usage(format!("Cannot read {}: {error}", path.display())))
}

/// Lints a migrations folder as a history (see `planner::lint::lint_migrations`). The
/// findings name each script by its path.
pub fn lint_migrations_directory(
    provider: Provider,
    directory: &Path,
    options: &LintOptions,
) -> Result<LintRun, CommandError> {
    let scripts = migration_scripts(directory)?;
    let mut texts = Vec::with_capacity(scripts.len());
    for (_, path) in &scripts {
        texts.push((path.display().to_string(), read_script(path)?));
    }
    let findings = lint_migrations(
        provider,
        texts
            .iter()
            .map(|(origin, text)| (origin.as_str(), text.as_str())),
        options,
    );
    Ok(LintRun {
        findings,
        script_count: scripts.len(),
        provider,
    })
}

fn lint_files(
    context: &Context,
    explicit_provider: Option<Provider>,
    files: &[PathBuf],
    options: &LintOptions,
) -> Result<LintRun, CommandError> {
    let mut findings = Vec::new();
    let mut provider_used = explicit_provider.unwrap_or(Provider::Postgresql);
    for file in files {
        let path = if file.is_dir() {
            file.join("migration.sql")
        } else {
            file.clone()
        };
        let text = read_script(&path)?;
        // `<migrations>/<folder>/migration.sql`: the lock file is two levels up.
        let provider = explicit_provider
            .or_else(|| {
                path.parent()
                    .and_then(Path::parent)
                    .and_then(lock_file_provider_of)
            })
            .unwrap_or_else(|| schema_provider(context));
        provider_used = provider;
        findings.extend(lint_migration(
            provider,
            &text,
            &path.display().to_string(),
            None,
            options,
        ));
    }
    Ok(LintRun {
        findings,
        script_count: files.len(),
        provider: provider_used,
    })
}

fn print_findings(context: &Context, run: &LintRun, format: LintFormat) {
    let output = &context.output;
    match format {
        LintFormat::Json => {
            let value = serde_json::json!({
                "provider": run.provider.to_string(),
                "scripts": run.script_count,
                "findings": run.findings,
                "summary": summary_counts(&run.findings),
            });
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            output.data(&format!("{text}\n"));
        }
        LintFormat::Github => {
            for finding in &run.findings {
                output.data(&format!("{}\n", github_annotation(finding)));
            }
            output.data(&format!("{}\n", summary_line(run)));
        }
        LintFormat::Text => {
            for finding in &run.findings {
                let heading = format!(
                    "{}[{}] {}:{}:{}",
                    finding.severity, finding.code, finding.origin, finding.line, finding.column
                );
                match finding.severity {
                    planner::lint::Severity::Info => output.info(&heading),
                    _ => output.warning(&heading),
                }
                output.data(&format!(
                    "  {}\n  why: {}\n  instead: {}\n",
                    finding.statement, finding.message, finding.alternative
                ));
            }
            let summary = summary_line(run);
            if has_errors(&run.findings) {
                output.warning(&summary);
            } else {
                output.success(&summary);
            }
        }
    }
}

fn summary_counts(findings: &[LintFinding]) -> serde_json::Value {
    let count = |severity: planner::lint::Severity| {
        findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    };
    serde_json::json!({
        "errors": count(planner::lint::Severity::Error),
        "warnings": count(planner::lint::Severity::Warning),
        "infos": count(planner::lint::Severity::Info),
    })
}

fn summary_line(run: &LintRun) -> String {
    let counts = summary_counts(&run.findings);
    format!(
        "{} error(s), {} warning(s), {} info(s) in {} script(s) ({}).",
        counts["errors"], counts["warnings"], counts["infos"], run.script_count, run.provider
    )
}

/// A GitHub Actions workflow command: `::error file=F,line=L,col=C,title=T::message`, with the
/// escapes GitHub reads (`%`, CR and LF everywhere; `:` and `,` in properties too).
pub fn github_annotation(finding: &LintFinding) -> String {
    let command = match finding.severity {
        planner::lint::Severity::Error => "error",
        planner::lint::Severity::Warning => "warning",
        planner::lint::Severity::Info => "notice",
    };
    let escape_data = |text: &str| {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_property = |text: &str| escape_data(text).replace(':', "%3A").replace(',', "%2C");
    format!(
        "::{command} file={},line={},col={},title={}::{}",
        escape_property(&finding.origin),
        finding.line,
        finding.column,
        escape_property(&finding.code),
        escape_data(&format!(
            "{} Instead: {}",
            finding.message, finding.alternative
        ))
    )
}

/// The findings of the migration `migrate dev` just wrote, printed after its report: the
/// folder is linted with the ones before it, so that type changes are judged exactly.
pub fn print_findings_of_new_migration(
    context: &Context,
    provider: Provider,
    migrations_directory: &Path,
    folder_name: &str,
) {
    let Ok(run) =
        lint_migrations_directory(provider, migrations_directory, &LintOptions::default())
    else {
        return;
    };
    let script = migrations_directory
        .join(folder_name)
        .join("migration.sql")
        .display()
        .to_string();
    let findings: Vec<LintFinding> = run
        .findings
        .into_iter()
        .filter(|finding| finding.origin == script)
        .collect();
    if findings.is_empty() {
        return;
    }
    context.output.warning(&format!(
        "comon migrate lint: {} finding(s) in {script} (what it costs on a busy production database):",
        findings.len()
    ));
    for finding in &findings {
        context.output.warning(&format!(
            "  {}[{}] line {}: {} Instead: {}",
            finding.severity, finding.code, finding.line, finding.message, finding.alternative
        ));
    }
}
