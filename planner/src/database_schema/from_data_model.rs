//! Lowers a validated data model to the database schema it describes on one provider.
//!
//! The mapping depends on the project's `Flavour`, so that databases that comon_orm or
//! Prisma Migrate created do not drift. Types (the tables are `for_scalar` in `crate::types`):
//!
//! | Prisma   | PostgreSQL, comon_orm      | PostgreSQL, Prisma | SQLite, comon_orm | SQLite, Prisma |
//! |----------|----------------------------|--------------------|-------------------|----------------|
//! | Int      | integer                    | integer            | INTEGER           | INTEGER        |
//! | BigInt   | bigint                     | bigint             | TEXT (INTEGER when autoincrement) | BIGINT |
//! | Float    | double precision           | double precision   | REAL              | REAL           |
//! | Decimal  | numeric                    | numeric(65,30)     | REAL              | DECIMAL        |
//! | Boolean  | boolean                    | boolean            | BOOLEAN           | BOOLEAN        |
//! | String   | text                       | text               | TEXT              | TEXT           |
//! | DateTime | timestamp with time zone   | timestamp(3)       | TEXT              | DATETIME       |
//! | Json     | jsonb                      | jsonb              | TEXT              | JSONB          |
//! | Bytes    | bytea                      | bytea              | BLOB              | BLOB           |
//! | enum     | the enum type              | the enum type      | TEXT              | TEXT           |
//!
//! `@db.*` native types override the mapping. Scalar lists are PostgreSQL arrays and, as in
//! Prisma, nullable. The flavours also differ in:
//! - `autoincrement()`: comon_orm makes an identity column on PostgreSQL and turns any single
//!   auto-increment id into SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT`; Prisma makes a
//!   `serial` column on PostgreSQL (`Column::serial`), and on SQLite auto-increments every
//!   single `INTEGER` id, `autoincrement()` or not (a `BigInt` id stays a plain `BIGINT` key).
//! - default referential actions: comon_orm's are `Restrict` on delete, `Cascade` on update;
//!   Prisma's `onDelete` is `SetNull` for a relation whose field and columns are all optional,
//!   else `Restrict`.
//! - default names and implicit many-to-many join tables (see `naming`).

use crate::collections::HashMap;

use super::naming::{self, DefaultNames};
use super::*;
use crate::error::{SchemaError, SchemaErrors};
use crate::provider::Flavour;
use crate::schema_language::ast::SchemaAst;
use crate::schema_language::data_model::{
    Arity, DataModel, DefaultExpression, FieldKind, Model, NativeType, RelationField, ScalarField,
    ScalarFieldType, ScalarType,
};
use crate::schema_language::lower::validate_language_rules;
use crate::schema_language::parse_schema;
use crate::types::{PostgresColumnType, SqliteColumnType};

/// Validates a parsed schema and lowers it to its database schema. Names the database itself
/// would reject (an index name used twice, say) can only be seen once defaults are filled in,
/// so this checks them on the lowered schema, after the rules of the language.
pub fn validate_and_lower(ast: &SchemaAst) -> Result<(DataModel, DatabaseSchema), SchemaErrors> {
    validate_and_lower_in_flavour(ast, Flavour::ComonOrm)
}

/// `validate_and_lower` with the mapping of `flavour`.
pub fn validate_and_lower_in_flavour(
    ast: &SchemaAst,
    flavour: Flavour,
) -> Result<(DataModel, DatabaseSchema), SchemaErrors> {
    lower_validated_in_flavour(validate_language_rules(ast)?, flavour)
}

/// The second half of `validate_and_lower_in_flavour`, on a data model that passed the rules
/// of the language.
fn lower_validated_in_flavour(
    data_model: DataModel,
    flavour: Flavour,
) -> Result<(DataModel, DatabaseSchema), SchemaErrors> {
    let schema = database_schema_from_data_model_in_flavour(&data_model, flavour);
    let errors = check_object_names(&schema, &data_model);
    if errors.is_empty() {
        Ok((data_model, schema))
    } else {
        Err(SchemaErrors::in_source_order(errors))
    }
}

/// Parses, validates and lowers schema text to the database schema it describes.
pub fn database_schema_from_source(source: &str) -> Result<DatabaseSchema, SchemaErrors> {
    database_schema_from_source_in_flavour(source, Flavour::ComonOrm)
}

