use serde::{Deserialize, Serialize};

/// The database a schema targets. Every provider-specific decision in the planner matches on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Postgresql,
    Sqlite,
}

impl Provider {
    /// Parses the `provider` value of a datasource block. `postgres` is accepted as Prisma does.
    pub fn from_datasource_provider(value: &str) -> Option<Provider> {
        match value {
            "postgresql" | "postgres" => Some(Provider::Postgresql),
            "sqlite" => Some(Provider::Sqlite),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Postgresql => "postgresql",
            Provider::Sqlite => "sqlite",
        }
    }

    /// PostgreSQL truncates identifiers longer than 63 bytes; SQLite has no limit.
    pub fn max_identifier_length(self) -> Option<usize> {
        match self {
            Provider::Postgresql => Some(63),
            Provider::Sqlite => None,
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// The prefix SQLite gives the index behind an inline `UNIQUE` (or non-integer `PRIMARY KEY`)
/// constraint of `CREATE TABLE`. Such an index is part of its table's definition: SQLite
/// refuses to create or drop an index of that name, so it can only change with its table.
pub const SQLITE_AUTOINDEX_PREFIX: &str = "sqlite_autoindex_";
