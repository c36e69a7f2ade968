//! `comon format` against `prisma format` on every corpus schema. Prisma's output was taken once
//! with the offline peer (`scripts/prisma-format-goldens.sh`, which explains why the `url` line
//! is taken out first) into `tests/fixtures/prisma_format/<app>.tsv` (the SHA-256 of Prisma's
//! output per schema) and `<app>/<schema>` (Prisma's output where it differs from the input).

mod support;

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures_directory() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/prisma_format"
    ))
}

/// The schema as the peer formatted it: without the datasource URL lines Prisma 7 refuses.
fn without_url_lines(source: &str) -> String {
    source
        .split_inclusive('\n')
        .filter(|line| {
            let trimmed = line.trim_start();
            !["url", "directUrl", "shadowDatabaseUrl"].iter().any(|key| {
                trimmed
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
        })
        .collect()
}

fn expected_hashes(app: &str) -> BTreeMap<String, String> {
    let path = fixtures_directory().join(format!("{app}.tsv"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.lines()
        .map(|line| {
            let (name, hash) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}: a line without a tab: {line:?}", path.display()));
            (name.to_string(), hash.to_string())
        })
        .collect()
}

fn first_differing_line(ours: &str, prisma: &str) -> String {
    for (number, (our_line, prisma_line)) in ours.lines().zip(prisma.lines()).enumerate() {
        if our_line != prisma_line {
            return format!(
                "line {}: comon {our_line:?}, prisma {prisma_line:?}",
                number + 1
            );
        }
    }
    format!(
        "comon has {} lines, prisma {}",
        ours.lines().count(),
        prisma.lines().count()
    )
}

#[test]
fn comon_format_equals_prisma_format_on_every_corpus_schema() {
    let Some(schemas) = support::corpus_schemas() else {
        return;
    };
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for app in ["rallly", "pingvin-share"] {
        let expected = expected_hashes(app);
        let app_schemas: Vec<&(PathBuf, String)> = schemas
            .iter()
            .filter(|(path, _)| path.components().any(|part| part.as_os_str() == app))
            .collect();
        assert_eq!(
            app_schemas.len(),
            expected.len(),
            "{app}: the corpus and the fixtures list different schemas; rerun scripts/prisma-format-goldens.sh"
        );
        for (path, source) in app_schemas {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let input = without_url_lines(source);
            let ours = planner::schema_language::format_schema(&input)
                .unwrap_or_else(|errors| panic!("{}: {errors}", path.display()));
            let hash = format!("{:x}", Sha256::digest(ours.as_bytes()));
            let expected_hash = expected
                .get(&name)
                .unwrap_or_else(|| panic!("{app}/{name} is not in the fixtures"));
            checked += 1;
            if &hash != expected_hash {
                let prisma_path = fixtures_directory().join(app).join(&name);
                let prisma =
                    std::fs::read_to_string(&prisma_path).unwrap_or_else(|_| input.clone());
                mismatches.push(format!(
                    "{app}/{name}: {}",
                    first_differing_line(&ours, &prisma)
                ));
            }
        }
    }
    println!(
        "comon format equals prisma format on {} of {checked} corpus schemas.",
        checked - mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {checked} schemas format differently from prisma format:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn the_url_lines_are_taken_out_as_the_fixture_script_takes_them_out() {
    let source = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"A\")\n  directUrl = env(\"B\")\n  urlish = 1\n}\n";
    assert_eq!(
        without_url_lines(source),
        "datasource db {\n  provider = \"postgresql\"\n  urlish = 1\n}\n"
    );
    assert!(Path::new(&fixtures_directory()).is_dir());
}
