//! Hostile identifiers through every statement kind: for each hostile name, a generated case of
//! six schema versions whose tables, columns, enums, enum values, indexes and foreign keys are
//! named from it (`@@map`, `@map`, `map:`; model and enum names are SQL reserved words), with
//! string defaults holding it too. Each version is applied with `comon migrate dev --yes` on a
//! database holding rows, then must converge: `comon migrate diff --from-database --to-schema
//! --exit-code` exits 0, the introspected catalog has no difference from the schema, and
//! `migrate status` reports no issue. At the end the folders are deployed on a fresh database,
//! which must converge too, and the rows must have survived.
//!
//! The versions go through: create table, enum, unique and plain index, foreign key (v1); add
//! column with a string default, add enum value (v2); rename column, index, foreign key and
//! enum value (v3); type change and changed default, a table rebuild on SQLite (v4); drop
//! column, drop index, remove enum value, rename table and enum (v5); drop the foreign key and
//! its table (v6).
//!
//! Names longer than PostgreSQL's 63-byte limit are run as v1 only: comon must either converge
//! or refuse cleanly (an `error[...]` and an unchanged database), never let PostgreSQL cut a
//! name silently.

use crate::comon::{Comon, Finished, PANIC_EXIT_CODE};
use crate::consistency::catalog_difference;
use crate::database::{quoted, single_value, TrialDatabase};
use crate::report::{random_source, Failure};
use planner::{database_schema_from_source, Provider};
use rand::seq::SliceRandom;
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

const COMMAND_LIMIT: Duration = Duration::from_secs(300);

/// PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1).
pub const POSTGRESQL_NAME_LIMIT: usize = 63;

/// The hostile names: quotes, backslashes, statement and comment syntax, unicode, spaces,
/// reserved words, format and placeholder syntax, and names at the length limit.
pub fn hostile_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "it's",
        "dq\"uote",
        "back\\slash",
        "semi;colon",
        "dash--dash",
        "slash/*star",
        "star*/slash",
        "x\"; DROP TABLE y; --",
        "'); DELETE FROM z; --",
        "ünïcödé",
        "日本語の表",
        "emoji 😀 name",
        "with space",
        "  leading and trailing  ",
        "select",
        "ORDER",
        "user",
        "table",
        "\"",
        "''",
        "$1 $$ $tag$",
        "%s %d {} {{0}}",
        "tab\there",
        "new\nline",
        "a.b",
        "[bracket]",
        "`tick`",
        "NULL",
        "?",
        "café_Ω≈ç√",
    ]
    .iter()
    .map(|name| name.to_string())
    .collect();
    names.push("m".repeat(POSTGRESQL_NAME_LIMIT));
    names.push(format!("{}m", "é".repeat(31)));
    names
}

/// Names over PostgreSQL's limit, which must be refused or kept exactly.
pub fn over_limit_names() -> Vec<String> {
    vec![
        "n".repeat(POSTGRESQL_NAME_LIMIT + 1),
        format!("{}é", "o".repeat(POSTGRESQL_NAME_LIMIT - 1)),
    ]
}

const RESERVED_MODEL_NAMES: &[&str] = &[
    "select",
    "order",
    "group",
    "user",
    "table",
    "from",
    "where",
    "limit",
    "index",
    "key",
    "default",
    "check",
    "primary",
    "column",
    "constraint",
    "references",
];

/// A name for one role, made from the hostile name: the name itself when `role` is empty, else
/// `<name>_<role>`, or, when that is longer than `limit` bytes, `<role>_<name>` cut to `limit`
/// at a character boundary (so names at the limit stay distinct).
pub fn derived_name(name: &str, role: &str, limit: usize) -> String {
    if role.is_empty() {
        return name.to_string();
    }
    let appended = format!("{name}_{role}");
    if appended.len() <= limit {
        return appended;
    }
    let mut prepended = format!("{role}_{name}");
    while prepended.len() > limit {
        prepended.pop();
    }
    prepended
}

/// A Prisma string literal.
pub fn prisma_string(text: &str) -> String {
    let mut literal = String::from("\"");
    for character in text.chars() {
        match character {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            '\t' => literal.push_str("\\t"),
            '\r' => literal.push_str("\\r"),
            other => literal.push(other),
        }
    }
    literal.push('"');
    literal
}

/// One generated case: the schema versions for a hostile name.
#[derive(Debug, Clone)]
pub struct HostileCase {
    pub name: String,
    pub versions: Vec<String>,
}

