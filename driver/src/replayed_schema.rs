//! The schema a list of migration scripts builds, without a shadow database when that can be
//! avoided: `schema_built_by_migrations` is the one function for it. It asks the planner's
//! migration SQL interpreter first (pure and fast); when a statement may change the schema in
//! a way the interpreter does not follow (a `DO` block, dynamic SQL) or does not parse for it,
//! it replays the scripts into a scratch database instead and introspects that, and the result
//! says which of the two it was (`SchemaSource`), so that commands can tell the user.
//!
//! The scratch database: SQLite, in memory; PostgreSQL, a database created on the server of the
//! project's connection with a unique `comon_scratch_*` name (`SCRATCH_DATABASE_PREFIX`) and
//! always dropped again, after success, after an error, and after a signal (dropping a scratch
//! database is cleanup, which `comon_database::interrupt` still lets through). Creating it needs
//! the `CREATEDB` right: without it, or without a reachable server, the error has a code of its
//! own (`SCRATCH_NOT_PERMITTED_CODE`, `SCRATCH_UNREACHABLE_CODE`).

use crate::command_error::CommandError;
use comon_database::database_url::{DatabaseUrl, PostgresUrl};
use comon_database::interrupt::SCRATCH_DATABASE_PREFIX;
use comon_database::{quote_identifier, ConnectionOptions, Database, RunnerError};
use planner::migration_sql::{interpret_migration, SkippedEffect, PARSE_ERROR_CODE};
use planner::migrations::script::{analyze_migration_script, ScriptTarget};
use planner::{plan_migration, DatabaseSchema, DiffOptions, Provider};

/// The scratch database's server cannot be reached (or the scratch database cannot be opened).
pub const SCRATCH_UNREACHABLE_CODE: &str = "scratch-database-unreachable";
/// The server refuses to create the scratch database: the user lacks the `CREATEDB` right.
pub const SCRATCH_NOT_PERMITTED_CODE: &str = "scratch-database-not-permitted";
/// No server was given to replay on (a PostgreSQL history read without a database).
pub const SCRATCH_UNAVAILABLE_CODE: &str = "scratch-database-unavailable";
/// A migration failed while it was replayed into the scratch database.
pub const SCRATCH_REPLAY_FAILED_CODE: &str = "scratch-replay-failed";

/// Where a replay may run.
#[derive(Clone)]
pub enum ScratchServer {
    /// SQLite: a database in memory, gone when its connection closes.
    SqliteInMemory,
    /// PostgreSQL: a temporary database on this server, created through a connection opened
    /// with this URL and these options, and dropped again through it.
    Postgresql(Box<PostgresqlScratchServer>),
    /// Nowhere: a replay is the `SCRATCH_UNAVAILABLE_CODE` error, with this sentence saying what
    /// would give a server.
    Unavailable { remedy: String },
    /// Nowhere, on purpose, on either provider: the caller wants the interpreter's answer or
    /// none (`migrate status` checking comon_orm folders, since a read must not run migration
    /// SQL), and a replay is the `SCRATCH_UNAVAILABLE_CODE` error.
    InterpreterOnly,
}

/// The connection a PostgreSQL scratch database is made through.
#[derive(Clone)]
pub struct PostgresqlScratchServer {
    pub url: PostgresUrl,
    pub options: ConnectionOptions,
}

impl ScratchServer {
    /// The scratch server of an open database: in memory for SQLite, the same server (and
    /// credentials) for PostgreSQL.
    pub fn for_database(database: &Database) -> ScratchServer {
        match database.postgres_connection_parameters() {
            Some((url, options)) => {
                ScratchServer::Postgresql(Box::new(PostgresqlScratchServer { url, options }))
            }
            None => ScratchServer::SqliteInMemory,
        }
    }

    /// The scratch server for a database URL of `provider`, when there is one.
    pub fn for_url(url: &DatabaseUrl, options: &ConnectionOptions) -> ScratchServer {
        match url {
            DatabaseUrl::Postgresql(url) => {
                ScratchServer::Postgresql(Box::new(PostgresqlScratchServer {
                    url: url.clone(),
                    options: options.clone(),
                }))
            }
            DatabaseUrl::Sqlite(_) => ScratchServer::SqliteInMemory,
        }
    }
}

