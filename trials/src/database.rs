//! The databases a trial creates and throws away: SQLite files in the trial's folder and
//! PostgreSQL databases on the test server (`tests::TemporaryDatabase`, deleted or dropped with
//! their connections when the value drops), and the queries the checks run on them.

use comon_database::{quote_identifier, quote_string_literal, Database};
use planner::Provider;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tests::TemporaryDatabase;

/// A trial's database: a `tests::TemporaryDatabase` (removed or dropped with this value), with
/// what the trials need besides.
pub struct TrialDatabase {
    database: TemporaryDatabase,
}

impl TrialDatabase {
    /// A new, empty database. SQLite files go into `folder` (the trial's temporary folder).
    pub fn new(provider: Provider, folder: &Path) -> TrialDatabase {
        TrialDatabase {
            database: TemporaryDatabase::in_folder(provider, folder),
        }
    }

    pub fn provider(&self) -> Provider {
        self.database.provider()
    }

    /// The URL as a user's `DATABASE_URL` would give it.
    pub fn url(&self) -> String {
        self.database.url()
    }

    /// The URL with an `application_name`, so that the trial can find the deploy's backend in
    /// `pg_stat_activity` (comon does not set one itself). SQLite URLs are returned unchanged.
    pub fn url_with_application_name(&self, application_name: &str) -> String {
        let url = self.url();
        match self.provider() {
            Provider::Sqlite => url,
            Provider::Postgresql => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}application_name={application_name}")
            }
        }
    }

    pub fn open(&self) -> Database {
        self.database.open()
    }

    /// SQLite: whether a rollback journal is left beside the file, which means a write
    /// transaction was open when the process died (a hot journal; the next connection rolls it
    /// back). Always false on PostgreSQL.
    pub fn has_hot_journal(&self) -> bool {
        match &self.database {
            TemporaryDatabase::Sqlite(database) => {
                let mut journal = database.path().as_os_str().to_owned();
                journal.push("-journal");
                std::fs::metadata(PathBuf::from(journal))
                    .map(|metadata| metadata.len() > 0)
                    .unwrap_or(false)
            }
            TemporaryDatabase::Postgresql(_) => false,
        }
    }
}

/// The deploy attempts of a kill trial, numbered across all its rounds.
pub struct DeployAttempts {
    seed: u64,
    /// Tells apart the trials of one process that may run at the same time with the same seed
    /// (the tests of `cli/tests/reliability_trials.rs`).
    label: &'static str,
    count: usize,
}

/// One deploy attempt: where it stands, for failure reports, and the URL that names its backend.
pub struct DeployAttempt {
    pub place: String,
    /// Unique across the trial's attempts and across trials running at the same time.
    pub application_name: String,
    pub url: String,
}

impl DeployAttempts {
    /// The attempts of one trial; `label` is short, since PostgreSQL keeps 63 bytes of an
    /// application name.
    pub fn labelled(seed: u64, label: &'static str) -> DeployAttempts {
        DeployAttempts {
            seed,
            label,
            count: 0,
        }
    }

    /// The next attempt of `round` on `database`, where `recorded` of `total` migrations are
    /// recorded before it.
    pub fn next(
        &mut self,
        round: usize,
        database: &TrialDatabase,
        recorded: usize,
        total: usize,
    ) -> DeployAttempt {
        self.count += 1;
        let attempt = self.count;
        let application_name = format!(
            "comon_trial{}_{}_{}_{attempt}",
            self.label,
            std::process::id(),
            self.seed
        );
        DeployAttempt {
            place: format!(
                "round {round}, attempt {attempt}, {recorded} of {total} recorded before"
            ),
            url: database.url_with_application_name(&application_name),
            application_name,
        }
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

impl BackendObserver {
    /// Whether a backend of `application_name` is running a statement of an online phase (a
    /// concurrent index build or a constraint validation) right now.
    pub fn is_running_online_statement(&mut self, application_name: &str) -> bool {
        let sql = format!(
            "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = {} AND state = 'active' AND (query ILIKE 'CREATE %INDEX CONCURRENTLY%' OR query ILIKE '%VALIDATE CONSTRAINT%')",
            quote_string_literal(application_name)
        );
        single_value(&mut self.database, &sql).is_some_and(|count| count != "0")
    }
}
