//! The WebAssembly boundary of the npm package `comon-migrate`.
//!
//! This crate is an adapter with no logic of its own: every export converts its arguments from
//! JS values into planner types, calls the planner, and converts the result back. Planner
//! errors become thrown JS `Error` objects carrying `code`, `message`, `span` (for schema
//! errors) and `errors` (every error found). The JS types are written by hand in
//! `../index.d.ts`; keep them in step with the planner's serde types.

use std::collections::HashMap;

use planner::database_schema::to_prisma::render_prisma_schema;
use planner::error::{SchemaError, SchemaErrors, Span};
use planner::introspection::sqlite::{dependents_from_rows, table_dependents_query};
use planner::introspection::{introspection_queries, snapshot_from_rows, QueryResult, Row};
use planner::migrations::artifacts::local_migrations_from_folders;
use planner::migrations::{
    compute_status, migration_checksum, migration_folder_name, migration_script_of_steps,
    replay_history, ChecksumInput, HistoryRow, MigrationDraft, MigrationFolderFiles, StatusInput,
    UtcTimestamp,
};
use planner::render::render_step;
use planner::schema_language::format_schema;
use planner::{
    database_schema_for_provider, database_schema_from_source, parse_and_validate, plan_migration,
    render_plan, resolve_plan_sides, DatabaseSchema, Decision, DiffOptions, MigrationStep,
    PlanSide, Provider, RenameCandidate, RenameDecision, Warning,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// ----- conversions at the boundary -----

/// Results are built as JSON would build them: `null` for `None`, plain objects for maps, so
/// that a snapshot made here equals `JSON.parse` of the native runner's snapshot.
const SERIALIZER: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::json_compatible();

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&SERIALIZER).map_err(|error| {
        thrown_error(
            "internal-error",
            &format!("Could not convert the result: {error}"),
            None,
            &[],
        )
    })
}

fn from_js<T: DeserializeOwned>(value: JsValue, argument: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|error| {
        // serde-wasm-bindgen's errors are JS `Error`s; their message is serde's text.
        let message = String::from(js_sys::Error::from(JsValue::from(error)).message());
        invalid_argument(&format!("`{argument}` is not valid: {message}."))
    })
}

/// Rejects an options object with a key the function does not take, so that a misspelt key
/// such as `plan({ prev })` is an `unknown-option` error instead of being silently ignored.
/// The check is here, not `#[serde(deny_unknown_fields)]`: serde-wasm-bindgen reads a struct by
/// looking its fields up, and never sees the keys it does not ask for.
fn reject_unknown_keys(value: &JsValue, argument: &str, known: &[&str]) -> Result<(), JsValue> {
    // Anything but a plain object is left to the deserializer, which says what shape it wants.
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Ok(());
    }
    let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            let expected = known
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(thrown_error(
                "unknown-option",
                &format!("`{argument}` has an unknown key `{key}`, expected one of {expected}."),
                None,
                &[],
            ));
        }
    }
    Ok(())
}

fn string_argument(value: &JsValue, argument: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| invalid_argument(&format!("`{argument}` must be a string.")))
}

fn provider_argument(value: &JsValue) -> Result<Provider, JsValue> {
    let name = string_argument(value, "provider")?;
    provider_named(&name)
}

fn provider_named(name: &str) -> Result<Provider, JsValue> {
    Provider::from_datasource_provider(name).ok_or_else(|| {
        thrown_error(
            "unknown-provider",
            &format!("Unknown provider `{name}`: expected \"postgresql\" or \"sqlite\"."),
            None,
            &[],
        )
    })
}

// ----- errors -----

/// A JS `Error` named `ComonMigrateError` with `code`, `span` (or `null`) and `errors` (when
/// `errors` is empty, the error itself is the one entry).
fn thrown_error(code: &str, message: &str, span: Option<Span>, errors: &[SchemaError]) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name("ComonMigrateError");
    let errors = match errors {
        [] => to_js(&[SchemaError::new(code, message, span)]),
        errors => to_js(errors),
    };
    let errors = errors.unwrap_or_else(|_| js_sys::Array::new().into());
    let span = span
        .map_or(Ok(JsValue::NULL), |span| to_js(&span))
        .unwrap_or(JsValue::NULL);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(&error, &"span".into(), &span);
    let _ = js_sys::Reflect::set(&error, &"errors".into(), &errors);
    error.into()
}

