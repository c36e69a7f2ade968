//! `migrate dev`'s answers to the decisions a plan needs: `--rename`, `--no-rename`,
//! `--accept-data-loss`, `--accept-may-fail`, and `--answers FILE`, a JSON file with the same
//! answers (docs/commands.md, "Renames and data loss"). Only flags and a file named on the
//! command line answer: no environment variable or configuration gives consent.

use clap::Args;
use comon_driver::command_error::CommandError;
use comon_driver::commands::Decisions;
use planner::RenameDecision;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct DecisionArguments {
    /// A model or field that was renamed: `--rename OldModel=NewModel`, `--rename
    /// Model.oldField=newField` (the model by its old or new name). Repeatable. Without it a
    /// removed and an added model or field of the same shape is asked about on a terminal, and
    /// elsewhere fails with `decisions-required` (exit code 3); it is never guessed.
    #[arg(long, value_name = "OLD=NEW")]
    pub rename: Vec<String>,
    /// A removed and an added model or field that are not a rename (drop and create):
    /// `--no-rename OldModel=NewModel`, `--no-rename Model.oldField=newField`. Repeatable.
    #[arg(long, value_name = "OLD=NEW")]
    pub no_rename: Vec<String>,
    /// Applies a migration whose plan loses data (`data-loss` warnings) without asking.
    #[arg(long)]
    pub accept_data_loss: bool,
    /// Applies a migration whose plan may fail on the data (`may-fail` warnings; it then rolls
    /// back) without asking.
    #[arg(long)]
    pub accept_may_fail: bool,
    /// A JSON file of answers: `{"renames": {"Customer=Client": true, "User.email=mail":
    /// false}, "acceptDataLoss": true, "acceptMayFail": false}`. Added to the flags.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
}

/// The answers file; an unknown key is an error, so that a misspelt answer never goes unnoticed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AnswersFile {
    /// `"Old=New"` or `"Model.old=new"` to `true` (a rename) or `false` (not one).
    #[serde(default)]
    renames: BTreeMap<String, bool>,
    #[serde(default)]
    accept_data_loss: bool,
    #[serde(default)]
    accept_may_fail: bool,
}

impl DecisionArguments {
    /// The answers of the flags and the answers file together.
    pub fn decisions(&self) -> Result<Decisions, CommandError> {
        let parse = |text: &str, renamed: bool, flag: &str| {
            RenameDecision::parse(text, renamed)
                .map_err(|error| CommandError::usage(format!("{flag}: {}", error.message)))
        };
        let mut decisions = Decisions {
            renames: Vec::new(),
            accept_data_loss: self.accept_data_loss,
            accept_may_fail: self.accept_may_fail,
        };
        for text in &self.rename {
            decisions.renames.push(parse(text, true, "--rename")?);
        }
        for text in &self.no_rename {
            decisions.renames.push(parse(text, false, "--no-rename")?);
        }
        if let Some(path) = &self.answers {
            let file = read_answers_file(path)?;
            for (text, renamed) in &file.renames {
                decisions
                    .renames
                    .push(parse(text, *renamed, &path.display().to_string())?);
            }
            decisions.accept_data_loss |= file.accept_data_loss;
            decisions.accept_may_fail |= file.accept_may_fail;
        }
        Ok(decisions)
    }
}

fn read_answers_file(path: &Path) -> Result<AnswersFile, CommandError> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| CommandError::file("read the answers file", path, &error))?;
    serde_json::from_str(&text).map_err(|error| {
        CommandError::usage(format!(
            "The answers file {} is not valid: {error} (expected {{\"renames\": {{\"Old=New\": true}}, \"acceptDataLoss\": false, \"acceptMayFail\": false}}).",
            path.display()
        ))
    })
}