/// `database_schema_from_source` with the mapping of `flavour`.
pub fn database_schema_from_source_in_flavour(
    source: &str,
    flavour: Flavour,
) -> Result<DatabaseSchema, SchemaErrors> {
    // The syntax tree is the largest of the three stages (about 20 bytes for every byte of
    // text), so it is dropped as soon as the data model is built, before the database schema
    // is: the peak is then the larger of tree + data model and data model + database schema,
    // not the sum of all three.
    let data_model = validate_language_rules(&parse_schema(source)?)?;
    lower_validated_in_flavour(data_model, flavour).map(|(_, schema)| schema)
}

/// Builds the database schema that `data_model` describes, in comon_orm's flavour.
pub fn database_schema_from_data_model(data_model: &DataModel) -> DatabaseSchema {
    database_schema_from_data_model_in_flavour(data_model, Flavour::ComonOrm)
}

/// Builds the database schema that `data_model` describes, with the mapping of `flavour`.
pub fn database_schema_from_data_model_in_flavour(
    data_model: &DataModel,
    flavour: Flavour,
) -> DatabaseSchema {
    let provider = data_model.provider;
    let models_by_name: HashMap<&str, &Model> = data_model
        .models
        .iter()
        .map(|model| (model.name.as_str(), model))
        .collect();
    let enum_database_names: HashMap<&str, &str> = data_model
        .enums
        .iter()
        .map(|definition| (definition.name.as_str(), definition.database_name.as_str()))
        .collect();

    let mut tables: Vec<Table> = data_model
        .models
        .iter()
        .map(|model| {
            table_from_model(
                model,
                data_model,
                &models_by_name,
                &enum_database_names,
                flavour,
            )
        })
        .collect();
    tables.extend(join_tables(
        data_model,
        &models_by_name,
        &enum_database_names,
        flavour,
    ));

    let enums = match provider {
        Provider::Postgresql => data_model
            .enums
            .iter()
            .map(|definition| Enum {
                name: definition.database_name.clone(),
                prisma_name: Some(definition.name.clone()),
                values: definition
                    .values
                    .iter()
                    .map(|(prisma_name, database_name)| EnumValue {
                        name: database_name.clone(),
                        prisma_name: Some(prisma_name.clone()),
                    })
                    .collect(),
            })
            .collect(),
        Provider::Sqlite => Vec::new(),
    };
    // SQLite has no extensions; Prisma accepts the list only on PostgreSQL.
    let extensions = match provider {
        Provider::Postgresql => data_model
            .datasource
            .extensions
            .iter()
            .map(|extension| Extension {
                name: extension.name.clone(),
                schema: extension.schema.clone(),
                version: extension.version.clone(),
                requested: true,
            })
            .collect(),
        Provider::Sqlite => Vec::new(),
    };
    let mut schema = DatabaseSchema {
        provider,
        tables,
        enums,
        table_dependents: Vec::new(),
        extensions,
    };
    schema.normalize_order();
    schema
}

