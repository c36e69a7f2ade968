//! Which kind of project this is: comon_orm's (folders with `before.prisma` and `after.prisma`,
//! `_comon_orm_migrations`) or Prisma Migrate's (folders with only `migration.sql`,
//! `migration_lock.toml`, `_prisma_migrations`, and in Prisma 7 a `prisma.config.ts`). The decision is a pure function of what was
//! found (`FlavourEvidence`) and the one override, so that a front end gathers the evidence and
//! the rule is tested on its own.
//!
//! The override is the environment variable `COMON_PROJECT_FLAVOUR` (`prisma` or `comon-orm`)
//! or the command line's `--flavour`, never a datasource property: Prisma must still accept the
//! same schema file.

use crate::backend::history_tables_present;
use crate::command_error::CommandError;
use comon_database::Database;
use planner::migrations::artifacts::{AFTER_SCHEMA_FILE, BEFORE_SCHEMA_FILE, MIGRATION_SQL_FILE};
use planner::migrations::prisma::PRISMA_LOCK_FILE;
use std::path::Path;

/// The environment variable that overrides detection.
pub const FLAVOUR_VARIABLE: &str = "COMON_PROJECT_FLAVOUR";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectFlavour {
    ComonOrm,
    Prisma,
}

impl ProjectFlavour {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectFlavour::ComonOrm => "comon-orm",
            ProjectFlavour::Prisma => "prisma",
        }
    }

    pub fn from_name(name: &str) -> Option<ProjectFlavour> {
        match name.trim() {
            "comon-orm" | "comon_orm" => Some(ProjectFlavour::ComonOrm),
            "prisma" => Some(ProjectFlavour::Prisma),
            _ => None,
        }
    }

    /// The planner's type mapping for this kind of project.
    pub fn planner_flavour(self) -> planner::Flavour {
        match self {
            ProjectFlavour::ComonOrm => planner::Flavour::ComonOrm,
            ProjectFlavour::Prisma => planner::Flavour::Prisma,
        }
    }
}

/// What was found in the migrations folder and the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlavourEvidence {
    /// `migration_lock.toml` is in the migrations folder.
    pub lock_file: bool,
    /// Folders with `migration.sql` and neither snapshot: Prisma's layout.
    pub prisma_folders: usize,
    /// Folders with `before.prisma` or `after.prisma`: comon_orm's layout.
    pub comon_orm_folders: usize,
    pub comon_orm_table: bool,
    pub prisma_table: bool,
    /// The Prisma config file of the project (`prisma.config.ts`, or what `--config` names),
    /// as it is named in messages: Prisma 7 projects have one, comon_orm's need none.
    pub prisma_config_file: Option<String>,
}

impl FlavourEvidence {
    /// Adds a migrations folder's evidence (`folder_evidence`): a command may see several (the
    /// project's and the ones `migrate diff` is given).
    pub fn add_folder(&mut self, directory: &Path) -> Result<(), CommandError> {
        let found = folder_evidence(directory)?;
        self.lock_file |= found.lock_file;
        self.prisma_folders += found.prisma_folders;
        self.comon_orm_folders += found.comon_orm_folders;
        Ok(())
    }

    /// Adds which of the two history tables this database has.
    pub fn add_history_tables(&mut self, database: &mut Database) -> Result<(), CommandError> {
        let (comon_orm_table, prisma_table) = history_tables_present(database)?;
        self.comon_orm_table |= comon_orm_table;
        self.prisma_table |= prisma_table;
        Ok(())
    }
}

/// How the flavour was chosen, for `migrate status` to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlavourChoice {
    pub flavour: ProjectFlavour,
    /// Why, in words: "the override", "migration_lock.toml", ...
    pub reason: String,
}

