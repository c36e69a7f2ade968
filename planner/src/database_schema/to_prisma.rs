//! Renders a database schema back to `schema.prisma` text, for `db pull` and for the
//! `before.prisma` artifact that shows what a database held before a migration.
//!
//! The rendering is the inverse of `from_data_model`: lowering the rendered text again gives a
//! database schema that the differ finds equal to the rendered one. The choices that follow
//! from that goal:
//!
//! - Models keep their `model_name` when the schema came from `schema.prisma`; otherwise they are
//!   named after the table when the table name is a valid Prisma identifier, or after a
//!   sanitized table name with `@@map("table")`. Fields, enums and enum values follow the same
//!   rule with `@map`/`@@map`.
//! - Scalar types are inferred from the canonical column types (the inverse of the type table in
//!   `from_data_model`), with a `@db.*` attribute when the column is not the default type of its
//!   Prisma scalar, and `Unsupported("...")` when no Prisma scalar fits. When several Prisma types
//!   give the same column (SQLite stores String, DateTime, BigInt and Json as TEXT), the choice
//!   is made so that defaults stay expressible and both ends of every foreign key get the same
//!   Prisma type, which relations require.
//! - Constraint and index names are written with `map:` only when they differ from the default
//!   names of `naming`.
//! - Every foreign key becomes a relation field on the referencing model and an opposite field
//!   on the referenced model; relations between the same two models, and self relations, are
//!   named so that they validate.
//! - Tables without a usable unique criterion are rendered with `@@ignore`, as Prisma does.
//! - An implicit many-to-many join table (`_comon_orm_m2m__...`, see `naming`) whose name still
//!   decodes to two rendered models and whose shape is exactly what lowering gives is rendered
//!   as the two list fields of the relation. Any other join table (a name shortened on
//!   PostgreSQL, models renamed by `@@map` and introspected, a table changed by hand) is
//!   rendered as an ordinary model with two relations: an explicit many-to-many relation that
//!   describes the same tables.
//!
//! Some databases have no exact Prisma spelling; the rendering stays valid and the difference
//! shows up as a planned step:
//!
//! - NOT NULL array columns: Prisma lists are nullable columns;
//! - foreign keys whose referenced columns are neither the primary key nor a unique index, or
//!   whose two ends have different Prisma types, are left out;
//! - `now()` on a non-DateTime column, `autoincrement()` on a non-integer column and index
//!   access methods Prisma does not know are left out;
//! - `Unsupported("...")` types are lowered in lower case on PostgreSQL, so a type name with
//!   upper-case letters does not survive.

use std::collections::{HashMap, HashSet};

use super::naming;
use super::{
    Column, ColumnDefault, ColumnTypeKind, DatabaseSchema, DefaultValue, Index, IndexColumn,
    ReferentialAction, Table,
};
use crate::provider::{Flavour, Provider};
use crate::schema_language::data_model::ScalarType;
use crate::schema_language::format_schema;
use crate::schema_language::lower::operator_class_name;
use crate::types::PrismaTypeChoice;

/// Renders `schema` as `schema.prisma` text with a `datasource db` block (without `url`),
/// laid out like `prisma format`.
pub fn render_prisma_schema(schema: &DatabaseSchema) -> String {
    render_prisma_schema_in_flavour(schema, Flavour::ComonOrm)
}

/// `render_prisma_schema` with the type mapping of `flavour`: in Prisma's, a `timestamp(3)`
/// column is a bare `DateTime` and a `timestamptz` one `DateTime @db.Timestamptz`, so that
/// `db pull` of a database Prisma built gives a schema without spurious `@db.*` attributes.
pub fn render_prisma_schema_in_flavour(schema: &DatabaseSchema, flavour: Flavour) -> String {
    let text = SchemaRenderer::new(schema, flavour).render();
    // The text is already aligned; the formatter makes the layout exactly the canonical one.
    // Should it ever refuse the text, the aligned text is still a readable answer.
    format_schema(&text).unwrap_or(text)
}

/// The documentation Prisma writes above a model it has to ignore.
const IGNORED_MODEL_DOCUMENTATION: &str =
    " The underlying table does not contain a valid unique identifier and can therefore currently not be handled by Prisma Client.";

/// Names a model, view or enum may not take: the validator reserves them for scalar types.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Int",
    "BigInt",
    "Float",
    "Decimal",
    "Boolean",
    "String",
    "DateTime",
    "Json",
    "Bytes",
    "Unsupported",
];

/// Prisma's named PostgreSQL operator classes. One is written by name only when validation
/// turns the name back into the same database operator class; any other class is written as
/// `raw("...")`, which always means exactly the text given.
const PRISMA_OPERATOR_CLASSES: &[&str] = &[
    "ArrayOps",
    "JsonbOps",
    "JsonbPathOps",
    "InetOps",
    "TextOps",
    "BitMinMaxOps",
    "VarBitMinMaxOps",
    "BpcharBloomOps",
    "BpcharMinMaxOps",
    "ByteaBloomOps",
    "ByteaMinMaxOps",
    "DateBloomOps",
    "DateMinMaxOps",
    "DateMinMaxMultiOps",
    "Float4BloomOps",
    "Float4MinMaxOps",
    "Float4MinMaxMultiOps",
    "Float8BloomOps",
    "Float8MinMaxOps",
    "Float8MinMaxMultiOps",
    "InetInclusionOps",
    "InetBloomOps",
    "InetMinMaxOps",
    "InetMinMaxMultiOps",
    "Int2BloomOps",
    "Int2MinMaxOps",
    "Int2MinMaxMultiOps",
    "Int4BloomOps",
    "Int4MinMaxOps",
    "Int4MinMaxMultiOps",
    "Int8BloomOps",
    "Int8MinMaxOps",
    "Int8MinMaxMultiOps",
    "NumericBloomOps",
    "NumericMinMaxOps",
    "NumericMinMaxMultiOps",
    "OidBloomOps",
    "OidMinMaxOps",
    "OidMinMaxMultiOps",
    "TextBloomOps",
    "TextMinMaxOps",
    "TimestampBloomOps",
    "TimestampMinMaxOps",
    "TimestampMinMaxMultiOps",
    "TimestampTzBloomOps",
    "TimestampTzMinMaxOps",
    "TimestampTzMinMaxMultiOps",
    "TimeBloomOps",
    "TimeMinMaxOps",
    "TimeMinMaxMultiOps",
    "TimeTzBloomOps",
    "TimeTzMinMaxOps",
    "TimeTzMinMaxMultiOps",
    "UuidBloomOps",
    "UuidMinMaxOps",
    "UuidMinMaxMultiOps",
];

// ----- types -----

/// What a field's type is, as far as relations care: two ends of a relation must have equal
/// base types, whatever their `@db.*` attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum BaseType {
    Scalar(ScalarType),
    /// An enum, by its position in `DatabaseSchema::enums`.
    Enum(usize),
    /// `Unsupported("...")` with the database type text.
    Unsupported(String),
}

/// One way to write a column's type: the base type and the `@db.*` attribute (without `@`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct TypeChoice {
    base: BaseType,
    native_attribute: Option<String>,
}

impl TypeChoice {
    #[cfg(test)]
    fn native(scalar: ScalarType, attribute: impl Into<String>) -> TypeChoice {
        TypeChoice {
            base: BaseType::Scalar(scalar),
            native_attribute: Some(attribute.into()),
        }
    }

    fn unsupported(type_name: &str) -> TypeChoice {
        TypeChoice {
            base: BaseType::Unsupported(type_name.to_string()),
            native_attribute: None,
        }
    }
}

