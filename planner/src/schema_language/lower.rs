//! Validation: turns a syntax tree into a `DataModel`, or explains every problem with a stable
//! code, a message and a span. The checks follow Prisma's: unknown types and attributes, missing
//! opposite relation fields, bad `fields`/`references`, duplicate names, `@updatedAt` on a
//! non-DateTime field, native types that do not fit the field, and so on.

use crate::collections::{HashMap, HashSet};

use super::ast::{self, Argument, Attribute, Expression, SchemaAst, Top};
use super::data_model::*;
use crate::error::{SchemaError, SchemaErrors, Span};
use crate::provider::Provider;
use crate::values::{DefaultValue, ReferentialAction};

/// Checks a parsed schema against the rules of the language and builds its data model. All
/// errors found are returned together, in source order. Names the database itself would reject
/// (an index name used twice, say) can only be seen once the schema is lowered: `parse_and_validate`
/// at the crate root checks those too.
pub fn validate_language_rules(ast: &SchemaAst) -> Result<DataModel, SchemaErrors> {
    let mut validator = Validator { errors: Vec::new() };
    let data_model = validator.validate(ast);
    if validator.errors.is_empty() {
        if let Some(data_model) = data_model {
            return Ok(data_model);
        }
    }
    let mut errors = validator.errors;
    if errors.is_empty() {
        errors.push(SchemaError::new(
            "invalid-schema",
            "The schema is invalid.",
            None,
        ));
    }
    Err(SchemaErrors::in_source_order(errors))
}

struct Validator {
    errors: Vec<SchemaError>,
}

/// The longest identifier PostgreSQL keeps whole, in bytes.
const POSTGRES_MAXIMUM_IDENTIFIER_BYTES: usize = 63;

/// What a type name in a field refers to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeTarget {
    Model,
    Enum,
    CompositeType,
    View,
}

impl Validator {
    fn error(&mut self, code: &str, message: impl Into<String>, span: Span) {
        self.errors
            .push(SchemaError::new(code, message, Some(span)));
    }

    fn validate(&mut self, ast: &SchemaAst) -> Option<DataModel> {
        let datasource = self.validate_datasource(ast);
        let provider = datasource
            .as_ref()
            .map(|(datasource, _)| datasource.provider)
            .unwrap_or(Provider::Postgresql);

        let mut type_targets: HashMap<&str, TypeTarget> = HashMap::default();
        let mut first_definitions: HashMap<&str, Span> = HashMap::default();
        for top in &ast.tops {
            let (name, target) = match top {
                Top::Model(block) => (&block.name, TypeTarget::Model),
                Top::View(block) => (&block.name, TypeTarget::View),
                Top::CompositeType(block) => (&block.name, TypeTarget::CompositeType),
                Top::Enum(block) => (&block.name, TypeTarget::Enum),
                _ => continue,
            };
            if ScalarType::from_name(&name.name).is_some() || name.name == "Unsupported" {
                self.error(
                    "reserved-name",
                    format!("The name `{}` is a reserved scalar type name.", name.name),
                    name.span,
                );
                continue;
            }
            if type_targets.insert(&name.name, target).is_some() {
                let error = SchemaError::new(
                    "duplicate-name",
                    format!("The name `{}` is defined more than once. Models, views, enums and types share one namespace.", name.name),
                    Some(name.span),
                );
                // The first definition, so that a schema of several files can name both.
                self.errors
                    .push(match first_definitions.get(name.name.as_str()) {
                        Some(first) => error.with_related(*first),
                        None => error,
                    });
            } else {
                first_definitions.insert(&name.name, name.span);
            }
            if let Top::CompositeType(_) = top {
                self.error(
                    "unsupported-feature",
                    format!("Composite types such as `{}` are only available on MongoDB, not on {provider}.", name.name),
                    name.span,
                );
            }
        }

        let mut enums = Vec::new();
        for top in &ast.tops {
            if let Top::Enum(block) = top {
                if let Some(definition) = self.validate_enum(block, provider) {
                    enums.push(definition);
                }
            }
        }
        let enums_by_name: HashMap<&str, &EnumDefinition> = enums
            .iter()
            .map(|definition| (definition.name.as_str(), definition))
            .collect();

        let mut models = Vec::new();
        for top in &ast.tops {
            if let Top::Model(block) = top {
                models.push(self.validate_model(block, provider, &type_targets, &enums_by_name));
            }
        }

        let relation_mode_prisma = datasource
            .as_ref()
            .map(|(_, relation_mode_prisma)| *relation_mode_prisma)
            .unwrap_or(false);
        self.validate_relations(&mut models);
        self.validate_database_names(&models, &enums, provider);
        let (datasource, _) = datasource?;
        Some(DataModel {
            provider,
            datasource,
            relation_mode_prisma,
            models,
            enums,
        })
    }

    /// PostgreSQL cuts identifiers to 63 bytes without a word (`NAMEDATALEN - 1`), so a longer
    /// name the user gives would create an object of another name, and every later comparison
    /// with the schema would see drift. Generated default names are shortened with a hash
    /// instead (see `database_schema::naming`) and never reach this check.
    fn check_identifier_length(&mut self, provider: Provider, what: &str, name: &str, span: Span) {
        if provider == Provider::Postgresql && name.len() > POSTGRES_MAXIMUM_IDENTIFIER_BYTES {
            self.error(
                "identifier-too-long",
                format!(
                    "The {what} name `{name}` is {} bytes long; PostgreSQL allows at most {POSTGRES_MAXIMUM_IDENTIFIER_BYTES} bytes in a name (it cuts longer ones silently, or refuses them). Choose a shorter name (with `@map`, `@@map` or `map:`).",
                    name.len()
                ),
                span,
            );
        }
    }

    fn validate_datasource(&mut self, ast: &SchemaAst) -> Option<(Datasource, bool)> {
        let blocks: Vec<&ast::ConfigBlock> = ast
            .tops
            .iter()
            .filter_map(|top| match top {
                Top::Datasource(block) => Some(block),
                _ => None,
            })
            .collect();
        let Some(block) = blocks.first() else {
            self.errors.push(SchemaError::new(
                "missing-datasource",
                "The schema has no datasource block. Add one, for example: datasource db { provider = \"postgresql\" }.",
                None,
            ));
            return None;
        };
        for extra in blocks.iter().skip(1) {
            self.errors.push(
                SchemaError::new(
                    "duplicate-datasource",
                    "A schema can have only one datasource block.",
                    Some(extra.name.span),
                )
                .with_related(block.name.span),
            );
        }
        let mut provider = None;
        // An unsupported provider is reported once, as that, not also as a missing one.
        let mut provider_reported = false;
        let mut url = None;
        let mut direct_url = None;
        let mut extensions = Vec::new();
        let mut relation_mode_prisma = false;
        for property in block.properties() {
            match property.name.name.as_str() {
                "provider" => match &property.value {
                    Expression::String(value, span) => match Provider::from_datasource_provider(value) {
                        Some(found) => provider = Some(found),
                        None => {
                            provider_reported = true;
                            self.error(
                                "unknown-provider",
                                format!("The datasource provider `{value}` is not supported: comon supports \"postgresql\" and \"sqlite\"."),
                                *span,
                            )
                        }
                    },
                    other => {
                        provider_reported = true;
                        self.error("invalid-argument", "The datasource provider must be a string such as \"postgresql\".", other.span())
                    }
                },
                "url" => url = self.datasource_url(&property.value, "url"),
                "directUrl" => direct_url = self.datasource_url(&property.value, "directUrl"),
                "relationMode" | "referentialIntegrity" => match &property.value {
                    Expression::String(value, span) => match value.as_str() {
                        "prisma" => relation_mode_prisma = true,
                        "foreignKeys" => relation_mode_prisma = false,
                        _ => self.error("invalid-argument", format!("Unknown relationMode `{value}`. Use \"prisma\" or \"foreignKeys\"."), *span),
                    },
                    other => self.error("invalid-argument", "relationMode must be a string.", other.span()),
                },
                // Settings that matter to other tools but not to planning.
                "extensions" => extensions = self.datasource_extensions(&property.value),
                "shadowDatabaseUrl" | "schemas" => {}
                other => self.error("unknown-property", format!("The datasource property `{other}` is not known."), property.name.span),
            }
        }
        let Some(provider) = provider else {
            if !provider_reported {
                self.error(
                    "missing-provider",
                    "The datasource block must set `provider`.",
                    block.name.span,
                );
            }
            return None;
        };
        Some((
            Datasource {
                name: block.name.name.clone(),
                provider,
                url,
                direct_url,
                extensions,
            },
            relation_mode_prisma,
        ))
    }