fn invalid_argument(message: &str) -> JsValue {
    thrown_error("invalid-argument", message, None, &[])
}

fn schema_error(error: SchemaError) -> JsValue {
    thrown_error(&error.code, &error.message, error.span, &[])
}

/// The first error gives `code`, `message` and `span`; `errors` lists them all.
fn schema_errors(errors: SchemaErrors) -> JsValue {
    match errors.errors.first() {
        Some(first) => thrown_error(&first.code, &first.message, first.span, &errors.errors),
        None => thrown_error(
            "internal-error",
            "The planner reported an empty list of errors.",
            None,
            &[],
        ),
    }
}

// ----- schema text -----

#[derive(Deserialize, Default)]
struct ValidateOptions {
    provider: Option<String>,
}

/// `validate(schema, { provider? })`: throws the schema's errors; returns nothing when it is
/// valid. With `provider`, text without a datasource is validated for that provider, as
/// `plan()` reads such text.
#[wasm_bindgen]
pub fn validate(schema: JsValue, options: JsValue) -> Result<(), JsValue> {
    let source = string_argument(&schema, "schema")?;
    let options: ValidateOptions = if options.is_undefined() || options.is_null() {
        ValidateOptions::default()
    } else {
        reject_unknown_keys(&options, "options", &["provider"])?;
        from_js(options, "options")?
    };
    match options
        .provider
        .as_deref()
        .map(provider_named)
        .transpose()?
    {
        None => parse_and_validate(&source)
            .map(|_| ())
            .map_err(schema_errors),
        Some(provider) => database_schema_for_provider(provider, &source)
            .map(|_| ())
            .map_err(schema_errors),
    }
}

/// `format(schema)`: the formatted schema text.
#[wasm_bindgen]
pub fn format(schema: JsValue) -> Result<String, JsValue> {
    let source = string_argument(&schema, "schema")?;
    format_schema(&source).map_err(schema_errors)
}

/// `databaseSchema(schema)`: the database schema that schema text describes (a snapshot).
#[wasm_bindgen(js_name = databaseSchema)]
pub fn database_schema(schema: JsValue) -> Result<JsValue, JsValue> {
    let source = string_argument(&schema, "schema")?;
    to_js(&database_schema_from_source(&source).map_err(schema_errors)?)
}

// ----- planning -----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlanInput {
    #[serde(with = "serde_wasm_bindgen::preserve", default)]
    previous: JsValue,
    #[serde(with = "serde_wasm_bindgen::preserve", default)]
    next: JsValue,
    provider: Option<String>,
    row_counts: Option<HashMap<String, u64>>,
    /// PostgreSQL online DDL (concurrent index builds, `NOT VALID` then `VALIDATE`); on unless
    /// `false`, as in the native planner.
    online_ddl: Option<bool>,
    /// Rename decisions, each `{ model?, previous, next, renamed? }`; read element by element
    /// so that an unknown key in one is an error.
    #[serde(with = "serde_wasm_bindgen::preserve", default)]
    renames: JsValue,
}

/// One rename decision as JS writes it: `renamed` is `true` unless `false` says "not a rename".
#[derive(Deserialize)]
struct RenameInput {
    model: Option<String>,
    previous: String,
    next: String,
    renamed: Option<bool>,
}

/// Reads `renames`: absent, or an array of decisions.
fn rename_decisions(value: JsValue) -> Result<Vec<RenameDecision>, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(Vec::new());
    }
    if !js_sys::Array::is_array(&value) {
        return Err(invalid_argument(
            "`renames` must be an array of `{ model?, previous, next, renamed? }`.",
        ));
    }
    js_sys::Array::from(&value)
        .iter()
        .enumerate()
        .map(|(position, element)| {
            let argument = format!("renames[{position}]");
            reject_unknown_keys(
                &element,
                &argument,
                &["model", "previous", "next", "renamed"],
            )?;
            let input: RenameInput = from_js(element, &argument)?;
            Ok(RenameDecision {
                model: input.model,
                previous: input.previous,
                next: input.next,
                renamed: input.renamed.unwrap_or(true),
            })
        })
        .collect()
}