/// The six versions for `name` on `provider`; `parent`, `child` and `kind` are the model and
/// enum names (reserved words).
pub fn hostile_case(provider: Provider, name: &str, words: [&str; 3]) -> HostileCase {
    let limit = match provider {
        Provider::Postgresql => POSTGRESQL_NAME_LIMIT,
        Provider::Sqlite => usize::MAX,
    };
    let [parent, child, kind] = words;
    let n = |role: &str| prisma_string(&derived_name(name, role, limit));
    let header = format!(
        "datasource db {{\n  provider = \"{}\"\n  url      = env(\"DATABASE_URL\")\n}}\n",
        provider.as_str()
    );
    let version = |number: usize| -> String {
        let mut enum_lines = vec![format!(
            "  first  @map({})",
            n(if number >= 3 { "value a2" } else { "value a" })
        )];
        if number < 5 {
            enum_lines.push(format!("  second @map({})", n("value b")));
        }
        if number >= 2 {
            enum_lines.push(format!("  third  @map({})", n("value c")));
        }
        enum_lines.push(format!(
            "  @@map({})",
            n(if number >= 5 { "enum2" } else { "enum" })
        ));
        let mut parent_lines = vec![
            format!(
                "  id    Int    @id @default(autoincrement()) @map({})",
                n("id")
            ),
            format!(
                "  label String @map({})",
                n(if number >= 3 { "label2" } else { "label" })
            ),
            format!("  kind  {kind} @default(first)"),
        ];
        if number < 5 {
            let score_type = if number >= 4 { "BigInt" } else { "Int" };
            parent_lines.push(format!(
                "  score {score_type} @default(0) @map({})",
                n("score")
            ));
        }
        if number >= 2 {
            let default = if number >= 4 {
                derived_name(name, "default two", limit)
            } else {
                name.to_string()
            };
            parent_lines.push(format!(
                "  note  String @default({}) @map({})",
                prisma_string(&default),
                n("note")
            ));
        }
        if number < 6 {
            parent_lines.push(format!("  children {child}[]"));
        }
        if number < 5 {
            parent_lines.push(format!("  @@unique([label], map: {})", n("unique")));
            parent_lines.push(format!(
                "  @@index([score], map: {})",
                n(if number >= 3 { "index2" } else { "index" })
            ));
        }
        parent_lines.push(format!(
            "  @@map({})",
            if number >= 5 { n("renamed") } else { n("") }
        ));
        let mut text = format!(
            "{header}\nenum {kind} {{\n{}\n}}\n\nmodel {parent} {{\n{}\n}}\n",
            enum_lines.join("\n"),
            parent_lines.join("\n")
        );
        if number < 6 {
            let foreign_key = n(if number >= 3 { "fk2" } else { "fk" });
            text.push_str(&format!(
                "\nmodel {child} {{\n  id       Int  @id @default(autoincrement()) @map({})\n  parentId Int  @map({})\n  parent   {parent} @relation(fields: [parentId], references: [id], map: {foreign_key})\n  @@map({})\n}}\n",
                n("child id"),
                n("parent id"),
                n("child"),
            ));
        }
        text
    };
    HostileCase {
        name: name.to_string(),
        versions: (1..=6).map(version).collect(),
    }
}

#[derive(Debug, Clone)]
pub struct HostileIdentifiersOptions {
    pub provider: Provider,
    pub seed: u64,
    /// Run only the first this many names (the short test); `None` runs all.
    pub name_limit: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct HostileIdentifiersFigures {
    pub provider: String,
    pub seed: u64,
    pub names: usize,
    pub migrations_applied: usize,
    pub convergence_checks: usize,
    pub over_limit_names: usize,
    pub over_limit_refused_cleanly: usize,
    pub failures: Vec<Failure>,
}

struct CaseRun<'a> {
    comon: &'a Comon,
    provider: Provider,
    project: &'a Path,
    figures: &'a mut HostileIdentifiersFigures,
    case_label: String,
}