    /// `extensions = [name, name(map: "db-name", schema: "s", version: "1.0")]`.
    fn datasource_extensions(&mut self, value: &Expression) -> Vec<DatasourceExtension> {
        let Expression::Array(items, _) = value else {
            self.error(
                "invalid-argument",
                "`extensions` must be a list such as [citext, pg_trgm].",
                value.span(),
            );
            return Vec::new();
        };
        let mut extensions = Vec::new();
        for item in items {
            let (identifier, arguments) = match item {
                Expression::Constant(name, _) => (name.clone(), &[][..]),
                Expression::Function(name, arguments, _) => (name.clone(), arguments.as_slice()),
                other => {
                    self.error("invalid-argument", "An extension is a name, optionally with (map: \"...\", schema: \"...\", version: \"...\").", other.span());
                    continue;
                }
            };
            let mut extension = DatasourceExtension {
                name: identifier,
                schema: None,
                version: None,
            };
            for argument in arguments {
                let (Some(name), Expression::String(text, _)) = (&argument.name, &argument.value)
                else {
                    self.error("invalid-argument", "Extension arguments are map: \"...\", schema: \"...\" and version: \"...\".", argument.span);
                    continue;
                };
                match name.name.as_str() {
                    "map" => extension.name = text.clone(),
                    "schema" => extension.schema = Some(text.clone()),
                    "version" => extension.version = Some(text.clone()),
                    other => self.error(
                        "invalid-argument",
                        format!(
                            "Unknown extension argument `{other}`: use map, schema or version."
                        ),
                        name.span,
                    ),
                }
            }
            extensions.push(extension);
        }
        extensions
    }

    /// A datasource URL property: a string, or `env("VARIABLE")`.
    fn datasource_url(&mut self, value: &Expression, property: &str) -> Option<DatasourceUrl> {
        match value {
            Expression::String(value, _) => Some(DatasourceUrl::Literal(value.clone())),
            Expression::Function(name, arguments, span) if name == "env" => {
                match arguments.as_slice() {
                    [Argument {
                        name: None,
                        value: Expression::String(variable, _),
                        ..
                    }] => Some(DatasourceUrl::Environment(variable.clone())),
                    _ => {
                        self.error(
                            "invalid-argument",
                            "`env()` takes one string argument: the environment variable's name.",
                            *span,
                        );
                        None
                    }
                }
            }
            other => {
                self.error(
                    "invalid-argument",
                    format!("The datasource {property} must be a string or env(\"VARIABLE\")."),
                    other.span(),
                );
                None
            }
        }
    }

    fn validate_enum(
        &mut self,
        block: &ast::EnumBlock,
        provider: Provider,
    ) -> Option<EnumDefinition> {
        let mut values: Vec<(String, String)> = Vec::new();
        let mut seen_names = HashSet::default();
        let mut seen_database_names = HashSet::default();
        for value in block.values() {
            let mut database_name = value.name.name.clone();
            let mut database_name_span = value.name.span;
            for attribute in &value.attributes {
                match attribute.name.name.as_str() {
                    "map" => {
                        if let Some((mapped, span)) = self.single_string_argument(attribute) {
                            database_name = mapped;
                            database_name_span = span;
                        }
                    }
                    other => self.error(
                        "unknown-attribute",
                        format!("The attribute `@{other}` is not valid on an enum value."),
                        attribute.name.span,
                    ),
                }
            }
            self.check_identifier_length(
                provider,
                "enum value",
                &database_name,
                database_name_span,
            );
            if !seen_names.insert(value.name.name.clone())
                || !seen_database_names.insert(database_name.clone())
            {
                self.error(
                    "duplicate-enum-value",
                    format!(
                        "The value `{}` is defined more than once in the enum `{}`.",
                        value.name.name, block.name.name
                    ),
                    value.name.span,
                );
            }
            values.push((value.name.name.clone(), database_name));
        }
        if values.is_empty() {
            self.error(
                "empty-enum",
                format!(
                    "The enum `{}` must have at least one value.",
                    block.name.name
                ),
                block.name.span,
            );
        }
        let mut database_name = block.name.name.clone();
        let mut database_name_span = block.name.span;
        for attribute in block.block_attributes() {
            match attribute.name.name.as_str() {
                "map" => {
                    if let Some((mapped, span)) = self.single_string_argument(attribute) {
                        database_name = mapped;
                        database_name_span = span;
                    }
                }
                "schema" => {}
                other => self.error(
                    "unknown-attribute",
                    format!("The attribute `@@{other}` is not valid on an enum."),
                    attribute.name.span,
                ),
            }
        }
        self.check_identifier_length(provider, "enum type", &database_name, database_name_span);
        Some(EnumDefinition {
            name: block.name.name.clone(),
            database_name,
            values,
            span: block.name.span,
        })
    }

    /// The one string argument of `@map("...")`-like attributes, with the span of the string.
    fn single_string_argument(&mut self, attribute: &Attribute) -> Option<(String, Span)> {
        match attribute.arguments.as_slice() {
            [Argument {
                value: Expression::String(value, span),
                name,
                ..
            }] if name
                .as_ref()
                .is_none_or(|name| name.name == "name" || name.name == "map") =>
            {
                Some((value.clone(), *span))
            }
            _ => {
                self.error(
                    "invalid-argument",
                    format!(
                        "`@{}` takes exactly one string argument.",
                        attribute.name.name
                    ),
                    attribute.span,
                );
                None
            }
        }
    }

