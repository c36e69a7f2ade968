//! The catalog comparison the database oracles share (convergence, the migration SQL
//! interpreter's oracle, the Prisma flavour's oracle): two database schemas describe the same
//! catalog when they are equal once names are sorted and column order is set aside, and on
//! PostgreSQL the sequences behind identity and serial columns, which introspection leaves
//! out, are compared on their own.

use comon_database::Database;
use planner::database_schema::Table;
use planner::{DatabaseSchema, Provider};

/// The catalog form of a schema: sorted names (`normalize_order`), columns sorted by name.
pub fn catalog(mut schema: DatabaseSchema) -> DatabaseSchema {
    schema.normalize_order();
    for table in &mut schema.tables {
        table
            .columns
            .sort_by(|left, right| left.name.cmp(&right.name));
    }
    schema
}

fn debug<T: std::fmt::Debug>(value: &T) -> String {
    format!("{value:?}")
}

/// The first place where the catalogs of `left` and `right` differ (column order aside), or
/// `None`. `left_label` and `right_label` say in the message which side is which.
pub fn catalog_difference(
    left_label: &str,
    left: &DatabaseSchema,
    right_label: &str,
    right: &DatabaseSchema,
) -> Option<String> {
    let (left_catalog, right_catalog) = (catalog(left.clone()), catalog(right.clone()));
    if left_catalog == right_catalog {
        return None;
    }
    let names = |schema: &DatabaseSchema| -> Vec<String> {
        schema
            .tables
            .iter()
            .map(|table| table.name.clone())
            .collect()
    };
    if names(&left_catalog) != names(&right_catalog) {
        return Some(format!(
            "tables: {left_label} {:?}, {right_label} {:?}",
            names(&left_catalog),
            names(&right_catalog)
        ));
    }
    if left_catalog.enums != right_catalog.enums {
        return Some(format!(
            "enums: {left_label} {}, {right_label} {}",
            debug(&left_catalog.enums),
            debug(&right_catalog.enums)
        ));
    }
    if left_catalog.table_dependents != right_catalog.table_dependents {
        return Some(format!(
            "table dependents: {left_label} {}, {right_label} {}",
            debug(&left_catalog.table_dependents),
            debug(&right_catalog.table_dependents)
        ));
    }
    for (left_table, right_table) in left_catalog.tables.iter().zip(&right_catalog.tables) {
        if left_table == right_table {
            continue;
        }
        let table = &left_table.name;
        let column_names = |table: &Table| -> Vec<String> {
            table
                .columns
                .iter()
                .map(|column| column.name.clone())
                .collect()
        };
        if column_names(left_table) != column_names(right_table) {
            return Some(format!(
                "table `{table}` columns: {left_label} {:?}, {right_label} {:?}",
                column_names(left_table),
                column_names(right_table)
            ));
        }
        for (left_column, right_column) in left_table.columns.iter().zip(&right_table.columns) {
            if left_column != right_column {
                return Some(format!(
                    "column `{table}.{}`: {left_label} {}, {right_label} {}",
                    left_column.name,
                    debug(left_column),
                    debug(right_column)
                ));
            }
        }
        if left_table.primary_key != right_table.primary_key {
            return Some(format!(
                "table `{table}` primary key: {left_label} {}, {right_label} {}",
                debug(&left_table.primary_key),
                debug(&right_table.primary_key)
            ));
        }
        if left_table.indexes != right_table.indexes {
            return Some(format!(
                "table `{table}` indexes: {left_label} {}, {right_label} {}",
                debug(&left_table.indexes),
                debug(&right_table.indexes)
            ));
        }
        return Some(format!(
            "table `{table}` foreign keys: {left_label} {}, {right_label} {}",
            debug(&left_table.foreign_keys),
            debug(&right_table.foreign_keys)
        ));
    }
    Some("the schemas differ".to_string())
}

/// On PostgreSQL, every sequence of the current schema (empty on SQLite): its name, the
/// table and column that own it (a serial column's sequence is owned by its column, an
/// identity column's too), whether that column is an identity column, its type, start,
/// increment, bounds and cycle flag. Introspection reads both kinds of column as
/// `auto_increment`; this tells a `SERIAL` from an identity column.
pub fn sequences(connection: &mut Database) -> Result<Vec<Vec<Option<String>>>, String> {
    if connection.provider() != Provider::Postgresql {
        return Ok(Vec::new());
    }
    connection
        .query_rows(
            "SELECT sequence_class.relname::text, owner_table.relname::text, owner_column.attname::text, \
                    (owner_column.attidentity <> '')::text, s.seqtypid::regtype::text, s.seqstart::text, \
                    s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcycle::text \
             FROM pg_sequence s \
             JOIN pg_class sequence_class ON sequence_class.oid = s.seqrelid \
             JOIN pg_namespace n ON n.oid = sequence_class.relnamespace \
             LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid \
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') \
             LEFT JOIN pg_class owner_table ON owner_table.oid = d.refobjid \
             LEFT JOIN pg_attribute owner_column ON owner_column.attrelid = d.refobjid AND owner_column.attnum = d.refobjsubid \
             WHERE n.nspname = current_schema() ORDER BY 1",
        )
        .map_err(|error| error.to_string())
}