impl From<PrismaTypeChoice> for TypeChoice {
    fn from(choice: PrismaTypeChoice) -> TypeChoice {
        TypeChoice {
            base: BaseType::Scalar(choice.scalar),
            native_attribute: choice.native_attribute,
        }
    }
}

/// The Prisma types that lower to a column's native type on a provider, the most natural
/// first; `Unsupported("...")` when none does.
fn native_type_choices(
    kind: &ColumnTypeKind,
    provider: Provider,
    flavour: Flavour,
) -> Vec<TypeChoice> {
    let choices = match provider {
        Provider::Postgresql => kind
            .postgres()
            .map(|postgres_type| postgres_type.prisma_choices_in_flavour(flavour))
            .unwrap_or_default(),
        Provider::Sqlite => kind
            .sqlite()
            .map(|sqlite_type| sqlite_type.prisma_choices_in_flavour(flavour))
            .unwrap_or_default(),
    };
    if choices.is_empty() {
        return vec![TypeChoice::unsupported(
            &kind.native_spelling().unwrap_or_default(),
        )];
    }
    choices.into_iter().map(TypeChoice::from).collect()
}

// ----- names -----

/// Whether `name` is a Prisma identifier: a letter, then letters, digits and underscores.
fn is_valid_identifier(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && characters.all(|character| character.is_ascii_alphanumeric() || character == '_')
}