    fn validate_model(
        &mut self,
        block: &ast::ModelBlock,
        provider: Provider,
        type_targets: &HashMap<&str, TypeTarget>,
        enums: &HashMap<&str, &EnumDefinition>,
    ) -> Model {
        let model_name = &block.name.name;
        let mut fields: Vec<Field> = Vec::new();
        let mut seen_field_names = HashSet::default();
        let mut primary_key: Option<ModelPrimaryKey> = None;
        let mut indexes: Vec<ModelIndex> = Vec::new();

        for field in block.fields() {
            if !seen_field_names.insert(field.name.name.as_str()) {
                self.error(
                    "duplicate-field",
                    format!(
                        "The field `{}` is defined more than once in the model `{model_name}`.",
                        field.name.name
                    ),
                    field.name.span,
                );
                continue;
            }
            let arity = match field.field_type.arity {
                ast::FieldArity::Required => Arity::Required,
                ast::FieldArity::Optional => Arity::Optional,
                ast::FieldArity::List => Arity::List,
            };
            let type_name = field.field_type.name.name.as_str();
            let kind = if let Some(scalar_type) = ScalarType::from_name(type_name) {
                self.validate_scalar_field(
                    model_name,
                    field,
                    arity,
                    ScalarFieldType::Builtin(scalar_type),
                    provider,
                    enums,
                    &mut primary_key,
                    &mut indexes,
                )
            } else if type_name == "Unsupported" {
                let text = field.field_type.unsupported.clone().unwrap_or_default();
                self.validate_scalar_field(
                    model_name,
                    field,
                    arity,
                    ScalarFieldType::Unsupported(text),
                    provider,
                    enums,
                    &mut primary_key,
                    &mut indexes,
                )
            } else {
                match type_targets.get(type_name) {
                    Some(TypeTarget::Enum) => self.validate_scalar_field(
                        model_name,
                        field,
                        arity,
                        ScalarFieldType::Enum(type_name.to_string()),
                        provider,
                        enums,
                        &mut primary_key,
                        &mut indexes,
                    ),
                    Some(TypeTarget::Model) => self.validate_relation_field(field, arity, provider),
                    Some(TypeTarget::View) | Some(TypeTarget::CompositeType) => {
                        self.error(
                            "unsupported-feature",
                            format!("The field `{}` refers to `{type_name}`, which is a view or composite type; relations to them are not supported.", field.name.name),
                            field.field_type.name.span,
                        );
                        None
                    }
                    None => {
                        self.error(
                            "unknown-type",
                            format!("Type \"{type_name}\" is neither a built-in type, nor refers to another model, composite type, or enum."),
                            field.field_type.name.span,
                        );
                        None
                    }
                }
            };
            if let Some(kind) = kind {
                fields.push(Field {
                    name: field.name.name.clone(),
                    arity,
                    kind,
                    span: field.name.span,
                });
            }
        }

        let mut database_name = model_name.clone();
        let mut database_name_span = block.name.span;
        let mut ignored = false;
        for attribute in block.block_attributes() {
            match attribute.name.name.as_str() {
                "map" => {
                    if let Some((mapped, span)) = self.single_string_argument(attribute) {
                        database_name = mapped;
                        database_name_span = span;
                    }
                }
                "ignore" => ignored = true,
                "schema" => {}
                "id" => {
                    if primary_key.is_some() {
                        self.error(
                            "duplicate-id",
                            format!("The model `{model_name}` cannot have both `@id` on a field and `@@id`."),
                            attribute.name.span,
                        );
                    }
                    if let Some(index) =
                        self.validate_block_index(model_name, attribute, &fields, true, provider)
                    {
                        for index_field in &index.fields {
                            if let Some(field) =
                                fields.iter().find(|field| field.name == index_field.name)
                            {
                                if field.arity != Arity::Required {
                                    self.error(
                                        "invalid-id",
                                        format!("The field `{}` in `@@id` of the model `{model_name}` must be required.", field.name),
                                        attribute.span,
                                    );
                                }
                            }
                        }
                        primary_key = Some(ModelPrimaryKey {
                            fields: index.fields.into_iter().map(|field| field.name).collect(),
                            map: index.map,
                        });
                    }
                }
                "unique" => {
                    if let Some(index) =
                        self.validate_block_index(model_name, attribute, &fields, true, provider)
                    {
                        indexes.push(ModelIndex {
                            unique: true,
                            ..index
                        });
                    }
                }
                "index" => {
                    if let Some(index) =
                        self.validate_block_index(model_name, attribute, &fields, false, provider)
                    {
                        indexes.push(index);
                    }
                }
                "fulltext" => self.error(
                    "unsupported-feature",
                    format!(
                        "`@@fulltext` is only available on MySQL and MongoDB, not on {provider}."
                    ),
                    attribute.name.span,
                ),
                other => self.error(
                    "unknown-attribute",
                    format!("The attribute `@@{other}` is not known on a model."),
                    attribute.name.span,
                ),
            }
        }

        self.check_identifier_length(provider, "table", &database_name, database_name_span);
        if provider == Provider::Sqlite {
            self.check_sqlite_autoincrement(model_name, &fields, primary_key.as_ref());
        }

        let has_unique_criterion = primary_key.is_some()
            || indexes.iter().any(|index| {
                index.unique
                    && index.fields.iter().all(|index_field| {
                        fields.iter().any(|field| {
                            field.name == index_field.name && field.arity == Arity::Required
                        })
                    })
            });
        if !has_unique_criterion && !ignored {
            self.error(
                "missing-unique-criteria",
                format!("Each model must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model `{model_name}`."),
                block.name.span,
            );
        }

        Model {
            name: model_name.clone(),
            database_name,
            fields,
            primary_key,
            indexes,
            ignored,
            span: block.name.span,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn validate_scalar_field(
        &mut self,
        model_name: &str,
        field: &ast::Field,
        arity: Arity,
        scalar_type: ScalarFieldType,
        provider: Provider,
        enums: &HashMap<&str, &EnumDefinition>,
        primary_key: &mut Option<ModelPrimaryKey>,
        indexes: &mut Vec<ModelIndex>,
    ) -> Option<FieldKind> {
        let field_name = &field.name.name;
        if arity == Arity::List && provider == Provider::Sqlite {
            self.error(
                "unsupported-feature",
                format!(
                    "The field `{field_name}` is a list; scalar lists are not supported on SQLite."
                ),
                field.field_type.span,
            );
        }
        let mut scalar = ScalarField {
            name: field_name.clone(),
            database_name: field_name.clone(),
            arity,
            scalar_type: scalar_type.clone(),
            native_type: None,
            default: None,
            is_updated_at: false,
            ignored: false,
        };
        let mut database_name_span = field.name.span;
        let mut seen_attributes = HashSet::default();
        for attribute in &field.attributes {
            let name = attribute.name.name.as_str();
            if !seen_attributes.insert(name) {
                self.error("duplicate-attribute", format!("The attribute `@{name}` appears more than once on the field `{field_name}`."), attribute.name.span);
                continue;
            }
            match name {
                "id" => {
                    if arity != Arity::Required {
                        self.error("invalid-id", format!("The field `{field_name}` is marked `@id` but is not required. Ids must be required."), attribute.name.span);
                    }
                    if primary_key.is_some() {
                        self.error("duplicate-id", format!("The model `{model_name}` has more than one field marked `@id`. Use `@@id` for a composite id."), attribute.name.span);
                    }
                    let map = self.named_string_argument(attribute, "map", provider);
                    self.check_arguments(attribute, &["map", "sort", "length", "clustered"]);
                    *primary_key = Some(ModelPrimaryKey {
                        fields: vec![field_name.clone()],
                        map,
                    });
                }
                "unique" => {
                    let map = self.named_string_argument(attribute, "map", provider);
                    self.check_arguments(attribute, &["map", "sort", "length", "clustered"]);
                    let descending = self.sort_argument(attribute);
                    indexes.push(ModelIndex {
                        unique: true,
                        fields: vec![IndexField {
                            name: field_name.clone(),
                            descending,
                            operator_class: None,
                        }],
                        map,
                        algorithm: None,
                    });
                }
                "map" => {
                    if let Some((mapped, span)) = self.single_string_argument(attribute) {
                        scalar.database_name = mapped;
                        database_name_span = span;
                    }
                }
                "updatedAt" => {
                    if scalar_type != ScalarFieldType::Builtin(ScalarType::DateTime) {
                        self.error(
                            "invalid-updated-at",
                            format!("The field `{field_name}` has `@updatedAt`, which only fits fields of type DateTime."),
                            attribute.name.span,
                        );
                    }
                    scalar.is_updated_at = true;
                }
                "ignore" => scalar.ignored = true,
                "default" => {
                    scalar.default = self.validate_default(
                        field,
                        attribute,
                        &scalar_type,
                        arity,
                        provider,
                        enums,
                    )
                }
                "relation" => self.error(
                    "invalid-attribute",
                    format!(
                        "The field `{field_name}` is a scalar field and cannot have `@relation`."
                    ),
                    attribute.name.span,
                ),
                other if other.starts_with("db.") => {
                    scalar.native_type =
                        self.validate_native_type(field, attribute, &scalar_type, provider);
                }
                other => self.error(
                    "unknown-attribute",
                    format!("The attribute `@{other}` is not known on a field."),
                    attribute.name.span,
                ),
            }
        }
        self.check_identifier_length(
            provider,
            "column",
            &scalar.database_name,
            database_name_span,
        );
        Some(FieldKind::Scalar(scalar))
    }

    /// SQLite auto-increments only the `INTEGER PRIMARY KEY` of a table, so `autoincrement()`
    /// fits one field of a model, its single-field id (`@id`, or `@@id` of one field), as
    /// Prisma's validation says. It runs after the block attributes, which may hold the `@@id`.
    fn check_sqlite_autoincrement(
        &mut self,
        model_name: &str,
        fields: &[Field],
        primary_key: Option<&ModelPrimaryKey>,
    ) {
        let auto_increment_fields: Vec<&Field> = fields
            .iter()
            .filter(|field| {
                matches!(&field.kind, FieldKind::Scalar(scalar) if scalar.default == Some(DefaultExpression::AutoIncrement))
            })
            .collect();
        if let [_, second, ..] = auto_increment_fields.as_slice() {
            let names: Vec<String> = auto_increment_fields
                .iter()
                .map(|field| format!("`{}`", field.name))
                .collect();
            self.error(
                "multiple-autoincrement",
                format!(
                    "The `autoincrement()` default value is used on {} fields of the model `{model_name}` ({}), but SQLite supports only one per table: it auto-increments only the table's single INTEGER PRIMARY KEY.",
                    names.len(),
                    names.join(", ")
                ),
                second.span,
            );
        }
        for field in auto_increment_fields {
            let is_single_id = primary_key.is_some_and(|key| key.fields == [field.name.clone()]);
            if !is_single_id {
                self.error(
                    "invalid-default",
                    format!(
                        "The `autoincrement()` default value is used on the non-id field `{}` even though SQLite does not support this: it is only valid on the single `@id` field.",
                        field.name
                    ),
                    field.span,
                );
            }
        }
    }

    /// A `map:` constraint name given on a field attribute.
    fn named_string_argument(
        &mut self,
        attribute: &Attribute,
        argument_name: &str,
        provider: Provider,
    ) -> Option<String> {
        let argument = attribute.arguments.iter().find(|argument| {
            argument
                .name
                .as_ref()
                .is_some_and(|name| name.name == argument_name)
        })?;
        match &argument.value {
            Expression::String(value, span) => {
                self.check_identifier_length(provider, "constraint", value, *span);
                Some(value.clone())
            }
            other => {
                self.error(
                    "invalid-argument",
                    format!("The argument `{argument_name}` must be a string."),
                    other.span(),
                );
                None
            }
        }
    }

    fn sort_argument(&mut self, attribute: &Attribute) -> bool {
        let Some(argument) = attribute.arguments.iter().find(|argument| {
            argument
                .name
                .as_ref()
                .is_some_and(|name| name.name == "sort")
        }) else {
            return false;
        };
        match &argument.value {
            Expression::Constant(value, _) if value == "Desc" => true,
            Expression::Constant(value, _) if value == "Asc" => false,
            other => {
                self.error(
                    "invalid-argument",
                    "The argument `sort` must be `Asc` or `Desc`.",
                    other.span(),
                );
                false
            }
        }
    }

    fn check_arguments(&mut self, attribute: &Attribute, allowed: &[&str]) {
        for argument in &attribute.arguments {
            match &argument.name {
                Some(name) if !allowed.contains(&name.name.as_str()) => self.error(
                    "invalid-argument",
                    format!(
                        "`@{}` has no argument named `{}`.",
                        attribute.name.name, name.name
                    ),
                    name.span,
                ),
                None => self.error(
                    "invalid-argument",
                    format!("`@{}` takes no positional argument.", attribute.name.name),
                    argument.span,
                ),
                _ => {}
            }
        }
    }

    fn validate_default(
        &mut self,
        field: &ast::Field,
        attribute: &Attribute,
        scalar_type: &ScalarFieldType,
        arity: Arity,
        provider: Provider,
        enums: &HashMap<&str, &EnumDefinition>,
    ) -> Option<DefaultExpression> {
        let field_name = &field.name.name;
        let value = attribute.arguments.iter().find(|argument| {
            argument
                .name
                .as_ref()
                .is_none_or(|name| name.name == "value")
        });
        for argument in &attribute.arguments {
            if let Some(name) = &argument.name {
                if name.name != "value" && name.name != "map" {
                    self.error(
                        "invalid-argument",
                        format!("`@default` has no argument named `{}`.", name.name),
                        name.span,
                    );
                }
            }
        }
        let Some(value) = value else {
            self.error(
                "invalid-default",
                format!("`@default` on the field `{field_name}` needs a value."),
                attribute.span,
            );
            return None;
        };
        let mismatch = |validator: &mut Validator, what: &str, span: Span| {
            validator.error(
                "invalid-default",
                format!(
                    "The default value {what} does not fit the field `{field_name}` of type {}.",
                    describe_type(scalar_type, arity)
                ),
                span,
            );
            None
        };
        match &value.value {
            Expression::Function(name, arguments, span) => {
                match name.as_str() {
                    "autoincrement" => match scalar_type {
                        ScalarFieldType::Builtin(ScalarType::Int | ScalarType::BigInt)
                            if arity != Arity::List =>
                        {
                            Some(DefaultExpression::AutoIncrement)
                        }
                        _ => mismatch(self, "`autoincrement()`", *span),
                    },
                    "now" => match scalar_type {
                        ScalarFieldType::Builtin(ScalarType::DateTime) if arity != Arity::List => {
                            Some(DefaultExpression::Now)
                        }
                        _ => mismatch(self, "`now()`", *span),
                    },
                    "uuid" | "cuid" | "nanoid" | "ulid" => match scalar_type {
                        ScalarFieldType::Builtin(ScalarType::String) if arity != Arity::List => {
                            Some(DefaultExpression::ClientGenerated(name.clone()))
                        }
                        _ => mismatch(self, &format!("`{name}()`"), *span),
                    },
                    "dbgenerated" => {
                        match arguments.as_slice() {
                            [] => Some(DefaultExpression::DbGenerated(String::new())),
                            [Argument {
                                name: None,
                                value: Expression::String(text, _),
                                ..
                            }] => Some(DefaultExpression::DbGenerated(text.clone())),
                            _ => {
                                self.error("invalid-default", "`dbgenerated()` takes one string argument: the SQL expression.", *span);
                                None
                            }
                        }
                    }
                    "sequence" | "auto" => {
                        self.error(
                            "unsupported-feature",
                            format!("`{name}()` is not available on {provider}."),
                            *span,
                        );
                        None
                    }
                    other => {
                        self.error(
                            "invalid-default",
                            format!("The function `{other}()` is not a known default function."),
                            *span,
                        );
                        None
                    }
                }
            }
            expression => {
                if arity == Arity::List {
                    let Expression::Array(items, _) = expression else {
                        return mismatch(self, "that is not a list", expression.span());
                    };
                    let mut values = Vec::new();
                    for item in items {
                        values.push(self.literal_default(item, scalar_type, field_name, enums)?);
                    }
                    Some(DefaultExpression::Value(DefaultValue::List(values)))
                } else {
                    self.literal_default(expression, scalar_type, field_name, enums)
                        .map(DefaultExpression::Value)
                }
            }
        }
    }

    fn literal_default(
        &mut self,
        expression: &Expression,
        scalar_type: &ScalarFieldType,
        field_name: &str,
        enums: &HashMap<&str, &EnumDefinition>,
    ) -> Option<DefaultValue> {
        let type_name = match scalar_type {
            ScalarFieldType::Builtin(scalar) => scalar.name().to_string(),
            ScalarFieldType::Enum(name) => name.clone(),
            ScalarFieldType::Unsupported(text) => format!("Unsupported(\"{text}\")"),
        };
        let result = match (scalar_type, expression) {
            (
                ScalarFieldType::Builtin(
                    ScalarType::String
                    | ScalarType::DateTime
                    | ScalarType::Json
                    | ScalarType::Bytes,
                ),
                Expression::String(value, _),
            ) => Some(DefaultValue::String(value.clone())),
            (
                ScalarFieldType::Builtin(ScalarType::Int | ScalarType::BigInt),
                Expression::Number(value, _),
            ) if value.parse::<i64>().is_ok() => Some(DefaultValue::Number(value.clone())),
            (
                ScalarFieldType::Builtin(ScalarType::Float | ScalarType::Decimal),
                Expression::Number(value, _),
            ) if value.parse::<f64>().is_ok() => Some(DefaultValue::Number(value.clone())),
            (ScalarFieldType::Builtin(ScalarType::Decimal), Expression::String(value, _))
                if value.parse::<f64>().is_ok() =>
            {
                Some(DefaultValue::Number(value.clone()))
            }
            (ScalarFieldType::Builtin(ScalarType::Boolean), Expression::Constant(value, _))
                if value == "true" || value == "false" =>
            {
                Some(DefaultValue::Boolean(value == "true"))
            }
            (ScalarFieldType::Enum(enum_name), Expression::Constant(value, span)) => {
                match enums
                    .get(enum_name.as_str())
                    .and_then(|definition| definition.values.iter().find(|(name, _)| name == value))
                {
                    Some((_, database_name)) => Some(DefaultValue::String(database_name.clone())),
                    None => {
                        self.error(
                            "invalid-default",
                            format!("The default value `{value}` is not a value of the enum `{enum_name}`."),
                            *span,
                        );
                        return None;
                    }
                }
            }
            _ => None,
        };
        if result.is_none() {
            self.error(
                "invalid-default",
                format!(
                    "The default value does not fit the field `{field_name}` of type {type_name}."
                ),
                expression.span(),
            );
        }
        result
    }

    fn validate_native_type(
        &mut self,
        field: &ast::Field,
        attribute: &Attribute,
        scalar_type: &ScalarFieldType,
        provider: Provider,
    ) -> Option<NativeType> {
        let native_name = attribute.name.name.trim_start_matches("db.");
        let mut arguments = Vec::new();
        for argument in &attribute.arguments {
            match &argument.value {
                Expression::Number(value, span) => match value.parse::<u32>() {
                    Ok(number) => arguments.push(number),
                    Err(_) => {
                        self.error(
                            "invalid-native-type",
                            format!("`@db.{native_name}` takes whole numbers as arguments."),
                            *span,
                        );
                        return None;
                    }
                },
                other => {
                    self.error(
                        "invalid-native-type",
                        format!("`@db.{native_name}` takes whole numbers as arguments."),
                        other.span(),
                    );
                    return None;
                }
            }
        }
        let Some(specification) = crate::types::native_type_specification(provider, native_name)
        else {
            self.error(
                "invalid-native-type",
                format!("Native type `{native_name}` is not supported for {provider} connector."),
                attribute.name.span,
            );
            return None;
        };
        let ScalarFieldType::Builtin(scalar) = scalar_type else {
            self.error(
                "invalid-native-type",
                format!("Native type `{native_name}` cannot be used on the field `{}`, which is not a built-in scalar type.", field.name.name),
                attribute.name.span,
            );
            return None;
        };
        if !specification.scalar_types.contains(scalar) {
            self.error(
                "invalid-native-type",
                format!("Native type `{native_name}` is not compatible with the type {} of the field `{}`.", scalar.name(), field.name.name),
                attribute.name.span,
            );
            return None;
        }
        if arguments.len() < specification.minimum_arguments
            || arguments.len() > specification.maximum_arguments
        {
            self.error(
                "invalid-native-type",
                format!(
                    "Native type `{native_name}` takes {} arguments, but {} were given.",
                    if specification.minimum_arguments == specification.maximum_arguments {
                        specification.minimum_arguments.to_string()
                    } else {
                        format!(
                            "{} to {}",
                            specification.minimum_arguments, specification.maximum_arguments
                        )
                    },
                    arguments.len()
                ),
                attribute.span,
            );
            return None;
        }
        Some(NativeType {
            name: native_name.to_string(),
            arguments,
        })
    }

    fn validate_relation_field(
        &mut self,
        field: &ast::Field,
        arity: Arity,
        provider: Provider,
    ) -> Option<FieldKind> {
        let mut relation = RelationField {
            name: field.name.name.clone(),
            related_model: field.field_type.name.name.clone(),
            arity,
            relation_name: None,
            fields: Vec::new(),
            references: Vec::new(),
            on_delete: None,
            on_update: None,
            map: None,
        };
        for attribute in &field.attributes {
            match attribute.name.name.as_str() {
                "relation" => {
                    for argument in &attribute.arguments {
                        let argument_name = argument
                            .name
                            .as_ref()
                            .map(|name| name.name.as_str())
                            .unwrap_or("name");
                        match (argument_name, &argument.value) {
                            ("name", Expression::String(value, _)) => relation.relation_name = Some(value.clone()),
                            ("map", Expression::String(value, span)) => {
                                self.check_identifier_length(provider, "foreign key", value, *span);
                                relation.map = Some(value.clone());
                            }
                            ("fields", value) => relation.fields = self.field_reference_list(value),
                            ("references", value) => relation.references = self.field_reference_list(value),
                            ("onDelete", Expression::Constant(value, span)) => relation.on_delete = self.referential_action(value, *span),
                            ("onUpdate", Expression::Constant(value, span)) => relation.on_update = self.referential_action(value, *span),
                            (other, value) => self.error(
                                "invalid-argument",
                                format!("The argument `{other}` of `@relation` is unknown or has the wrong kind of value."),
                                value.span(),
                            ),
                        }
                    }
                }
                "ignore" => {}
                other => self.error(
                    "invalid-attribute",
                    format!(
                        "The attribute `@{other}` cannot be used on the relation field `{}`.",
                        field.name.name
                    ),
                    attribute.name.span,
                ),
            }
        }
        Some(FieldKind::Relation(relation))
    }

    fn referential_action(&mut self, value: &str, span: Span) -> Option<ReferentialAction> {
        let action = ReferentialAction::from_prisma_name(value);
        if action.is_none() {
            self.error(
                "invalid-referential-action",
                format!("`{value}` is not a referential action. Use Cascade, Restrict, NoAction, SetNull or SetDefault."),
                span,
            );
        }
        action
    }

    fn field_reference_list(&mut self, value: &Expression) -> Vec<String> {
        match value {
            Expression::Array(items, _) => items
                .iter()
                .filter_map(|item| match item {
                    Expression::Constant(name, _) => Some(name.clone()),
                    other => {
                        self.error("invalid-argument", "Expected a field name.", other.span());
                        None
                    }
                })
                .collect(),
            Expression::Constant(name, _) => vec![name.clone()],
            other => {
                self.error(
                    "invalid-argument",
                    "Expected a list of field names such as [userId].",
                    other.span(),
                );
                Vec::new()
            }
        }
    }

    /// Validates `@@id`, `@@unique` and `@@index`.
    fn validate_block_index(
        &mut self,
        model_name: &str,
        attribute: &Attribute,
        fields: &[Field],
        unique_or_id: bool,
        provider: Provider,
    ) -> Option<ModelIndex> {
        let mut index_fields = Vec::new();
        let mut map = None;
        let mut algorithm = None;
        let mut fields_given = false;
        for argument in &attribute.arguments {
            let argument_name = argument
                .name
                .as_ref()
                .map(|name| name.name.as_str())
                .unwrap_or("fields");
            match argument_name {
                "fields" => {
                    fields_given = true;
                    let Expression::Array(items, _) = &argument.value else {
                        self.error(
                            "invalid-argument",
                            "Expected a list of fields such as [a, b].",
                            argument.value.span(),
                        );
                        return None;
                    };
                    for item in items {
                        let (name, arguments, span) = match item {
                            Expression::Constant(name, span) => (name.clone(), &[][..], *span),
                            Expression::Function(name, arguments, span) => {
                                (name.clone(), arguments.as_slice(), *span)
                            }
                            other => {
                                self.error(
                                    "invalid-argument",
                                    "Expected a field name.",
                                    other.span(),
                                );
                                return None;
                            }
                        };
                        let mut index_field = IndexField {
                            name: name.clone(),
                            descending: false,
                            operator_class: None,
                        };
                        for field_argument in arguments {
                            let field_argument_name = field_argument
                                .name
                                .as_ref()
                                .map(|name| name.name.as_str())
                                .unwrap_or("");
                            match (field_argument_name, &field_argument.value) {
                                ("sort", Expression::Constant(value, _)) if value == "Desc" || value == "Asc" => index_field.descending = value == "Desc",
                                ("ops", Expression::Constant(value, _)) => index_field.operator_class = Some(operator_class_name(value)),
                                ("ops", Expression::Function(function, raw_arguments, _)) if function == "raw" => match raw_arguments.as_slice() {
                                    [Argument { value: Expression::String(raw, _), .. }] => index_field.operator_class = Some(raw.clone()),
                                    _ => self.error("invalid-argument", "`raw()` takes one string.", field_argument.span),
                                },
                                ("length", Expression::Number(_, _)) => {}
                                _ => self.error("invalid-argument", "Index fields take `sort: Asc|Desc`, `ops: ...` or `length: n`.", field_argument.span),
                            }
                        }
                        match fields.iter().find(|field| field.name == name) {
                            Some(Field {
                                kind: FieldKind::Scalar(_),
                                ..
                            }) => {}
                            Some(Field {
                                kind: FieldKind::Relation(_),
                                ..
                            }) => {
                                self.error(
                                    "invalid-index-fields",
                                    format!("The index on the model `{model_name}` refers to the relation field `{name}`; use its scalar fields instead."),
                                    span,
                                );
                                return None;
                            }
                            None => {
                                self.error(
                                    "invalid-index-fields",
                                    format!("The model `{model_name}` has no field named `{name}`, which the index refers to."),
                                    span,
                                );
                                return None;
                            }
                        }
                        if index_fields
                            .iter()
                            .any(|existing: &IndexField| existing.name == name)
                        {
                            self.error(
                                "invalid-index-fields",
                                format!("The field `{name}` appears twice in the same index."),
                                span,
                            );
                            return None;
                        }
                        index_fields.push(index_field);
                    }
                }
                "map" => {
                    if let Expression::String(value, span) = &argument.value {
                        self.check_identifier_length(provider, "constraint", value, *span);
                        map = Some(value.clone());
                    } else {
                        self.error(
                            "invalid-argument",
                            "`map` must be a string.",
                            argument.value.span(),
                        );
                    }
                }
                "name" => {
                    // `name` on @@id and @@unique names the client accessor only; on @@index it is
                    // the legacy spelling of `map` (Prisma 2), which real schemas still use.
                    if let Expression::String(value, span) = &argument.value {
                        if !unique_or_id && map.is_none() {
                            self.check_identifier_length(provider, "index", value, *span);
                            map = Some(value.clone());
                        }
                    } else {
                        self.error(
                            "invalid-argument",
                            "`name` must be a string.",
                            argument.value.span(),
                        );
                    }
                }
                "type" => {
                    let Expression::Constant(value, span) = &argument.value else {
                        self.error(
                            "invalid-argument",
                            "`type` must be one of BTree, Hash, Gist, Gin, SpGist, Brin.",
                            argument.value.span(),
                        );
                        continue;
                    };
                    let method = match value.as_str() {
                        "BTree" => None,
                        "Hash" => Some("hash"),
                        "Gist" => Some("gist"),
                        "Gin" => Some("gin"),
                        "SpGist" => Some("spgist"),
                        "Brin" => Some("brin"),
                        _ => {
                            self.error("invalid-argument", format!("`{value}` is not an index type. Use BTree, Hash, Gist, Gin, SpGist or Brin."), *span);
                            None
                        }
                    };
                    if method.is_some() && provider == Provider::Sqlite {
                        self.error(
                            "unsupported-feature",
                            format!("Index type `{value}` is not supported on SQLite."),
                            *span,
                        );
                    } else if method.is_some() && unique_or_id {
                        self.error("invalid-argument", "Only `@@index` takes a `type`.", *span);
                    }
                    algorithm = method.map(str::to_string);
                }
                "clustered" | "length" | "sort" => {}
                other => self.error(
                    "invalid-argument",
                    format!(
                        "`@@{}` has no argument named `{other}`.",
                        attribute.name.name
                    ),
                    argument.span,
                ),
            }
        }
        if !fields_given || index_fields.is_empty() {
            self.error(
                "invalid-index-fields",
                format!(
                    "`@@{}` needs a non-empty list of fields.",
                    attribute.name.name
                ),
                attribute.span,
            );
            return None;
        }
        Some(ModelIndex {
            unique: false,
            fields: index_fields,
            map,
            algorithm,
        })
    }

    fn validate_relations(&mut self, models: &mut [Model]) {
        // A name defined twice is already a `duplicate-name` error; its relations are checked
        // against the first model of that name only, so that every position below indexes the
        // model it was taken from.
        let mut model_positions: HashMap<&str, usize> = HashMap::default();
        for (position, model) in models.iter().enumerate() {
            model_positions
                .entry(model.name.as_str())
                .or_insert(position);
        }
        let first_of_its_name: Vec<bool> = models
            .iter()
            .enumerate()
            .map(|(position, model)| model_positions.get(model.name.as_str()) == Some(&position))
            .collect();
        // Relation fields grouped by (model, related model, relation name), to find opposites in
        // one pass. Models are identified by position, so a group never mixes two models.
        let mut relation_groups: HashMap<RelationGroupKey, Vec<(usize, usize)>> =
            HashMap::default();
        for (model_position, model) in models.iter().enumerate() {
            if !first_of_its_name[model_position] {
                continue;
            }
            for (field_position, field) in model.fields.iter().enumerate() {
                if let FieldKind::Relation(relation) = &field.kind {
                    let Some(&related_position) =
                        model_positions.get(relation.related_model.as_str())
                    else {
                        continue;
                    };
                    relation_groups
                        .entry((
                            model_position,
                            related_position,
                            relation.relation_name.clone(),
                        ))
                        .or_default()
                        .push((model_position, field_position));
                }
            }
        }
        let mut default_actions: Vec<(usize, usize, ReferentialAction)> = Vec::new();
        for (&(group_model_position, related_position, ref relation_name), members) in
            &relation_groups
        {
            let model_name = models[group_model_position].name.clone();
            let related_name = models[related_position].name.clone();
            let is_self_relation = group_model_position == related_position;
            if !is_self_relation && members.len() > 1 {
                // Two models may share a name (a duplicate-name error): each field is looked up
                // in its own model.
                let (first_model, first_field) = members[0];
                let (second_model, second_field) = members[1];
                let first = &models[first_model].fields[first_field];
                let second = &models[second_model].fields[second_field];
                self.error(
                    "ambiguous-relation",
                    format!(
                        "Ambiguous relation detected. The fields `{}` and `{}` in model `{model_name}` both refer to `{related_name}`. Please provide different relation names for them by adding `@relation(<name>)`.",
                        first.name, second.name
                    ),
                    second.span,
                );
                continue;
            }
            if is_self_relation && members.len() > 2 {
                let (model_position, field_position) = members[2];
                let field = &models[model_position].fields[field_position];
                self.error(
                    "ambiguous-relation",
                    format!("Ambiguous self relation detected in model `{model_name}`: more than two fields share the relation name. Give each relation its own name with `@relation(<name>)`."),
                    field.span,
                );
                continue;
            }
            for &(model_position, field_position) in members {
                let model = &models[model_position];
                let field = &model.fields[field_position];
                let FieldKind::Relation(relation) = &field.kind else {
                    continue;
                };
                let opposite = if is_self_relation {
                    members
                        .iter()
                        .copied()
                        .find(|member| *member != (model_position, field_position))
                } else {
                    relation_groups
                        .get(&(
                            related_position,
                            group_model_position,
                            relation_name.clone(),
                        ))
                        .and_then(|opposites| opposites.first().copied())
                };
                let Some((opposite_model, opposite_field)) = opposite else {
                    self.error(
                        "missing-opposite-relation",
                        format!(
                            "The relation field `{}` on model `{model_name}` is missing an opposite relation field on the model `{related_name}`. Either run `comon format` or add it manually.",
                            field.name
                        ),
                        field.span,
                    );
                    continue;
                };
                let opposite_field = &models[opposite_model].fields[opposite_field];
                let FieldKind::Relation(opposite_relation) = &opposite_field.kind else {
                    continue;
                };
                let related = &models[related_position];
                match (field.arity, opposite_field.arity) {
                    (Arity::List, Arity::List) => {
                        if !relation.fields.is_empty() || !relation.references.is_empty() {
                            self.error(
                                "invalid-relation-fields",
                                format!("The relation field `{}` on model `{model_name}` is one side of an implicit many-to-many relation and must not set `fields` or `references`.", field.name),
                                field.span,
                            );
                            continue;
                        }
                        for side in [model, related] {
                            let single_id = side
                                .primary_key
                                .as_ref()
                                .is_some_and(|key| key.fields.len() == 1);
                            if !single_id {
                                self.error(
                                    "invalid-many-to-many",
                                    format!("The model `{}` takes part in an implicit many-to-many relation, so it needs a single-field `@id`.", side.name),
                                    field.span,
                                );
                            }
                        }
                    }
                    (Arity::List, _) => {
                        if !relation.fields.is_empty() || !relation.references.is_empty() {
                            self.error(
                                "invalid-relation-fields",
                                format!("The relation field `{}` on model `{model_name}` is a list and must not set `fields` or `references`; set them on `{}.{}`.", field.name, related_name, opposite_field.name),
                                field.span,
                            );
                        }
                    }
                    (_, opposite_arity) => {
                        let defines_foreign_key =
                            !relation.fields.is_empty() || !relation.references.is_empty();
                        let opposite_defines = !opposite_relation.fields.is_empty()
                            || !opposite_relation.references.is_empty();
                        if !defines_foreign_key {
                            if opposite_arity == Arity::List || !opposite_defines {
                                let is_lexically_first = (model_name.as_str(), field.name.as_str())
                                    < (related_name.as_str(), opposite_field.name.as_str());
                                if opposite_arity == Arity::List || is_lexically_first {
                                    self.error(
                                        "invalid-relation-fields",
                                        format!("The relation field `{}` on model `{model_name}` must specify the `fields` and `references` arguments in the @relation attribute.", field.name),
                                        field.span,
                                    );
                                }
                            }
                            continue;
                        }
                        if opposite_arity != Arity::List
                            && opposite_defines
                            && (model_name.as_str(), field.name.as_str())
                                < (related_name.as_str(), opposite_field.name.as_str())
                        {
                            self.error(
                                "invalid-relation-fields",
                                format!("The one-to-one relation between `{model_name}.{}` and `{related_name}.{}` sets `fields` on both sides; set them only on the side that holds the foreign key.", field.name, opposite_field.name),
                                field.span,
                            );
                            continue;
                        }
                        if let Some(action) = self.validate_foreign_key_fields(
                            model,
                            field,
                            relation,
                            related,
                            opposite_arity,
                        ) {
                            default_actions.push((model_position, field_position, action));
                        }
                    }
                }
            }
        }
        for (model_position, field_position, default_on_delete) in default_actions {
            if let FieldKind::Relation(relation) =
                &mut models[model_position].fields[field_position].kind
            {
                relation.on_delete.get_or_insert(default_on_delete);
                relation.on_update.get_or_insert(ReferentialAction::Cascade);
            }
        }
    }

    /// Checks `fields`/`references` of the side holding the foreign key and returns the default
    /// `onDelete` action (Restrict when every foreign key field is required, else SetNull).
    fn validate_foreign_key_fields(
        &mut self,
        model: &Model,
        field: &Field,
        relation: &RelationField,
        related: &Model,
        opposite_arity: Arity,
    ) -> Option<ReferentialAction> {
        if relation.fields.is_empty() || relation.references.is_empty() {
            self.error(
                "invalid-relation-fields",
                format!("The relation field `{}` on model `{}` must specify both `fields` and `references`.", field.name, model.name),
                field.span,
            );
            return None;
        }
        if relation.fields.len() != relation.references.len() {
            self.error(
                "invalid-relation-fields",
                format!("The relation field `{}` on model `{}` has {} `fields` but {} `references`; they must pair up.", field.name, model.name, relation.fields.len(), relation.references.len()),
                field.span,
            );
            return None;
        }
        let mut any_optional = false;
        for (field_name, referenced_name) in relation.fields.iter().zip(&relation.references) {
            let Some(scalar) = model.scalar_field(field_name) else {
                self.error(
                    "invalid-relation-fields",
                    format!("The argument `fields` of the relation field `{}` refers to `{field_name}`, which is not a scalar field of the model `{}`.", field.name, model.name),
                    field.span,
                );
                return None;
            };
            let Some(referenced) = related.scalar_field(referenced_name) else {
                self.error(
                    "invalid-relation-fields",
                    format!("The argument `references` of the relation field `{}` refers to `{referenced_name}`, which is not a scalar field of the model `{}`.", field.name, related.name),
                    field.span,
                );
                return None;
            };
            // A list column holds many values, so it cannot be a foreign key to one row (and
            // a list as the referenced side is no unique criterion either).
            for (list_field, list_model) in [(scalar, model), (referenced, related)] {
                if list_field.arity == Arity::List {
                    self.error(
                        "invalid-relation-fields",
                        format!(
                            "The relation field `{}` on model `{}` uses the list field `{}` of the model `{}` in `fields` or `references`; relation fields must be single values, not lists.",
                            field.name, model.name, list_field.name, list_model.name
                        ),
                        field.span,
                    );
                    return None;
                }
            }
            if scalar.scalar_type != referenced.scalar_type {
                self.error(
                    "invalid-relation-fields",
                    format!(
                        "The type of the field `{field_name}` in the model `{}` is not matching the type of the referenced field `{referenced_name}` in model `{}`.",
                        model.name, related.name
                    ),
                    field.span,
                );
                return None;
            }
            any_optional |= scalar.arity == Arity::Optional;
        }
        let references_unique = related
            .primary_key
            .as_ref()
            .is_some_and(|key| same_set(&key.fields, &relation.references))
            || related.indexes.iter().any(|index| {
                index.unique
                    && same_set(
                        &index
                            .fields
                            .iter()
                            .map(|field| field.name.clone())
                            .collect::<Vec<_>>(),
                        &relation.references,
                    )
            });
        if !references_unique {
            self.error(
                "invalid-relation-fields",
                format!(
                    "The argument `references` of the relation field `{}` must refer to a unique criterion of the model `{}` (its id or a unique constraint), but [{}] is not one.",
                    field.name,
                    related.name,
                    relation.references.join(", ")
                ),
                field.span,
            );
            return None;
        }
        if opposite_arity != Arity::List {
            let fields_unique = model
                .primary_key
                .as_ref()
                .is_some_and(|key| same_set(&key.fields, &relation.fields))
                || model.indexes.iter().any(|index| {
                    index.unique
                        && same_set(
                            &index
                                .fields
                                .iter()
                                .map(|field| field.name.clone())
                                .collect::<Vec<_>>(),
                            &relation.fields,
                        )
                });
            if !fields_unique {
                self.error(
                    "invalid-relation-fields",
                    format!(
                        "A one-to-one relation must use unique fields on the defining side. Add `@unique` (or `@@unique([{}])`) to the model `{}`.",
                        relation.fields.join(", "),
                        model.name
                    ),
                    field.span,
                );
                return None;
            }
        }
        if any_optional && field.arity == Arity::Required {
            self.error(
                "invalid-relation-fields",
                format!(
                    "The relation field `{}` uses the scalar fields {}. At least one of those fields is optional. Hence the relation field must be optional as well.",
                    field.name,
                    relation.fields.join(", ")
                ),
                field.span,
            );
            return None;
        }
        let all_required = !any_optional;
        for action in [relation.on_delete, relation.on_update]
            .into_iter()
            .flatten()
        {
            if action == ReferentialAction::SetNull && all_required {
                self.error(
                    "invalid-referential-action",
                    format!("The referential action `SetNull` of the relation field `{}` cannot be used because the fields {} are required.", field.name, relation.fields.join(", ")),
                    field.span,
                );
                return None;
            }
        }
        Some(if all_required {
            ReferentialAction::Restrict
        } else {
            ReferentialAction::SetNull
        })
    }

    /// SQLite refuses tables and indexes whose names start with `sqlite_`. The one exception is
    /// the name SQLite gives the index of an inline `UNIQUE` (`sqlite_autoindex_*`), which
    /// schemas pulled by earlier versions carry: such a unique constraint is written inside
    /// `CREATE TABLE`, where SQLite names it itself.
    fn check_sqlite_reserved_names(&mut self, model: &Model) {
        // Bytes, not characters: a name may start with a multi-byte character.
        let is_reserved = |name: &str| {
            name.as_bytes()
                .get(..7)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"sqlite_"))
        };
        if is_reserved(&model.database_name) {
            self.error(
                "reserved-name",
                format!("The table name `{}` of the model `{}` starts with `sqlite_`, which SQLite keeps for itself.", model.database_name, model.name),
                model.span,
            );
        }
        for index in &model.indexes {
            let Some(name) = &index.map else { continue };
            let is_table_constraint =
                index.unique && name.starts_with(crate::provider::SQLITE_AUTOINDEX_PREFIX);
            if is_reserved(name) && !is_table_constraint {
                self.error(
                    "reserved-name",
                    format!("The index name `{name}` in the model `{}` starts with `sqlite_`, which SQLite keeps for itself.", model.name),
                    model.span,
                );
            }
        }
    }