impl FlavourChoice {
    /// What comon cannot do in a Prisma project, refused before anything is read or written:
    /// `migrate rollback`, which plans from a migration's `after.prisma` back to its
    /// `before.prisma`, snapshots a Prisma folder does not have. Every other command works
    /// there.
    pub fn refuse_unsupported_command(&self, command: &str) -> Result<(), CommandError> {
        if self.flavour != ProjectFlavour::Prisma || command != "rollback" {
            return Ok(());
        }
        Err(CommandError::refused(
            ROLLBACK_NEEDS_SNAPSHOTS,
            format!(
                "`migrate rollback` undoes a migration with a plan from its {AFTER_SCHEMA_FILE} back to its {BEFORE_SCHEMA_FILE}, and the folders of a Prisma Migrate project hold neither (flavour prisma: {}). Nothing was changed. Prisma Migrate has no rollback either; do what it advises instead: write a forward fix (change the schema and run `comon migrate dev`), or write the down script yourself, run it with `comon db execute --file down.sql` and record it with `comon migrate resolve --rolled-back <migration>`.",
                self.reason
            ),
        ))
    }
}

/// The code of `migrate rollback` in a Prisma project.
pub const ROLLBACK_NEEDS_SNAPSHOTS: &str = "rollback-needs-snapshots";

/// The flavour: the override when there is one; else what the evidence says; comon_orm's for
/// a project with no evidence either way (a new project). Evidence of both is an error that
/// says how to choose, never a guess.
pub fn choose_flavour(
    evidence: &FlavourEvidence,
    override_flavour: Option<(ProjectFlavour, &str)>,
) -> Result<FlavourChoice, CommandError> {
    if let Some((flavour, source)) = override_flavour {
        return Ok(FlavourChoice {
            flavour,
            reason: source.to_string(),
        });
    }
    let mut prisma = Vec::new();
    if evidence.lock_file {
        prisma.push(PRISMA_LOCK_FILE.to_string());
    }
    if evidence.prisma_folders > 0 {
        prisma.push(format!(
            "{} folder(s) with only {MIGRATION_SQL_FILE}",
            evidence.prisma_folders
        ));
    }
    if evidence.prisma_table {
        prisma.push("the table _prisma_migrations".to_string());
    }
    let mut comon_orm = Vec::new();
    if evidence.comon_orm_folders > 0 {
        comon_orm.push(format!(
            "{} folder(s) with {BEFORE_SCHEMA_FILE}/{AFTER_SCHEMA_FILE}",
            evidence.comon_orm_folders
        ));
    }
    if evidence.comon_orm_table {
        comon_orm.push("the table _comon_orm_migrations".to_string());
    }
    // The config file says which tool the team uses, not which artifacts exist: it decides a
    // project that has neither folders nor a history table yet, and gives way to both. A
    // comon_orm project that adopts Prisma 7's config file for the client keeps its own
    // folders and history, instead of stopping at a conflict.
    if prisma.is_empty() && comon_orm.is_empty() {
        if let Some(file) = &evidence.prisma_config_file {
            prisma.push(format!("the Prisma config file {file}"));
        }
    }
    match (prisma.is_empty(), comon_orm.is_empty()) {
        (false, false) => Err(CommandError::refused(
            "flavour-conflict",
            format!(
                "This project looks like both a Prisma Migrate project ({}) and a comon_orm project ({}). Choose one with --flavour prisma or --flavour comon-orm, or set {FLAVOUR_VARIABLE}=prisma or {FLAVOUR_VARIABLE}=comon-orm.",
                prisma.join(", "),
                comon_orm.join(", ")
            ),
        )),
        (false, true) => Ok(FlavourChoice {
            flavour: ProjectFlavour::Prisma,
            reason: prisma.join(", "),
        }),
        (true, false) => Ok(FlavourChoice {
            flavour: ProjectFlavour::ComonOrm,
            reason: comon_orm.join(", "),
        }),
        (true, true) => Ok(FlavourChoice {
            flavour: ProjectFlavour::ComonOrm,
            reason: "nothing says otherwise (the default)".to_string(),
        }),
    }
}