/// A valid identifier made from a database name: other characters become `_`, leading
/// underscores go, and `prefix_` is put before a name that would start with a digit.
fn sanitized_identifier(name: &str, prefix: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|character| {
            if character.is_ascii_alphanumeric() || character == '_' {
                character
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = replaced.trim_start_matches('_');
    match trimmed.chars().next() {
        None => prefix.to_string(),
        Some(first) if first.is_ascii_alphabetic() => trimmed.to_string(),
        Some(_) => format!("{prefix}_{trimmed}"),
    }
}

/// Names already used in one namespace; `claim` hands out a free variant of a wanted name.
#[derive(Default)]
struct NameRegistry {
    taken: HashSet<String>,
}

impl NameRegistry {
    fn with_reserved(reserved: &[&str]) -> NameRegistry {
        NameRegistry {
            taken: reserved.iter().map(|name| name.to_string()).collect(),
        }
    }

    fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let mut suffix = 2usize;
        loop {
            let candidate = format!("{wanted}_{suffix}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            suffix += 1;
        }
    }
}

/// The identifier wanted for something with an optional schema-side name and a database name.
fn wanted_identifier(prisma_name: Option<&str>, database_name: &str, prefix: &str) -> String {
    match prisma_name {
        Some(name) if is_valid_identifier(name) => name.to_string(),
        Some(name) => sanitized_identifier(name, prefix),
        None if is_valid_identifier(database_name) => database_name.to_string(),
        None => sanitized_identifier(database_name, prefix),
    }
}

// ----- the renderer -----

struct RenderedEnum {
    name: String,
    /// Prisma value names, in the order of `Enum::values`.
    value_names: Vec<String>,
}

/// A foreign key that becomes a relation, with the names of its two fields.
struct Relation {
    child_table: usize,
    foreign_key: usize,
    parent_table: usize,
    child_columns: Vec<usize>,
    parent_columns: Vec<usize>,
    relation_name: Option<String>,
    child_field_name: String,
    parent_field_name: String,
    /// The opposite field is `Child?` rather than `Child[]`: the referencing columns are unique.
    is_one_to_one: bool,
}

/// A join table recognised as comon_orm's implicit many-to-many table: instead of a model, it
/// is rendered as two list fields, `field_a` on the model of `table_a` (column `A`) and
/// `field_b` on the model of `table_b` (column `B`).
struct ManyToMany {
    table_a: usize,
    field_a: String,
    table_b: usize,
    field_b: String,
    relation_name: Option<String>,
}

struct SchemaRenderer<'schema> {
    schema: &'schema DatabaseSchema,
    provider: Provider,
    /// Whose type mapping says which columns need a `@db.*` attribute.
    flavour: Flavour,
    enums: Vec<Option<RenderedEnum>>,
    enum_positions: HashMap<&'schema str, usize>,
    table_positions: HashMap<&'schema str, usize>,
    model_names: Vec<String>,
    field_names: Vec<Vec<String>>,
    field_registries: Vec<NameRegistry>,
    type_choices: Vec<Vec<TypeChoice>>,
    /// Whether the column is a primary key column, which Prisma requires to be required.
    primary_key_columns: Vec<Vec<bool>>,
    ignored_tables: Vec<bool>,
    relations: Vec<Relation>,
    many_to_many: Vec<ManyToMany>,
    /// Tables rendered as implicit many-to-many relations rather than as models.
    join_tables: Vec<bool>,
    /// The name each SQLite table constraint (`sqlite_autoindex_*`) is written with, by
    /// (table position, index name): the default name of a `@unique` on its columns, or a free
    /// variant of it when another index already has that name.
    table_constraint_names: HashMap<(usize, std::string::String), std::string::String>,
}

impl<'schema> SchemaRenderer<'schema> {
    fn new(schema: &'schema DatabaseSchema, flavour: Flavour) -> SchemaRenderer<'schema> {
        let mut renderer = SchemaRenderer {
            schema,
            provider: schema.provider,
            flavour,
            enums: Vec::new(),
            enum_positions: HashMap::new(),
            table_positions: HashMap::new(),
            model_names: Vec::new(),
            field_names: Vec::new(),
            field_registries: Vec::new(),
            type_choices: Vec::new(),
            primary_key_columns: Vec::new(),
            ignored_tables: Vec::new(),
            relations: Vec::new(),
            many_to_many: Vec::new(),
            join_tables: vec![false; schema.tables.len()],
            table_constraint_names: HashMap::new(),
        };
        for (position, table) in schema.tables.iter().enumerate() {
            renderer
                .table_positions
                .entry(table.name.as_str())
                .or_insert(position);
        }
        renderer.name_table_constraints();
        renderer.name_types();
        renderer.name_fields();
        renderer.choose_types();
        renderer.find_ignored_tables();
        renderer.find_implicit_many_to_many();
        renderer.find_relations();
        renderer
    }

    /// SQLite names the index of an inline `UNIQUE` itself (`sqlite_autoindex_<table>_<n>`) and
    /// refuses that name in `CREATE INDEX`, so such a constraint is written without `map:`.
    /// Tables and indexes share one namespace in SQLite, so the default name it takes must be
    /// free; when it is not, a free variant is written with `map:`.
    fn name_table_constraints(&mut self) {
        if self.provider != Provider::Sqlite {
            return;
        }
        let schema = self.schema;
        let mut registry = NameRegistry::default();
        for table in &schema.tables {
            registry.taken.insert(table.name.clone());
            for index in table
                .indexes
                .iter()
                .filter(|index| !index.is_sqlite_table_constraint())
            {
                registry.taken.insert(index.name.clone());
            }
        }
        for (table_position, table) in schema.tables.iter().enumerate() {
            for index in table
                .indexes
                .iter()
                .filter(|index| index.is_sqlite_table_constraint())
            {
                let columns: Vec<&str> = index
                    .columns
                    .iter()
                    .map(|column| column.name.as_str())
                    .collect();
                let name = registry.claim(&naming::unique_index_name(
                    &table.name,
                    &columns,
                    self.provider,
                ));
                self.table_constraint_names
                    .insert((table_position, index.name.clone()), name);
            }
        }
    }

    /// The name an index is written with (see `name_table_constraints`).
    fn rendered_index_name<'index>(
        &'index self,
        table_position: usize,
        index: &'index Index,
    ) -> &'index str {
        self.table_constraint_names
            .get(&(table_position, index.name.clone()))
            .map(std::string::String::as_str)
            .unwrap_or(&index.name)
    }

    /// Names enums and models, which share one namespace. Names from the schema side are
    /// claimed first so that derived names give way to them.
    fn name_types(&mut self) {
        let schema = self.schema;
        let mut registry = NameRegistry::with_reserved(RESERVED_TYPE_NAMES);
        let mut enum_names: Vec<Option<String>> = vec![None; schema.enums.len()];
        let mut model_names: Vec<Option<String>> = vec![None; schema.tables.len()];
        for (position, definition) in schema.enums.iter().enumerate() {
            // An enum without values cannot be written; its columns become `Unsupported`.
            if definition.values.is_empty() || self.provider == Provider::Sqlite {
                continue;
            }
            self.enum_positions
                .entry(definition.name.as_str())
                .or_insert(position);
            if let Some(prisma_name) = &definition.prisma_name {
                enum_names[position] = Some(registry.claim(&wanted_identifier(
                    Some(prisma_name),
                    &definition.name,
                    "Enum",
                )));
            }
        }
        for (position, table) in schema.tables.iter().enumerate() {
            if let Some(model_name) = &table.model_name {
                model_names[position] = Some(registry.claim(&wanted_identifier(
                    Some(model_name),
                    &table.name,
                    "Model",
                )));
            }
        }
        for (position, definition) in schema.enums.iter().enumerate() {
            if enum_names[position].is_none()
                && self.enum_positions.get(definition.name.as_str()) == Some(&position)
            {
                enum_names[position] =
                    Some(registry.claim(&wanted_identifier(None, &definition.name, "Enum")));
            }
        }
        for (position, table) in schema.tables.iter().enumerate() {
            if model_names[position].is_none() {
                model_names[position] =
                    Some(registry.claim(&wanted_identifier(None, &table.name, "Model")));
            }
        }
        self.enums = schema
            .enums
            .iter()
            .zip(enum_names)
            .map(|(definition, name)| {
                let name = name?;
                let mut value_registry = NameRegistry::default();
                let value_names = definition
                    .values
                    .iter()
                    .map(|value| {
                        value_registry.claim(&wanted_identifier(
                            value.prisma_name.as_deref(),
                            &value.name,
                            "value",
                        ))
                    })
                    .collect();
                Some(RenderedEnum { name, value_names })
            })
            .collect();
        self.model_names = model_names
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
    }

    fn name_fields(&mut self) {
        for table in &self.schema.tables {
            let mut registry = NameRegistry::default();
            let mut names: Vec<Option<String>> = vec![None; table.columns.len()];
            for (position, column) in table.columns.iter().enumerate() {
                if let Some(field_name) = &column.field_name {
                    names[position] = Some(registry.claim(&wanted_identifier(
                        Some(field_name),
                        &column.name,
                        "field",
                    )));
                }
            }
            for (position, column) in table.columns.iter().enumerate() {
                if names[position].is_none() {
                    names[position] =
                        Some(registry.claim(&wanted_identifier(None, &column.name, "field")));
                }
            }
            self.field_names
                .push(names.into_iter().map(Option::unwrap_or_default).collect());
            self.field_registries.push(registry);
            let key_columns: Vec<bool> = table
                .columns
                .iter()
                .map(|column| {
                    table
                        .primary_key
                        .as_ref()
                        .is_some_and(|key| key.columns.contains(&column.name))
                })
                .collect();
            self.primary_key_columns.push(key_columns);
        }
    }

    /// The Prisma types that could describe a column, those that keep its default first.
    fn candidate_types(&self, column: &Column) -> Vec<TypeChoice> {
        let candidates = match &column.column_type.kind {
            ColumnTypeKind::Enum(enum_name) => match self.enum_positions.get(enum_name.as_str()) {
                Some(&position) => vec![TypeChoice {
                    base: BaseType::Enum(position),
                    native_attribute: None,
                }],
                None => vec![TypeChoice::unsupported(enum_name)],
            },
            native => native_type_choices(native, self.provider, self.flavour),
        };
        let is_list = column.column_type.is_array;
        // `now()` and `autoincrement()` have no spelling outside DateTime and integer fields,
        // so a type that keeps them wins over a more natural one.
        let fits_hard_requirements =
            |choice: &TypeChoice| match (&column.default, column.auto_increment) {
                (_, true) => {
                    !is_list
                        && matches!(
                            choice.base,
                            BaseType::Scalar(ScalarType::Int | ScalarType::BigInt)
                        )
                }
                (Some(ColumnDefault::Now), false) => {
                    !is_list && choice.base == BaseType::Scalar(ScalarType::DateTime)
                }
                _ => true,
            };
        let (mut preferred, rest): (Vec<TypeChoice>, Vec<TypeChoice>) =
            candidates.into_iter().partition(fits_hard_requirements);
        preferred.extend(rest);
        preferred
    }

    /// Picks each column's type. Columns joined by foreign keys get the same base type when
    /// one exists that every one of them can take, because a relation requires it.
    fn choose_types(&mut self) {
        let schema = self.schema;
        let candidates: Vec<Vec<Vec<TypeChoice>>> = schema
            .tables
            .iter()
            .map(|table| {
                table
                    .columns
                    .iter()
                    .map(|column| self.candidate_types(column))
                    .collect()
            })
            .collect();
        let mut chosen: Vec<Vec<TypeChoice>> = candidates
            .iter()
            .map(|columns| {
                columns
                    .iter()
                    .map(|choices| {
                        choices
                            .first()
                            .cloned()
                            .unwrap_or_else(|| TypeChoice::unsupported("unknown"))
                    })
                    .collect()
            })
            .collect();

        // Union-find over (table, column) positions, joined by foreign key column pairs.
        let column_ids: Vec<usize> = schema
            .tables
            .iter()
            .scan(0usize, |next, table| {
                let first = *next;
                *next += table.columns.len();
                Some(first)
            })
            .collect();
        let total_columns: usize = schema.tables.iter().map(|table| table.columns.len()).sum();
        let mut parents: Vec<usize> = (0..total_columns).collect();
        fn find(parents: &mut [usize], mut id: usize) -> usize {
            while let Some(&parent) = parents.get(id) {
                if parent == id {
                    break;
                }
                let grandparent = parents.get(parent).copied().unwrap_or(parent);
                if let Some(slot) = parents.get_mut(id) {
                    *slot = grandparent;
                }
                id = parent;
            }
            id
        }
        for (child_position, table) in schema.tables.iter().enumerate() {
            for foreign_key in &table.foreign_keys {
                let Some(&parent_position) = self
                    .table_positions
                    .get(foreign_key.referenced_table.as_str())
                else {
                    continue;
                };
                let Some(parent) = schema.tables.get(parent_position) else {
                    continue;
                };
                for (column_name, referenced_name) in foreign_key
                    .columns
                    .iter()
                    .zip(&foreign_key.referenced_columns)
                {
                    let (Some(child_column), Some(parent_column)) = (
                        column_position(table, column_name),
                        column_position(parent, referenced_name),
                    ) else {
                        continue;
                    };
                    let child_id =
                        column_ids.get(child_position).copied().unwrap_or(0) + child_column;
                    let parent_id =
                        column_ids.get(parent_position).copied().unwrap_or(0) + parent_column;
                    let (child_root, parent_root) =
                        (find(&mut parents, child_id), find(&mut parents, parent_id));
                    if child_root != parent_root {
                        // The smaller id becomes the root, so the result does not depend on order.
                        let (root, other) = if child_root < parent_root {
                            (child_root, parent_root)
                        } else {
                            (parent_root, child_root)
                        };
                        if let Some(slot) = parents.get_mut(other) {
                            *slot = root;
                        }
                    }
                }
            }
        }
        let mut components: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (table_position, table) in schema.tables.iter().enumerate() {
            for column_position in 0..table.columns.len() {
                let id = column_ids.get(table_position).copied().unwrap_or(0) + column_position;
                components
                    .entry(find(&mut parents, id))
                    .or_default()
                    .push((table_position, column_position));
            }
        }
        let mut roots: Vec<usize> = components.keys().copied().collect();
        roots.sort_unstable();
        for root in roots {
            let Some(members) = components.get(&root) else {
                continue;
            };
            if members.len() < 2 {
                continue;
            }
            let choices_of =
                |&(table_position, column_position): &(usize, usize)| -> &[TypeChoice] {
                    candidates
                        .get(table_position)
                        .and_then(|columns| columns.get(column_position))
                        .map(Vec::as_slice)
                        .unwrap_or(&[])
                };
            let Some(first_member) = members.first() else {
                continue;
            };
            let shared_base = choices_of(first_member)
                .iter()
                .map(|choice| &choice.base)
                .find(|base| {
                    members.iter().all(|member| {
                        choices_of(member)
                            .iter()
                            .any(|choice| &choice.base == *base)
                    })
                });
            let Some(shared_base) = shared_base else {
                continue;
            };
            for member in members {
                let Some(choice) = choices_of(member)
                    .iter()
                    .find(|choice| &choice.base == shared_base)
                else {
                    continue;
                };
                if let Some(slot) = chosen
                    .get_mut(member.0)
                    .and_then(|columns| columns.get_mut(member.1))
                {
                    *slot = choice.clone();
                }
            }
        }
        self.type_choices = chosen;
    }

    fn type_choice(&self, table_position: usize, column_position: usize) -> Option<&TypeChoice> {
        self.type_choices
            .get(table_position)
            .and_then(|columns| columns.get(column_position))
    }

    fn is_primary_key_column(&self, table_position: usize, column_position: usize) -> bool {
        self.primary_key_columns
            .get(table_position)
            .and_then(|columns| columns.get(column_position))
            .copied()
            .unwrap_or(false)
    }

    /// Whether the rendered field is optional (`?`). Primary key columns are written required,
    /// since Prisma refuses optional ids; lists have no `?`.
    fn is_optional(&self, table_position: usize, column_position: usize, column: &Column) -> bool {
        column.nullable
            && !column.column_type.is_array
            && !self.is_primary_key_column(table_position, column_position)
    }

    fn field_name(&self, table_position: usize, column_position: usize) -> &str {
        self.field_names
            .get(table_position)
            .and_then(|names| names.get(column_position))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn rendered_primary_key_columns(&self, table: &Table) -> Option<Vec<usize>> {
        let key = table.primary_key.as_ref()?;
        let positions: Option<Vec<usize>> = key
            .columns
            .iter()
            .map(|name| column_position(table, name))
            .collect();
        positions.filter(|positions| !positions.is_empty())
    }

    /// Unique indexes that are rendered, as column positions.
    fn rendered_unique_column_sets(&self, table: &Table) -> Vec<Vec<usize>> {
        table
            .indexes
            .iter()
            .filter(|index| index.unique)
            .filter_map(|index| index_column_positions(table, index))
            .collect()
    }

    /// A table with neither a primary key nor a unique index over required columns is
    /// rendered with `@@ignore`, as Prisma requires.
    fn find_ignored_tables(&mut self) {
        let ignored = self
            .schema
            .tables
            .iter()
            .enumerate()
            .map(|(table_position, table)| {
                if self.rendered_primary_key_columns(table).is_some() {
                    return false;
                }
                !self
                    .rendered_unique_column_sets(table)
                    .iter()
                    .any(|positions| {
                        positions.iter().all(|&position| {
                            table.columns.get(position).is_some_and(|column| {
                                !column.column_type.is_array
                                    && !self.is_optional(table_position, position, column)
                            })
                        })
                    })
            })
            .collect();
        self.ignored_tables = ignored;
    }

    /// Recognises comon_orm's implicit many-to-many join tables. The table name encodes both
    /// (model, field) sides, so a join table whose name, columns, keys and index are exactly what
    /// lowering that relation gives, between two rendered models of those names, is written back
    /// as the relation. Any other join table (a shortened name, a model named differently,
    /// anything changed by hand) stays an ordinary model, which describes the same tables.
    fn find_implicit_many_to_many(&mut self) {
        let schema = self.schema;
        for (join_position, table) in schema.tables.iter().enumerate() {
            let Some((table_a, field_a, table_b, field_b)) = self.decode_join_table(table) else {
                continue;
            };
            let field_is_free = |renderer: &SchemaRenderer, position: usize, field: &str| {
                renderer
                    .field_registries
                    .get(position)
                    .is_some_and(|registry| !registry.taken.contains(field))
            };
            if !field_is_free(self, table_a, &field_a)
                || !field_is_free(self, table_b, &field_b)
                || (table_a == table_b && field_a == field_b)
            {
                continue;
            }
            if let Some(registry) = self.field_registries.get_mut(table_a) {
                registry.claim(&field_a);
            }
            if let Some(registry) = self.field_registries.get_mut(table_b) {
                registry.claim(&field_b);
            }
            if let Some(slot) = self.join_tables.get_mut(join_position) {
                *slot = true;
            }
            self.many_to_many.push(ManyToMany {
                table_a,
                field_a,
                table_b,
                field_b,
                relation_name: None,
            });
        }
    }

    /// `(table A, field A, table B, field B)` when `table` is exactly the join table that
    /// lowering an implicit many-to-many relation between two rendered models would give.
    fn decode_join_table(&self, table: &Table) -> Option<(usize, String, usize, String)> {
        let provider = self.provider;
        let encoded = table.name.strip_prefix("_comon_orm_m2m__")?;
        // Base64url may itself contain `__`, so every way of cutting the name in four is tried.
        let separators: Vec<usize> = encoded
            .match_indices("__")
            .map(|(position, _)| position)
            .take(16)
            .collect();
        let mut sides = None;
        'search: for (first_index, &first) in separators.iter().enumerate() {
            for (second_index, &second) in separators.iter().enumerate().skip(first_index + 1) {
                for &third in separators.iter().skip(second_index + 1) {
                    if second < first + 2 || third < second + 2 {
                        continue;
                    }
                    let parts = [
                        encoded.get(..first),
                        encoded.get(first + 2..second),
                        encoded.get(second + 2..third),
                        encoded.get(third + 2..),
                    ];
                    let decoded: Option<Vec<String>> = parts
                        .iter()
                        .map(|part| part.and_then(base64_url_decode))
                        .collect();
                    let Some([model_a, field_a, model_b, field_b]) =
                        decoded.and_then(|decoded| <[String; 4]>::try_from(decoded).ok())
                    else {
                        continue;
                    };
                    if naming::join_table_name((&model_a, &field_a), (&model_b, &field_b), provider)
                        == table.name
                    {
                        sides = Some((model_a, field_a, model_b, field_b));
                        break 'search;
                    }
                }
            }
        }
        let (model_a, field_a, model_b, field_b) = sides?;
        if !is_valid_identifier(&field_a)
            || !is_valid_identifier(&field_b)
            || (model_a.as_str(), field_a.as_str()) > (model_b.as_str(), field_b.as_str())
        {
            return None;
        }
        let table_of_model = |model: &str| self.model_names.iter().position(|name| name == model);
        let (table_a, table_b) = (table_of_model(&model_a)?, table_of_model(&model_b)?);

        // The columns, key and index exactly as `from_data_model::join_tables` makes them.
        let [column_a, column_b] = table.columns.as_slice() else {
            return None;
        };
        let is_plain_reference = |column: &Column, name: &str| {
            column.name == name
                && !column.nullable
                && !column.column_type.is_array
                && column.default.is_none()
                && !column.auto_increment
        };
        if !is_plain_reference(column_a, "A") || !is_plain_reference(column_b, "B") {
            return None;
        }
        let default_name = |name: String| match provider {
            Provider::Postgresql => Some(name),
            Provider::Sqlite => None,
        };
        let key = table.primary_key.as_ref()?;
        if key.columns != ["A", "B"]
            || key.name != default_name(naming::primary_key_name(&table.name, provider))
        {
            return None;
        }
        let [index] = table.indexes.as_slice() else {
            return None;
        };
        let expected_index_columns = [IndexColumn {
            name: "B".to_string(),
            descending: false,
            operator_class: None,
        }];
        if index.unique
            || index.algorithm.is_some()
            || index.columns != expected_index_columns
            || index.name != naming::index_name(&table.name, &["B"], provider)
        {
            return None;
        }
        let [first_key, second_key] = table.foreign_keys.as_slice() else {
            return None;
        };
        let (key_a, key_b) = if first_key.columns == ["A"] {
            (first_key, second_key)
        } else {
            (second_key, first_key)
        };
        for (foreign_key, column, side_table) in
            [(key_a, column_a, table_a), (key_b, column_b, table_b)]
        {
            let side = self.schema.tables.get(side_table)?;
            let id_positions = self.rendered_primary_key_columns(side)?;
            let [id_position] = id_positions.as_slice() else {
                return None;
            };
            let id_column = side.columns.get(*id_position)?;
            let is_expected = foreign_key.columns == [column.name.as_str()]
                && foreign_key.referenced_table == side.name
                && foreign_key.referenced_columns == [id_column.name.as_str()]
                && foreign_key.on_delete == ReferentialAction::Cascade
                && foreign_key.on_update == ReferentialAction::Cascade
                && foreign_key.name
                    == default_name(naming::foreign_key_name(
                        &table.name,
                        &[column.name.as_str()],
                        provider,
                    ))
                && column.column_type == id_column.column_type
                && !self.ignored_tables.get(side_table).copied().unwrap_or(true);
            if !is_expected {
                return None;
            }
        }
        Some((table_a, field_a, table_b, field_b))
    }

    /// Turns foreign keys into relations, leaving out those that cannot validate.
    fn find_relations(&mut self) {
        let schema = self.schema;
        let mut relations = Vec::new();
        for (child_position, table) in schema.tables.iter().enumerate() {
            if self
                .join_tables
                .get(child_position)
                .copied()
                .unwrap_or(false)
            {
                continue;
            }
            for (foreign_key_position, foreign_key) in table.foreign_keys.iter().enumerate() {
                let Some(&parent_position) = self
                    .table_positions
                    .get(foreign_key.referenced_table.as_str())
                else {
                    continue;
                };
                let Some(parent) = schema.tables.get(parent_position) else {
                    continue;
                };
                if foreign_key.columns.is_empty()
                    || foreign_key.columns.len() != foreign_key.referenced_columns.len()
                {
                    continue;
                }
                let child_columns: Option<Vec<usize>> = foreign_key
                    .columns
                    .iter()
                    .map(|name| column_position(table, name))
                    .collect();
                let parent_columns: Option<Vec<usize>> = foreign_key
                    .referenced_columns
                    .iter()
                    .map(|name| column_position(parent, name))
                    .collect();
                let (Some(child_columns), Some(parent_columns)) = (child_columns, parent_columns)
                else {
                    continue;
                };
                if has_duplicates(&child_columns) || has_duplicates(&parent_columns) {
                    continue;
                }
                let types_match = child_columns.iter().zip(&parent_columns).all(
                    |(&child_column, &parent_column)| {
                        let is_list = |table: &Table, position: usize| {
                            table
                                .columns
                                .get(position)
                                .is_none_or(|column| column.column_type.is_array)
                        };
                        match (
                            self.type_choice(child_position, child_column),
                            self.type_choice(parent_position, parent_column),
                        ) {
                            (Some(child_type), Some(parent_type)) => {
                                child_type.base == parent_type.base
                                    && !is_list(table, child_column)
                                    && !is_list(parent, parent_column)
                            }
                            _ => false,
                        }
                    },
                );
                if !types_match {
                    continue;
                }
                let parent_unique_sets: Vec<Vec<usize>> = self
                    .rendered_primary_key_columns(parent)
                    .into_iter()
                    .chain(self.rendered_unique_column_sets(parent))
                    .collect();
                if !parent_unique_sets
                    .iter()
                    .any(|set| same_set(set, &parent_columns))
                {
                    continue;
                }
                let child_unique_sets: Vec<Vec<usize>> = self
                    .rendered_primary_key_columns(table)
                    .into_iter()
                    .chain(self.rendered_unique_column_sets(table))
                    .collect();
                let is_one_to_one = child_unique_sets
                    .iter()
                    .any(|set| same_set(set, &child_columns));
                relations.push(Relation {
                    child_table: child_position,
                    foreign_key: foreign_key_position,
                    parent_table: parent_position,
                    child_columns,
                    parent_columns,
                    relation_name: None,
                    child_field_name: String::new(),
                    parent_field_name: String::new(),
                    is_one_to_one,
                });
            }
        }

        // Relations between the same two models (either way round), and self relations, need
        // names so that each field finds its opposite.
        let mut relations_per_pair: HashMap<(usize, usize), usize> = HashMap::new();
        for relation in &relations {
            let pair = ordered_pair(relation.child_table, relation.parent_table);
            *relations_per_pair.entry(pair).or_default() += 1;
        }
        for relation in &self.many_to_many {
            *relations_per_pair
                .entry(ordered_pair(relation.table_a, relation.table_b))
                .or_default() += 1;
        }
        let mut relation_names = NameRegistry::default();
        for relation in &mut self.many_to_many {
            let pair = ordered_pair(relation.table_a, relation.table_b);
            if relations_per_pair.get(&pair).copied().unwrap_or(0) > 1 {
                let model_a = self
                    .model_names
                    .get(relation.table_a)
                    .map(String::as_str)
                    .unwrap_or("");
                let model_b = self
                    .model_names
                    .get(relation.table_b)
                    .map(String::as_str)
                    .unwrap_or("");
                relation.relation_name = Some(relation_names.claim(&format!(
                    "{model_a}_{}To{model_b}_{}",
                    relation.field_a, relation.field_b
                )));
            }
        }
        for relation in &mut relations {
            let pair = ordered_pair(relation.child_table, relation.parent_table);
            let is_ambiguous = relation.child_table == relation.parent_table
                || relations_per_pair.get(&pair).copied().unwrap_or(0) > 1;
            let child_model = self
                .model_names
                .get(relation.child_table)
                .cloned()
                .unwrap_or_default();
            let parent_model = self
                .model_names
                .get(relation.parent_table)
                .cloned()
                .unwrap_or_default();
            let (wanted_child_field, wanted_parent_field) = if is_ambiguous {
                let fields: Vec<&str> = relation
                    .child_columns
                    .iter()
                    .map(|&position| self.field_name(relation.child_table, position))
                    .collect();
                let relation_name = relation_names.claim(&format!(
                    "{child_model}_{}To{parent_model}",
                    fields.join("_")
                ));
                // `author_id` reads best as `author`; other columns give `Parent_columns`.
                let child_field = match fields.as_slice() {
                    [single] => name_without_id_suffix(single).map(str::to_string),
                    _ => None,
                }
                .unwrap_or_else(|| format!("{parent_model}_{}", fields.join("_")));
                let parent_field = format!("{child_model}_{child_field}");
                relation.relation_name = Some(relation_name);
                (child_field, parent_field)
            } else {
                (parent_model, child_model)
            };
            if let Some(registry) = self.field_registries.get_mut(relation.child_table) {
                relation.child_field_name = registry.claim(&wanted_child_field);
            }
            if let Some(registry) = self.field_registries.get_mut(relation.parent_table) {
                relation.parent_field_name = registry.claim(&wanted_parent_field);
            }
        }
        self.relations = relations;
    }

    // ----- text -----

    fn render(&self) -> String {
        let mut output = String::new();
        output.push_str("datasource db {\n");
        output.push_str(&format!("  provider = {}\n", quote(self.provider.as_str())));
        output.push_str("}\n");
        for (table_position, table) in self.schema.tables.iter().enumerate() {
            if self
                .join_tables
                .get(table_position)
                .copied()
                .unwrap_or(false)
            {
                continue;
            }
            output.push('\n');
            self.render_model(table_position, table, &mut output);
        }
        for (position, definition) in self.schema.enums.iter().enumerate() {
            let Some(Some(rendered)) = self.enums.get(position) else {
                continue;
            };
            output.push('\n');
            let rows: Vec<Vec<String>> = definition
                .values
                .iter()
                .zip(&rendered.value_names)
                .map(|(value, name)| {
                    let attributes = if &value.name == name {
                        String::new()
                    } else {
                        format!("@map({})", quote(&value.name))
                    };
                    vec![name.clone(), attributes]
                })
                .collect();
            let mut block_attributes = Vec::new();
            if definition.name != rendered.name {
                block_attributes.push(format!("@@map({})", quote(&definition.name)));
            }
            render_block(
                "enum",
                &rendered.name,
                &[],
                &rows,
                &block_attributes,
                &mut output,
            );
        }
        output
    }

    fn render_model(&self, table_position: usize, table: &Table, output: &mut String) {
        let provider = self.provider;
        let model_name = self
            .model_names
            .get(table_position)
            .map(String::as_str)
            .unwrap_or("");
        let primary_key_columns = self.rendered_primary_key_columns(table);
        let single_id_column =
            primary_key_columns
                .as_ref()
                .and_then(|positions| match positions.as_slice() {
                    [single] => Some(*single),
                    _ => None,
                });
        let primary_key_map = table.primary_key.as_ref().and_then(|key| {
            let name = key.name.as_ref()?;
            (name != &naming::primary_key_name(&table.name, provider)).then(|| name.clone())
        });

        // Unique indexes over one plain column are written on the field, once per field.
        let mut field_unique: HashMap<usize, &Index> = HashMap::new();
        let mut block_indexes: Vec<&Index> = Vec::new();
        for index in &table.indexes {
            let Some(positions) = index_column_positions(table, index) else {
                continue;
            };
            let is_field_level = index.unique
                && positions.len() == 1
                && index
                    .columns
                    .iter()
                    .all(|column| column.operator_class.is_none())
                && positions
                    .first()
                    .is_some_and(|position| !field_unique.contains_key(position));
            match positions.first() {
                Some(&position) if is_field_level => {
                    field_unique.insert(position, index);
                }
                _ => block_indexes.push(index),
            }
        }

        let mut rows: Vec<Vec<String>> = Vec::new();
        for (column_position, column) in table.columns.iter().enumerate() {
            let Some(choice) = self.type_choice(table_position, column_position) else {
                continue;
            };
            let mut type_text = self.type_text(choice);
            if column.column_type.is_array {
                type_text.push_str("[]");
            } else if self.is_optional(table_position, column_position, column) {
                type_text.push('?');
            }
            let mut attributes: Vec<String> = Vec::new();
            if single_id_column == Some(column_position) {
                attributes.push(match &primary_key_map {
                    Some(name) => format!("@id(map: {})", quote(name)),
                    None => "@id".to_string(),
                });
            }
            if let Some(default) = self.default_attribute(column, choice) {
                attributes.push(default);
            }
            if let Some(index) = field_unique.get(&column_position) {
                let mut arguments = Vec::new();
                let column_names = [column.name.as_str()];
                let index_name = self.rendered_index_name(table_position, index);
                if index_name != naming::unique_index_name(&table.name, &column_names, provider) {
                    arguments.push(format!("map: {}", quote(index_name)));
                }
                if index
                    .columns
                    .first()
                    .is_some_and(|index_column| index_column.descending)
                {
                    arguments.push("sort: Desc".to_string());
                }
                attributes.push(if arguments.is_empty() {
                    "@unique".to_string()
                } else {
                    format!("@unique({})", arguments.join(", "))
                });
            }
            let field_name = self.field_name(table_position, column_position);
            if column.name != field_name {
                attributes.push(format!("@map({})", quote(&column.name)));
            }
            if let Some(native_attribute) = &choice.native_attribute {
                attributes.push(format!("@{native_attribute}"));
            }
            rows.push(vec![
                field_name.to_string(),
                type_text,
                attributes.join(" "),
            ]);
        }
        rows.extend(self.relation_rows(table_position));

        let mut block_attributes = Vec::new();
        if let Some(positions) = &primary_key_columns {
            if positions.len() > 1 {
                let fields: Vec<&str> = positions
                    .iter()
                    .map(|&position| self.field_name(table_position, position))
                    .collect();
                let mut arguments = vec![format!("[{}]", fields.join(", "))];
                if let Some(name) = &primary_key_map {
                    arguments.push(format!("map: {}", quote(name)));
                }
                block_attributes.push(format!("@@id({})", arguments.join(", ")));
            }
        }
        for index in block_indexes.iter().filter(|index| index.unique) {
            block_attributes.push(self.block_index_attribute(table_position, table, index));
        }
        for index in block_indexes.iter().filter(|index| !index.unique) {
            block_attributes.push(self.block_index_attribute(table_position, table, index));
        }
        if table.name != model_name {
            block_attributes.push(format!("@@map({})", quote(&table.name)));
        }
        let is_ignored = self
            .ignored_tables
            .get(table_position)
            .copied()
            .unwrap_or(false);
        let documentation: Vec<&str> = if is_ignored {
            block_attributes.push("@@ignore".to_string());
            vec![IGNORED_MODEL_DOCUMENTATION]
        } else {
            Vec::new()
        };
        render_block(
            "model",
            model_name,
            &documentation,
            &rows,
            &block_attributes,
            output,
        );
    }

    fn type_text(&self, choice: &TypeChoice) -> String {
        match &choice.base {
            BaseType::Scalar(scalar) => scalar.name().to_string(),
            BaseType::Enum(position) => self
                .enums
                .get(*position)
                .and_then(Option::as_ref)
                .map(|rendered| rendered.name.clone())
                .unwrap_or_default(),
            BaseType::Unsupported(type_name) => format!("Unsupported({})", quote(type_name)),
        }
    }

    /// The relation fields of a model: those holding its foreign keys, then the opposite fields
    /// of relations that point at it.
    fn relation_rows(&self, table_position: usize) -> Vec<Vec<String>> {
        let provider = self.provider;
        let is_ignored =
            |position: usize| self.ignored_tables.get(position).copied().unwrap_or(false);
        let model_name =
            |position: usize| self.model_names.get(position).cloned().unwrap_or_default();
        let mut rows = Vec::new();
        for relation in self
            .relations
            .iter()
            .filter(|relation| relation.child_table == table_position)
        {
            let Some(table) = self.schema.tables.get(relation.child_table) else {
                continue;
            };
            let Some(foreign_key) = table.foreign_keys.get(relation.foreign_key) else {
                continue;
            };
            let any_optional = relation.child_columns.iter().any(|&position| {
                table
                    .columns
                    .get(position)
                    .is_some_and(|column| self.is_optional(relation.child_table, position, column))
            });
            let mut arguments = Vec::new();
            if let Some(name) = &relation.relation_name {
                arguments.push(quote(name));
            }
            let fields: Vec<&str> = relation
                .child_columns
                .iter()
                .map(|&position| self.field_name(relation.child_table, position))
                .collect();
            let references: Vec<&str> = relation
                .parent_columns
                .iter()
                .map(|&position| self.field_name(relation.parent_table, position))
                .collect();
            arguments.push(format!("fields: [{}]", fields.join(", ")));
            arguments.push(format!("references: [{}]", references.join(", ")));
            let default_on_delete = if any_optional {
                ReferentialAction::SetNull
            } else {
                ReferentialAction::Restrict
            };
            if foreign_key.on_delete != default_on_delete {
                arguments.push(format!("onDelete: {}", foreign_key.on_delete.prisma_name()));
            }
            if foreign_key.on_update != ReferentialAction::Cascade {
                arguments.push(format!("onUpdate: {}", foreign_key.on_update.prisma_name()));
            }
            if let Some(name) = &foreign_key.name {
                let column_names: Vec<&str> =
                    foreign_key.columns.iter().map(String::as_str).collect();
                if name != &naming::foreign_key_name(&table.name, &column_names, provider) {
                    arguments.push(format!("map: {}", quote(name)));
                }
            }
            let mut attributes = format!("@relation({})", arguments.join(", "));
            if is_ignored(relation.parent_table) && !is_ignored(table_position) {
                attributes.push_str(" @ignore");
            }
            let type_text = format!(
                "{}{}",
                model_name(relation.parent_table),
                if any_optional { "?" } else { "" }
            );
            rows.push(vec![
                relation.child_field_name.clone(),
                type_text,
                attributes,
            ]);
        }
        for relation in self
            .relations
            .iter()
            .filter(|relation| relation.parent_table == table_position)
        {
            let mut attributes = Vec::new();
            if let Some(name) = &relation.relation_name {
                attributes.push(format!("@relation({})", quote(name)));
            }
            if is_ignored(relation.child_table) && !is_ignored(table_position) {
                attributes.push("@ignore".to_string());
            }
            let type_text = format!(
                "{}{}",
                model_name(relation.child_table),
                if relation.is_one_to_one { "?" } else { "[]" }
            );
            rows.push(vec![
                relation.parent_field_name.clone(),
                type_text,
                attributes.join(" "),
            ]);
        }
        for relation in &self.many_to_many {
            let attributes = relation
                .relation_name
                .as_ref()
                .map(|name| format!("@relation({})", quote(name)))
                .unwrap_or_default();
            if relation.table_a == table_position {
                rows.push(vec![
                    relation.field_a.clone(),
                    format!("{}[]", model_name(relation.table_b)),
                    attributes.clone(),
                ]);
            }
            if relation.table_b == table_position {
                rows.push(vec![
                    relation.field_b.clone(),
                    format!("{}[]", model_name(relation.table_a)),
                    attributes,
                ]);
            }
        }
        rows
    }

    /// `@@unique(...)` or `@@index(...)` with `map:` only for a non-default name.
    fn block_index_attribute(&self, table_position: usize, table: &Table, index: &Index) -> String {
        let provider = self.provider;
        let fields: Vec<String> = index
            .columns
            .iter()
            .map(|index_column| {
                let field_name = column_position(table, &index_column.name)
                    .map(|position| self.field_name(table_position, position).to_string())
                    .unwrap_or_else(|| index_column.name.clone());
                let mut arguments = Vec::new();
                if index_column.descending {
                    arguments.push("sort: Desc".to_string());
                }
                if let Some(operator_class) = &index_column.operator_class {
                    arguments.push(format!("ops: {}", operator_class_text(operator_class)));
                }
                if arguments.is_empty() {
                    field_name
                } else {
                    format!("{field_name}({})", arguments.join(", "))
                }
            })
            .collect();
        let column_names: Vec<&str> = index
            .columns
            .iter()
            .map(|index_column| index_column.name.as_str())
            .collect();
        let default_name = if index.unique {
            naming::unique_index_name(&table.name, &column_names, provider)
        } else {
            naming::index_name(&table.name, &column_names, provider)
        };
        let mut arguments = vec![format!("[{}]", fields.join(", "))];
        let index_name = self.rendered_index_name(table_position, index);
        if index_name != default_name {
            arguments.push(format!("map: {}", quote(index_name)));
        }
        // `type:` is for plain indexes only; a unique index is always a B-tree in Prisma.
        if !index.unique {
            if let Some(type_name) = index.algorithm.as_deref().and_then(index_type_name) {
                arguments.push(format!("type: {type_name}"));
            }
        }
        let keyword = if index.unique { "@@unique" } else { "@@index" };
        format!("{keyword}({})", arguments.join(", "))
    }

    /// `@default(...)` for a column written with `choice`, or `None` when it has no default.
    fn default_attribute(&self, column: &Column, choice: &TypeChoice) -> Option<String> {
        let is_list = column.column_type.is_array;
        // A column that auto-increments and also has a default of its own (Prisma makes every
        // single `INTEGER` id on SQLite `AUTOINCREMENT`, `@default(0)` or not) keeps the
        // default: reading `@default(0)` back in that flavour gives the same column again.
        if column.auto_increment && column.default.is_none() {
            let fits = !is_list
                && matches!(
                    choice.base,
                    BaseType::Scalar(ScalarType::Int | ScalarType::BigInt)
                );
            return fits.then(|| "@default(autoincrement())".to_string());
        }
        let value = match column.default.as_ref()? {
            ColumnDefault::Now
                if !is_list && choice.base == BaseType::Scalar(ScalarType::DateTime) =>
            {
                "now()".to_string()
            }
            ColumnDefault::Now => database_generated("CURRENT_TIMESTAMP"),
            ColumnDefault::Expression(expression) if expression.trim().is_empty() => return None,
            ColumnDefault::Expression(expression) => database_generated(expression),
            ColumnDefault::Value(value) => {
                let literal = match (value, is_list) {
                    (DefaultValue::List(items), true) => items
                        .iter()
                        .map(|item| self.literal(item, &choice.base))
                        .collect::<Option<Vec<String>>>()
                        .map(|items| format!("[{}]", items.join(", "))),
                    (DefaultValue::List(_), false) | (_, true) => None,
                    (value, false) => self.literal(value, &choice.base),
                };
                // A value the field's type cannot hold is still the database's default: it is
                // kept as the SQL literal, which the differ compares with the value.
                literal.unwrap_or_else(|| database_generated(&sql_literal(value)))
            }
        };
        Some(format!("@default({value})"))
    }

    /// A default value written as a Prisma literal of the given type, if it is one.
    fn literal(&self, value: &DefaultValue, base: &BaseType) -> Option<String> {
        use ScalarType::*;
        match (base, value) {
            (BaseType::Scalar(String | DateTime | Json | Bytes), DefaultValue::String(text)) => {
                Some(quote(text))
            }
            // The differ compares numbers with strings by value.
            (BaseType::Scalar(String | DateTime | Json | Bytes), DefaultValue::Number(number)) => {
                Some(quote(number))
            }
            (
                BaseType::Scalar(Int | BigInt),
                DefaultValue::Number(number) | DefaultValue::String(number),
            ) => {
                let trimmed = number.trim();
                (is_plain_number(trimmed) && trimmed.parse::<i64>().is_ok())
                    .then(|| trimmed.to_string())
            }
            (BaseType::Scalar(Int | BigInt), DefaultValue::Boolean(flag)) => {
                Some(if *flag { "1" } else { "0" }.to_string())
            }
            (
                BaseType::Scalar(Float | Decimal),
                DefaultValue::Number(number) | DefaultValue::String(number),
            ) => {
                let trimmed = number.trim();
                (is_plain_number(trimmed) && trimmed.parse::<f64>().is_ok())
                    .then(|| trimmed.to_string())
            }
            (BaseType::Scalar(Boolean), DefaultValue::Boolean(flag)) => Some(flag.to_string()),
            (BaseType::Scalar(Boolean), DefaultValue::Number(number)) => {
                let parsed = number.trim().parse::<f64>().ok()?;
                if parsed == 1.0 {
                    Some("true".to_string())
                } else if parsed == 0.0 {
                    Some("false".to_string())
                } else {
                    None
                }
            }
            (BaseType::Enum(position), DefaultValue::String(text)) => {
                let definition = self.schema.enums.get(*position)?;
                let rendered = self.enums.get(*position)?.as_ref()?;
                let value_position = definition
                    .values
                    .iter()
                    .position(|value| &value.name == text)?;
                rendered.value_names.get(value_position).cloned()
            }
            _ => None,
        }
    }
}

