//! The databases a trial creates and throws away: SQLite files in the trial's folder and
//! PostgreSQL databases on the test server (`tests::TemporaryPostgresDatabase`, dropped with
//! their connections when the value drops), and the queries the checks run on them.

use comon_database::{quote_identifier, quote_string_literal, Database};
use planner::Provider;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tests::TemporaryPostgresDatabase;

static NEXT_SQLITE_FILE: AtomicU64 = AtomicU64::new(0);

pub enum TrialDatabase {
    Sqlite { path: PathBuf },
    Postgresql(TemporaryPostgresDatabase),
}

impl TrialDatabase {
    /// A new, empty database. SQLite files go into `folder` (the trial's temporary folder).
    pub fn new(provider: Provider, folder: &Path) -> TrialDatabase {
        match provider {
            Provider::Sqlite => {
                let number = NEXT_SQLITE_FILE.fetch_add(1, Ordering::SeqCst);
                TrialDatabase::Sqlite {
                    path: folder.join(format!("trial-{number}.db")),
                }
            }
            Provider::Postgresql => TrialDatabase::Postgresql(TemporaryPostgresDatabase::new()),
        }
    }

    pub fn provider(&self) -> Provider {
        match self {
            TrialDatabase::Sqlite { .. } => Provider::Sqlite,
            TrialDatabase::Postgresql(_) => Provider::Postgresql,
        }
    }

    /// The URL as a user's `DATABASE_URL` would give it.
    pub fn url(&self) -> String {
        match self {
            TrialDatabase::Sqlite { path } => format!("file:{}", path.display()),
            TrialDatabase::Postgresql(database) => database.url().to_string(),
        }
    }

    /// The URL with an `application_name`, so that the trial can find the deploy's backend in
    /// `pg_stat_activity` (comon does not set one itself). SQLite URLs are returned unchanged.
    pub fn url_with_application_name(&self, application_name: &str) -> String {
        match self {
            TrialDatabase::Sqlite { .. } => self.url(),
            TrialDatabase::Postgresql(database) => {
                let separator = if database.url().contains('?') {
                    '&'
                } else {
                    '?'
                };
                format!(
                    "{}{separator}application_name={application_name}",
                    database.url()
                )
            }
        }
    }

    /// A description for reports: the file, or the database name.
    pub fn describe(&self) -> String {
        match self {
            TrialDatabase::Sqlite { path } => path.display().to_string(),
            TrialDatabase::Postgresql(database) => {
                format!("PostgreSQL database {}", database.name())
            }
        }
    }

    pub fn open(&self) -> Database {
        Database::open(&self.url())
            .unwrap_or_else(|error| panic!("cannot open {}: {error}", self.describe()))
    }

    /// SQLite: whether a rollback journal is left beside the file, which means a write
    /// transaction was open when the process died (a hot journal; the next connection rolls it
    /// back). Always false on PostgreSQL.
    pub fn has_hot_journal(&self) -> bool {
        match self {
            TrialDatabase::Sqlite { path } => {
                let mut journal = path.clone().into_os_string();
                journal.push("-journal");
                std::fs::metadata(PathBuf::from(journal))
                    .map(|metadata| metadata.len() > 0)
                    .unwrap_or(false)
            }
            TrialDatabase::Postgresql(_) => false,
        }
    }

    /// Deletes a SQLite file (and its journals); drops nothing on PostgreSQL (the value's drop
    /// does that).
    pub fn remove_files(&self) {
        if let TrialDatabase::Sqlite { path } = self {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(file));
            }
        }
    }
}

impl Drop for TrialDatabase {
    fn drop(&mut self) {
        self.remove_files();
    }
}

/// The first column of the first row, as text.
pub fn single_value(database: &mut Database, sql: &str) -> Option<String> {
    database
        .query_rows(sql)
        .ok()?
        .into_iter()
        .next()?
        .into_iter()
        .next()
        .flatten()
}

/// A PostgreSQL connection that watches other backends by `application_name`.
pub struct BackendObserver {
    database: Database,
}

impl BackendObserver {
    pub fn new(database: &TrialDatabase) -> BackendObserver {
        BackendObserver {
            database: database.open(),
        }
    }

    /// Whether a backend of `application_name` is inside a transaction that has written
    /// something (PostgreSQL gave it a transaction id): a kill now lands mid-migration.
    pub fn is_in_write_transaction(&mut self, application_name: &str) -> bool {
        let sql = format!(
            "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = {} AND backend_xid IS NOT NULL",
            quote_string_literal(application_name)
        );
        single_value(&mut self.database, &sql).is_some_and(|count| count != "0")
    }

    /// Terminates every backend of `application_name`; the number terminated.
    pub fn terminate(&mut self, application_name: &str) -> usize {
        let sql = format!(
            "SELECT count(*)::text FROM (SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = {} AND pid <> pg_backend_pid()) AS backends WHERE terminated",
            quote_string_literal(application_name)
        );
        single_value(&mut self.database, &sql)
            .and_then(|count| count.parse().ok())
            .unwrap_or(0)
    }

    /// Waits (up to `limit`) until no backend of `application_name` is left: after its client
    /// died, PostgreSQL notices the closed socket, rolls back and ends the backend.
    pub fn wait_until_gone(&mut self, application_name: &str, limit: Duration) -> bool {
        let sql = format!(
            "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = {}",
            quote_string_literal(application_name)
        );
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if single_value(&mut self.database, &sql).as_deref() == Some("0") {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }
}

/// `"name"`, for SQL the trials write themselves.
pub fn quoted(name: &str) -> String {
    quote_identifier(name)
}
