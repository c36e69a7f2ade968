//! The database side of a schema: tables, columns, keys, indexes and enums, per provider.
//!
//! Both a parsed `schema.prisma` (through `from_data_model`) and an introspection snapshot
//! (through `crate::introspection`) produce this one type, so the differ compares like with like.
//! Names here are database names (after `@map`/`@@map`). `model_name`, `field_name` and
//! `prisma_name` carry the schema-side identity when the schema came from `schema.prisma`; the
//! differ uses them to recognise a changed `@map`/`@@map` as a rename, and `schema_type` (the
//! field's schema-language type) to find rename candidates alike on every provider.
//! Introspected schemas leave them `None`.

pub mod from_data_model;
pub mod naming;
pub mod to_prisma;

use crate::provider::Provider;
pub use crate::provider::SQLITE_AUTOINDEX_PREFIX;
pub use crate::types::{ColumnType, ColumnTypeKind};
pub use crate::values::{DefaultValue, ReferentialAction};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSchema {
    pub provider: Provider,
    pub tables: Vec<Table>,
    /// PostgreSQL enum types. Always empty on SQLite, where enums are TEXT columns.
    #[serde(default)]
    pub enums: Vec<Enum>,
    /// SQLite: the triggers, partial indexes and expression indexes of the tables, which the
    /// schema language cannot describe but which SQLite drops with their table. The differ
    /// never plans a step for them; it carries those of a rebuilt table into the rebuild, which
    /// re-creates them. Only introspection fills it; left out of serialized snapshots while
    /// empty, so that snapshots stored before it existed still read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub table_dependents: Vec<TableDependent>,
    /// PostgreSQL extensions: those the schema's `extensions = [...]` names, or those installed
    /// (introspected, `plpgsql` left out). The differ creates the ones `next` has and
    /// `previous` lacks, and never drops one. Left out of snapshots while empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
}

/// A PostgreSQL extension, as `CREATE EXTENSION` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    pub name: String,
    /// The schema it is (to be) created in; `None` for the server's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Named by a schema's `extensions` list (lowered), rather than found installed
    /// (introspected). Only a requested extension is ever created: a database with an
    /// extension no schema asks for is no difference in either direction.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requested: bool,
}

impl DatabaseSchema {
    pub fn empty(provider: Provider) -> DatabaseSchema {
        DatabaseSchema {
            provider,
            tables: Vec::new(),
            enums: Vec::new(),
            table_dependents: Vec::new(),
            extensions: Vec::new(),
        }
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|table| table.name == name)
    }

    /// The dependents of the table `name` (SQLite compares table names without regard to
    /// ASCII case), in the order the database created them.
    pub fn dependents_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a TableDependent> {
        self.table_dependents
            .iter()
            .filter(move |dependent| dependent.table.eq_ignore_ascii_case(name))
    }

    /// Sorts tables, enums, columns-independent lists and indexes by name, so that two schemas
    /// that describe the same database compare equal whatever order they were built in.
    /// Column order is kept: it is the order of `CREATE TABLE`.
    pub fn normalize_order(&mut self) {
        self.tables
            .sort_by(|left, right| left.name.cmp(&right.name));
        self.enums.sort_by(|left, right| left.name.cmp(&right.name));
        self.extensions
            .sort_by(|left, right| left.name.cmp(&right.name));
        for table in &mut self.tables {
            table
                .indexes
                .sort_by(|left, right| left.name.cmp(&right.name));
            table.foreign_keys.sort_by(|left, right| {
                (&left.name, &left.columns).cmp(&(&right.name, &right.columns))
            });
        }
    }
}