impl CaseRun<'_> {
    fn fail(&mut self, place: &str, summary: &str, details: String) {
        self.figures.failures.push(Failure::new(
            "hostile-identifiers",
            self.provider,
            format!("{}, {place}", self.case_label),
            summary,
            details,
        ));
    }

    fn comon(&self, database: &TrialDatabase, arguments: &[&str]) -> Finished {
        self.comon
            .run(self.project, &database.url(), arguments, COMMAND_LIMIT)
    }

    /// The three convergence checks; true when all pass.
    fn converges(&mut self, database: &TrialDatabase, schema: &str, place: &str) -> bool {
        self.figures.convergence_checks += 1;
        let diff = self.comon(
            database,
            &[
                "migrate",
                "diff",
                "--from-database",
                "--to-schema",
                "prisma/schema.prisma",
                "--script",
                "--exit-code",
            ],
        );
        if diff.code != Some(0) {
            self.fail(
                place,
                "`migrate diff --from-database --to-schema --exit-code` finds a difference",
                diff.transcript(),
            );
            return false;
        }
        let expected = match database_schema_from_source(schema) {
            Ok(expected) => expected,
            Err(errors) => {
                self.fail(
                    place,
                    "the generated schema does not validate",
                    format!("{errors}\n{schema}"),
                );
                return false;
            }
        };
        match catalog_difference(&mut database.open(), &expected) {
            Ok(None) => {}
            Ok(Some(difference)) => {
                self.fail(
                    place,
                    "the introspected catalog differs from the schema",
                    format!("{difference}\nschema:\n{schema}"),
                );
                return false;
            }
            Err(error) => {
                self.fail(place, "the catalog cannot be read", error);
                return false;
            }
        }
        let status = self.comon(database, &["migrate", "status"]);
        if !status.succeeded() {
            self.fail(
                place,
                "`migrate status` reports issues",
                status.transcript(),
            );
            return false;
        }
        true
    }
}

fn write_schema(project: &Path, schema: &str) {
    let path = project.join("prisma").join("schema.prisma");
    std::fs::create_dir_all(path.parent().expect("prisma folder")).expect("folder created");
    std::fs::write(&path, schema).expect("schema written");
}

fn count_rows(database: &TrialDatabase, table: &str) -> Option<u64> {
    single_value(
        &mut database.open(),
        &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {}", quoted(table)),
    )
    .and_then(|text| text.parse().ok())
}

fn run_case(
    comon: &Comon,
    provider: Provider,
    case: &HostileCase,
    words: [&str; 3],
    figures: &mut HostileIdentifiersFigures,
    folder: &Path,
    index: usize,
) {
    let project = folder.join(format!("case-{index}"));
    let limit = if provider == Provider::Postgresql {
        POSTGRESQL_NAME_LIMIT
    } else {
        usize::MAX
    };
    let table = derived_name(&case.name, "", limit);
    let child_table = derived_name(&case.name, "child", limit);
    let mut run = CaseRun {
        comon,
        provider,
        project: &project,
        figures,
        case_label: format!("name {:?} (models {:?})", case.name, words),
    };
    let database = TrialDatabase::new(provider, folder);
    for (position, schema) in case.versions.iter().enumerate() {
        let version = position + 1;
        write_schema(&project, schema);
        let migration_name = format!("v{version}");
        let dev = run.comon(
            &database,
            &["migrate", "dev", "--name", &migration_name, "--yes"],
        );
        let place = format!("v{version}");
        if !dev.succeeded() {
            let summary = if dev.code == Some(PANIC_EXIT_CODE) {
                "`migrate dev` panicked"
            } else {
                "`migrate dev` failed"
            };
            run.fail(
                &place,
                summary,
                format!("{}\nschema:\n{schema}", dev.transcript()),
            );
            return;
        }
        run.figures.migrations_applied += 1;
        if version == 1 {
            // Rows for the rebuilds, renames and type changes to carry.
            let sql = format!(
                "INSERT INTO {table} ({label}) VALUES ('a'), ('b ''quoted'''), ('c'); INSERT INTO {child} ({parent_id}) VALUES (1), (1), (2)",
                table = quoted(&table),
                label = quoted(&derived_name(&case.name, "label", limit)),
                child = quoted(&child_table),
                parent_id = quoted(&derived_name(&case.name, "parent id", limit)),
            );
            if let Err(error) = database.open().execute_batch(&sql) {
                run.fail(
                    &place,
                    "rows could not be inserted into the created tables",
                    format!("{sql}\n{error}"),
                );
                return;
            }
        }
        if !run.converges(&database, schema, &place) {
            return;
        }
    }
    let renamed = derived_name(&case.name, "renamed", limit);
    if count_rows(&database, &renamed) != Some(3) {
        run.fail(
            "end",
            "rows did not survive the six versions",
            format!(
                "table {renamed:?} has {:?} rows, expected 3",
                count_rows(&database, &renamed)
            ),
        );
    }
    let fresh = TrialDatabase::new(provider, folder);
    let deploy = run.comon(&fresh, &["migrate", "deploy"]);
    if !deploy.succeeded() {
        run.fail(
            "deploy on a fresh database",
            "`migrate deploy` of the six folders failed",
            deploy.transcript(),
        );
        return;
    }
    let last = case.versions.last().expect("six versions");
    run.converges(&fresh, last, "deploy on a fresh database");
}

