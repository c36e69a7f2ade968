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

/// Whose conventions a project follows where `schema.prisma` leaves the database free: the
/// column type of each Prisma scalar, how `autoincrement()` is made, default referential
/// actions and the implicit many-to-many join tables. A database built by one tool must not
/// drift under comon, so lowering takes the flavour of the tool that built it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flavour {
    /// comon_orm's mapping (`timestamp with time zone`, identity columns,
    /// `_comon_orm_m2m__...` join tables): the default for a new project.
    #[default]
    ComonOrm,
    /// Prisma 7's mapping (`timestamp(3)`, `decimal(65,30)`, `SERIAL`, `_AToB` join tables),
    /// for databases that Prisma Migrate built.
    Prisma,
}

impl Flavour {
    /// Parses `comon-orm` or `prisma`, the spellings of the command line and of serialized data.
    pub fn from_name(name: &str) -> Option<Flavour> {
        match name {
            "comon-orm" => Some(Flavour::ComonOrm),
            "prisma" => Some(Flavour::Prisma),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::ComonOrm => "comon-orm",
            Flavour::Prisma => "prisma",
        }
    }
}

impl std::fmt::Display for Flavour {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}