fn table_from_model(
    model: &Model,
    data_model: &DataModel,
    models_by_name: &HashMap<&str, &Model>,
    enum_database_names: &HashMap<&str, &str>,
    flavour: Flavour,
) -> Table {
    let provider = data_model.provider;
    let names = DefaultNames { provider, flavour };
    let table_name = model.database_name.clone();
    let column_name_of = |field_name: &str| -> String {
        model
            .scalar_field(field_name)
            .map(|field| field.database_name.clone())
            .unwrap_or_else(|| field_name.to_string())
    };

    let columns: Vec<Column> = model
        .scalar_fields()
        .map(|field| {
            column_from_field(
                field,
                provider,
                flavour,
                enum_database_names,
                is_single_id(model, &field.name),
            )
        })
        .collect();

    let primary_key = model.primary_key.as_ref().map(|key| PrimaryKey {
        name: match provider {
            Provider::Postgresql => Some(
                key.map
                    .clone()
                    .unwrap_or_else(|| names.primary_key_name(&table_name)),
            ),
            Provider::Sqlite => None,
        },
        columns: key
            .fields
            .iter()
            .map(|field| column_name_of(field))
            .collect(),
    });

    let indexes = model
        .indexes
        .iter()
        .map(|index| {
            let column_names: Vec<String> = index
                .fields
                .iter()
                .map(|field| column_name_of(&field.name))
                .collect();
            let column_name_references: Vec<&str> =
                column_names.iter().map(String::as_str).collect();
            let name = index.map.clone().unwrap_or_else(|| {
                if index.unique {
                    names.unique_index_name(&table_name, &column_name_references)
                } else {
                    names.index_name(&table_name, &column_name_references)
                }
            });
            let columns = index
                .fields
                .iter()
                .zip(&column_names)
                .map(|(field, column_name)| {
                    let column_type =
                        columns_type(model, &field.name, provider, flavour, enum_database_names);
                    let operator_class = field.operator_class.clone().filter(|operator_class| {
                        !is_default_operator_class(
                            operator_class,
                            index.algorithm.as_deref(),
                            column_type.as_ref(),
                        )
                    });
                    IndexColumn {
                        name: column_name.clone(),
                        descending: field.descending,
                        operator_class,
                    }
                })
                .collect();
            Index {
                name,
                columns,
                unique: index.unique,
                algorithm: index.algorithm.clone(),
                invalid: false,
            }
        })
        .collect();

    let foreign_keys = if data_model.relation_mode_prisma {
        Vec::new()
    } else {
        model
            .fields
            .iter()
            .filter_map(|field| match &field.kind {
                FieldKind::Relation(relation) if !relation.fields.is_empty() => Some(relation),
                _ => None,
            })
            .filter_map(|relation| {
                foreign_key_from_relation(
                    relation,
                    model,
                    &table_name,
                    &column_name_of,
                    models_by_name,
                    names,
                )
            })
            .collect()
    };

    Table {
        name: table_name.clone(),
        model_name: Some(model.name.clone()),
        columns,
        primary_key,
        indexes,
        foreign_keys,
    }
}

fn is_single_id(model: &Model, field_name: &str) -> bool {
    model
        .primary_key
        .as_ref()
        .is_some_and(|key| key.fields.len() == 1 && key.fields[0] == field_name)
}

fn columns_type(
    model: &Model,
    field_name: &str,
    provider: Provider,
    flavour: Flavour,
    enum_database_names: &HashMap<&str, &str>,
) -> Option<ColumnType> {
    let field = model.scalar_field(field_name)?;
    Some(
        column_from_field(
            field,
            provider,
            flavour,
            enum_database_names,
            is_single_id(model, field_name),
        )
        .column_type,
    )
}

fn foreign_key_from_relation(
    relation: &RelationField,
    model: &Model,
    table_name: &str,
    column_name_of: &dyn Fn(&str) -> String,
    models_by_name: &HashMap<&str, &Model>,
    names: DefaultNames,
) -> Option<ForeignKey> {
    let provider = names.provider;
    let related = models_by_name.get(relation.related_model.as_str())?;
    let columns: Vec<String> = relation
        .fields
        .iter()
        .map(|field| column_name_of(field))
        .collect();
    let referenced_columns = relation
        .references
        .iter()
        .map(|field| {
            related
                .scalar_field(field)
                .map(|scalar| scalar.database_name.clone())
                .unwrap_or_else(|| field.clone())
        })
        .collect();
    let column_references: Vec<&str> = columns.iter().map(String::as_str).collect();
    Some(ForeignKey {
        name: match provider {
            Provider::Postgresql => Some(
                relation
                    .map
                    .clone()
                    .unwrap_or_else(|| names.foreign_key_name(table_name, &column_references)),
            ),
            Provider::Sqlite => None,
        },
        columns,
        referenced_table: related.database_name.clone(),
        referenced_columns,
        on_delete: relation
            .on_delete
            .unwrap_or_else(|| default_on_delete(relation, model, names.flavour)),
        on_update: relation.on_update.unwrap_or(ReferentialAction::Cascade),
        not_validated: false,
    })
}

/// The `onDelete` of a relation that names none. Prisma's depends on the relation's arity:
/// `SetNull` when the relation and all its columns are optional, else `Restrict`.
fn default_on_delete(
    relation: &RelationField,
    model: &Model,
    flavour: Flavour,
) -> ReferentialAction {
    let all_optional = relation.arity != Arity::Required
        && relation.fields.iter().all(|field| {
            model
                .scalar_field(field)
                .is_some_and(|scalar| scalar.arity != Arity::Required)
        });
    match flavour {
        Flavour::Prisma if all_optional => ReferentialAction::SetNull,
        Flavour::ComonOrm | Flavour::Prisma => ReferentialAction::Restrict,
    }
}

