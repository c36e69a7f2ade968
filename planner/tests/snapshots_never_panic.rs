//! Snapshots arrive from outside (JS callers, pasted JSON, other tools), so they can be
//! inconsistent: foreign keys to missing tables or columns, duplicate names, keys over absent
//! columns, enums that do not exist. Planning between any two of them, rendering the plan and
//! rendering them back to schema text must never panic, and must be deterministic.

use planner::database_schema::to_prisma::render_prisma_schema;
use planner::database_schema::{
    Column, ColumnDefault, ColumnType, DatabaseSchema, DefaultValue, Enum, EnumValue, ForeignKey,
    Index, IndexColumn, PrimaryKey, ReferentialAction, Table,
};
use planner::{plan_migration, render_plan, DiffOptions, Provider};
use proptest::prelude::*;

/// Names come from a small pool so that collisions and dangling references are common.
fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "b",
        "c",
        "User",
        "Post",
        "id",
        "A",
        "B",
        "new_a",
        "x\"y",
        "",
        "sqlite_autoindex_a_1",
        "a_b_key",
    ])
    .prop_map(str::to_string)
}

fn column_type() -> impl Strategy<Value = ColumnType> {
    (
        prop::sample::select(vec![
            "integer",
            "text",
            "INTEGER",
            "TEXT",
            "boolean",
            "timestamp(3) with time zone",
            "weird(",
            "",
            "jsonb",
            "bytea",
            "uuid",
            "date",
            "time with time zone",
            "numeric",
            "DECIMAL(10,2)",
            "VARCHAR(",
            "DATETIME",
        ]),
        any::<bool>(),
        any::<bool>(),
        name(),
    )
        .prop_map(|(native, is_enum, is_array, enum_name)| {
            let column_type = if is_enum {
                ColumnType::enumeration(&enum_name)
            } else {
                ColumnType::native(native)
            };
            if is_array {
                column_type.array()
            } else {
                column_type
            }
        })
}

fn default() -> impl Strategy<Value = Option<ColumnDefault>> {
    prop_oneof![
        Just(None),
        Just(Some(ColumnDefault::Now)),
        "[a-z0-9 ()':]{0,12}".prop_map(|text| Some(ColumnDefault::Expression(text))),
        "[a-z0-9 ':-]{0,12}"
            .prop_map(|text| Some(ColumnDefault::Value(DefaultValue::String(text)))),
        "[{}\\[\\]\":,a-z0-9\\\\x ]{0,12}"
            .prop_map(|text| Some(ColumnDefault::Value(DefaultValue::String(text)))),
        "-?[0-9]{1,4}(\\.[0-9]{1,2})?"
            .prop_map(|text| Some(ColumnDefault::Value(DefaultValue::Number(text)))),
        any::<bool>().prop_map(|flag| Some(ColumnDefault::Value(DefaultValue::Boolean(flag)))),
        Just(Some(ColumnDefault::Value(DefaultValue::List(vec![
            DefaultValue::String("a".into())
        ])))),
    ]
}

fn column() -> impl Strategy<Value = Column> {
    (
        name(),
        prop::option::of(name()),
        column_type(),
        any::<bool>(),
        default(),
        any::<bool>(),
        any::<bool>(),
        // A schema type, or none (introspected, or a snapshot stored before they existed).
        prop::option::of(prop::sample::select(vec!["String", "Int", "Role"])),
    )
        .prop_map(
            |(
                name,
                field_name,
                column_type,
                nullable,
                default,
                auto_increment,
                serial,
                schema_type,
            )| Column {
                name,
                field_name,
                schema_type: schema_type.map(str::to_string),
                column_type,
                nullable,
                default,
                auto_increment,
                serial,
            },
        )
}

fn action() -> impl Strategy<Value = ReferentialAction> {
    prop::sample::select(vec![
        ReferentialAction::Cascade,
        ReferentialAction::Restrict,
        ReferentialAction::NoAction,
        ReferentialAction::SetNull,
    ])
}

fn table() -> impl Strategy<Value = Table> {
    (
        name(),
        prop::option::of(name()),
        prop::collection::vec(column(), 0..5),
        prop::option::of((
            prop::option::of(name()),
            prop::collection::vec(name(), 0..3),
        )),
        prop::collection::vec(
            (
                name(),
                prop::collection::vec((name(), any::<bool>()), 0..3),
                any::<bool>(),
                prop::option::of(Just("hash".to_string())),
                any::<bool>(),
            ),
            0..3,
        ),
        prop::collection::vec(
            (
                prop::option::of(name()),
                prop::collection::vec(name(), 0..3),
                name(),
                prop::collection::vec(name(), 0..3),
                action(),
                action(),
            ),
            0..3,
        ),
    )
        .prop_map(
            |(name, model_name, columns, primary_key, indexes, foreign_keys)| Table {
                name,
                model_name,
                columns,
                primary_key: primary_key.map(|(name, columns)| PrimaryKey { name, columns }),
                indexes: indexes
                    .into_iter()
                    .map(|(name, columns, unique, algorithm, invalid)| Index {
                        name,
                        columns: columns
                            .into_iter()
                            .map(|(name, descending)| IndexColumn {
                                name,
                                descending,
                                operator_class: None,
                            })
                            .collect(),
                        unique,
                        algorithm,
                        invalid,
                    })
                    .collect(),
                foreign_keys: foreign_keys
                    .into_iter()
                    .map(
                        |(
                            name,
                            columns,
                            referenced_table,
                            referenced_columns,
                            on_delete,
                            on_update,
                        )| ForeignKey {
                            name,
                            columns,
                            referenced_table,
                            referenced_columns,
                            on_delete,
                            on_update,
                            not_validated: false,
                        },
                    )
                    .collect(),
            },
        )
}

fn schema(provider: Provider) -> impl Strategy<Value = DatabaseSchema> {
    (
        prop::collection::vec(table(), 0..4),
        prop::collection::vec(
            (
                name(),
                prop::option::of(name()),
                prop::collection::vec(name(), 0..3),
            ),
            0..3,
        ),
    )
        .prop_map(move |(tables, enums)| DatabaseSchema {
            provider,
            tables,
            table_dependents: Vec::new(),
            extensions: Vec::new(),
            enums: enums
                .into_iter()
                .map(|(name, prisma_name, values)| Enum {
                    name,
                    prisma_name,
                    values: values
                        .into_iter()
                        .map(|name| EnumValue {
                            name,
                            prisma_name: None,
                        })
                        .collect(),
                })
                .collect(),
        })
}

fn check(previous: &DatabaseSchema, next: &DatabaseSchema) {
    let plan = plan_migration(previous, next, &DiffOptions::default()).expect("same provider");
    let again = plan_migration(previous, next, &DiffOptions::default()).expect("same provider");
    assert_eq!(
        render_plan(&plan).sql,
        render_plan(&again).sql,
        "planning is deterministic"
    );
    let _ = render_prisma_schema(previous);
    let _ = render_prisma_schema(next);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn inconsistent_postgresql_snapshots_never_panic(previous in schema(Provider::Postgresql), next in schema(Provider::Postgresql)) {
        check(&previous, &next);
    }

    #[test]
    fn inconsistent_sqlite_snapshots_never_panic(previous in schema(Provider::Sqlite), next in schema(Provider::Sqlite)) {
        check(&previous, &next);
    }
}
