//! Default names for constraints, indexes and join tables. They are deterministic and
//! documented in ARCHITECTURE.md, because a database built by one version of the planner must
//! not drift under the next:
//!
//! - primary key: `<table>_pkey`
//! - unique index: `<table>_<column>_<column>_key`
//! - plain index: `<table>_<column>_<column>_idx`
//! - foreign key: `<table>_<column>_<column>_fkey`
//! - implicit many-to-many join table: comon_orm's
//!   `_comon_orm_m2m__<b64(model)>__<b64(field)>__<b64(model)>__<b64(field)>`, the two sides in
//!   ascending (model, field) order, base64url without padding.
//!
//! On PostgreSQL a generated name longer than 63 bytes would be cut silently by the server, so
//! it is shortened here instead: the first 54 bytes (on a character boundary), `_`, and the first
//! 8 hex digits of the SHA-256 of the full name. Names written by the user with `map:` are
//! never changed.

use crate::provider::{Flavour, Provider};
use sha2::{Digest, Sha256};

pub fn primary_key_name(table: &str, provider: Provider) -> String {
    fit_identifier(format!("{table}_pkey"), provider)
}

pub fn unique_index_name(table: &str, columns: &[&str], provider: Provider) -> String {
    fit_identifier(format!("{table}_{}_key", columns.join("_")), provider)
}

pub fn index_name(table: &str, columns: &[&str], provider: Provider) -> String {
    fit_identifier(format!("{table}_{}_idx", columns.join("_")), provider)
}

pub fn foreign_key_name(table: &str, columns: &[&str], provider: Provider) -> String {
    fit_identifier(format!("{table}_{}_fkey", columns.join("_")), provider)
}

pub fn join_table_name(first: (&str, &str), second: (&str, &str), provider: Provider) -> String {
    let ((model_a, field_a), (model_b, field_b)) = if first <= second {
        (first, second)
    } else {
        (second, first)
    };
    fit_identifier(
        format!(
            "_comon_orm_m2m__{}__{}__{}__{}",
            base64_url(model_a),
            base64_url(field_a),
            base64_url(model_b),
            base64_url(field_b)
        ),
        provider,
    )
}

/// The default names of one provider in one flavour: comon_orm's (the functions above) or
/// Prisma's (`prisma`).
#[derive(Debug, Clone, Copy)]
pub struct DefaultNames {
    pub provider: Provider,
    pub flavour: Flavour,
}

impl DefaultNames {
    pub fn primary_key_name(self, table: &str) -> String {
        match self.flavour {
            Flavour::ComonOrm => primary_key_name(table, self.provider),
            Flavour::Prisma => prisma::primary_key_name(table, self.provider),
        }
    }

    pub fn unique_index_name(self, table: &str, columns: &[&str]) -> String {
        match self.flavour {
            Flavour::ComonOrm => unique_index_name(table, columns, self.provider),
            Flavour::Prisma => prisma::unique_index_name(table, columns, self.provider),
        }
    }

    pub fn index_name(self, table: &str, columns: &[&str]) -> String {
        match self.flavour {
            Flavour::ComonOrm => index_name(table, columns, self.provider),
            Flavour::Prisma => prisma::index_name(table, columns, self.provider),
        }
    }

    pub fn foreign_key_name(self, table: &str, columns: &[&str]) -> String {
        match self.flavour {
            Flavour::ComonOrm => foreign_key_name(table, columns, self.provider),
            Flavour::Prisma => prisma::foreign_key_name(table, columns, self.provider),
        }
    }
}

/// Prisma 7's default names, which the Prisma flavour uses. They have comon_orm's shapes for
/// keys, indexes and foreign keys, but a name too long for the provider (63 bytes on
/// PostgreSQL; SQLite's limit is so high that nothing is cut) loses the end of its table and
/// column part, so that the suffix still fits, instead of getting a hash. Implicit
/// many-to-many tables are `_<relation name>`, the relation name being the one given to
/// `@relation` or `<ModelA>To<ModelB>` (model names in ascending order), with the key
/// `<table>_AB_pkey` (PostgreSQL) or the unique index `<table>_AB_unique` (SQLite, where the
/// table has no primary key), and the index `<table>_B_index`.
pub mod prisma {
    use crate::provider::Provider;

    /// Prisma's identifier limit per provider.
    fn limit(provider: Provider) -> usize {
        provider.max_identifier_length().unwrap_or(10_000)
    }

    /// `stem` cut (on a character boundary) so that it and `suffix` fit in the provider's
    /// limit, then `suffix`. Prisma cuts already when the two would be exactly at the limit;
    /// the cut then changes nothing.
    fn fitted(mut stem: String, suffix: &str, cut_at: usize) -> String {
        if stem.len() >= cut_at {
            let mut cut = cut_at;
            while !stem.is_char_boundary(cut) {
                cut -= 1;
            }
            stem.truncate(cut);
        }
        stem.push_str(suffix);
        stem
    }