/// The folder side of the evidence: the lock file and the layout of each folder. A missing
/// folder has none.
pub fn folder_evidence(directory: &Path) -> Result<FlavourEvidence, CommandError> {
    let mut evidence = FlavourEvidence {
        lock_file: directory.join(PRISMA_LOCK_FILE).is_file(),
        ..FlavourEvidence::default()
    };
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(evidence),
        Err(error) => return Err(CommandError::file("read", directory, &error)),
    };
    for entry in entries {
        let entry = entry.map_err(|error| CommandError::file("read", directory, &error))?;
        let path = entry.path();
        if !path.is_dir() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let has_snapshot =
            path.join(BEFORE_SCHEMA_FILE).exists() || path.join(AFTER_SCHEMA_FILE).exists();
        if has_snapshot {
            evidence.comon_orm_folders += 1;
        } else if path.join(MIGRATION_SQL_FILE).is_file() {
            evidence.prisma_folders += 1;
        }
    }
    Ok(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(evidence: FlavourEvidence) -> Result<ProjectFlavour, String> {
        choose_flavour(&evidence, None)
            .map(|choice| choice.flavour)
            .map_err(|error| format!("{}: {error}", error.code()))
    }

    #[test]
    fn prisma_artifacts_mean_prisma_and_comon_artifacts_comon_orm() {
        let lock = FlavourEvidence {
            lock_file: true,
            ..FlavourEvidence::default()
        };
        assert_eq!(chosen(lock), Ok(ProjectFlavour::Prisma));
        let table = FlavourEvidence {
            prisma_table: true,
            ..FlavourEvidence::default()
        };
        assert_eq!(chosen(table), Ok(ProjectFlavour::Prisma));
        let comon = FlavourEvidence {
            comon_orm_folders: 2,
            comon_orm_table: true,
            ..FlavourEvidence::default()
        };
        assert_eq!(chosen(comon), Ok(ProjectFlavour::ComonOrm));
        assert_eq!(
            chosen(FlavourEvidence::default()),
            Ok(ProjectFlavour::ComonOrm)
        );
    }

    #[test]
    fn disagreeing_evidence_is_an_error_unless_overridden() {
        let both = FlavourEvidence {
            lock_file: true,
            comon_orm_table: true,
            ..FlavourEvidence::default()
        };
        let error = chosen(both.clone()).unwrap_err();
        assert!(error.starts_with("flavour-conflict: "), "{error}");
        assert!(error.contains("--flavour prisma"), "{error}");
        assert!(error.contains("COMON_PROJECT_FLAVOUR=comon-orm"), "{error}");
        let choice = choose_flavour(&both, Some((ProjectFlavour::ComonOrm, "--flavour")))
            .expect("the override decides");
        assert_eq!(choice.flavour, ProjectFlavour::ComonOrm);
    }

    #[test]
    fn a_prisma_config_file_decides_only_a_project_without_artifacts() {
        let config_only = FlavourEvidence {
            prisma_config_file: Some("prisma.config.ts".to_string()),
            ..FlavourEvidence::default()
        };
        let choice = choose_flavour(&config_only, None).expect("a Prisma 7 project");
        assert_eq!(choice.flavour, ProjectFlavour::Prisma);
        assert_eq!(choice.reason, "the Prisma config file prisma.config.ts");
        let with_comon_folders = FlavourEvidence {
            comon_orm_folders: 1,
            ..config_only.clone()
        };
        let choice = choose_flavour(&with_comon_folders, None).expect("the folders decide");
        assert_eq!(choice.flavour, ProjectFlavour::ComonOrm);
        assert!(
            !choice.reason.contains("prisma.config.ts"),
            "{}",
            choice.reason
        );
        let with_prisma_folders = FlavourEvidence {
            lock_file: true,
            ..config_only
        };
        let choice = choose_flavour(&with_prisma_folders, None).expect("the lock file decides");
        assert_eq!(choice.flavour, ProjectFlavour::Prisma);
        assert_eq!(choice.reason, "migration_lock.toml");
    }
}