/// Reads one side of a plan as JS gives it: null, schema text or a snapshot object.
fn plan_side(value: JsValue, argument: &str) -> Result<PlanSide, JsValue> {
    if value.is_null() || value.is_undefined() {
        Ok(PlanSide::Empty)
    } else if let Some(text) = value.as_string() {
        Ok(PlanSide::SchemaText(text))
    } else if value.is_object() {
        Ok(PlanSide::Snapshot(from_js(value, argument)?))
    } else {
        Err(invalid_argument(&format!(
            "`{argument}` must be schema text, a snapshot or null."
        )))
    }
}

/// A step with its one-line summary, such as `CreateTable User`.
#[derive(Serialize)]
struct PlannedStep<'a> {
    summary: String,
    #[serde(flatten)]
    step: &'a MigrationStep,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanOutput<'a> {
    provider: Provider,
    sql: &'a str,
    statements: &'a [String],
    /// The first statement of the online phase (PostgreSQL online DDL), left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    after_commit_from: Option<usize>,
    steps: Vec<PlannedStep<'a>>,
    warnings: &'a [Warning],
    requires_rebuild: bool,
    unexecutable: bool,
    /// Removed and added models or fields of the same shape that no decision answered.
    rename_candidates: &'a [RenameCandidate],
    /// Every decision the plan needs before it is applied (`MigrationPlan::decisions`).
    decisions: Vec<Decision>,
}

/// `plan({ previous, next, provider?, rowCounts?, onlineDdl?, renames? })`: the migration from
/// `previous` to `next`.
#[wasm_bindgen]
pub fn plan(input: JsValue) -> Result<JsValue, JsValue> {
    reject_unknown_keys(
        &input,
        "plan input",
        &[
            "previous",
            "next",
            "provider",
            "rowCounts",
            "onlineDdl",
            "renames",
        ],
    )?;
    let input: PlanInput = from_js(input, "plan input")?;
    let explicit_provider = input.provider.as_deref().map(provider_named).transpose()?;
    let previous = plan_side(input.previous, "previous")?;
    let next = plan_side(input.next, "next")?;
    let (previous, next) =
        resolve_plan_sides(previous, next, explicit_provider).map_err(|error| {
            let thrown = schema_errors(error.errors);
            // Which editor or input to point at: `previous`, `next`, or null for the plan itself.
            let side = error.side.map_or(JsValue::NULL, JsValue::from);
            let _ = js_sys::Reflect::set(&thrown, &"side".into(), &side);
            thrown
        })?;
    let renames = rename_decisions(input.renames)?;
    let options = DiffOptions {
        renames,
        row_counts: input.row_counts,
        online_ddl: match input.online_ddl {
            Some(false) => planner::OnlineDdl::Off,
            _ => planner::OnlineDdl::On,
        },
    };
    let plan = plan_migration(&previous, &next, &options).map_err(schema_error)?;
    let rendered = render_plan(&plan);
    to_js(&PlanOutput {
        provider: plan.provider,
        sql: &rendered.sql,
        statements: &rendered.statements,
        after_commit_from: rendered.after_commit_from,
        steps: plan
            .steps
            .iter()
            .map(|step| PlannedStep {
                summary: step.summary(),
                step,
            })
            .collect(),
        warnings: &plan.warnings,
        requires_rebuild: plan.requires_rebuild,
        unexecutable: plan.unexecutable,
        rename_candidates: &plan.rename_candidates,
        decisions: plan.decisions(),
    })
}

/// `renderSteps(provider, steps)`: the statements of steps, in order.
#[wasm_bindgen(js_name = renderSteps)]
pub fn render_steps(provider: JsValue, steps: JsValue) -> Result<JsValue, JsValue> {
    let provider = provider_argument(&provider)?;
    let steps: Vec<MigrationStep> = from_js(steps, "steps")?;
    let statements: Vec<String> = steps
        .iter()
        .flat_map(|step| render_step(step, provider))
        .collect();
    to_js(&statements)
}

