//! The properties the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`) check, one function per
//! target taking the fuzzer's bytes. A violated property panics, which is what libFuzzer
//! reports as a crash; a planner panic is one too. The targets are one-line calls into this
//! crate, so that `tests/replay.rs` replays the saved corpus and the regression inputs in the
//! default test command, on stable Rust, without libFuzzer.
//!
//! Every entry point gets arbitrary input: schema text (parse, validate, format, lower), two
//! schemas to plan and render, snapshot JSON, introspection rows, migration scripts to split,
//! and migration folders (artifacts, metadata, warnings, checksums, history, status).

use planner::database_schema::to_prisma::render_prisma_schema;
use planner::introspection::{introspection_queries, snapshot_from_rows, QueryResult};
use planner::migrations::artifacts::{local_migrations_from_folders, ArtifactProblem};
use planner::migrations::{
    compute_status, database_schema_from_snapshot, migration_checksum, migration_folder_name,
    normalize_line_endings, parse_metadata_text, parse_warnings_text, replay_history,
    sanitize_migration_name, ChecksumInput, HistoryKind, HistoryRow, HistoryState, MigrationDraft,
    MigrationFolderFiles, StatusInput, UtcTimestamp,
};
use planner::schema_language::{format_schema, parse_schema};
use planner::{
    database_schema_for_provider, parse_and_validate, plan_migration, render_plan, DatabaseSchema,
    DiffOptions, Provider,
};
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Token, Tokenizer};
use std::collections::HashMap;

/// A property over the fuzzer's bytes; it panics when the property does not hold.
pub type Check = fn(&[u8]);

/// The fuzz targets, by the name of their file in `fuzz/fuzz_targets/`, with their check.
pub const TARGETS: &[(&str, Check)] = &[
    ("schema_parse", check_schema_parse),
    ("schema_format", check_schema_format),
    ("plan_two_schemas", check_plan_two_schemas),
    ("snapshot_json", check_snapshot_json),
    ("introspection_rows", check_introspection_rows),
    ("split_script", check_split_script),
    ("migration_artifacts", check_migration_artifacts),
];