    fn validate_database_names(
        &mut self,
        models: &[Model],
        enums: &[EnumDefinition],
        provider: Provider,
    ) {
        let mut table_names: HashMap<&str, &str> = HashMap::default();
        for model in models {
            if provider == Provider::Sqlite {
                self.check_sqlite_reserved_names(model);
            }
            if let Some(other) = table_names.insert(&model.database_name, &model.name) {
                self.error(
                    "duplicate-table-name",
                    format!(
                        "The models `{other}` and `{}` both map to the table `{}`.",
                        model.name, model.database_name
                    ),
                    model.span,
                );
            }
            let mut column_names: HashMap<&str, &str> = HashMap::default();
            for scalar in model.scalar_fields() {
                if let Some(other) = column_names.insert(&scalar.database_name, &scalar.name) {
                    let span = model
                        .field(&scalar.name)
                        .map(|field| field.span)
                        .unwrap_or(model.span);
                    self.error(
                        "duplicate-column-name",
                        format!("The fields `{other}` and `{}` of the model `{}` both map to the column `{}`.", scalar.name, model.name, scalar.database_name),
                        span,
                    );
                }
            }
        }
        if provider == Provider::Postgresql {
            let mut type_names: HashMap<&str, &str> = HashMap::default();
            for definition in enums {
                if let Some(other) = type_names.insert(&definition.database_name, &definition.name)
                {
                    self.error(
                        "duplicate-name",
                        format!(
                            "The enums `{other}` and `{}` both map to the database type `{}`.",
                            definition.name, definition.database_name
                        ),
                        definition.span,
                    );
                }
            }
        }
    }
}