/// Writes a block with its rows aligned in columns, then its block attributes after a blank line.
fn render_block(
    keyword: &str,
    name: &str,
    documentation: &[&str],
    rows: &[Vec<String>],
    block_attributes: &[String],
    output: &mut String,
) {
    for line in documentation {
        output.push_str("///");
        output.push_str(line);
        output.push('\n');
    }
    output.push_str(&format!("{keyword} {name} {{\n"));
    let column_count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..column_count)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|text| text.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from("  ");
        for (column, text) in row.iter().enumerate() {
            if column > 0 {
                line.push(' ');
            }
            let width = widths.get(column).copied().unwrap_or(0);
            line.push_str(&format!("{text:<width$}"));
        }
        output.push_str(line.trim_end());
        output.push('\n');
    }
    if !block_attributes.is_empty() {
        if !rows.is_empty() {
            output.push('\n');
        }
        for attribute in block_attributes {
            output.push_str("  ");
            output.push_str(attribute);
            output.push('\n');
        }
    }
    output.push_str("}\n");
}

/// `author` for `author_id` or `authorId`: the name of what a single foreign key column points
/// at, when it is still a valid identifier.
fn name_without_id_suffix(field_name: &str) -> Option<&str> {
    ["_id", "Id", "_ID", "ID"]
        .iter()
        .find_map(|suffix| field_name.strip_suffix(suffix))
        .filter(|stripped| is_valid_identifier(stripped))
}