/// `migrationScript(provider, steps)`: the statements of steps as a runner runs them, with
/// their execution requirements, built by the planner from the steps (no SQL text is read).
#[wasm_bindgen(js_name = migrationScript)]
pub fn migration_script(provider: JsValue, steps: JsValue) -> Result<JsValue, JsValue> {
    let provider = provider_argument(&provider)?;
    let steps: Vec<MigrationStep> = from_js(steps, "steps")?;
    to_js(&migration_script_of_steps(provider, &steps))
}

// ----- introspection -----

/// `introspectionQueries(provider)`: the catalog queries, `{ name, sql }`, to run in order.
#[wasm_bindgen(js_name = introspectionQueries)]
pub fn introspection_queries_js(provider: JsValue) -> Result<JsValue, JsValue> {
    to_js(&introspection_queries(provider_argument(&provider)?))
}

/// `snapshotFromRows(provider, results)`: the database schema the query results describe.
#[wasm_bindgen(js_name = snapshotFromRows)]
pub fn snapshot_from_rows_js(provider: JsValue, results: JsValue) -> Result<JsValue, JsValue> {
    let provider = provider_argument(&provider)?;
    let results: Vec<QueryResult> = from_js(results, "results")?;
    to_js(&snapshot_from_rows(provider, &results).map_err(schema_error)?)
}

/// `tableDependentsQuery(table)`: the SQLite query for a table's triggers, partial and
/// expression indexes, which a rebuild of the table drops.
#[wasm_bindgen(js_name = tableDependentsQuery)]
pub fn table_dependents_query_js(table: JsValue) -> Result<String, JsValue> {
    Ok(table_dependents_query(&string_argument(&table, "table")?))
}

/// `tableDependentsFromRows(rows)`: the dependents the rows of `tableDependentsQuery` describe.
#[wasm_bindgen(js_name = tableDependentsFromRows)]
pub fn table_dependents_from_rows_js(rows: JsValue) -> Result<JsValue, JsValue> {
    let rows: Vec<Row> = from_js(rows, "rows")?;
    to_js(&dependents_from_rows(&rows).map_err(schema_error)?)
}

/// `renderSchema(snapshot)`: the snapshot as `schema.prisma` text, as `db pull` writes it.
#[wasm_bindgen(js_name = renderSchema)]
pub fn render_schema(snapshot: JsValue) -> Result<String, JsValue> {
    let snapshot: DatabaseSchema = from_js(snapshot, "snapshot")?;
    Ok(render_prisma_schema(&snapshot))
}

// ----- migration artifacts and history -----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChecksumArtifact {
    provider: String,
    before_schema: String,
    after_schema: String,
    migration_sql: String,
    warnings: Vec<String>,
    requires_rebuild: bool,
}

/// `checksum(artifact)`: the lowercase hex checksum comon_orm records for a migration.
#[wasm_bindgen]
pub fn checksum(artifact: JsValue) -> Result<String, JsValue> {
    reject_unknown_keys(
        &artifact,
        "artifact",
        &[
            "provider",
            "beforeSchema",
            "afterSchema",
            "migrationSql",
            "warnings",
            "requiresRebuild",
        ],
    )?;
    let artifact: ChecksumArtifact = from_js(artifact, "artifact")?;
    Ok(migration_checksum(&ChecksumInput {
        provider: &artifact.provider,
        before_schema: &artifact.before_schema,
        after_schema: &artifact.after_schema,
        migration_sql: &artifact.migration_sql,
        warnings: &artifact.warnings,
        requires_rebuild: artifact.requires_rebuild,
    }))
}

fn timestamp_argument(value: JsValue) -> Result<UtcTimestamp, JsValue> {
    match value.dyn_ref::<js_sys::Date>() {
        Some(date) if date.get_time().is_nan() => {
            Err(invalid_argument("`generatedAt` is an invalid Date."))
        }
        Some(date) => Ok(UtcTimestamp {
            year: date.get_utc_full_year() as i32,
            month: date.get_utc_month() as u8 + 1,
            day: date.get_utc_date() as u8,
            hour: date.get_utc_hours() as u8,
            minute: date.get_utc_minutes() as u8,
            second: date.get_utc_seconds() as u8,
            microsecond: date.get_utc_milliseconds() * 1000,
        }),
        None => from_js(value, "generatedAt"),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MigrationFolderInput {
    name: String,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    generated_at: JsValue,
    provider: String,
    before_schema: String,
    after_schema: String,
    migration_sql: String,
    statement_count: usize,
    warnings: Vec<String>,
    requires_rebuild: bool,
}

/// File names to contents, serialized as a JS object in the order the files are written.
struct FolderFiles(Vec<(&'static str, String)>);

impl Serialize for FolderFiles {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, content)| (*name, content)))
    }
}

