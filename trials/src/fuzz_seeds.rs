//! Seeds for the fuzz targets (`fuzz/corpus/<target>/`), made from the golden cases, the format
//! cases and, when it is on this machine, the corpus of real schemas (`../shared/corpus`): the
//! schema texts themselves, pairs of them to plan, their snapshots as JSON, the introspection
//! rows of real SQLite and PostgreSQL databases built from them, their migration scripts, and
//! migration folders. `scripts/fuzz.sh` writes them before a target's first run.

use crate::database::TrialDatabase;
use planner::introspection::introspection_queries;
use planner::migrations::{metadata_text, MigrationDraft, UtcTimestamp};
use planner::{
    database_schema_for_provider, plan_migration, render_plan, DatabaseSchema, DiffOptions,
    Provider,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn provider_byte(provider: Provider) -> u8 {
    match provider {
        Provider::Postgresql => 0,
        Provider::Sqlite => 1,
    }
}

struct SeedWriter {
    directory: PathBuf,
    written: usize,
}

impl SeedWriter {
    fn write(&mut self, target: &str, bytes: &[u8]) {
        let folder = self.directory.join(target);
        std::fs::create_dir_all(&folder).expect("corpus folder");
        let digest: String = Sha256::digest(bytes)
            .iter()
            .take(20)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        std::fs::write(folder.join(format!("seed-{digest}")), bytes).expect("seed written");
        self.written += 1;
    }

    fn with_provider(&mut self, target: &str, provider: Provider, body: &[u8]) {
        let mut bytes = vec![provider_byte(provider)];
        bytes.extend_from_slice(body);
        self.write(target, &bytes);
    }
}

/// `(previous, next)` model texts of every golden case, and the providers it is for.
fn golden_pairs(workspace: &Path) -> Vec<(String, String, Vec<Provider>)> {
    let golden = workspace.join("planner/tests/golden");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&golden)
        .expect("planner/tests/golden")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
        .into_iter()
        .map(|case| {
            let read = |file: &str| std::fs::read_to_string(case.join(file)).unwrap_or_default();
            let providers = match std::fs::read_to_string(case.join("providers.txt")) {
                Ok(text) => text
                    .split_whitespace()
                    .filter_map(Provider::from_datasource_provider)
                    .collect(),
                Err(_) => vec![Provider::Postgresql, Provider::Sqlite],
            };
            (read("previous.prisma"), read("next.prisma"), providers)
        })
        .collect()
}

fn with_datasource(models: &str, provider: Provider) -> String {
    format!(
        "datasource db {{\n  provider = \"{}\"\n}}\n\n{models}",
        provider.as_str()
    )
}

/// Real schemas of the shared corpus, by project, in history order, with their provider.
fn corpus_histories(workspace: &Path) -> Vec<(Provider, Vec<String>)> {
    let root = workspace.join("../shared/corpus/prisma");
    let Ok(projects) = std::fs::read_dir(&root) else {
        println!(
            "no schema corpus at {}; seeding from the golden cases only",
            root.display()
        );
        return Vec::new();
    };
    let mut histories = Vec::new();
    for project in projects.filter_map(|entry| entry.ok()) {
        let Ok(entries) = std::fs::read_dir(project.path().join("schemas")) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path())
            .collect();
        paths.sort();
        let texts: Vec<String> = paths
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .collect();
        let provider = if texts
            .first()
            .is_some_and(|text| text.contains("\"sqlite\""))
        {
            Provider::Sqlite
        } else {
            Provider::Postgresql
        };
        histories.push((provider, texts));
    }
    histories
}

/// Introspection rows of a database holding `schema`, encoded as the `introspection_rows`
/// target reads them (tab-separated cells, `\N` for NULL, 0x02 between queries).
fn introspection_rows_of(schema: &DatabaseSchema, folder: &Path) -> Option<Vec<u8>> {
    let provider = schema.provider;
    let database = TrialDatabase::new(provider, folder);
    let mut connection = database.open();
    let plan = plan_migration(
        &DatabaseSchema::empty(provider),
        schema,
        &DiffOptions::default(),
    )
    .ok()?;
    connection
        .apply_statements(&render_plan(&plan).statements)
        .ok()?;
    let mut chunks = Vec::new();
    for query in introspection_queries(provider) {
        let rows = connection.query_rows(&query.sql).ok()?;
        let lines: Vec<String> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| {
                        cell.clone()
                            .unwrap_or_else(|| "\\N".to_string())
                            .replace(['\t', '\n'], " ")
                    })
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect();
        chunks.push(lines.join("\n"));
    }
    Some(chunks.join("\u{2}").into_bytes())
}