fn column_position(table: &Table, column_name: &str) -> Option<usize> {
    table
        .columns
        .iter()
        .position(|column| column.name == column_name)
}

/// The positions of an index's columns, or `None` when one is not a column of the table
/// (an expression index), which the schema cannot describe.
fn index_column_positions(table: &Table, index: &Index) -> Option<Vec<usize>> {
    let positions: Option<Vec<usize>> = index
        .columns
        .iter()
        .map(|index_column: &IndexColumn| column_position(table, &index_column.name))
        .collect();
    positions.filter(|positions| !positions.is_empty() && !has_duplicates(positions))
}

fn has_duplicates(positions: &[usize]) -> bool {
    let mut seen = HashSet::new();
    !positions.iter().all(|position| seen.insert(*position))
}

fn same_set(left: &[usize], right: &[usize]) -> bool {
    left.len() == right.len() && left.iter().all(|position| right.contains(position))
}

fn ordered_pair(first: usize, second: usize) -> (usize, usize) {
    if first <= second {
        (first, second)
    } else {
        (second, first)
    }
}

/// The `type:` argument for an index access method, `None` for the default B-tree and for
/// methods Prisma cannot name.
fn index_type_name(algorithm: &str) -> Option<&'static str> {
    match algorithm {
        "hash" => Some("Hash"),
        "gist" => Some("Gist"),
        "gin" => Some("Gin"),
        "spgist" => Some("SpGist"),
        "brin" => Some("Brin"),
        _ => None,
    }
}