/// An over-limit name: v1 must converge, or be refused with an `error[...]` and no table.
fn run_over_limit_case(
    comon: &Comon,
    provider: Provider,
    case: &HostileCase,
    figures: &mut HostileIdentifiersFigures,
    folder: &Path,
    index: usize,
) {
    let project = folder.join(format!("over-limit-{index}"));
    figures.over_limit_names += 1;
    let mut run = CaseRun {
        comon,
        provider,
        project: &project,
        figures,
        case_label: format!(
            "over-limit name {:?} ({} bytes)",
            case.name,
            case.name.len()
        ),
    };
    let database = TrialDatabase::new(provider, folder);
    let schema = &case.versions[0];
    write_schema(&project, schema);
    let dev = run.comon(&database, &["migrate", "dev", "--name", "v1", "--yes"]);
    if dev.succeeded() {
        run.figures.migrations_applied += 1;
        run.converges(&database, schema, "v1");
        return;
    }
    let tables = single_value(
        &mut database.open(),
        "SELECT CAST(COUNT(*) AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> '_comon_orm_migrations'",
    );
    if dev.code == Some(1) && dev.stderr.contains("error[") && tables.as_deref() == Some("0") {
        run.figures.over_limit_refused_cleanly += 1;
    } else {
        run.fail(
            "v1",
            "an over-limit name was neither kept nor refused cleanly",
            format!("tables created: {tables:?}\n{}", dev.transcript()),
        );
    }
}

pub fn run_hostile_identifiers(
    comon: &Comon,
    options: &HostileIdentifiersOptions,
) -> Result<HostileIdentifiersFigures, String> {
    let provider = options.provider;
    let folder = tempfile::tempdir().map_err(|error| error.to_string())?;
    let mut random = random_source(options.seed, &format!("hostile-identifiers-{provider}"));
    let mut names = hostile_names();
    if provider == Provider::Sqlite {
        // SQLite has no length limit worth the name: a long one instead.
        names.push(format!("long {}", "ü".repeat(200)));
    }
    let names: Vec<String> = names
        .into_iter()
        .take(options.name_limit.unwrap_or(usize::MAX))
        .collect();
    let mut figures = HostileIdentifiersFigures {
        provider: provider.to_string(),
        seed: options.seed,
        names: names.len(),
        ..Default::default()
    };
    for (index, name) in names.iter().enumerate() {
        let mut words: Vec<&str> = RESERVED_MODEL_NAMES.to_vec();
        words.shuffle(&mut random);
        let words = [words[0], words[1], words[2]];
        let case = hostile_case(provider, name, words);
        run_case(
            comon,
            provider,
            &case,
            words,
            &mut figures,
            folder.path(),
            index,
        );
    }
    if provider == Provider::Postgresql && options.name_limit.is_none() {
        for (index, name) in over_limit_names().iter().enumerate() {
            let words = ["select", "order", "group"];
            let case = hostile_case(provider, name, words);
            run_over_limit_case(comon, provider, &case, &mut figures, folder.path(), index);
        }
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_stay_within_the_limit_and_distinct() {
        let name = "é".repeat(31) + "m";
        let label = derived_name(&name, "label", POSTGRESQL_NAME_LIMIT);
        let score = derived_name(&name, "score", POSTGRESQL_NAME_LIMIT);
        assert!(label.len() <= POSTGRESQL_NAME_LIMIT && score.len() <= POSTGRESQL_NAME_LIMIT);
        assert_ne!(label, score);
        assert_eq!(
            derived_name("it's", "label", POSTGRESQL_NAME_LIMIT),
            "it's_label"
        );
    }

    #[test]
    fn every_version_of_every_case_validates() {
        for provider in [Provider::Sqlite, Provider::Postgresql] {
            for name in hostile_names() {
                let case = hostile_case(provider, &name, ["select", "order", "group"]);
                for (position, version) in case.versions.iter().enumerate() {
                    if let Err(errors) = database_schema_from_source(version) {
                        panic!(
                            "{name:?} v{} on {provider}:\n{errors}\n{version}",
                            position + 1
                        );
                    }
                }
            }
        }
    }
}
