//! Database URLs, parsed once into what a connection needs. Nothing here ever prints a URL: a
//! connection is described by its parsed parts (`host:port/database as user`, or a SQLite
//! path), so a password cannot reach a message however it is spelled.
//!
//! PostgreSQL URLs are parsed by the `url` crate (the WHATWG URL standard). SQLite "URLs" are
//! Prisma's `file:` notation, which is not a real URL (`file:./dev.db` is relative to the schema
//! file), so they only lose their scheme and query.

use crate::error::RunnerError;
use planner::Provider;

/// URL parameters Prisma understands and the PostgreSQL client does not. They are read (the
/// schema) or dropped, so that a Prisma `DATABASE_URL` works as it is.
const PRISMA_ONLY_PARAMETERS: &[&str] = &[
    "schema",
    "connection_limit",
    "pool_timeout",
    "pgbouncer",
    "statement_cache_size",
    "socket_timeout",
    "sslaccept",
    "sslcert",
    "sslidentity",
    "sslpassword",
];

/// The schema a PostgreSQL URL works in when it has no `?schema=`, as in Prisma.
pub const DEFAULT_POSTGRES_SCHEMA: &str = "public";

/// A parsed database URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgresql(PostgresUrl),
    Sqlite(SqliteUrl),
}

/// What a PostgreSQL URL says, decoded. The password is kept out of `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl {
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<Vec<u8>>,
    pub database: Option<String>,
    /// `?schema=`, else `public`: the one schema comon reads, changes and resets.
    pub schema: String,
    /// Client parameters (`sslmode`, `connect_timeout`, `application_name`, ...) as given,
    /// decoded; the PostgreSQL client checks them.
    pub client_parameters: Vec<(String, String)>,
}

/// A SQLite database file.
#[derive(Clone, PartialEq, Eq)]
pub struct SqliteUrl {
    /// The path as written, relative to the current directory unless absolute.
    pub path: String,
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "DatabaseUrl({})", self.describe())
    }
}

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "PostgresUrl({})", self.describe())
    }
}

/// The scheme of `text` when it starts with one followed by `:`. A single letter is a Windows
/// drive (`C:\app\dev.db`), not a scheme.
fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut characters = scheme.chars();
    let starts_with_letter = characters
        .next()
        .is_some_and(|character| character.is_ascii_alphabetic());
    let rest_is_scheme =
        characters.all(|character| character.is_ascii_alphanumeric() || "+-.".contains(character));
    (starts_with_letter && rest_is_scheme && scheme.len() > 1).then_some(scheme)
}

const ENCODING_HINT: &str =
    "percent-encode special characters in the user name and password (`/` as %2F, `?` as %3F, `@` as %40, `#` as %23, `:` as %3A)";

fn invalid(reason: impl Into<String>) -> RunnerError {
    RunnerError::InvalidDatabaseUrl {
        reason: reason.into(),
    }
}

fn percent_decoded(text: &str, what: &str) -> Result<String, RunnerError> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| {
            invalid(format!(
                "the {what} of the PostgreSQL URL is not UTF-8 once percent-decoded"
            ))
        })
}

impl DatabaseUrl {
    /// Parses a URL: `postgres://` or `postgresql://` for PostgreSQL; `file:`, `sqlite:` or a
    /// plain path for SQLite. Any other `scheme://` (`mysql://`, `sqlserver://`, `mongodb://`,
    /// ...) names a database comon does not support.
    pub fn parse(text: &str) -> Result<DatabaseUrl, RunnerError> {
        let text = text.trim();
        let scheme = scheme_of(text).map(str::to_ascii_lowercase);
        match scheme.as_deref() {
            Some("postgres" | "postgresql") => {
                Ok(DatabaseUrl::Postgresql(PostgresUrl::parse(text)?))
            }
            Some("file" | "sqlite") => Ok(DatabaseUrl::Sqlite(SqliteUrl::parse(text)?)),
            Some(other) if text[other.len() + 1..].starts_with("//") => {
                Err(RunnerError::UnsupportedProvider {
                    scheme: other.to_string(),
                })
            }
            _ => Ok(DatabaseUrl::Sqlite(SqliteUrl::parse(text)?)),
        }
    }

    pub fn provider(&self) -> Provider {
        match self {
            DatabaseUrl::Postgresql(_) => Provider::Postgresql,
            DatabaseUrl::Sqlite(_) => Provider::Sqlite,
        }
    }

    /// `host:port/database as user`, or the SQLite file's path: what messages name.
    pub fn describe(&self) -> String {
        match self {
            DatabaseUrl::Postgresql(url) => url.describe(),
            DatabaseUrl::Sqlite(url) => url.path.clone(),
        }
    }
}