/// The first byte picks the provider; the rest is the input.
fn provider_and_rest(data: &[u8]) -> (Provider, &[u8]) {
    match data.split_first() {
        Some((first, rest)) => (
            if first % 2 == 0 {
                Provider::Postgresql
            } else {
                Provider::Sqlite
            },
            rest,
        ),
        None => (Provider::Postgresql, data),
    }
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Parse, validate and lower never panic, and every error's span lies inside the text.
pub fn check_schema_parse(data: &[u8]) {
    let source = text(data);
    let _ = parse_schema(&source);
    match parse_and_validate(&source) {
        Ok(_) => {
            let _ = planner::database_schema_from_source(&source);
        }
        Err(errors) => {
            for error in &errors.errors {
                if let Some(span) = error.span {
                    assert!(
                        span.start <= span.end && span.end <= source.len(),
                        "span {span:?} outside the text ({} bytes): {error:?}",
                        source.len()
                    );
                }
            }
        }
    }
}

/// Formatting is idempotent, its output parses, and formatting keeps a valid schema valid and
/// describing the same database.
pub fn check_schema_format(data: &[u8]) {
    let source = text(data);
    let Ok(formatted) = format_schema(&source) else {
        return;
    };
    let again = format_schema(&formatted).unwrap_or_else(|errors| {
        panic!("formatted text does not parse:\n{errors}\n---\n{formatted}")
    });
    assert_eq!(
        again, formatted,
        "formatting twice differs from formatting once"
    );
    if let Ok(original) = planner::database_schema_from_source(&source) {
        let reformatted =
            planner::database_schema_from_source(&formatted).unwrap_or_else(|errors| {
                panic!("a valid schema is invalid once formatted:\n{errors}\n---\n{formatted}")
            });
        assert_eq!(
            original, reformatted,
            "formatting changed the database the schema describes"
        );
    }
}

/// Row counts for planning: none, or every table of `previous` with `rows` rows.
fn row_counts(previous: &DatabaseSchema, choice: u8) -> Option<HashMap<String, u64>> {
    match choice % 3 {
        0 => None,
        1 => Some(
            previous
                .tables
                .iter()
                .map(|table| (table.name.clone(), 0))
                .collect(),
        ),
        _ => Some(
            previous
                .tables
                .iter()
                .map(|table| (table.name.clone(), 5))
                .collect(),
        ),
    }
}

/// Plans and renders, and checks what must hold of any plan: planning is deterministic, and a
/// schema planned against itself has no steps.
fn plan_and_render(previous: &DatabaseSchema, next: &DatabaseSchema, choice: u8) {
    let options = DiffOptions {
        row_counts: row_counts(previous, choice),
        ..DiffOptions::default()
    };
    let Ok(plan) = plan_migration(previous, next, &options) else {
        return;
    };
    let rendered = render_plan(&plan);
    let again = plan_migration(previous, next, &options).expect("the same plan succeeds twice");
    assert_eq!(
        render_plan(&again).statements,
        rendered.statements,
        "planning is not deterministic"
    );
    for statement in &rendered.statements {
        assert!(
            !statement.trim().is_empty(),
            "an empty statement was rendered"
        );
    }
    let _ = render_prisma_schema(previous);
    let _ = render_prisma_schema(next);
}

/// Two schemas separated by a NUL byte: planned one to the other (and each to itself), rendered.
pub fn check_plan_two_schemas(data: &[u8]) {
    let (provider, rest) = provider_and_rest(data);
    let choice = rest.first().copied().unwrap_or(0);
    let rest = rest.get(1..).unwrap_or_default();
    let (previous_bytes, next_bytes) = match rest.iter().position(|byte| *byte == 0) {
        Some(position) => (&rest[..position], &rest[position + 1..]),
        None => (&rest[..0], rest),
    };
    let side = |bytes: &[u8]| database_schema_for_provider(provider, &text(bytes)).ok();
    let (previous, next) = (side(previous_bytes), side(next_bytes));
    let empty = DatabaseSchema::empty(provider);
    match (&previous, &next) {
        (Some(previous), Some(next)) => plan_and_render(previous, next, choice),
        (Some(previous), None) => plan_and_render(previous, &empty, choice),
        (None, Some(next)) => plan_and_render(&empty, next, choice),
        (None, None) => {}
    }
    for schema in [&previous, &next].into_iter().flatten() {
        let plan = plan_migration(schema, schema, &DiffOptions::default())
            .expect("a schema plans against itself");
        assert!(
            plan.is_empty(),
            "a schema differs from itself: {:?}",
            plan.steps
        );
    }
}

/// Snapshot JSON (as the npm package and the history receive it) read with serde, planned from
/// and to empty and to itself, rendered and rendered back to schema text; the same text read as
/// a `before.prisma`/`after.prisma` snapshot.
pub fn check_snapshot_json(data: &[u8]) {
    let (provider, rest) = provider_and_rest(data);
    let source = text(rest);
    if let Ok(schema) = serde_json::from_str::<DatabaseSchema>(&source) {
        let empty = DatabaseSchema::empty(schema.provider);
        plan_and_render(&empty, &schema, 0);
        plan_and_render(&schema, &empty, 1);
        if let Ok(plan) = plan_migration(&schema, &schema, &DiffOptions::default()) {
            let _ = render_plan(&plan);
        }
        let _ = render_prisma_schema(&schema);
    }
    let _ = database_schema_from_snapshot(provider, &source);
}

/// Introspection rows: for each of the provider's catalog queries a chunk of the input (chunks
/// separated by 0x02), one row a line, cells separated by tabs, `\N` for NULL.
pub fn check_introspection_rows(data: &[u8]) {
    let (provider, rest) = provider_and_rest(data);
    let source = text(rest);
    let mut chunks = source.split('\u{2}');
    let results: Vec<QueryResult> = introspection_queries(provider)
        .into_iter()
        .map(|query| {
            let rows = chunks
                .next()
                .unwrap_or("")
                .lines()
                .map(|line| {
                    line.split('\t')
                        .map(|cell| (cell != "\\N").then(|| cell.to_string()))
                        .collect()
                })
                .collect();
            QueryResult {
                name: query.name,
                rows,
            }
        })
        .collect();
    if let Ok(schema) = snapshot_from_rows(provider, &results) {
        plan_and_render(&DatabaseSchema::empty(provider), &schema, 0);
        plan_and_render(&schema, &DatabaseSchema::empty(provider), 2);
        let _ = render_prisma_schema(&schema);
    }
}

fn dialect(provider: Provider) -> Box<dyn Dialect> {
    match provider {
        Provider::Postgresql => Box::new(PostgreSqlDialect {}),
        Provider::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// The significant tokens of SQL text (no whitespace or comments), as text.
fn significant_tokens(provider: Provider, sql: &str) -> Option<Vec<String>> {
    let tokens = Tokenizer::new(dialect(provider).as_ref(), sql)
        .tokenize()
        .ok()?;
    Some(
        tokens
            .into_iter()
            .filter(|token| !matches!(token, Token::Whitespace(_)))
            .map(|token| token.to_string())
            .collect(),
    )
}

/// The script splitter never panics. When it splits, no statement is empty or starts or ends
/// with whitespace, each is a piece of the script, in order, and nothing is lost or added: the
/// statements' tokens, in order, are the script's tokens without comments, whitespace and the
/// `;` that end statements (compared when the statements tokenize on their own).
pub fn check_split_script(data: &[u8]) {
    let (provider, rest) = provider_and_rest(data);
    let script = text(rest);
    let Ok(statements) = comon_database::split_sql_script(provider, &script) else {
        return;
    };
    let mut search_from = 0;
    for statement in &statements {
        assert!(!statement.is_empty(), "an empty statement from {script:?}");
        assert_eq!(
            statement.trim(),
            statement,
            "a statement with surrounding whitespace from {script:?}"
        );
        let position = script[search_from..]
            .find(statement.as_str())
            .unwrap_or_else(|| {
                panic!(
                    "statement {statement:?} is not a piece of {script:?} after byte {search_from}"
                )
            });
        search_from += position + statement.len();
    }
    let Some(script_tokens) = significant_tokens(provider, &script) else {
        return;
    };
    let mut statement_tokens = Vec::new();
    for statement in &statements {
        match significant_tokens(provider, statement) {
            Some(tokens) => statement_tokens.extend(tokens),
            None => return,
        }
    }
    let semicolon = Token::SemiColon.to_string();
    // Top-level `;` end statements and are dropped; those inside trigger or function bodies stay.
    let mut expected = script_tokens.clone();
    let mut kept = Vec::with_capacity(expected.len());
    let mut statement_position = 0;
    for token in expected.drain(..) {
        if token == semicolon && statement_tokens.get(statement_position) != Some(&token) {
            continue;
        }
        statement_position += 1;
        kept.push(token);
    }
    assert_eq!(
        kept, statement_tokens,
        "the statements' tokens are not the script's tokens for {script:?}"
    );
}

/// Up to eight migration folders (separated by 0x01), each of up to six fields separated by NUL:
/// folder name, migration.sql, metadata.txt, before.prisma, after.prisma, warnings.txt (a field
/// that is absent is a missing file). Reading them never panics; the folders come out sorted,
/// complete or invalid; checksums are 64 hex digits, the same with CRLF line endings, and the
/// same when a draft of the migration is written and read back. History replay and status over
/// the folders never panic.
pub fn check_migration_artifacts(data: &[u8]) {
    let (provider, rest) = provider_and_rest(data);
    let source = text(rest);
    let mut folders = Vec::new();
    for (index, folder) in source.split('\u{1}').take(8).enumerate() {
        let mut fields = folder.split('\0');
        let name = fields.next().unwrap_or("").to_string();
        let mut file = || fields.next().map(str::to_string);
        let files = MigrationFolderFiles {
            migration_sql: file(),
            metadata: file(),
            before_schema: file(),
            after_schema: file(),
            warnings: file(),
        };
        folders.push((name, format!("migrations/{index}"), files));
    }
    let folder_count = folders.len();
    let local = local_migrations_from_folders(provider, folders.clone());
    assert_eq!(
        local.migrations.len() + local.invalid.len(),
        folder_count,
        "a folder was lost or invented"
    );
    assert!(
        local
            .migrations
            .windows(2)
            .all(|pair| pair[0].name <= pair[1].name),
        "folders are not sorted by name"
    );
    for migration in &local.migrations {
        assert!(
            migration.checksum.len() == 64
                && migration
                    .checksum
                    .bytes()
                    .all(|byte| byte.is_ascii_hexdigit()),
            "checksum {:?}",
            migration.checksum
        );
        let _ = migration.is_placeholder();
        let _ = migration.metadata_provider();
        let _ = migration.metadata_statement_count();
    }
    // CRLF line endings give the same checksum (for texts without a carriage return already).
    let crlf = |text: &Option<String>| text.as_ref().map(|text| text.replace('\n', "\r\n"));
    let without_carriage_returns = folders.iter().all(|(_, _, files)| {
        [
            &files.migration_sql,
            &files.metadata,
            &files.before_schema,
            &files.after_schema,
            &files.warnings,
        ]
        .iter()
        .all(|text| text.as_ref().is_none_or(|text| !text.contains('\r')))
    });
    if without_carriage_returns {
        let crlf_folders = folders
            .iter()
            .map(|(name, path, files)| {
                let files = MigrationFolderFiles {
                    migration_sql: crlf(&files.migration_sql),
                    metadata: crlf(&files.metadata),
                    before_schema: crlf(&files.before_schema),
                    after_schema: crlf(&files.after_schema),
                    warnings: crlf(&files.warnings),
                };
                (name.clone(), path.clone(), files)
            })
            .collect();
        let crlf_local = local_migrations_from_folders(provider, crlf_folders);
        let checksums = |set: &planner::migrations::artifacts::LocalMigrations| {
            set.migrations
                .iter()
                .map(|migration| migration.checksum.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            checksums(&local),
            checksums(&crlf_local),
            "CRLF line endings change the checksum"
        );
    }
    for (name, _, files) in &folders {
        let _ = parse_metadata_text(files.metadata.as_deref().unwrap_or(""));
        let _ = parse_warnings_text(files.warnings.as_deref().unwrap_or(""));
        let _ = normalize_line_endings(files.migration_sql.as_deref().unwrap_or(""));
        let _ = sanitize_migration_name(name);
        let at = UtcTimestamp {
            year: 2024,
            month: 1,
            day: 2,
            hour: 3,
            minute: 4,
            second: 5,
            microsecond: 6,
        };
        if let Ok(folder_name) = migration_folder_name(&at, name) {
            // A draft written and read back has the checksum the draft computed.
            let draft = MigrationDraft {
                name: folder_name.clone(),
                generated_at: at,
                provider,
                before_schema: files.before_schema.clone().unwrap_or_default(),
                after_schema: files.after_schema.clone().unwrap_or_default(),
                migration_sql: files.migration_sql.clone().unwrap_or_default(),
                statement_count: 1,
                warnings: parse_warnings_text(files.warnings.as_deref().unwrap_or("")),
                rebuild_required: false,
            };
            let written = draft.files();
            let file = |wanted: &str| {
                written
                    .iter()
                    .find(|(file_name, _)| *file_name == wanted)
                    .map(|(_, content)| content.clone())
            };
            let read_back = local_migrations_from_folders(
                provider,
                vec![(
                    folder_name,
                    "migrations/draft".to_string(),
                    MigrationFolderFiles {
                        migration_sql: file("migration.sql"),
                        metadata: file("metadata.txt"),
                        before_schema: file("before.prisma"),
                        after_schema: file("after.prisma"),
                        warnings: file("warnings.txt"),
                    },
                )],
            );
            // A written draft has every file, so it reads back as a migration, or as a folder
            // whose snapshots do not parse (the fuzzed schema texts rarely do), never as an
            // incomplete one or not at all.
            let Some(migration) = read_back.migrations.first() else {
                let invalid = read_back
                    .invalid
                    .first()
                    .expect("a written draft is read back as a migration or as an invalid folder");
                assert!(
                    matches!(invalid.problem, ArtifactProblem::InvalidSnapshot { .. }),
                    "a written draft reads back as {:?}",
                    invalid.problem
                );
                continue;
            };
            // A draft whose SQL starts with the rebuild placeholder reads back as a rebuild.
            if !migration.rebuild_required {
                assert_eq!(
                    migration.checksum,
                    draft.checksum(),
                    "a written draft reads back with another checksum"
                );
            }
        }
    }
    // History: every complete folder applied once, the odd ones rolled back or failed.
    let rows: Vec<HistoryRow> = local
        .migrations
        .iter()
        .enumerate()
        .map(|(index, migration)| HistoryRow {
            id: Some(index as i64),
            name: migration.name.clone(),
            applied_at: format!("2024-01-01T00:00:{:02}.000Z", index % 60),
            statement_count: 0,
            kind: if index % 3 == 2 {
                HistoryKind::Rollback
            } else {
                HistoryKind::Apply
            },
            target_name: (index % 3 == 2).then(|| local.migrations[index - 1].name.clone()),
            provider: Some(provider.as_str().to_string()),
            checksum: Some(if index % 2 == 0 {
                migration.checksum.clone()
            } else {
                "0".repeat(64)
            }),
            before_schema: Some(migration.before_schema.clone()),
            after_schema: Some(migration.after_schema.clone()),
            warnings: migration.warnings.clone(),
            rebuild_required: migration.rebuild_required,
            state: if index % 5 == 4 {
                HistoryState::Failed
            } else {
                HistoryState::Finished
            },
            failure_message: None,
        })
        .collect();
    let replay = replay_history(&rows);
    let status = compute_status(&StatusInput {
        replay: &replay,
        local_migrations: &local.migrations,
        invalid_local_migrations: &local.invalid,
        migrations_directory: "migrations",
        drift_since: local
            .migrations
            .last()
            .map(|migration| migration.name.as_str()),
        drift_differences: &[],
    });
    let _ = status.is_clean();
    for migration in &local.migrations {
        let _ = database_schema_from_snapshot(provider, &migration.after_schema);
    }
}

/// The checksum input of comon_orm, for seeds.
pub fn checksum_of(provider: Provider, before: &str, after: &str, sql: &str) -> String {
    migration_checksum(&ChecksumInput {
        provider: provider.as_str(),
        before_schema: before,
        after_schema: after,
        migration_sql: sql,
        warnings: &[],
        requires_rebuild: false,
    })
}