/// The column a scalar field becomes. `is_single_id` matters for SQLite's autoincrement.
pub fn column_from_field(
    field: &ScalarField,
    provider: Provider,
    flavour: Flavour,
    enum_database_names: &HashMap<&str, &str>,
    is_single_id: bool,
) -> Column {
    let mut auto_increment = field.default == Some(DefaultExpression::AutoIncrement);
    let mut column_type = match &field.scalar_type {
        ScalarFieldType::Builtin(scalar) => {
            builtin_column_type(*scalar, field.native_type.as_ref(), provider, flavour)
        }
        ScalarFieldType::Enum(name) => match provider {
            Provider::Postgresql => ColumnType::enumeration(
                enum_database_names
                    .get(name.as_str())
                    .copied()
                    .unwrap_or(name),
            ),
            Provider::Sqlite => {
                ColumnType::sqlite(SqliteColumnType::for_scalar(ScalarType::String, flavour))
            }
        },
        ScalarFieldType::Unsupported(text) => match provider {
            Provider::Postgresql => ColumnType::native(&text.to_lowercase()),
            Provider::Sqlite => ColumnType::native(&text.to_uppercase()),
        },
    };
    if provider == Provider::Sqlite {
        // SQLite only auto-increments an `INTEGER PRIMARY KEY`. comon_orm makes any single
        // auto-increment id one, whatever the Prisma type. Prisma keeps the type, and makes
        // every single `INTEGER` id `PRIMARY KEY AUTOINCREMENT`, with `autoincrement()` or
        // without it; a `BigInt` id stays a plain `BIGINT` key.
        let integer = ColumnType::sqlite(SqliteColumnType::for_scalar(ScalarType::Int, flavour));
        match flavour {
            Flavour::ComonOrm if auto_increment && is_single_id => column_type = integer,
            Flavour::ComonOrm => {}
            Flavour::Prisma => auto_increment = is_single_id && column_type == integer,
        }
    }
    if field.arity == Arity::List {
        column_type = column_type.array();
    }
    let default = match &field.default {
        None
        | Some(DefaultExpression::AutoIncrement)
        | Some(DefaultExpression::ClientGenerated(_)) => None,
        Some(DefaultExpression::Now) => Some(ColumnDefault::Now),
        Some(DefaultExpression::DbGenerated(expression)) if expression.is_empty() => None,
        Some(DefaultExpression::DbGenerated(expression)) => {
            Some(ColumnDefault::Expression(expression.clone()))
        }
        Some(DefaultExpression::Value(value)) => Some(ColumnDefault::Value(value.clone())),
    };
    Column {
        name: field.database_name.clone(),
        field_name: Some(field.name.clone()),
        schema_type: Some(match &field.scalar_type {
            ScalarFieldType::Builtin(scalar) => scalar.name().to_string(),
            ScalarFieldType::Enum(name) => name.clone(),
            ScalarFieldType::Unsupported(text) => format!("Unsupported({text:?})"),
        }),
        column_type,
        nullable: field.arity != Arity::Required,
        default,
        auto_increment,
        serial: auto_increment && provider == Provider::Postgresql && flavour == Flavour::Prisma,
    }
}

/// The column type of a built-in scalar, with its `@db.*` native type if any.
pub fn builtin_column_type(
    scalar: ScalarType,
    native_type: Option<&NativeType>,
    provider: Provider,
    flavour: Flavour,
) -> ColumnType {
    match provider {
        Provider::Postgresql => ColumnType::postgres(
            native_type
                .and_then(|native| {
                    PostgresColumnType::from_native_attribute(&native.name, &native.arguments)
                })
                .unwrap_or_else(|| PostgresColumnType::for_scalar(scalar, flavour)),
        ),
        Provider::Sqlite => ColumnType::sqlite(
            native_type
                .and_then(|native| {
                    SqliteColumnType::from_native_attribute(&native.name, &native.arguments)
                })
                .unwrap_or_else(|| SqliteColumnType::for_scalar(scalar, flavour)),
        ),
    }
}