/// One migration script: its origin as messages show it (the migration folder's name) and its
/// text.
#[derive(Debug, Clone, Copy)]
pub struct MigrationScriptText<'a> {
    pub origin: &'a str,
    pub sql: &'a str,
}

/// How the schema was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource {
    /// The interpreter followed every statement.
    Interpreted,
    /// The scripts were replayed into a scratch database and it was introspected, because of
    /// the statement at `origin` line `line` (`reason` says what it is).
    Replayed {
        migration_count: usize,
        origin: String,
        line: Option<u64>,
        reason: String,
    },
}

/// The schema a list of migration scripts builds, and how it was obtained.
#[derive(Debug, Clone)]
pub struct BuiltSchema {
    pub schema: DatabaseSchema,
    pub source: SchemaSource,
}

impl BuiltSchema {
    /// What to tell the user when the scripts were replayed: "replayed 41 migrations into a
    /// scratch database because 20230405_x/migration.sql line 3: a DO block ...". `None` when the
    /// interpreter built the schema.
    pub fn replay_notice(&self) -> Option<String> {
        match &self.source {
            SchemaSource::Interpreted => None,
            SchemaSource::Replayed {
                migration_count,
                origin,
                line,
                reason,
            } => Some(format!(
                "replayed {migration_count} migration{} into a scratch database because {origin}/migration.sql{}: {reason}",
                if *migration_count == 1 { "" } else { "s" },
                line.map(|line| format!(" line {line}")).unwrap_or_default()
            )),
        }
    }
}