/// An operator class by its Prisma name when validation maps that name back to it, else `raw()`.
fn operator_class_text(operator_class: &str) -> String {
    PRISMA_OPERATOR_CLASSES
        .iter()
        .find(|prisma_name| operator_class_name(prisma_name) == operator_class)
        .map(|prisma_name| prisma_name.to_string())
        .unwrap_or_else(|| format!("raw({})", quote(operator_class)))
}

/// A number the schema lexer reads back as the same number: digits with an optional sign and
/// fraction (an exponent's `+` is not part of a word).
fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    !whole.is_empty()
        && whole.bytes().all(|byte| byte.is_ascii_digit())
        && fraction.is_none_or(|fraction| {
            !fraction.is_empty() && fraction.bytes().all(|byte| byte.is_ascii_digit())
        })
}

fn database_generated(expression: &str) -> String {
    format!("dbgenerated({})", quote(expression))
}

/// A default value as the SQL literal the differ compares it with (see `diff::defaults`).
fn sql_literal(value: &DefaultValue) -> String {
    match value {
        DefaultValue::String(text) => format!("'{}'", text.replace('\'', "''")),
        DefaultValue::Number(number) => number.clone(),
        DefaultValue::Boolean(flag) => flag.to_string(),
        DefaultValue::List(items) => format!(
            "[{}]",
            items.iter().map(sql_literal).collect::<Vec<_>>().join(",")
        ),
    }
}

