//! Rendering: the only place SQL text is made. Each step renders to one or more statements,
//! without trailing semicolons; `RenderedMigration::sql` joins them as `migration.sql` holds
//! them. The same plan always renders to the same bytes.

mod postgresql;
mod sqlite;

use std::fmt;

use crate::plan::{
    MigrationPlan, MigrationStep, RebuiltTable, AFTER_COMMIT_EXPLANATION, AFTER_COMMIT_MARKER,
};
use crate::provider::Provider;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedMigration {
    pub statements: Vec<String>,
    /// Every statement followed by `;` and a new line (the `migration.sql` format), with the
    /// `-- comon:after-commit` line before the first statement of the online phase.
    pub sql: String,
    /// The position of the first statement that runs after the commit (the steps for which
    /// `MigrationStep::runs_after_commit` holds); `None` when there is none.
    #[serde(
        default,
        rename = "afterCommitFrom",
        skip_serializing_if = "Option::is_none"
    )]
    pub after_commit_from: Option<usize>,
}

pub fn render_plan(plan: &MigrationPlan) -> RenderedMigration {
    let mut statements: Vec<String> = Vec::new();
    let mut after_commit_from = None;
    for step in &plan.steps {
        if step.runs_after_commit() && after_commit_from.is_none() {
            after_commit_from = Some(statements.len());
        }
        statements.extend(render_step(step, plan.provider));
    }
    let sql = match after_commit_from {
        Some(position) => format!(
            "{}{AFTER_COMMIT_MARKER}\n{AFTER_COMMIT_EXPLANATION}\n{}",
            join_statements(&statements[..position]),
            join_statements(&statements[position..])
        ),
        None => join_statements(&statements),
    };
    RenderedMigration {
        statements,
        sql,
        after_commit_from,
    }
}

pub fn render_step(step: &MigrationStep, provider: Provider) -> Vec<String> {
    match provider {
        Provider::Postgresql => postgresql::render_step(step),
        Provider::Sqlite => sqlite::render_step(step),
    }
}

/// The statements of steps as a runner runs them, and the tables they rebuild: what
/// `migrations::migration_script_of_steps` turns into a `MigrationScript`, from the steps
/// themselves rather than from reading their SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementsForRunner {
    /// The rendering of the steps without SQLite's foreign key pragmas around each rebuild,
    /// which the runner replaces by switching enforcement off outside its transaction.
    pub statements: Vec<String>,
    /// Each rebuilt table, with the position in `statements` of the `DROP TABLE` of it.
    pub rebuilt_tables: Vec<RebuiltTable>,
    /// The position of the first statement of the online phase, as in `RenderedMigration`.
    pub after_commit_from: Option<usize>,
}

pub fn statements_for_runner(steps: &[MigrationStep], provider: Provider) -> StatementsForRunner {
    let mut runnable = StatementsForRunner {
        statements: Vec::new(),
        rebuilt_tables: Vec::new(),
        after_commit_from: None,
    };
    for step in steps {
        if step.runs_after_commit() && runnable.after_commit_from.is_none() {
            runnable.after_commit_from = Some(runnable.statements.len());
        }
        match (step, provider) {
            (MigrationStep::RebuildTables { rebuilds }, Provider::Sqlite) => {
                let rebuild = sqlite::rebuild_statements(rebuilds);
                let offset = runnable.statements.len();
                runnable
                    .rebuilt_tables
                    .extend(
                        rebuild
                            .rebuilt_tables
                            .into_iter()
                            .map(|rebuilt| RebuiltTable {
                                dropped_by_statement: offset + rebuilt.dropped_by_statement,
                                ..rebuilt
                            }),
                    );
                runnable.statements.extend(rebuild.statements);
            }
            _ => runnable.statements.extend(render_step(step, provider)),
        }
    }
    runnable
}

/// The `migration.sql` text of a list of statements.
pub fn join_statements(statements: &[String]) -> String {
    let mut sql = String::new();
    for statement in statements {
        sql.push_str(statement);
        sql.push_str(";\n");
    }
    sql
}

/// An identifier in double quotes, with embedded quotes doubled. Both providers use this form.
pub struct QuotedIdentifier<'a>(pub &'a str);

impl fmt::Display for QuotedIdentifier<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("\"")?;
        formatter.write_str(&self.0.replace('"', "\"\""))?;
        formatter.write_str("\"")
    }
}

/// A string literal in single quotes, with embedded quotes doubled.
pub struct StringLiteral<'a>(pub &'a str);

impl fmt::Display for StringLiteral<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("'")?;
        formatter.write_str(&self.0.replace('\'', "''"))?;
        formatter.write_str("'")
    }
}

/// A parenthesised, comma-separated list of quoted identifiers: `("a", "b")`.
pub struct QuotedIdentifierList<'a>(pub &'a [String]);

impl fmt::Display for QuotedIdentifierList<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("(")?;
        for (position, name) in self.0.iter().enumerate() {
            if position > 0 {
                formatter.write_str(", ")?;
            }
            write!(formatter, "{}", QuotedIdentifier(name))?;
        }
        formatter.write_str(")")
    }
}

/// Whether the text is one parenthesised group, like `(a + b)` but not `(a) + (b)`.
pub(crate) fn is_wrapped_in_parentheses(text: &str) -> bool {
    let text = text.trim();
    if !text.starts_with('(') || !text.ends_with(')') {
        return false;
    }
    let mut depth = 0i32;
    let mut inside_string = false;
    for (position, character) in text.char_indices() {
        match character {
            '\'' => inside_string = !inside_string,
            '(' if !inside_string => depth += 1,
            ')' if !inside_string => {
                depth -= 1;
                if depth == 0 && position != text.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// `ALTER TABLE ... RENAME COLUMN` statements for a set of renames (both providers share the
/// syntax). A rename whose target is another renamed column's current name (a swap, or a
/// chain) first moves to a temporary name, so no statement meets a name still in use.
pub(crate) fn rename_columns(table: &str, renames: &[(&str, &str)]) -> Vec<String> {
    let renamed_away: std::collections::HashSet<&str> = renames
        .iter()
        .map(|(previous_name, _)| *previous_name)
        .collect();
    let statement = |from: &str, to: &str| {
        format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            QuotedIdentifier(table),
            QuotedIdentifier(from),
            QuotedIdentifier(to)
        )
    };
    let mut statements = Vec::new();
    let mut through_temporary = Vec::new();
    for (previous_name, next_name) in renames {
        if renamed_away.contains(next_name) && previous_name != next_name {
            let temporary = format!("_comon_rename_{}", through_temporary.len());
            statements.push(statement(previous_name, &temporary));
            through_temporary.push((temporary, *next_name));
        }
    }
    for (previous_name, next_name) in renames {
        if !renamed_away.contains(next_name) {
            statements.push(statement(previous_name, next_name));
        }
    }
    for (temporary, next_name) in &through_temporary {
        statements.push(statement(temporary, next_name));
    }
    statements
}