/// An object that belongs to a SQLite table, goes when the table is dropped, and is not part of
/// the schema language: what a table rebuild must re-create after its rename. Kept as the
/// `CREATE` text `sqlite_master` holds, which is run again as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableDependent {
    /// The table it belongs to (`sqlite_master.tbl_name`).
    pub table: String,
    pub kind: TableDependentKind,
    pub name: String,
    /// `sqlite_master.sql`: the `CREATE TRIGGER` or `CREATE INDEX` statement.
    pub sql: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableDependentKind {
    Trigger,
    /// A partial index (`WHERE ...`) or an index on an expression: indexes the snapshot's
    /// `Table::indexes` leave out.
    Index,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    pub name: String,
    /// The Prisma model this table comes from; `None` for introspected tables and join tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Plain and unique indexes. Unique constraints from `@unique`/`@@unique` are unique indexes.
    #[serde(default)]
    pub indexes: Vec<Index>,
    #[serde(default)]
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// The name a warning uses for this table: the model name when known, else the table name.
    pub fn display_name(&self) -> &str {
        self.model_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    pub name: String,
    /// The Prisma field this column comes from; `None` when introspected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// The field's type in the schema language (`String`, `Int`, an enum's name,
    /// `Unsupported("...")`), which the column type does not always keep: on SQLite an enum
    /// field and a `String` field are both `TEXT`. Lowering sets it with `field_name`;
    /// introspection and the interpreter leave it `None`, and so does a schema serialized
    /// before it existed.
    /// Only rename candidates read it (`diff/renames.rs`); left out of snapshots while `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_type: Option<String>,
    pub column_type: ColumnType,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ColumnDefault>,
    /// PostgreSQL `GENERATED BY DEFAULT AS IDENTITY`; SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`.
    #[serde(default)]
    pub auto_increment: bool,
    /// With `auto_increment` on PostgreSQL: a `serial` column (a sequence and its `nextval`
    /// default), as Prisma makes `autoincrement()`, instead of an identity column. Lowering in
    /// the Prisma flavour sets it, and introspection for a `nextval` default. The differ does
    /// not compare it (a database of either kind matches a schema of either flavour); the
    /// renderer reads it to make, drop or retype the right kind. Left out of snapshots while
    /// false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub serial: bool,
}

impl Column {
    pub fn display_name(&self) -> &str {
        self.field_name.as_deref().unwrap_or(&self.name)
    }
}

/// A column default, in a form both sides of a diff can produce: from `@default(...)` and from
/// the text a database reports for the default expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum ColumnDefault {
    /// A literal: string, number, boolean, enum value (as its database string), or a list.
    Value(DefaultValue),
    /// `now()`: `CURRENT_TIMESTAMP`.
    Now,
    /// `dbgenerated("...")` or an expression the planner does not interpret, kept verbatim.
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrimaryKey {
    /// The constraint name on PostgreSQL (`<table>_pkey` by default). SQLite does not report
    /// primary key names, so they are `None` there on both sides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    pub name: String,
    pub columns: Vec<IndexColumn>,
    pub unique: bool,
    /// The access method on PostgreSQL (`btree`, `hash`, `gin`, `gist`, `brin`, `spgist`).
    /// `None` means the default, `btree`. Always `None` on SQLite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// PostgreSQL marks an index INVALID (`pg_index.indisvalid` false) when a
    /// `CREATE INDEX CONCURRENTLY` failed or a `DROP INDEX CONCURRENTLY` was cut short: it
    /// is not used for queries and a unique one does not vouch for existing rows. Such an
    /// index is never the index a schema wants, so the differ drops and re-creates it. Only
    /// introspection sets it; it is left out of serialized snapshots while false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub invalid: bool,
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

impl Index {
    /// Whether this is a SQLite table's own unique constraint (see `SQLITE_AUTOINDEX_PREFIX`).
    /// Only meaningful on SQLite; on PostgreSQL such a name is an ordinary name.
    pub fn is_sqlite_table_constraint(&self) -> bool {
        self.unique && self.name.starts_with(SQLITE_AUTOINDEX_PREFIX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexColumn {
    pub name: String,
    #[serde(default)]
    pub descending: bool,
    /// A non-default operator class on PostgreSQL, such as `jsonb_path_ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_class: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForeignKey {
    /// The constraint name on PostgreSQL (`<table>_<columns>_fkey` by default). SQLite does not
    /// report foreign key names, so they are `None` there on both sides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced_table: String,
    pub referenced_columns: Vec<String>,
    pub on_delete: ReferentialAction,
    pub on_update: ReferentialAction,
    /// PostgreSQL: the constraint was added `NOT VALID` and never validated
    /// (`pg_constraint.convalidated` false), as a migration leaves it that failed or was
    /// interrupted between `ADD CONSTRAINT ... NOT VALID` and `VALIDATE CONSTRAINT`: new and
    /// changed rows are checked, existing rows were not. The differ plans `VALIDATE
    /// CONSTRAINT` for it when the next schema wants the key. Only introspection sets it; it
    /// is left out of serialized snapshots while false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_validated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enum {
    /// The database type name (after `@@map`).
    pub name: String,
    /// The Prisma enum name; `None` when introspected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prisma_name: Option<String>,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnumValue {
    /// The database value (after `@map`).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prisma_name: Option<String>,
}
