//! What the user sees: lines on stdout and stderr, colour as `--color` says (by default only on
//! a terminal, never with `NO_COLOR`, always with `FORCE_COLOR` or `CLICOLOR_FORCE`), prompts
//! only when stdin is a terminal, and a progress bar on a terminal.
//!
//! With `--json` (see docs/json-output.md), stdout carries exactly one JSON document, written
//! by `json_document` (or, when the command fails, `error_document`), and the lines people
//! read go to stderr instead, so that `comon ... --json | jq` always parses. There are no
//! prompts in that mode: a question is answered no (or yes with `--yes`).
//!
//! Message texts are part of the interface (tests and scripts match them), so colour is only
//! ever added around a whole line, never inside it. Nothing here panics when a stream is
//! closed: see `write_text`.

use anstyle::{AnsiColor, Style};
use comon_driver::command_error::CommandError;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, IsTerminal, Write};

const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const RED: Style = AnsiColor::Red.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();

/// `--color`: when output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set; also off a terminal when `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Writes `text` and flushes, ignoring failures. Output is a report of the work, not the work:
/// when stdout is a pipe whose reader is gone (`comon migrate deploy | head -1`), the command
/// carries on to the end without output rather than panicking, or stopping between two
/// migrations, and its exit code still tells how the work went.
fn write_text(stream: &mut dyn Write, text: &str) {
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
}

fn write_line(stream: &mut dyn Write, line: &str) {
    write_text(stream, &format!("{line}\n"));
}

pub struct Output {
    stdout_colored: bool,
    stderr_colored: bool,
    stdin_is_terminal: bool,
    stderr_is_terminal: bool,
    /// `--yes`: every confirmation is answered yes.
    assume_yes: bool,
    /// `--json`: stdout is kept for the one JSON document.
    json: bool,
    /// Whether the JSON document has been written, so that an error after it is not a second one.
    json_written: std::sync::atomic::AtomicBool,
}

/// `FORCE_COLOR` (the variable Node.js tools and CI services use) set to anything but the empty
/// string, `0` or `false` turns colour on off a terminal. anstream reads the others (`NO_COLOR`,
/// `CLICOLOR`, `CLICOLOR_FORCE`, `TERM`).
fn force_color_requested() -> bool {
    std::env::var("FORCE_COLOR").is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false"))
}

/// Whether `stream` gets colour under `when`.
fn colored<S: anstream::stream::RawStream>(when: ColorWhen, stream: &S) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if force_color_requested() => true,
        ColorWhen::Auto => !matches!(
            anstream::AutoStream::choice(stream),
            anstream::ColorChoice::Never
        ),
    }
}