/// (model position, related model position, relation name): the relation fields that may be
/// each other's opposite.
type RelationGroupKey = (usize, usize, Option<String>);

fn same_set(left: &[String], right: &[String]) -> bool {
    left.len() == right.len() && left.iter().all(|name| right.contains(name))
}

fn describe_type(scalar_type: &ScalarFieldType, arity: Arity) -> String {
    let name = match scalar_type {
        ScalarFieldType::Builtin(scalar) => scalar.name().to_string(),
        ScalarFieldType::Enum(name) => name.clone(),
        ScalarFieldType::Unsupported(text) => format!("Unsupported(\"{text}\")"),
    };
    match arity {
        Arity::List => format!("{name}[]"),
        Arity::Optional => format!("{name}?"),
        Arity::Required => name,
    }
}

/// Turns a Prisma operator class identifier (`JsonbPathOps`, `Int4MinMaxOps`) into the
/// PostgreSQL name (`jsonb_path_ops`, `int4_minmax_ops`).
pub fn operator_class_name(prisma_name: &str) -> String {
    let mut snake = String::new();
    let mut previous: Option<char> = None;
    for character in prisma_name.chars() {
        if character.is_ascii_uppercase()
            && previous.is_some_and(|before| before.is_ascii_lowercase() || before.is_ascii_digit())
        {
            snake.push('_');
        }
        snake.push(character.to_ascii_lowercase());
        previous = Some(character);
    }
    // Prisma writes some PostgreSQL type names as two words that PostgreSQL spells as one.
    snake
        .replace("min_max", "minmax")
        .replace("timestamp_tz", "timestamptz")
        .replace("time_tz", "timetz")
        .replace("var_bit", "varbit")
}