/// Whether an operator class is the one PostgreSQL picks anyway for this index, in which case
/// introspection does not report it and keeping it would make the schema drift forever.
fn is_default_operator_class(
    operator_class: &str,
    algorithm: Option<&str>,
    column_type: Option<&ColumnType>,
) -> bool {
    let Some(column_type) = column_type else {
        return false;
    };
    let algorithm = algorithm.unwrap_or("btree");
    if column_type.is_array {
        return (algorithm == "gin" || algorithm == "btree") && operator_class == "array_ops";
    }
    let family = match &column_type.kind {
        ColumnTypeKind::Enum(_) => {
            return operator_class == "enum_ops" && (algorithm == "btree" || algorithm == "hash")
        }
        ColumnTypeKind::Postgres(postgres_type) => match postgres_type.operator_family() {
            Some(family) => family,
            None => return false,
        },
        ColumnTypeKind::Sqlite(_) | ColumnTypeKind::Other(_) => return false,
    };
    match algorithm {
        "btree" | "hash" => operator_class == format!("{family}_ops"),
        "gin" => family == "jsonb" && operator_class == "jsonb_ops",
        "brin" => {
            operator_class == format!("{family}_minmax_ops")
                || (family == "inet" && operator_class == "inet_inclusion_ops")
        }
        _ => false,
    }
}

/// Implicit many-to-many relations become join tables with two columns, `A` and `B`: `A`
/// references the side that comes first by (model name, field name), `B` the other.
fn join_tables(
    data_model: &DataModel,
    models_by_name: &HashMap<&str, &Model>,
    enum_database_names: &HashMap<&str, &str>,
    flavour: Flavour,
) -> Vec<Table> {
    let provider = data_model.provider;
    let names = DefaultNames { provider, flavour };
    let mut tables = Vec::new();
    for model in &data_model.models {
        for field in &model.fields {
            let FieldKind::Relation(relation) = &field.kind else {
                continue;
            };
            if field.arity != Arity::List {
                continue;
            }
            let Some(related) = models_by_name.get(relation.related_model.as_str()) else {
                continue;
            };
            let opposite = related.fields.iter().find(|candidate| {
                matches!(&candidate.kind, FieldKind::Relation(other)
                    if other.related_model == model.name
                    && other.relation_name == relation.relation_name
                    && !(related.name == model.name && candidate.name == field.name))
            });
            let Some(opposite) = opposite else { continue };
            if opposite.arity != Arity::List {
                continue;
            }
            let this_side = (model.name.as_str(), field.name.as_str());
            let other_side = (related.name.as_str(), opposite.name.as_str());
            // Each relation is seen from both sides; build its table once, from the first side.
            if this_side > other_side {
                continue;
            }
            let table_name = match flavour {
                Flavour::ComonOrm => naming::join_table_name(this_side, other_side, provider),
                Flavour::Prisma => {
                    naming::prisma::join_table_name(&relation.relation_name.clone().unwrap_or_else(
                        || naming::prisma::default_relation_name(&model.name, &related.name),
                    ))
                }
            };
            let id_column = |side: &Model| -> Option<(String, ColumnType)> {
                let key = side.primary_key.as_ref()?;
                let id_field = side.scalar_field(key.fields.first()?)?;
                let column =
                    column_from_field(id_field, provider, flavour, enum_database_names, true);
                let mut column_type = column.column_type;
                column_type.is_array = false;
                Some((column.name, column_type))
            };
            let (Some((a_reference, a_type)), Some((b_reference, b_type))) =
                (id_column(model), id_column(related))
            else {
                continue;
            };
            let make_column = |name: &str, column_type: ColumnType| Column {
                name: name.to_string(),
                field_name: None,
                schema_type: None,
                column_type,
                nullable: false,
                default: None,
                auto_increment: false,
                serial: false,
            };
            let foreign_key =
                |column: &str, referenced_table: &str, referenced_column: String| ForeignKey {
                    name: match provider {
                        Provider::Postgresql => {
                            Some(names.foreign_key_name(&table_name, &[column]))
                        }
                        Provider::Sqlite => None,
                    },
                    columns: vec![column.to_string()],
                    referenced_table: referenced_table.to_string(),
                    referenced_columns: vec![referenced_column],
                    on_delete: ReferentialAction::Cascade,
                    on_update: ReferentialAction::Cascade,
                    not_validated: false,
                };
            let foreign_keys = if data_model.relation_mode_prisma {
                Vec::new()
            } else {
                vec![
                    foreign_key("A", &model.database_name, a_reference),
                    foreign_key("B", &related.database_name, b_reference),
                ]
            };
            let index_on = |name: String, columns: &[&str], unique: bool| Index {
                name,
                columns: columns
                    .iter()
                    .map(|column| IndexColumn {
                        name: column.to_string(),
                        descending: false,
                        operator_class: None,
                    })
                    .collect(),
                unique,
                algorithm: None,
                invalid: false,
            };
            let both_columns = vec!["A".to_string(), "B".to_string()];
            // Prisma keys the table on PostgreSQL and gives it a unique index on SQLite;
            // comon_orm keys it on both.
            let (primary_key, mut indexes) = match (flavour, provider) {
                (Flavour::ComonOrm, _) => (
                    Some(PrimaryKey {
                        name: match provider {
                            Provider::Postgresql => Some(names.primary_key_name(&table_name)),
                            Provider::Sqlite => None,
                        },
                        columns: both_columns,
                    }),
                    vec![index_on(
                        names.index_name(&table_name, &["B"]),
                        &["B"],
                        false,
                    )],
                ),
                (Flavour::Prisma, Provider::Postgresql) => (
                    Some(PrimaryKey {
                        name: Some(naming::prisma::join_table_primary_key_name(&table_name)),
                        columns: both_columns,
                    }),
                    Vec::new(),
                ),
                (Flavour::Prisma, Provider::Sqlite) => (
                    None,
                    vec![index_on(
                        naming::prisma::join_table_unique_index_name(&table_name),
                        &["A", "B"],
                        true,
                    )],
                ),
            };
            if flavour == Flavour::Prisma {
                indexes.push(index_on(
                    naming::prisma::join_table_index_name(&table_name),
                    &["B"],
                    false,
                ));
            }
            tables.push(Table {
                name: table_name.clone(),
                model_name: None,
                columns: vec![make_column("A", a_type), make_column("B", b_type)],
                primary_key,
                indexes,
                foreign_keys,
            });
        }
    }
    tables
}

