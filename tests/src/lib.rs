//! Test support shared by the integration tests of the workspace (`tests/tests/*.rs`,
//! `cli/tests/*.rs`) and by the reliability trials: throwaway databases on a real PostgreSQL
//! server and in SQLite files, one test per provider from one scenario, and the location of the
//! shared Prisma corpus.
//!
//! Helpers here panic with an explanation instead of returning errors: a test that cannot get
//! its database should stop at once and say why.

pub mod catalog;
mod corpus_location;
pub mod prisma_history;

pub use corpus_location::{
    corpus_absent_notice, corpus_location, corpus_requirement, required_corpus_directory,
    running_on_ci, CORPUS_VARIABLE,
};

use comon_database::Database;
pub use planner::Provider;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub const POSTGRES_URL_VARIABLE: &str = "COMON_TEST_POSTGRES_URL";
pub const DEFAULT_POSTGRES_ADMIN_URL: &str = "postgresql://postgres@127.0.0.1:5432/postgres";

const POSTGRES_UNREACHABLE_HELP: &str = "PostgreSQL is not reachable at 127.0.0.1:5432. Start it with \
     `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set COMON_TEST_POSTGRES_URL.";

/// The URL of a PostgreSQL database the tests may create and drop databases from.
pub fn postgres_admin_url() -> String {
    std::env::var(POSTGRES_URL_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_POSTGRES_ADMIN_URL.to_string())
}

static NEXT_DATABASE_NUMBER: AtomicU64 = AtomicU64::new(0);

/// `comon_test_<pid>_<counter>_<nanos>`: unique across parallel tests in one process (the
/// counter) and across processes and reruns (the pid and the clock).
fn unique_database_name() -> String {
    let counter = NEXT_DATABASE_NUMBER.fetch_add(1, Ordering::SeqCst);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|duration| duration.subsec_nanos())
        .unwrap_or(0);
    format!("comon_test_{}_{counter}_{nanos}", std::process::id())
}

/// The same server URL with another database name in the path, query parameters kept.
pub fn postgres_url_with_database(url: &str, database_name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|position| position + 3).unwrap_or(0);
    let server = match base[authority_start..].find('/') {
        Some(path_start) => &base[..authority_start + path_start],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database_name}?{query}"),
        None => format!("{server}/{database_name}"),
    }
}

fn open_postgres_admin() -> Database {
    let admin_url = postgres_admin_url();
    match Database::open(&admin_url) {
        Ok(database) => database,
        Err(error) if error.code() == "database-connection" => {
            panic!("{POSTGRES_UNREACHABLE_HELP}\n({error})")
        }
        Err(error) => panic!("Cannot open the PostgreSQL admin database {admin_url}: {error}"),
    }
}

/// A fresh, empty PostgreSQL database, dropped (with its connections) when this value drops.
pub struct TemporaryPostgresDatabase {
    name: String,
    url: String,
}

impl TemporaryPostgresDatabase {
    pub fn new() -> TemporaryPostgresDatabase {
        let mut admin = open_postgres_admin();
        let name = unique_database_name();
        let sql = format!(
            "CREATE DATABASE {}",
            comon_database::quote_identifier(&name)
        );
        if let Err(error) = admin.execute_batch(&sql) {
            panic!("Cannot create the test database {name}: {error}");
        }
        let url = postgres_url_with_database(&postgres_admin_url(), &name);
        TemporaryPostgresDatabase { name, url }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new connection to this database.
    pub fn open(&self) -> Database {
        Database::open(&self.url)
            .unwrap_or_else(|error| panic!("Cannot open the test database {}: {error}", self.name))
    }
}

impl Default for TemporaryPostgresDatabase {
    fn default() -> TemporaryPostgresDatabase {
        TemporaryPostgresDatabase::new()
    }
}

impl Drop for TemporaryPostgresDatabase {
    fn drop(&mut self) {
        // Never panic in drop: a database left behind is only clutter, and panicking while a
        // failed test unwinds would abort and hide the real failure.
        if let Ok(mut admin) = Database::open(&postgres_admin_url()) {
            let sql = format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                comon_database::quote_identifier(&self.name)
            );
            let _ = admin.execute_batch(&sql);
        }
    }
}

/// A SQLite database file in the temporary directory, removed (with its journal files) on drop.
pub struct TemporarySqliteDatabase {
    path: PathBuf,
}

impl TemporarySqliteDatabase {
    pub fn new() -> TemporarySqliteDatabase {
        TemporarySqliteDatabase::in_folder(&std::env::temp_dir())
    }