const SCRIPTS: &[&str] = &[
    "-- CreateTable\nCREATE TABLE \"a;b\" (x TEXT DEFAULT ';');\n\n/* ; */ INSERT INTO t VALUES ('é;');\n-- trailing comment\n",
    "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END; $$ LANGUAGE plpgsql;\nSELECT 1;",
    "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 ELSE 3 END; DELETE FROM b; END;\nSELECT 1;",
    "BEGIN;\nALTER TYPE \"Role\" ADD VALUE 'ADMIN';\nCOMMIT;\n",
    "CREATE INDEX CONCURRENTLY \"i\" ON \"t\" (\"x\");\nVACUUM;\n",
    "SELECT $tag$ ; $tag$; SELECT E'\\';'; SELECT 'it''s';",
    "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 3",
];

/// Writes the seeds into `corpus_directory/<target>/`; returns how many.
pub fn write_fuzz_seeds(workspace: &Path, corpus_directory: &Path) -> usize {
    let mut writer = SeedWriter {
        directory: corpus_directory.to_path_buf(),
        written: 0,
    };
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let at = UtcTimestamp {
        year: 2024,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
        microsecond: 0,
    };
    let mut schema_texts: Vec<(Provider, String)> = Vec::new();
    let mut pairs: Vec<(Provider, String, String)> = Vec::new();
    for (previous, next, providers) in golden_pairs(workspace) {
        for provider in providers {
            schema_texts.push((provider, with_datasource(&next, provider)));
            pairs.push((provider, previous.clone(), next.clone()));
        }
    }
    for (provider, history) in corpus_histories(workspace) {
        for window in history.windows(2) {
            pairs.push((provider, window[0].clone(), window[1].clone()));
        }
        schema_texts.extend(history.into_iter().map(|text| (provider, text)));
    }
    for entry in std::fs::read_dir(workspace.join("planner/tests/format_cases"))
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
    {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            schema_texts.push((Provider::Postgresql, text));
        }
    }
    for (_, text) in &schema_texts {
        writer.write("schema_parse", text.as_bytes());
        writer.write("schema_format", text.as_bytes());
    }
    let mut rows_written = 0;
    for (index, (provider, previous, next)) in pairs.iter().enumerate() {
        let mut body = vec![(index % 3) as u8];
        body.extend_from_slice(previous.as_bytes());
        body.push(0);
        body.extend_from_slice(next.as_bytes());
        writer.with_provider("plan_two_schemas", *provider, &body);
        let (Ok(previous_schema), Ok(next_schema)) = (
            database_schema_for_provider(*provider, previous),
            database_schema_for_provider(*provider, next),
        ) else {
            continue;
        };
        writer.with_provider(
            "snapshot_json",
            *provider,
            serde_json::to_string(&next_schema)
                .expect("a snapshot serialises")
                .as_bytes(),
        );
        // Introspection rows of real databases: every SQLite case, one PostgreSQL case in four
        // (each needs a database of its own).
        if *provider == Provider::Sqlite || index % 4 == 0 {
            if let Some(rows) = introspection_rows_of(&next_schema, scratch.path()) {
                writer.with_provider("introspection_rows", *provider, &rows);
                rows_written += 1;
            }
        }
        let Ok(plan) = plan_migration(&previous_schema, &next_schema, &DiffOptions::default())
        else {
            continue;
        };
        let rendered = render_plan(&plan);
        writer.with_provider("split_script", *provider, rendered.sql.as_bytes());
        let draft = MigrationDraft {
            name: format!("20240102030405_case_{index}"),
            generated_at: at,
            provider: *provider,
            before_schema: with_datasource(previous, *provider),
            after_schema: with_datasource(next, *provider),
            migration_sql: rendered.sql.clone(),
            statement_count: rendered.statements.len(),
            warnings: plan
                .warnings
                .iter()
                .map(|warning| warning.message.clone())
                .collect(),
            rebuild_required: plan.requires_rebuild,
        };
        let folder = [
            draft.name.clone(),
            draft.migration_sql.clone(),
            metadata_text(&draft, &draft.checksum()),
            draft.before_schema.clone(),
            draft.after_schema.clone(),
            draft.warnings.join("\n"),
        ]
        .join("\0");
        writer.with_provider("migration_artifacts", *provider, folder.as_bytes());
    }
    for script in SCRIPTS {
        for provider in [Provider::Postgresql, Provider::Sqlite] {
            writer.with_provider("split_script", provider, script.as_bytes());
        }
    }
    println!(
        "{} seeds written into {} ({rows_written} from real databases)",
        writer.written,
        corpus_directory.display()
    );
    writer.written
}