#[derive(Serialize)]
struct MigrationFolderOutput {
    name: String,
    files: FolderFiles,
}

/// `migrationFolder(draft)`: the folder name and the files of a migration folder.
#[wasm_bindgen(js_name = migrationFolder)]
pub fn migration_folder(draft: JsValue) -> Result<JsValue, JsValue> {
    reject_unknown_keys(
        &draft,
        "draft",
        &[
            "name",
            "generatedAt",
            "provider",
            "beforeSchema",
            "afterSchema",
            "migrationSql",
            "statementCount",
            "warnings",
            "requiresRebuild",
        ],
    )?;
    let input: MigrationFolderInput = from_js(draft, "draft")?;
    let generated_at = timestamp_argument(input.generated_at)?;
    let draft = MigrationDraft {
        name: migration_folder_name(&generated_at, &input.name).map_err(schema_error)?,
        generated_at,
        provider: provider_named(&input.provider)?,
        before_schema: input.before_schema,
        after_schema: input.after_schema,
        migration_sql: input.migration_sql,
        statement_count: input.statement_count,
        warnings: input.warnings,
        rebuild_required: input.requires_rebuild,
    };
    to_js(&MigrationFolderOutput {
        files: FolderFiles(draft.files()),
        name: draft.name,
    })
}

#[derive(Deserialize, Default)]
struct LocalFolderFiles {
    #[serde(rename = "migration.sql")]
    migration_sql: Option<String>,
    #[serde(rename = "metadata.txt")]
    metadata: Option<String>,
    #[serde(rename = "before.prisma")]
    before_schema: Option<String>,
    #[serde(rename = "after.prisma")]
    after_schema: Option<String>,
    #[serde(rename = "warnings.txt")]
    warnings: Option<String>,
}

#[derive(Deserialize)]
struct LocalFolder {
    name: String,
    #[serde(default)]
    files: LocalFolderFiles,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusArguments {
    provider: String,
    #[serde(default = "default_migrations_directory")]
    migrations_directory: String,
    local: Vec<LocalFolder>,
    history: Vec<HistoryRow>,
    drift_since: Option<String>,
}

fn default_migrations_directory() -> String {
    "prisma/migrations".to_string()
}

/// `status({ provider, local, history, migrationsDirectory?, driftSince? })`: `migrate
/// status` for local folders and history rows.
#[wasm_bindgen]
pub fn status(input: JsValue) -> Result<JsValue, JsValue> {
    reject_unknown_keys(
        &input,
        "status input",
        &[
            "provider",
            "migrationsDirectory",
            "local",
            "history",
            "driftSince",
        ],
    )?;
    let input: StatusArguments = from_js(input, "status input")?;
    let provider = provider_named(&input.provider)?;
    let directory = input.migrations_directory;
    let folders = input
        .local
        .into_iter()
        .map(|folder| {
            let files = MigrationFolderFiles {
                migration_sql: folder.files.migration_sql,
                metadata: folder.files.metadata,
                before_schema: folder.files.before_schema,
                after_schema: folder.files.after_schema,
                warnings: folder.files.warnings,
            };
            let folder_path = format!("{directory}/{}", folder.name);
            (folder.name, folder_path, files)
        })
        .collect();
    let local = local_migrations_from_folders(provider, folders);
    let replay = replay_history(&input.history);
    to_js(&compute_status(&StatusInput {
        replay: &replay,
        local_migrations: &local.migrations,
        invalid_local_migrations: &local.invalid,
        migrations_directory: &directory,
        drift_since: input.drift_since.as_deref(),
        drift_differences: &[],
    }))
}