    /// A file in `folder` (a test's or trial's own temporary folder), still removed on drop.
    pub fn in_folder(folder: &Path) -> TemporarySqliteDatabase {
        let path = folder.join(format!("{}.db", unique_database_name()));
        TemporarySqliteDatabase { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `file:<absolute path>`, as a Prisma datasource would name it.
    pub fn url(&self) -> String {
        format!("file:{}", self.path.display())
    }

    /// A new connection; the file is created by the first one.
    pub fn open(&self) -> Database {
        Database::open(&self.url())
            .unwrap_or_else(|error| panic!("Cannot open {}: {error}", self.path.display()))
    }
}

impl Default for TemporarySqliteDatabase {
    fn default() -> TemporarySqliteDatabase {
        TemporarySqliteDatabase::new()
    }
}

impl Drop for TemporarySqliteDatabase {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A fresh, empty database of either provider; dropped (or deleted) with this value.
pub enum TemporaryDatabase {
    Sqlite(TemporarySqliteDatabase),
    Postgresql(TemporaryPostgresDatabase),
}

impl TemporaryDatabase {
    /// SQLite files go into the system's temporary folder.
    pub fn new(provider: Provider) -> TemporaryDatabase {
        TemporaryDatabase::in_folder(provider, &std::env::temp_dir())
    }

    /// SQLite files go into `folder`; PostgreSQL databases are made on the test server.
    pub fn in_folder(provider: Provider, folder: &Path) -> TemporaryDatabase {
        match provider {
            Provider::Sqlite => {
                TemporaryDatabase::Sqlite(TemporarySqliteDatabase::in_folder(folder))
            }
            Provider::Postgresql => TemporaryDatabase::Postgresql(TemporaryPostgresDatabase::new()),
        }
    }

    pub fn provider(&self) -> Provider {
        match self {
            TemporaryDatabase::Sqlite(_) => Provider::Sqlite,
            TemporaryDatabase::Postgresql(_) => Provider::Postgresql,
        }
    }

    /// The URL as a user's `DATABASE_URL` would give it.
    pub fn url(&self) -> String {
        match self {
            TemporaryDatabase::Sqlite(database) => database.url(),
            TemporaryDatabase::Postgresql(database) => database.url().to_string(),
        }
    }

    /// The PostgreSQL database's name; panics for SQLite.
    pub fn postgres_name(&self) -> String {
        match self {
            TemporaryDatabase::Postgresql(database) => database.name().to_string(),
            TemporaryDatabase::Sqlite(_) => {
                panic!("a SQLite test database has no server-side name")
            }
        }
    }

    /// A new connection, for tests that hold locks or transactions of their own.
    pub fn open(&self) -> Database {
        match self {
            TemporaryDatabase::Sqlite(database) => database.open(),
            TemporaryDatabase::Postgresql(database) => database.open(),
        }
    }

    /// Runs a query on a new connection and returns the first column of every row.
    pub fn column(&self, sql: &str) -> Vec<Option<String>> {
        self.open()
            .query_rows(sql)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
            .into_iter()
            .map(|row| row.into_iter().next().flatten())
            .collect()
    }

    /// Runs statements on a new connection.
    pub fn execute(&self, sql: &str) {
        self.open()
            .execute_batch(sql)
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// The number a `SELECT COUNT(*) ...` returns.
    pub fn count(&self, sql: &str) -> u64 {
        let values = self.column(sql);
        values
            .first()
            .cloned()
            .flatten()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| panic!("{sql}: {values:?}"))
    }
}

/// Two tests, one on SQLite and one on PostgreSQL, that run the same scenario: a function
/// taking the [`Provider`]. Each test keeps its own name, so a failure says which provider.
///
/// ```text
/// tests::test_on_each_provider!(rollback_exactly_one,
///     sqlite: rollback_undoes_exactly_one_migration_on_sqlite,
///     postgresql: rollback_undoes_exactly_one_migration_on_postgresql);
/// ```
#[macro_export]
macro_rules! test_on_each_provider {
    ($scenario:path, sqlite: $sqlite:ident, postgresql: $postgresql:ident $(,)?) => {
        #[test]
        fn $sqlite() {
            $scenario($crate::Provider::Sqlite);
        }

        #[test]
        fn $postgresql() {
            $scenario($crate::Provider::Postgresql);
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_corpus_fails_under_ci_and_skips_elsewhere() {
        let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-corpus");
        let message = corpus_requirement(&missing, true).expect_err("CI requires the corpus");
        assert!(
            message.contains("CI=true requires it") && message.contains("no-such-corpus"),
            "{message}"
        );
        assert_eq!(corpus_requirement(&missing, false), Ok(None));
        let present = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(
            corpus_requirement(present, true),
            Ok(Some(present.to_path_buf()))
        );
    }

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            postgres_url_with_database("postgresql://postgres@127.0.0.1:5432/postgres", "x"),
            "postgresql://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            postgres_url_with_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            postgres_url_with_database("postgres://h:1", "x"),
            "postgres://h:1/x"
        );
    }

    #[test]
    fn temporary_database_names_are_unique() {
        assert_ne!(unique_database_name(), unique_database_name());
    }
}