    pub fn primary_key_name(table: &str, provider: Provider) -> String {
        // Prisma keeps five bytes for `_pkey`.
        fitted(table.to_string(), "_pkey", limit(provider) - 5)
    }

    pub fn unique_index_name(table: &str, columns: &[&str], provider: Provider) -> String {
        fitted(
            format!("{table}_{}", columns.join("_")),
            "_key",
            limit(provider) - 4,
        )
    }

    pub fn index_name(table: &str, columns: &[&str], provider: Provider) -> String {
        fitted(
            format!("{table}_{}", columns.join("_")),
            "_idx",
            limit(provider) - 4,
        )
    }

    pub fn foreign_key_name(table: &str, columns: &[&str], provider: Provider) -> String {
        fitted(
            format!("{table}_{}", columns.join("_")),
            "_fkey",
            limit(provider) - 5,
        )
    }

    /// The relation name Prisma gives an implicit many-to-many relation without a `name`.
    pub fn default_relation_name(first_model: &str, second_model: &str) -> String {
        let (model_a, model_b) = if first_model <= second_model {
            (first_model, second_model)
        } else {
            (second_model, first_model)
        };
        format!("{model_a}To{model_b}")
    }

    pub fn join_table_name(relation_name: &str) -> String {
        format!("_{relation_name}")
    }

    pub fn join_table_primary_key_name(table: &str) -> String {
        format!("{table}_AB_pkey")
    }

    pub fn join_table_unique_index_name(table: &str) -> String {
        format!("{table}_AB_unique")
    }

    pub fn join_table_index_name(table: &str) -> String {
        format!("{table}_B_index")
    }
}

/// Shortens a generated identifier that PostgreSQL would otherwise truncate.
pub fn fit_identifier(name: String, provider: Provider) -> String {
    let Some(limit) = provider.max_identifier_length() else {
        return name;
    };
    if name.len() <= limit {
        return name;
    }
    let mut cut = 54;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hex: String = digest
        .iter()
        .take(4)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("{}_{hex}", &name[..cut])
}

/// Base64url without padding (RFC 4648 section 5), as comon_orm names join tables.
pub fn base64_url(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let first = chunk[0] as u32;
        let second = chunk.get(1).copied().unwrap_or(0) as u32;
        let third = chunk.get(2).copied().unwrap_or(0) as u32;
        let combined = (first << 16) | (second << 8) | third;
        encoded.push(ALPHABET[(combined >> 18) as usize & 63] as char);
        encoded.push(ALPHABET[(combined >> 12) as usize & 63] as char);
        if chunk.len() > 1 {
            encoded.push(ALPHABET[(combined >> 6) as usize & 63] as char);
        }
        if chunk.len() > 2 {
            encoded.push(ALPHABET[combined as usize & 63] as char);
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_url_matches_rfc_4648_vectors() {
        assert_eq!(base64_url(""), "");
        assert_eq!(base64_url("f"), "Zg");
        assert_eq!(base64_url("fo"), "Zm8");
        assert_eq!(base64_url("foo"), "Zm9v");
        assert_eq!(base64_url("foobar"), "Zm9vYmFy");
        assert_eq!(base64_url("\u{fb}\u{ff}"), "w7vDvw");
    }

    #[test]
    fn long_postgresql_names_are_shortened_deterministically() {
        let long = "a".repeat(80);
        let fitted = fit_identifier(long.clone(), Provider::Postgresql);
        assert_eq!(fitted.len(), 63);
        assert_eq!(fitted, fit_identifier(long.clone(), Provider::Postgresql));
        assert_eq!(fit_identifier(long.clone(), Provider::Sqlite), long);
    }

    #[test]
    fn prisma_names_cut_the_table_and_columns_to_keep_the_suffix() {
        let table = "t".repeat(70);
        assert_eq!(
            prisma::primary_key_name(&table, Provider::Postgresql),
            format!("{}_pkey", "t".repeat(58))
        );
        assert_eq!(
            prisma::unique_index_name(&table, &["a"], Provider::Postgresql),
            format!("{}_key", "t".repeat(59))
        );
        assert_eq!(
            prisma::foreign_key_name("User", &["a", "b"], Provider::Postgresql),
            "User_a_b_fkey"
        );
        assert_eq!(
            prisma::index_name(&table, &["a"], Provider::Sqlite),
            format!("{table}_a_idx")
        );
        assert_eq!(
            prisma::default_relation_name("User", "Group"),
            "GroupToUser"
        );
    }
}