/// Decodes base64url without padding, as `naming::base64_url` encodes; `None` unless the
/// result is UTF-8 text.
fn base64_url_decode(encoded: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(encoded.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bit_count = 0;
    for character in encoded.bytes() {
        let value = match character {
            b'A'..=b'Z' => character - b'A',
            b'a'..=b'z' => character - b'a' + 26,
            b'0'..=b'9' => character - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bit_count += 6;
        if bit_count >= 8 {
            bit_count -= 8;
            bytes.push(((buffer >> bit_count) & 0xff) as u8);
        }
    }
    String::from_utf8(bytes).ok()
}

/// A string literal with the escapes the schema lexer decodes.
fn quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for character in value.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            _ if character.is_control() => {
                quoted.push_str(&format!("\\u{:04x}", u32::from(character)))
            }
            _ => quoted.push(character),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_sanitized() {
        assert_eq!(
            sanitized_identifier("_comon_orm_m2m__QQ__Yg-x", "Model"),
            "comon_orm_m2m__QQ__Yg_x"
        );
        assert_eq!(
            sanitized_identifier("1st table", "Model"),
            "Model_1st_table"
        );
        assert_eq!(sanitized_identifier("___", "field"), "field");
        assert!(is_valid_identifier("user_id"));
        assert!(!is_valid_identifier("user-id"));
        assert!(!is_valid_identifier("_user"));
    }

    #[test]
    fn postgres_types_with_arguments_are_read() {
        let first_choice = |spelling: &str| {
            native_type_choices(
                &ColumnTypeKind::native(spelling),
                Provider::Postgresql,
                Flavour::ComonOrm,
            )[0]
            .clone()
        };
        assert_eq!(
            first_choice("character varying(255)"),
            TypeChoice::native(ScalarType::String, "db.VarChar(255)")
        );
        assert_eq!(
            first_choice("timestamp(3) without time zone"),
            TypeChoice::native(ScalarType::DateTime, "db.Timestamp(3)")
        );
        assert_eq!(
            first_choice("numeric(10,2)"),
            TypeChoice::native(ScalarType::Decimal, "db.Decimal(10, 2)")
        );
        assert_eq!(
            first_choice("tsvector"),
            TypeChoice::unsupported("tsvector")
        );
        assert_eq!(first_choice("name"), TypeChoice::unsupported("name"));
    }

    #[test]
    fn plain_numbers_are_recognised() {
        assert!(is_plain_number("-12.5"));
        assert!(!is_plain_number("1e+5"));
        assert!(!is_plain_number(".5"));
    }
}