/// The schema that `scripts`, applied in order on top of `previous` (an empty schema for a
/// whole history), build on `provider`: from the migration SQL interpreter when it follows
/// every statement, otherwise by replaying `previous` and the scripts into a scratch database on
/// `scratch` and introspecting it. `migrate status` (drift in a Prisma project, and the check
/// that a comon_orm folder's `migration.sql` builds its `after.prisma`) and `migrate diff
/// --from-migrations` call this; so should anything else that needs the schema a Prisma
/// folder history describes.
///
/// A script that cannot even be split into statements is an error with the interpreter's
/// code, naming the folder and line, and nothing is replayed.
pub fn schema_built_by_migrations(
    provider: Provider,
    previous: &DatabaseSchema,
    scripts: &[MigrationScriptText<'_>],
    scratch: &ScratchServer,
) -> Result<BuiltSchema, CommandError> {
    let mut schema = previous.clone();
    for script in scripts {
        let interpreted = match interpret_migration(provider, schema, script.sql, script.origin) {
            Ok(interpreted) => interpreted,
            // sqlparser not reading a statement does not mean the database would not: the
            // database decides.
            Err(error) if error.code == PARSE_ERROR_CODE => {
                return replay(
                    provider,
                    previous,
                    scripts,
                    scratch,
                    ReplayReason {
                        origin: error.origin.clone(),
                        line: error.line,
                        reason: format!("the interpreter cannot parse it ({})", error.message),
                    },
                );
            }
            Err(error) => {
                return Err(CommandError::refused(
                    error.code,
                    format!(
                        "{}/migration.sql{}: {}",
                        error.origin,
                        error
                            .line
                            .map(|line| format!(":{line}"))
                            .unwrap_or_default(),
                        error.message
                    ),
                ))
            }
        };
        if let Some(skipped) = interpreted
            .skipped
            .iter()
            .find(|skipped| skipped.effect == SkippedEffect::MayChangeSchema)
        {
            return replay(
                provider,
                previous,
                scripts,
                scratch,
                ReplayReason {
                    origin: skipped.origin.clone(),
                    line: Some(skipped.line),
                    reason: skipped.reason.clone(),
                },
            );
        }
        schema = interpreted.schema;
    }
    Ok(BuiltSchema {
        schema,
        source: SchemaSource::Interpreted,
    })
}

/// Why a replay was needed.
struct ReplayReason {
    origin: String,
    line: Option<u64>,
    reason: String,
}

fn replay(
    provider: Provider,
    previous: &DatabaseSchema,
    scripts: &[MigrationScriptText<'_>],
    scratch: &ScratchServer,
    because: ReplayReason,
) -> Result<BuiltSchema, CommandError> {
    let schema = match (provider, scratch) {
        (_, ScratchServer::InterpreterOnly) => {
            return Err(CommandError::refused(
                SCRATCH_UNAVAILABLE_CODE,
                format!(
                    "the migration SQL interpreter cannot follow {}/migration.sql{} ({}).",
                    because.origin,
                    because.line.map(|line| format!(" line {line}")).unwrap_or_default(),
                    because.reason
                ),
            ))
        }
        (Provider::Sqlite, _) => {
            let mut database = Database::open(":memory:").map_err(|error| {
                CommandError::refused(
                    SCRATCH_UNREACHABLE_CODE,
                    format!("An in-memory SQLite scratch database cannot be opened: {error}"),
                )
            })?;
            replay_into(&mut database, previous, scripts)?
        }
        (Provider::Postgresql, ScratchServer::Postgresql(server)) => {
            replay_on_postgresql_server(&server.url, &server.options, previous, scripts)?
        }
        (Provider::Postgresql, ScratchServer::Unavailable { remedy }) => {
            return Err(CommandError::refused(
                SCRATCH_UNAVAILABLE_CODE,
                format!(
                    "The schema these migrations build can only be known by replaying them into a scratch PostgreSQL database, because {}/migration.sql{}: {}; but no server was given. {remedy}",
                    because.origin,
                    because.line.map(|line| format!(" line {line}")).unwrap_or_default(),
                    because.reason
                ),
            ))
        }
        (Provider::Postgresql, ScratchServer::SqliteInMemory) => {
            return Err(CommandError::refused(
                SCRATCH_UNAVAILABLE_CODE,
                "PostgreSQL migrations cannot be replayed into a SQLite scratch database.",
            ))
        }
    };
    Ok(BuiltSchema {
        schema,
        source: SchemaSource::Replayed {
            migration_count: scripts.len(),
            origin: because.origin,
            line: because.line,
            reason: because.reason,
        },
    })
}

/// Creates `previous` in the (empty) scratch database, runs every script as a deploy would,
/// and introspects the result.
fn replay_into(
    database: &mut Database,
    previous: &DatabaseSchema,
    scripts: &[MigrationScriptText<'_>],
) -> Result<DatabaseSchema, CommandError> {
    let provider = database.provider();
    if !previous.tables.is_empty() || !previous.enums.is_empty() {
        let plan = plan_migration(
            &DatabaseSchema::empty(provider),
            previous,
            &DiffOptions::default(),
        )
        .map_err(|error| CommandError::refused("invalid-snapshot", error.to_string()))?;
        database.apply_plan(&plan).map_err(|error| {
            replay_failed("the schema the migrations start from".to_string(), error)
        })?;
    }
    let server_version_number = server_version_number(database)?;
    for script in scripts {
        let origin = format!("{}/migration.sql", script.origin);
        let analysed = analyze_migration_script(
            provider,
            &origin,
            script.sql,
            &ScriptTarget {
                server_version_number,
                always_in_transaction: false,
            },
        )
        .map_err(|error| CommandError::refused(error.code(), error.to_string()))?;
        database
            .apply_script(&analysed)
            .map_err(|error| replay_failed(origin, error))?;
    }
    Ok(database.introspect()?)
}

fn server_version_number(database: &mut Database) -> Result<Option<u32>, CommandError> {
    if database.provider() != Provider::Postgresql {
        return Ok(None);
    }
    let rows = database.query_named_rows("SHOW server_version_num", &[])?;
    Ok(rows
        .first()
        .and_then(|row| row.get("server_version_num"))
        .and_then(|text| text.trim().parse().ok()))
}

/// A replay's failure: an interruption stays one (its exit code), anything else names the
/// script.
fn replay_failed(origin: String, error: RunnerError) -> CommandError {
    match error {
        RunnerError::Interrupted { .. } => CommandError::Runner(error),
        other => CommandError::refused(
            SCRATCH_REPLAY_FAILED_CODE,
            format!("Replaying {origin} into the scratch database failed: {other}"),
        ),
    }
}

/// The PostgreSQL replay: a connection to the project's database (`administration`) creates
/// the scratch database, the replay runs on a connection of its own to it, and the scratch
/// database is dropped through `administration` whatever happened, the replay's connection
/// closed first.
fn replay_on_postgresql_server(
    url: &PostgresUrl,
    options: &ConnectionOptions,
    previous: &DatabaseSchema,
    scripts: &[MigrationScriptText<'_>],
) -> Result<DatabaseSchema, CommandError> {
    let unreachable = |error: RunnerError| {
        match error {
        RunnerError::Interrupted { .. } => CommandError::Runner(error),
        other => CommandError::refused(
            SCRATCH_UNREACHABLE_CODE,
            format!(
                "The scratch database for replaying the migrations cannot be created on {}: {other}",
                url.describe()
            ),
        ),
    }
    };
    let mut administration =
        Database::open_with_options(&DatabaseUrl::Postgresql(url.clone()), options)
            .map_err(unreachable)?;
    // The server makes the name unique (its random generator, its clock and this session's
    // process id), so that parallel commands, on one machine or several, never share one.
    let suffix = administration
        .query_named_rows(
            "SELECT substr(md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text), 1, 16) AS suffix",
            &[],
        )
        .map_err(unreachable)?
        .first()
        .and_then(|row| row.get("suffix").map(str::to_string))
        .unwrap_or_default();
    let name = format!("{SCRATCH_DATABASE_PREFIX}{suffix}");
    let extensions = environment_extensions(&mut administration).map_err(unreachable)?;
    if let Err(error) =
        administration.execute_batch(&format!("CREATE DATABASE {}", quote_identifier(&name)))
    {
        // CREATE DATABASE fails as a whole, but a signal may have stopped it after the server
        // created the database: drop it in every case.
        let _ = drop_scratch_database(&mut administration, &name);
        return Err(match error {
            RunnerError::StatementFailed { ref message, .. } if message.contains("[42501]") => {
                CommandError::refused(
                    SCRATCH_NOT_PERMITTED_CODE,
                    format!(
                        "The migrations must be replayed into a scratch database, but {} may not create databases. Grant it the right (`ALTER ROLE ... CREATEDB`), or run the command as a user who has it.",
                        url.describe()
                    ),
                )
            }
            other => unreachable(other),
        });
    }
    let replayed = (|| {
        let scratch_url = PostgresUrl {
            database: Some(name.clone()),
            ..url.clone()
        };
        let mut scratch =
            Database::open_with_options(&DatabaseUrl::Postgresql(scratch_url.clone()), options)
                .map_err(unreachable)?;
        let mut setup = String::new();
        if url.schema != "public" {
            setup.push_str(&format!(
                "CREATE SCHEMA IF NOT EXISTS {};",
                quote_identifier(&url.schema)
            ));
        }
        // Extensions belong to the environment (the project's database has them), not to the
        // history: a migration may use one it never creates.
        for extension in &extensions {
            setup.push_str(&format!(
                "CREATE EXTENSION IF NOT EXISTS {};",
                quote_identifier(extension)
            ));
        }
        if !setup.is_empty() {
            scratch
                .execute_batch(&setup)
                .map_err(|error| replay_failed("the scratch database's setup".into(), error))?;
        }
        replay_into(&mut scratch, previous, scripts)
    })();
    let dropped = drop_scratch_database(&mut administration, &name);
    match (replayed, dropped) {
        (Err(error), _) => Err(error),
        (Ok(_), Err(error)) => Err(CommandError::refused(
            SCRATCH_UNREACHABLE_CODE,
            format!(
                "The scratch database {name} could not be dropped; drop it by hand (`DROP DATABASE \"{name}\"`): {error}"
            ),
        )),
        (Ok(schema), Ok(())) => Ok(schema),
    }
}

/// The extensions of the project's database that a migration may use without creating them
/// (PL/pgSQL is in every database already).
fn environment_extensions(database: &mut Database) -> Result<Vec<String>, RunnerError> {
    Ok(database
        .query_named_rows(
            "SELECT CAST(extname AS TEXT) AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname",
            &[],
        )?
        .iter()
        .filter_map(|row| row.get("name").map(str::to_string))
        .collect())
}

/// `DROP DATABASE IF EXISTS`, forcing out any session still connected to it. Its first words
/// are what `comon_database::interrupt::is_cleanup` lets through after a signal.
fn drop_scratch_database(database: &mut Database, name: &str) -> Result<(), RunnerError> {
    database.execute_batch(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_identifier(name)
    ))
}