impl Output {
    pub fn from_environment(assume_yes: bool, color: ColorWhen) -> Output {
        Output {
            stdout_colored: colored(color, &std::io::stdout()),
            stderr_colored: colored(color, &std::io::stderr()),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            assume_yes,
            json: false,
            json_written: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// `--json`: human lines move to stderr and stdout gets one JSON document.
    pub fn with_json(self, json: bool) -> Output {
        Output { json, ..self }
    }

    pub fn json_mode(&self) -> bool {
        self.json
    }

    /// The stream for the lines people read, and whether it is coloured: stdout, or stderr
    /// with `--json`.
    fn human_stream(&self) -> (Box<dyn Write>, bool) {
        if self.json {
            (Box::new(std::io::stderr()), self.stderr_colored)
        } else {
            (Box::new(std::io::stdout()), self.stdout_colored)
        }
    }

    fn human_line(&self, style: Style, line: &str) {
        let (mut stream, colored) = self.human_stream();
        write_line(&mut stream, &Self::paint(colored, style, line));
    }

    /// The command's JSON document on stdout, pretty-printed, with a final newline.
    pub fn json_document(&self, document: &serde_json::Value) {
        self.json_written
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let text = serde_json::to_string_pretty(document).unwrap_or_default();
        write_text(&mut std::io::stdout(), &format!("{text}\n"));
    }

    /// With `--json`, the error's document with the plan's `warnings` added, for the refusals
    /// that the warnings caused (a migration or push that loses data, declined), so that a
    /// program sees why without reading stderr. Nothing without `--json` or without warnings.
    pub fn error_document_with_warnings(
        &self,
        error: &CommandError,
        warnings: &[serde_json::Value],
    ) {
        if !self.json || warnings.is_empty() {
            return;
        }
        let mut document = error_json(error);
        document["error"]["warnings"] = serde_json::Value::Array(warnings.to_vec());
        self.json_document(&document);
    }

    /// With `--json`, the error's document on stdout, unless the command already wrote its
    /// document (`migrate status` writes its own and then exits 1 for the issues it lists).
    pub fn error_document(&self, error: &CommandError) {
        if self.json && !self.json_written.load(std::sync::atomic::Ordering::SeqCst) {
            self.json_document(&error_json(error));
        }
    }

    fn paint(colored: bool, style: Style, line: &str) -> String {
        if colored {
            format!("{style}{line}{style:#}")
        } else {
            line.to_string()
        }
    }

    /// Text on stdout as it is: data such as SQL or JSON, never coloured.
    pub fn data(&self, text: &str) {
        write_text(&mut std::io::stdout(), text);
    }

    pub fn info(&self, line: &str) {
        self.human_line(CYAN, line);
    }

    pub fn success(&self, line: &str) {
        self.human_line(GREEN, line);
    }

    pub fn warning(&self, line: &str) {
        self.human_line(YELLOW, line);
    }

    /// An error on stderr, with its stable code: `error[drift]: Drift detected ...`.
    pub fn error(&self, code: &str, message: &str) {
        write_line(
            &mut std::io::stderr(),
            &Self::paint(
                self.stderr_colored,
                RED,
                &format!("error[{code}]: {message}"),
            ),
        );
    }

    /// Schema errors on stderr, each with the line it points to and a caret under the span (a
    /// code frame, as rustc and Prisma show them), coloured only when stderr is.
    pub fn schema_errors(&self, path: &str, source: &str, errors: &planner::error::SchemaErrors) {
        let count = errors.errors.len();
        let summary = if count == 1 {
            format!("{path} is not a valid schema (1 error).")
        } else {
            format!("{path} is not a valid schema ({count} errors).")
        };
        self.error("invalid-schema", &summary);
        let renderer = if self.stderr_colored {
            annotate_snippets::Renderer::styled()
        } else {
            annotate_snippets::Renderer::plain()
        };
        for error in &errors.errors {
            let message = annotate_snippets::Level::Error
                .title(&error.message)
                .id(&error.code);
            let message = match error.span {
                Some(span) => {
                    let start = floor_char_boundary(source, span.start);
                    let end = floor_char_boundary(source, span.end.max(start));
                    message.snippet(
                        annotate_snippets::Snippet::source(source)
                            .line_start(1)
                            .origin(path)
                            .fold(true)
                            .annotation(annotate_snippets::Level::Error.span(start..end)),
                    )
                }
                None => message,
            };
            write_line(
                &mut std::io::stderr(),
                &renderer.render(message).to_string(),
            );
        }
    }

    /// Where the lines that say what a command works on go (the config and schema loaded, the
    /// datasource): stderr, as Prisma prints them, so that stdout keeps only the command's
    /// results and data (SQL, JSON).
    pub fn notices(&self) -> crate::project::Notices {
        crate::project::Notices::new(std::sync::Arc::new(|line: &str| {
            write_line(&mut std::io::stderr(), line)
        }))
    }

    /// The errors of a schema written in several files, each shown in its own file's line; a
    /// name defined twice shows both places.
    pub fn schema_file_errors(
        &self,
        folder: &str,
        files: &[planner::schema_language::files::SchemaFile],
        errors: &[planner::schema_language::files::FileSchemaError],
    ) {
        let count = errors.len();
        let plural = if count == 1 { "error" } else { "errors" };
        self.error(
            "invalid-schema",
            &format!("The schema in {folder} is not valid ({count} {plural})."),
        );
        let renderer = if self.stderr_colored {
            annotate_snippets::Renderer::styled()
        } else {
            annotate_snippets::Renderer::plain()
        };
        let file_of = |index: Option<usize>| index.and_then(|index| files.get(index));
        for error in errors {
            let mut message = annotate_snippets::Level::Error
                .title(&error.error.message)
                .id(&error.error.code);
            let places = [
                (
                    file_of(error.file),
                    error.error.span,
                    annotate_snippets::Level::Error,
                    "",
                ),
                (
                    file_of(error.related_file),
                    error.error.related,
                    annotate_snippets::Level::Note,
                    "first defined here",
                ),
            ];
            for (file, span, level, label) in places {
                let (Some(file), Some(span)) = (file, span) else {
                    continue;
                };
                let start = floor_char_boundary(&file.text, span.start);
                let end = floor_char_boundary(&file.text, span.end.max(start));
                message = message.snippet(
                    annotate_snippets::Snippet::source(&file.text)
                        .line_start(1)
                        .origin(&file.name)
                        .fold(true)
                        .annotation(level.span(start..end).label(label)),
                );
            }
            write_line(
                &mut std::io::stderr(),
                &renderer.render(message).to_string(),
            );
        }
    }

    /// A line on stderr that explains an error.
    pub fn hint(&self, line: &str) {
        write_line(
            &mut std::io::stderr(),
            &Self::paint(self.stderr_colored, YELLOW, line),
        );
    }

    /// A callback that prints `line` (as `info` does) the first time it is called, for waits
    /// that a lower layer notices (the SQLite busy handler) and may notice many times.
    pub fn once_notice(&self, line: &str) -> std::sync::Arc<dyn Fn() + Send + Sync> {
        let json = self.json;
        let painted = match json {
            true => Self::paint(self.stderr_colored, CYAN, line),
            false => Self::paint(self.stdout_colored, CYAN, line),
        };
        let printed = std::sync::atomic::AtomicBool::new(false);
        std::sync::Arc::new(move || {
            if !printed.swap(true, std::sync::atomic::Ordering::SeqCst) {
                match json {
                    true => write_line(&mut std::io::stderr(), &painted),
                    false => write_line(&mut std::io::stdout(), &painted),
                }
            }
        })
    }

    /// The waiting line for each retry after `lock_timeout`.
    pub fn lock_retry_notice(&self) -> comon_database::LockRetryCallback {
        let json = self.json;
        let colored = match json {
            true => self.stderr_colored,
            false => self.stdout_colored,
        };
        std::sync::Arc::new(move |notice: &comon_database::LockRetryNotice| {
            let line = Self::paint(colored, CYAN, &notice.to_string());
            match json {
                true => write_line(&mut std::io::stderr(), &line),
                false => write_line(&mut std::io::stdout(), &line),
            }
        })
    }

    /// Whether questions can be asked: stdin is a terminal, and stdout is not kept for JSON.
    pub fn is_interactive(&self) -> bool {
        self.stdin_is_terminal && !self.json
    }

    /// `--yes`.
    pub fn assumes_yes(&self) -> bool {
        self.assume_yes
    }

    /// Whether `confirm` answers by asking someone or by `--yes`, rather than no by default.
    pub fn can_confirm(&self) -> bool {
        self.assume_yes || self.is_interactive()
    }

    /// Asks a question that only `y`/`yes` or `n`/`no` answers (asked again otherwise);
    /// `None` without a terminal or when stdin ends. `--yes` does not answer it.
    pub fn ask_yes_or_no(&self, question: &str) -> Option<bool> {
        if !self.is_interactive() {
            return None;
        }
        loop {
            write_text(
                &mut std::io::stdout(),
                &format!(
                    "{} ",
                    Self::paint(self.stdout_colored, YELLOW, &format!("{question} [y/n]"))
                ),
            );
            let mut answer = String::new();
            match comon_database::interrupt::while_prompting(|| {
                std::io::stdin().lock().read_line(&mut answer)
            }) {
                Ok(0) | Err(_) => return None,
                Ok(_) => match answer.trim().to_ascii_lowercase().as_str() {
                    "y" | "yes" => return Some(true),
                    "n" | "no" => return Some(false),
                    _ => {}
                },
            }
        }
    }

    /// Asks a yes/no question; the answer is no unless the user types `y` or `yes`. With
    /// `--yes` the answer is yes without asking; without a terminal it is no without asking.
    pub fn confirm(&self, question: &str) -> bool {
        if self.assume_yes {
            self.warning(&format!("{question} yes (--yes)"));
            return true;
        }
        if !self.is_interactive() {
            return false;
        }
        write_text(
            &mut std::io::stdout(),
            &format!(
                "{} ",
                Self::paint(self.stdout_colored, YELLOW, &format!("{question} [y/N]"))
            ),
        );
        let mut answer = String::new();
        if comon_database::interrupt::while_prompting(|| {
            std::io::stdin().lock().read_line(&mut answer)
        })
        .is_err()
        {
            return false;
        }
        matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
    }

    /// Asks for a value until one is typed; without a terminal, fails with `error_message`.
    pub fn prompt_required(
        &self,
        question: &str,
        error_message: &str,
    ) -> Result<String, CommandError> {
        if !self.is_interactive() {
            return Err(CommandError::usage(error_message));
        }
        loop {
            write_text(
                &mut std::io::stdout(),
                &format!("{}: ", Self::paint(self.stdout_colored, CYAN, question)),
            );
            let mut answer = String::new();
            match comon_database::interrupt::while_prompting(|| {
                std::io::stdin().lock().read_line(&mut answer)
            }) {
                Ok(0) | Err(_) => return Err(CommandError::usage(error_message)),
                Ok(_) if !answer.trim().is_empty() => return Ok(answer.trim().to_string()),
                Ok(_) => {}
            }
        }
    }

    /// A progress bar over `total` migrations on a terminal; nothing otherwise.
    pub fn progress(&self, total: usize) -> Progress {
        if !self.stderr_is_terminal || total == 0 {
            return Progress { bar: None };
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        Progress { bar: Some(bar) }
    }
}

/// A progress bar, or nothing when there is no terminal to draw it on.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn set_message(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }

    /// Prints through the bar, so that the line does not tear it.
    pub fn print_line(&self, print: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    pub fn advance(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The largest char boundary of `text` at or before `index`, so that a span from another tool (or
/// one past the end) cannot cut a character in two.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The document of a failed command (docs/json-output.md): `{"error": {"code", "message",
/// "exitCode", ...}}`, with the schema errors of `invalid-schema` and the statement of
/// `statement-failed` as fields, so that a program needs no message parsing.
pub fn error_json(error: &CommandError) -> serde_json::Value {
    let mut fields = serde_json::Map::new();
    fields.insert("code".to_string(), error.code().into());
    fields.insert("message".to_string(), error.to_string().into());
    fields.insert("exitCode".to_string(), error.exit_code().into());
    match error {
        CommandError::InvalidSchema { path, errors, .. } => {
            fields.insert("path".to_string(), path.clone().into());
            let schema_errors: Vec<serde_json::Value> = errors
                .errors
                .iter()
                .map(|schema_error| {
                    serde_json::json!({
                        "code": schema_error.code,
                        "message": schema_error.message,
                        "line": schema_error.span.map(|span| span.line),
                        "column": schema_error.span.map(|span| span.column),
                    })
                })
                .collect();
            fields.insert("schemaErrors".to_string(), schema_errors.into());
        }
        CommandError::File { path, .. } => {
            fields.insert("path".to_string(), path.clone().into());
        }
        CommandError::StatementFailed { failure } => {
            fields.insert(
                "statement".to_string(),
                serde_json::json!({
                    "subject": failure.subject,
                    "fileName": failure.file_name,
                    "position": failure.position,
                    "count": failure.count,
                    "line": failure.line,
                    "firstLine": failure.first_line,
                    "databaseMessage": failure.message,
                }),
            );
        }
        _ => {}
    }
    serde_json::json!({ "error": fields })
}

/// The document of a usage error clap found before any command ran (`--json` was among the
/// arguments, so the caller expects JSON even though the command line did not parse).
pub fn usage_error_json(message: &str) -> serde_json::Value {
    serde_json::json!({
        "error": {
            "code": "usage",
            "message": message.trim().trim_start_matches("error: "),
            "exitCode": comon_driver::command_error::EXIT_USAGE,
        }
    })
}