/// Finds names the database would reject: on PostgreSQL, tables, indexes and primary keys
/// share one namespace per schema, and a table's foreign keys need distinct names; on SQLite,
/// index names must be unique. Each error points at the model that declares the second name.
fn check_object_names(schema: &DatabaseSchema, data_model: &DataModel) -> Vec<SchemaError> {
    use crate::collections::HashMap;
    let span_of = |table: &Table| {
        table
            .model_name
            .as_deref()
            .and_then(|model_name| data_model.model(model_name))
            .map(|model| model.span)
    };
    let mut errors = Vec::new();
    let mut relation_names: HashMap<&str, &str> = HashMap::default();
    if schema.provider == Provider::Postgresql {
        for table in &schema.tables {
            relation_names.insert(&table.name, &table.name);
        }
    }
    for table in &schema.tables {
        let mut names: Vec<(&str, &str)> = table
            .indexes
            .iter()
            .map(|index| (index.name.as_str(), "index"))
            .collect();
        if let Some(name) = table
            .primary_key
            .as_ref()
            .and_then(|key| key.name.as_deref())
        {
            names.push((name, "primary key"));
        }
        for (name, kind) in names {
            if let Some(owner) = relation_names.insert(name, &table.name) {
                errors.push(SchemaError::new(
                    "duplicate-constraint-name",
                    format!(
                        "The {kind} name `{name}` on the table `{}` is already used by `{owner}`; give one of them another name with `map:`.",
                        table.name
                    ),
                    span_of(table),
                ));
            }
        }
        let mut foreign_key_names: HashMap<&str, ()> = HashMap::default();
        for name in table
            .foreign_keys
            .iter()
            .filter_map(|foreign_key| foreign_key.name.as_deref())
        {
            if foreign_key_names.insert(name, ()).is_some() {
                errors.push(SchemaError::new(
                    "duplicate-constraint-name",
                    format!("The foreign key name `{name}` is used twice on the table `{}`; give one relation another name with `map:`.", table.name),
                    span_of(table),
                ));
            }
        }
    }
    errors
}