impl SqliteUrl {
    fn parse(text: &str) -> Result<SqliteUrl, RunnerError> {
        let without_scheme = ["file://", "file:", "sqlite://", "sqlite:"]
            .iter()
            .find_map(|scheme| {
                let prefix_matches =
                    text.len() >= scheme.len() && text[..scheme.len()].eq_ignore_ascii_case(scheme);
                prefix_matches.then(|| &text[scheme.len()..])
            })
            .unwrap_or(text);
        // Prisma's `file:dev.db?connection_limit=1` parameters are not part of the path.
        let path = without_scheme.split('?').next().unwrap_or("");
        if path.is_empty() {
            return Err(invalid("it names no SQLite file"));
        }
        Ok(SqliteUrl {
            path: path.to_string(),
        })
    }
}

impl PostgresUrl {
    fn parse(text: &str) -> Result<PostgresUrl, RunnerError> {
        // The url crate's errors ("invalid port number", ...) never quote the input.
        let url = url::Url::parse(text).map_err(|error| {
            invalid(format!(
                "the PostgreSQL URL cannot be parsed ({error}); {ENCODING_HINT}"
            ))
        })?;
        let has_credentials = !url.username().is_empty() || url.password().is_some();
        let at_after_host =
            url.path().contains('@') || url.query().is_some_and(|query| query.contains('@'));
        if url.fragment().is_some() || (at_after_host && !has_credentials) {
            // `postgresql://user:12/ab@host/db` parses as host `user`, port 12 and database
            // `ab@host/db`: an unencoded `/`, `?` or `#` in a password. Naming any part of that
            // would print part of the password.
            return Err(invalid(format!(
                "the PostgreSQL URL has a `@` or `#` after its host; {ENCODING_HINT}"
            )));
        }
        let mut host = match url.host() {
            Some(url::Host::Domain(domain)) => percent_decoded(domain, "host")?,
            Some(url::Host::Ipv4(address)) => address.to_string(),
            Some(url::Host::Ipv6(address)) => address.to_string(),
            None => String::new(),
        };
        let mut port = url.port().unwrap_or(5432);
        let mut user = (!url.username().is_empty())
            .then(|| percent_decoded(url.username(), "user name"))
            .transpose()?;
        let mut password = url
            .password()
            .map(|password| percent_encoding::percent_decode_str(password).collect::<Vec<u8>>());
        let path = url.path().trim_start_matches('/');
        let mut database = (!path.is_empty())
            .then(|| percent_decoded(path, "database name"))
            .transpose()?;
        let mut schema = None;
        let mut client_parameters = Vec::new();
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "schema" => schema = Some(value.into_owned()).filter(|schema| !schema.is_empty()),
                "host" => host = value.into_owned(),
                "port" => {
                    port = value.parse().map_err(|_| {
                        invalid("the `port` parameter of the PostgreSQL URL is not a port number")
                    })?
                }
                "user" => user = Some(value.into_owned()),
                "password" => password = Some(value.as_bytes().to_vec()),
                "dbname" => database = Some(value.into_owned()),
                key if PRISMA_ONLY_PARAMETERS.contains(&key) => {}
                _ => client_parameters.push((key.into_owned(), value.into_owned())),
            }
        }
        if host.is_empty() {
            return Err(invalid("the PostgreSQL URL names no host"));
        }
        Ok(PostgresUrl {
            host,
            port,
            user,
            password,
            database,
            schema: schema.unwrap_or_else(|| DEFAULT_POSTGRES_SCHEMA.to_string()),
            client_parameters,
        })
    }

    /// The database the server will use: the URL's, else (as libpq does) the user's name.
    pub fn database_name(&self) -> &str {
        self.database
            .as_deref()
            .or(self.user.as_deref())
            .unwrap_or("")
    }

    /// `host:port/database as user`, with the schema when it is not `public`.
    pub fn describe(&self) -> String {
        let host = if self.host.contains(':')
            && !self.host.starts_with('[')
            && !self.host.starts_with('/')
        {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let mut description = format!("{host}:{}/{}", self.port, self.database_name());
        if self.schema != DEFAULT_POSTGRES_SCHEMA {
            description.push_str(&format!(" (schema {})", self.schema));
        }
        match &self.user {
            Some(user) => description.push_str(&format!(" as {user}")),
            None => description.push_str(" (no user given)"),
        }
        description
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postgres(text: &str) -> PostgresUrl {
        match DatabaseUrl::parse(text) {
            Ok(DatabaseUrl::Postgresql(url)) => url,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn urls_name_their_provider() {
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@localhost/db")
                .unwrap()
                .provider(),
            Provider::Postgresql
        );
        assert_eq!(
            DatabaseUrl::parse("POSTGRES://u@localhost/db")
                .unwrap()
                .provider(),
            Provider::Postgresql
        );
        assert_eq!(
            DatabaseUrl::parse("file:./dev.db").unwrap().provider(),
            Provider::Sqlite
        );
        assert_eq!(
            DatabaseUrl::parse("/tmp/dev.db").unwrap().provider(),
            Provider::Sqlite
        );
        assert_eq!(
            DatabaseUrl::parse("C:\\app\\dev.db").unwrap().provider(),
            Provider::Sqlite
        );
        for unsupported in [
            "mysql://root@localhost/db",
            "sqlserver://localhost:1433",
            "mongodb+srv://x.example/db",
        ] {
            let error = DatabaseUrl::parse(unsupported).unwrap_err();
            assert_eq!(error.code(), "unknown-provider", "{unsupported}");
        }
    }

    #[test]
    fn sqlite_urls_name_files() {
        let path = |text: &str| match DatabaseUrl::parse(text) {
            Ok(DatabaseUrl::Sqlite(url)) => url.path,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(path("file:./dev.db"), "./dev.db");
        assert_eq!(path("file:///tmp/dev.db"), "/tmp/dev.db");
        assert_eq!(path("file:dev.db?mode=rwc"), "dev.db");
        assert_eq!(path("/tmp/dev.db"), "/tmp/dev.db");
        assert!(DatabaseUrl::parse("file:").is_err());
    }

    #[test]
    fn postgres_urls_are_decoded_and_prisma_parameters_read() {
        let url = postgres("postgresql://us%40er:p%2Fa%3Fss@db.example:6543/my%20db?schema=my%20app&connection_limit=5&sslmode=disable");
        assert_eq!(url.host, "db.example");
        assert_eq!(url.port, 6543);
        assert_eq!(url.user.as_deref(), Some("us@er"));
        assert_eq!(url.password.as_deref(), Some("p/a?ss".as_bytes()));
        assert_eq!(url.database.as_deref(), Some("my db"));
        assert_eq!(url.schema, "my app");
        assert_eq!(
            url.client_parameters,
            vec![("sslmode".to_string(), "disable".to_string())]
        );
        let url = postgres("postgresql://u@h/db?password=se%26cret");
        assert_eq!(url.password.as_deref(), Some("se&cret".as_bytes()));
        assert_eq!(url.schema, "public");
        assert_eq!(url.port, 5432);
    }

    #[test]
    fn an_unencoded_at_sign_in_a_password_is_taken_as_part_of_it() {
        let url = postgres("postgresql://user:p@ss@127.0.0.1:5432/db");
        assert_eq!(url.password.as_deref(), Some("p@ss".as_bytes()));
        assert_eq!(url.host, "127.0.0.1");
    }

    #[test]
    fn unencoded_separators_in_a_password_are_refused_without_quoting_it() {
        for text in [
            "postgresql://user:se/cret@127.0.0.1:5432/db",
            "postgresql://user:1234/secret@127.0.0.1:5432/db",
            "postgresql://user:se?cret@127.0.0.1:5432/db",
            "postgresql://user:1234?secret@127.0.0.1:5432/db",
            "postgresql://user:1234#secret@127.0.0.1:5432/db",
        ] {
            let error = DatabaseUrl::parse(text).unwrap_err();
            assert_eq!(error.code(), "invalid-database-url", "{text}");
            let message = error.to_string();
            assert!(
                !message.contains("secret")
                    && !message.contains("cret")
                    && !message.contains("1234"),
                "{text}: {message}"
            );
        }
    }

    /// The planner cuts passwords out of artifacts without a URL parser (it stays small for
    /// WebAssembly); what it leaves must be, for the url crate, the same URL without password.
    #[test]
    fn the_planner_removes_exactly_the_password_the_url_crate_finds() {
        for text in [
            "postgresql://app:secret@db.example:5432/shop",
            "postgresql://app:p%2Fa%3Fs%40s@db.example/shop?schema=sales",
            "postgresql://app:p@ss@db.example/shop",
            "postgres://app:secret@[::1]:5433/shop?sslmode=disable&password=other&application_name=x",
            "postgresql://app@db.example/shop?password=only",
            "postgresql://app@db.example/shop?schema=s&password=last",
            "postgresql://app:secret@db.example",
        ] {
            let schema = format!("datasource db {{\n  provider = \"postgresql\"\n  url      = \"{text}\"\n}}\n");
            let stripped_schema = planner::migrations::schema_text_without_passwords(&schema);
            let stripped = stripped_schema.split('"').nth(3).expect("the url literal");
            let original = postgres(text);
            let without = postgres(stripped);
            assert_eq!(without.password, None, "{text} -> {stripped}");
            assert_eq!(
                (&without.host, without.port, &without.user, &without.database, &without.schema, &without.client_parameters),
                (&original.host, original.port, &original.user, &original.database, &original.schema, &original.client_parameters),
                "{text} -> {stripped}"
            );
        }
    }

    #[test]
    fn descriptions_name_the_parts_never_the_password() {
        let url =
            DatabaseUrl::parse("postgresql://admin:hunter2@[::1]:5433/shop?schema=sales").unwrap();
        assert_eq!(url.describe(), "[::1]:5433/shop (schema sales) as admin");
        let url = DatabaseUrl::parse("postgresql://admin@localhost").unwrap();
        assert_eq!(url.describe(), "localhost:5432/admin as admin");
        assert!(!format!("{url:?}").contains("hunter2"));
    }
}
