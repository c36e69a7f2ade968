//! One parsed statement applied to the schema, with the database's own rules.

use super::column_types::{self, DeclaredType};
use super::names::{self, same_name};
use super::unparsed::{ColumnClause, UnparsedStatement};
use super::SkippedEffect;
use crate::database_schema::{
    Column, ColumnDefault, ColumnTypeKind, DatabaseSchema, DefaultValue, Enum, EnumValue,
    ForeignKey, Index, IndexColumn, PrimaryKey, ReferentialAction, Table, SQLITE_AUTOINDEX_PREFIX,
};
use crate::provider::Provider;
use sqlparser::ast::{
    AlterColumnOperation, AlterIndexOperation, AlterTable, AlterTableOperation, AlterType,
    AlterTypeAddValuePosition, AlterTypeOperation, ColumnDef, ColumnOption, CreateIndex,
    CreateTable, CreateTableLikeDefaults, CreateTableLikeKind, Expr, Ident, IndexType, ObjectName,
    ObjectType, OrderBySort, ReferentialAction as SqlReferentialAction, RenameTableNameKind,
    Statement, TableConstraint, UserDefinedTypeRepresentation,
};
use std::collections::HashMap;

/// What a statement did.
pub(super) enum Outcome {
    Applied,
    /// A data statement: counted, not applied.
    Data,
    /// Nothing the schema holds changes (transaction control, `IF NOT EXISTS` on an existing
    /// object, a foreign key pragma).
    NoEffect,
    Skipped(SkippedEffect, String),
}

/// What puts the schema back as it was before a statement, should the statement not be
/// applied after all (skipped, or without effect, after changing part of the schema): as little
/// as that statement can change. Copying the whole schema for every statement would make a long
/// history quadratic.
pub(super) enum Undo {
    /// The statement changes nothing before it is sure to apply (`CREATE INDEX`, data
    /// statements, `BEGIN`/`COMMIT`).
    Nothing,
    /// `CREATE TABLE` only appends its table (and changes nothing else): drop what follows.
    TablesFrom(usize),
    /// `ALTER TABLE ... ADD COLUMN | ADD CONSTRAINT` changes only its own table: these copies
    /// (the tables its name may mean, by position).
    Tables(Vec<(usize, Table)>),
    /// Anything else: a copy of the whole schema.
    Schema(Box<DatabaseSchema>),
}

impl Undo {
    pub(super) fn before(
        provider: Provider,
        schema: &DatabaseSchema,
        statement: &Statement,
    ) -> Undo {
        match statement {
            Statement::CreateIndex(_)
            | Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Query(_)
            | Statement::Merge(_)
            | Statement::Copy { .. }
            | Statement::Truncate(_)
            | Statement::StartTransaction { .. }
            | Statement::Commit { .. } => Undo::Nothing,
            Statement::CreateTable(_) => Undo::TablesFrom(schema.tables.len()),
            Statement::AlterTable(alter)
                if alter.operations.iter().all(|operation| {
                    matches!(
                        operation,
                        AlterTableOperation::AddColumn { .. }
                            | AlterTableOperation::AddConstraint { .. }
                    )
                }) =>
            {
                let tables: Vec<(usize, Table)> = match names::object_name(provider, &alter.name) {
                    Some(name) => schema
                        .tables
                        .iter()
                        .enumerate()
                        .filter(|(_, table)| {
                            table.name == name || same_name(provider, &table.name, &name)
                        })
                        .map(|(position, table)| (position, table.clone()))
                        .collect(),
                    None => Vec::new(),
                };
                if tables.is_empty() {
                    Undo::Schema(Box::new(schema.clone()))
                } else {
                    Undo::Tables(tables)
                }
            }
            _ => Undo::Schema(Box::new(schema.clone())),
        }
    }

    pub(super) fn restore(self, schema: &mut DatabaseSchema) {
        match self {
            Undo::Nothing => {}
            Undo::TablesFrom(length) => schema.tables.truncate(length),
            Undo::Tables(tables) => {
                for (position, table) in tables {
                    schema.tables[position] = table;
                }
            }
            Undo::Schema(previous) => *schema = *previous,
        }
    }
}

/// Clauses of an applied statement that were not applied (a CHECK constraint in a
/// `CREATE TABLE`), reported as skipped with the statement's line.
pub(super) type Notes = Vec<(SkippedEffect, String)>;

/// A statement that cannot be followed stops with this; `?` carries it out.
type Skip = (SkippedEffect, String);

fn may_change(reason: impl Into<String>) -> Skip {
    (SkippedEffect::MayChangeSchema, reason.into())
}

fn outside(reason: impl Into<String>) -> Outcome {
    Outcome::Skipped(SkippedEffect::OutsideSchemaModel, reason.into())
}

pub(super) fn apply_statement(
    provider: Provider,
    schema: &mut DatabaseSchema,
    statement: &Statement,
    notes: &mut Notes,
) -> Outcome {
    let mut context = Context {
        provider,
        schema,
        notes,
    };
    match context.statement(statement) {
        Ok(outcome) => outcome,
        Err((effect, reason)) => Outcome::Skipped(effect, reason),
    }
}

/// A statement sqlparser does not parse, as its words were recognised (`unparsed`); the
/// `Simplified` form is parsed and applied as any other statement instead. Each applies
/// whole or not at all.
pub(super) fn apply_unparsed(
    provider: Provider,
    schema: &mut DatabaseSchema,
    statement: &UnparsedStatement,
    notes: &mut Notes,
) -> Outcome {
    let mut context = Context {
        provider,
        schema,
        notes,
    };
    let result = match statement {
        UnparsedStatement::AlterColumns {
            table,
            if_exists,
            clauses,
        } => context.column_clauses(table, *if_exists, clauses),
        UnparsedStatement::CreateTableLike {
            table,
            if_not_exists,
            source,
            defaults,
            identity,
        } => context.create_table_like(TableLike {
            name: table,
            if_not_exists: *if_not_exists,
            source,
            defaults: *defaults,
            identity: *identity,
        }),
        UnparsedStatement::OutsideSchemaModel { reason } => Ok(outside(*reason)),
        UnparsedStatement::MayChangeSchema { reason, .. } => Err(may_change(*reason)),
        UnparsedStatement::Simplified { .. } => Err(may_change(
            "a simplified statement is parsed, not applied from its words",
        )),
    };
    match result {
        Ok(outcome) => outcome,
        Err((effect, reason)) => {
            context.notes.clear();
            Outcome::Skipped(effect, reason)
        }
    }
}

/// What `CREATE TABLE name (LIKE source ...)` copies, as far as the schema model goes.
pub(super) struct TableLike<'a> {
    pub(super) name: &'a str,
    pub(super) if_not_exists: bool,
    pub(super) source: &'a str,
    pub(super) defaults: bool,
    pub(super) identity: bool,
}

/// After the last statement of a migration: SQLite resolves a foreign key's parent when it
/// reads the schema, by name without regard to case and, for `REFERENCES parent` without
/// columns, to the parent's primary key; introspection reports the result.
pub(super) fn finish(schema: &mut DatabaseSchema) {
    if schema.provider != Provider::Sqlite {
        return;
    }
    // Looked up by name, exactly and then without case (the first table of that spelling, as a
    // scan in table order would find it): a history of many folders stays linear per folder.
    let mut exact: HashMap<String, (String, Option<Vec<String>>)> = HashMap::new();
    let mut without_case: HashMap<String, (String, Option<Vec<String>>)> = HashMap::new();
    for table in &schema.tables {
        let parent = (
            table.name.clone(),
            table.primary_key.as_ref().map(|key| key.columns.clone()),
        );
        without_case
            .entry(table.name.to_ascii_lowercase())
            .or_insert_with(|| parent.clone());
        exact.entry(table.name.clone()).or_insert(parent);
    }
    for table in &mut schema.tables {
        for foreign_key in &mut table.foreign_keys {
            let parent = exact
                .get(&foreign_key.referenced_table)
                .or_else(|| without_case.get(&foreign_key.referenced_table.to_ascii_lowercase()));
            if let Some((name, primary_key)) = parent {
                foreign_key.referenced_table = name.clone();
                if foreign_key.referenced_columns.is_empty() {
                    if let Some(columns) = primary_key {
                        foreign_key.referenced_columns = columns.clone();
                    }
                }
            }
        }
    }
}

/// A key, unique constraint or foreign key declared in a `CREATE TABLE` or `ALTER TABLE`,
/// with column names as written.
enum ConstraintSpec {
    PrimaryKey {
        name: Option<String>,
        columns: Vec<String>,
    },
    Unique {
        name: Option<String>,
        columns: Vec<String>,
    },
    ForeignKey {
        name: Option<String>,
        columns: Vec<String>,
        referenced_table: String,
        referenced_columns: Vec<String>,
        on_delete: ReferentialAction,
        on_update: ReferentialAction,
    },
}

struct Context<'a> {
    provider: Provider,
    schema: &'a mut DatabaseSchema,
    notes: &'a mut Notes,
}

impl Context<'_> {
    fn statement(&mut self, statement: &Statement) -> Result<Outcome, Skip> {
        match statement {
            Statement::CreateTable(create) => self.create_table(create),
            Statement::AlterTable(alter) => self.alter_table(alter),
            Statement::CreateIndex(create) => self.create_index(create),
            Statement::Drop {
                object_type,
                if_exists,
                names,
                cascade,
                ..
            } => self.drop(*object_type, *if_exists, names, *cascade),
            Statement::CreateType {
                name,
                representation,
            } => self.create_type(name, representation.as_ref()),
            Statement::AlterType(alter) => self.alter_type(alter),
            Statement::AlterIndex { name, operation } => self.alter_index(name, operation),
            Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Query(_)
            | Statement::Merge(_)
            | Statement::Copy { .. }
            | Statement::Truncate(_) => Ok(Outcome::Data),
            Statement::StartTransaction { .. } | Statement::Commit { .. } => Ok(Outcome::NoEffect),
            Statement::Rollback { .. }
            | Statement::Savepoint { .. }
            | Statement::ReleaseSavepoint { .. } => Err(may_change(
                "transaction control other than BEGIN and COMMIT can undo earlier statements",
            )),
            // `PRAGMA` is read before parsing (`preclassify`); one that parses anyway is
            // treated the same way.
            Statement::Pragma { name, .. } => {
                let pragma = self.object_name(name)?.to_ascii_lowercase();
                if matches!(
                    pragma.as_str(),
                    "foreign_keys" | "foreign_key_check" | "defer_foreign_keys"
                ) {
                    Ok(Outcome::NoEffect)
                } else {
                    Err(may_change(
                        "a pragma other than the foreign key ones may change how later statements act",
                    ))
                }
            }
            Statement::CreateExtension(_) | Statement::DropExtension(_) => Ok(outside(
                "extensions belong to the environment; the types they add are read by name",
            )),
            Statement::CreateSequence { .. } => {
                Ok(outside("sequences are not part of the schema model"))
            }
            Statement::CreateView(_) | Statement::AlterView(_) => {
                Ok(outside("views are not part of the schema model"))
            }
            Statement::CreateFunction(_) | Statement::DropFunction(_) => {
                Ok(outside("functions are not part of the schema model"))
            }
            Statement::CreateTrigger(_) | Statement::DropTrigger(_)
                if self.provider == Provider::Postgresql =>
            {
                Ok(outside(
                    "PostgreSQL triggers are not part of the schema model",
                ))
            }
            Statement::Comment { .. } => Ok(outside("comments are not part of the schema model")),
            Statement::Grant(_) | Statement::Revoke(_) | Statement::CreateRole(_) => Ok(outside(
                "privileges and roles are not part of the schema model",
            )),
            Statement::CreatePolicy(_) | Statement::DropPolicy(_) | Statement::AlterPolicy(_) => {
                Ok(outside(
                    "row security policies are not part of the schema model",
                ))
            }
            Statement::Analyze(_) | Statement::Vacuum(_) => {
                Ok(outside("maintenance statements do not change the schema"))
            }
            Statement::Set(set) => {
                if set.to_string().to_ascii_lowercase().contains("search_path") {
                    Err(may_change(
                        "a changed search path moves the statements after it to another schema",
                    ))
                } else {
                    Ok(outside("session settings do not change the schema"))
                }
            }
            _ => Err(may_change(
                "this kind of statement is not one the interpreter follows",
            )),
        }
    }

    // ----- names -----

    fn identifier(&self, ident: &Ident) -> String {
        names::identifier(self.provider, ident)
    }

    fn object_name(&self, name: &ObjectName) -> Result<String, Skip> {
        names::object_name(self.provider, name)
            .ok_or_else(|| may_change(format!("the name `{name}` is computed")))
    }

    fn table_position(&self, name: &str) -> Option<usize> {
        self.schema
            .tables
            .iter()
            .position(|table| table.name == name)
            .or_else(|| {
                self.schema
                    .tables
                    .iter()
                    .position(|table| same_name(self.provider, &table.name, name))
            })
    }

    fn existing_table(&self, name: &str) -> Result<usize, Skip> {
        self.table_position(name).ok_or_else(|| {
            may_change(format!(
                "it refers to the table `{name}`, which the schema built so far does not have"
            ))
        })
    }

    /// The table's own spelling of a column named in a constraint or an index.
    fn column_spelling(&self, table: usize, name: &str) -> Result<String, Skip> {
        let table = &self.schema.tables[table];
        table
            .columns
            .iter()
            .find(|column| column.name == name)
            .or_else(|| {
                table
                    .columns
                    .iter()
                    .find(|column| same_name(self.provider, &column.name, name))
            })
            .map(|column| column.name.clone())
            .ok_or_else(|| {
                may_change(format!(
                    "it refers to the column `{name}` of `{}`, which the schema built so far does not have",
                    table.name
                ))
            })
    }

    fn column_position(&self, table: usize, name: &str) -> Option<usize> {
        let table = &self.schema.tables[table];
        table
            .columns
            .iter()
            .position(|column| column.name == name)
            .or_else(|| {
                table
                    .columns
                    .iter()
                    .position(|column| same_name(self.provider, &column.name, name))
            })
    }

    /// The table and position of the index `name`. Index names are per schema on both
    /// providers.
    fn index_position(&self, name: &str) -> Option<(usize, usize)> {
        self.schema
            .tables
            .iter()
            .enumerate()
            .find_map(|(table_position, table)| {
                table
                    .indexes
                    .iter()
                    .position(|index| same_name(self.provider, &index.name, name))
                    .map(|index_position| (table_position, index_position))
            })
    }

    fn index_columns(
        &self,
        columns: &[sqlparser::ast::IndexColumn],
    ) -> Result<Option<Vec<IndexColumn>>, Skip> {
        let mut result = Vec::with_capacity(columns.len());
        for column in columns {
            let name = match &column.column.expr {
                Expr::Identifier(ident) => self.identifier(ident),
                _ => return Ok(None),
            };
            let operator_class = match &column.operator_class {
                Some(class) => Some(self.object_name(class)?),
                None => None,
            };
            result.push(IndexColumn {
                name,
                descending: matches!(column.column.options.sort, Some(OrderBySort::Desc)),
                operator_class,
            });
        }
        Ok(Some(result))
    }

    fn plain_column_names(
        &self,
        columns: &[sqlparser::ast::IndexColumn],
    ) -> Result<Vec<String>, Skip> {
        match self.index_columns(columns)? {
            Some(columns) => Ok(columns.into_iter().map(|column| column.name).collect()),
            None => Err(may_change(
                "a key or unique constraint on an expression is not in the schema model",
            )),
        }
    }

    // ----- CREATE TABLE -----

    fn create_table(&mut self, create: &CreateTable) -> Result<Outcome, Skip> {
        let name = self.object_name(&create.name)?;
        if let Some(CreateTableLikeKind::Parenthesized(like)) = &create.like {
            if create.columns.is_empty() && create.constraints.is_empty() && !create.temporary {
                let source = self.object_name(&like.name)?;
                return self.create_table_like(TableLike {
                    name: &name,
                    if_not_exists: create.if_not_exists,
                    source: &source,
                    defaults: like.defaults == Some(CreateTableLikeDefaults::Including),
                    identity: false,
                });
            }
        }
        if create.query.is_some() || create.like.is_some() || create.clone.is_some() {
            return Err(may_change(
                "a table created from a query or another table has columns the interpreter does not know",
            ));
        }
        if create.temporary {
            return Ok(outside("temporary tables are not part of the schema"));
        }
        if self.table_position(&name).is_some() {
            if create.if_not_exists {
                return Ok(Outcome::NoEffect);
            }
            return Err(may_change(format!(
                "the table `{name}` exists already in the schema built so far"
            )));
        }
        self.schema.tables.push(Table {
            name: name.clone(),
            model_name: None,
            columns: Vec::new(),
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        });
        let table = self.schema.tables.len() - 1;
        let mut constraints = Vec::new();
        let mut autoincrement = false;
        for column_definition in &create.columns {
            let (column, column_constraints, column_autoincrement) =
                self.column_from_definition(column_definition)?;
            if self.column_position(table, &column.name).is_some() {
                return Err(may_change(format!(
                    "the column `{}` is declared twice",
                    column.name
                )));
            }
            autoincrement |= column_autoincrement;
            self.schema.tables[table].columns.push(column);
            constraints.extend(column_constraints);
        }
        for constraint in &create.constraints {
            if let Some(spec) = self.table_constraint(constraint)? {
                constraints.push(spec);
            }
        }
        let mut autoindexes = 0;
        for spec in constraints {
            self.add_constraint(table, spec, Some(&mut autoindexes))?;
        }
        if autoincrement {
            self.mark_autoincrement(table);
        }
        Ok(Outcome::Applied)
    }

    /// PostgreSQL's `LIKE`: the columns with their types and NOT NULL, the defaults with
    /// `INCLUDING DEFAULTS` (a serial column's `nextval` among them, so the copy is serial
    /// too, on the source's sequence), identities with `INCLUDING IDENTITY`; never keys,
    /// indexes (without `INCLUDING INDEXES`) or foreign keys.
    fn create_table_like(&mut self, like: TableLike<'_>) -> Result<Outcome, Skip> {
        if self.provider != Provider::Postgresql {
            return Err(may_change(
                "CREATE TABLE ... (LIKE ...) is not a statement the interpreter follows on SQLite",
            ));
        }
        if self.table_position(like.name).is_some() {
            if like.if_not_exists {
                return Ok(Outcome::NoEffect);
            }
            return Err(may_change(format!(
                "the table `{}` exists already in the schema built so far",
                like.name
            )));
        }
        let source = self.existing_table(like.source)?;
        let columns = self.schema.tables[source]
            .columns
            .iter()
            .map(|column| {
                let is_identity = column.auto_increment && !column.serial;
                let copies_serial = like.defaults && column.serial;
                Column {
                    name: column.name.clone(),
                    field_name: None,
                    // SQL has no schema types: a copied column is like an introspected one.
                    schema_type: None,
                    column_type: column.column_type.clone(),
                    nullable: column.nullable,
                    default: if like.defaults {
                        column.default.clone()
                    } else {
                        None
                    },
                    auto_increment: copies_serial || (like.identity && is_identity),
                    serial: copies_serial,
                }
            })
            .collect();
        self.schema.tables.push(Table {
            name: like.name.to_string(),
            model_name: None,
            columns,
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        });
        Ok(Outcome::Applied)
    }

    /// A column, the constraints declared on it, and whether it says `AUTOINCREMENT`.
    fn column_from_definition(
        &mut self,
        definition: &ColumnDef,
    ) -> Result<(Column, Vec<ConstraintSpec>, bool), Skip> {
        let name = self.identifier(&definition.name);
        let declared =
            column_types::declared_type(self.provider, &definition.data_type, &self.schema.enums)
                .map_err(|reason| may_change(format!("the column `{name}`: {reason}")))?;
        let mut column = Column {
            name: name.clone(),
            field_name: None,
            schema_type: None,
            column_type: declared.column_type.clone(),
            nullable: !declared.serial,
            default: None,
            auto_increment: declared.serial,
            serial: declared.serial && self.provider == Provider::Postgresql,
        };
        let mut constraints = Vec::new();
        let mut autoincrement = false;
        for option_definition in &definition.options {
            let constraint_name = option_definition
                .name
                .as_ref()
                .map(|ident| self.identifier(ident));
            match &option_definition.option {
                ColumnOption::Null => column.nullable = true,
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Default(expression) => {
                    self.set_default(&mut column, &declared, expression)
                }
                ColumnOption::PrimaryKey(key) => constraints.push(ConstraintSpec::PrimaryKey {
                    name: key
                        .name
                        .as_ref()
                        .map(|ident| self.identifier(ident))
                        .or(constraint_name),
                    columns: vec![name.clone()],
                }),
                ColumnOption::Unique(unique) => constraints.push(ConstraintSpec::Unique {
                    name: unique
                        .name
                        .as_ref()
                        .map(|ident| self.identifier(ident))
                        .or(constraint_name),
                    columns: vec![name.clone()],
                }),
                ColumnOption::ForeignKey(foreign_key) => {
                    constraints.push(ConstraintSpec::ForeignKey {
                        name: foreign_key
                            .name
                            .as_ref()
                            .map(|ident| self.identifier(ident))
                            .or(constraint_name),
                        columns: vec![name.clone()],
                        referenced_table: self.object_name(&foreign_key.foreign_table)?,
                        referenced_columns: foreign_key
                            .referred_columns
                            .iter()
                            .map(|ident| self.identifier(ident))
                            .collect(),
                        on_delete: referential_action(foreign_key.on_delete),
                        on_update: referential_action(foreign_key.on_update),
                    })
                }
                ColumnOption::Check(_) => self.notes.push((
                    SkippedEffect::OutsideSchemaModel,
                    format!("the CHECK constraint on `{name}` is not part of the schema model"),
                )),
                ColumnOption::Generated {
                    generation_expr: Some(_),
                    ..
                } => {
                    // Introspection reports a generated column as a plain column without a
                    // default.
                    self.notes.push((
                        SkippedEffect::OutsideSchemaModel,
                        format!(
                            "the generation expression of `{name}` is not part of the schema model"
                        ),
                    ));
                }
                ColumnOption::Generated {
                    generation_expr: None,
                    ..
                } => {
                    column.auto_increment = true;
                    column.serial = false;
                    column.nullable = false;
                    column.default = None;
                }
                ColumnOption::DialectSpecific(tokens)
                    if tokens
                        .iter()
                        .any(|token| token.to_string().eq_ignore_ascii_case("AUTOINCREMENT")) =>
                {
                    autoincrement = true
                }
                ColumnOption::Collation(_) | ColumnOption::Comment(_) => {}
                other => {
                    return Err(may_change(format!(
                        "the column option `{other}` of `{name}` is not one the interpreter follows"
                    )))
                }
            }
        }
        Ok((column, constraints, autoincrement))
    }

    fn set_default(&self, column: &mut Column, declared: &DeclaredType, expression: &Expr) {
        let interpreted = column_types::interpret_default(self.provider, expression, declared);
        if interpreted.sequence {
            column.auto_increment = true;
            column.serial = self.provider == Provider::Postgresql;
            column.default = None;
        } else {
            column.default = interpreted.default;
        }
    }

    /// SQLite's `INTEGER PRIMARY KEY AUTOINCREMENT` (as the introspection marks it).
    fn mark_autoincrement(&mut self, table: usize) {
        let table = &mut self.schema.tables[table];
        let key_column = match &table.primary_key {
            Some(key) if key.columns.len() == 1 => key.columns[0].clone(),
            _ => return,
        };
        if let Some(column) = table
            .columns
            .iter_mut()
            .find(|column| column.name == key_column)
        {
            if column.column_type == crate::database_schema::ColumnType::native("INTEGER") {
                column.auto_increment = true;
                column.default = None;
            }
        }
    }

    fn table_constraint(
        &mut self,
        constraint: &TableConstraint,
    ) -> Result<Option<ConstraintSpec>, Skip> {
        Ok(Some(match constraint {
            TableConstraint::PrimaryKey(key) => ConstraintSpec::PrimaryKey {
                name: key.name.as_ref().map(|ident| self.identifier(ident)),
                columns: self.plain_column_names(&key.columns)?,
            },
            TableConstraint::Unique(unique) => ConstraintSpec::Unique {
                name: unique.name.as_ref().map(|ident| self.identifier(ident)),
                columns: self.plain_column_names(&unique.columns)?,
            },
            TableConstraint::ForeignKey(foreign_key) => ConstraintSpec::ForeignKey {
                name: foreign_key
                    .name
                    .as_ref()
                    .map(|ident| self.identifier(ident)),
                columns: foreign_key
                    .columns
                    .iter()
                    .map(|ident| self.identifier(ident))
                    .collect(),
                referenced_table: self.object_name(&foreign_key.foreign_table)?,
                referenced_columns: foreign_key
                    .referred_columns
                    .iter()
                    .map(|ident| self.identifier(ident))
                    .collect(),
                on_delete: referential_action(foreign_key.on_delete),
                on_update: referential_action(foreign_key.on_update),
            },
            TableConstraint::Check(check) => {
                let name = check
                    .name
                    .as_ref()
                    .map(|ident| format!(" `{}`", self.identifier(ident)))
                    .unwrap_or_default();
                self.notes.push((
                    SkippedEffect::OutsideSchemaModel,
                    format!("the CHECK constraint{name} is not part of the schema model"),
                ));
                return Ok(None);
            }
            other => {
                return Err(may_change(format!(
                    "the constraint `{other}` is not one the interpreter follows"
                )))
            }
        }))
    }

    /// Adds a constraint to a table. `autoindexes` counts SQLite's automatic indexes while a
    /// `CREATE TABLE` is read; `None` in `ALTER TABLE`.
    fn add_constraint(
        &mut self,
        table: usize,
        spec: ConstraintSpec,
        autoindexes: Option<&mut usize>,
    ) -> Result<(), Skip> {
        let table_name = self.schema.tables[table].name.clone();
        match spec {
            ConstraintSpec::PrimaryKey { name, columns } => {
                let columns = columns
                    .iter()
                    .map(|column| self.column_spelling(table, column))
                    .collect::<Result<Vec<_>, _>>()?;
                if self.schema.tables[table].primary_key.is_some() {
                    return Err(may_change(format!(
                        "the table `{table_name}` has a primary key already"
                    )));
                }
                if self.provider == Provider::Sqlite {
                    let Some(autoindexes) = autoindexes else {
                        return Err(may_change("SQLite cannot add a primary key to a table"));
                    };
                    let is_rowid_alias = columns.len() == 1
                        && self.schema.tables[table]
                            .column(&columns[0])
                            .is_some_and(|column| {
                                column.column_type
                                    == crate::database_schema::ColumnType::native("INTEGER")
                            });
                    if !is_rowid_alias {
                        *autoindexes += 1;
                    }
                }
                let key_name =
                    match self.provider {
                        Provider::Postgresql => Some(name.unwrap_or_else(|| {
                            names::postgres_object_name(&table_name, None, "pkey")
                        })),
                        Provider::Sqlite => None,
                    };
                let table = &mut self.schema.tables[table];
                for column in &mut table.columns {
                    if columns.contains(&column.name) {
                        column.nullable = false;
                    }
                }
                table.primary_key = Some(PrimaryKey {
                    name: key_name,
                    columns,
                });
            }
            ConstraintSpec::Unique { name, columns } => {
                let columns = columns
                    .iter()
                    .map(|column| self.column_spelling(table, column))
                    .collect::<Result<Vec<_>, _>>()?;
                let index_name = match self.provider {
                    Provider::Postgresql => name.unwrap_or_else(|| {
                        names::postgres_object_name(
                            &table_name,
                            Some(&names::postgres_column_names_addition(&columns)),
                            "key",
                        )
                    }),
                    Provider::Sqlite => {
                        let Some(autoindexes) = autoindexes else {
                            return Err(may_change(
                                "SQLite cannot add a unique constraint to a table",
                            ));
                        };
                        let duplicate = self.schema.tables[table].indexes.iter().any(|index| {
                            index.unique
                                && index
                                    .columns
                                    .iter()
                                    .map(|column| &column.name)
                                    .eq(columns.iter())
                        });
                        if duplicate {
                            return Ok(());
                        }
                        *autoindexes += 1;
                        format!("{SQLITE_AUTOINDEX_PREFIX}{table_name}_{autoindexes}")
                    }
                };
                self.schema.tables[table].indexes.push(Index {
                    name: index_name,
                    columns: columns
                        .into_iter()
                        .map(|name| IndexColumn {
                            name,
                            descending: false,
                            operator_class: None,
                        })
                        .collect(),
                    unique: true,
                    algorithm: None,
                    invalid: false,
                });
            }
            ConstraintSpec::ForeignKey {
                name,
                columns,
                referenced_table,
                mut referenced_columns,
                on_delete,
                on_update,
            } => {
                let columns = columns
                    .iter()
                    .map(|column| self.column_spelling(table, column))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut referenced_table = referenced_table;
                if self.provider == Provider::Postgresql {
                    let parent = self.existing_table(&referenced_table)?;
                    referenced_table = self.schema.tables[parent].name.clone();
                    if referenced_columns.is_empty() {
                        referenced_columns = self.schema.tables[parent]
                            .primary_key
                            .as_ref()
                            .map(|key| key.columns.clone())
                            .ok_or_else(|| {
                                may_change(format!(
                                    "the foreign key refers to `{referenced_table}`, which has no primary key"
                                ))
                            })?;
                    }
                } else if autoindexes.is_none() {
                    return Err(may_change("SQLite cannot add a foreign key to a table"));
                }
                let foreign_key_name = match self.provider {
                    Provider::Postgresql => Some(name.unwrap_or_else(|| {
                        names::postgres_object_name(
                            &table_name,
                            Some(&names::postgres_column_names_addition(&columns)),
                            "fkey",
                        )
                    })),
                    Provider::Sqlite => None,
                };
                self.schema.tables[table].foreign_keys.push(ForeignKey {
                    name: foreign_key_name,
                    columns,
                    referenced_table,
                    referenced_columns,
                    on_delete,
                    on_update,
                    // The schema a whole script builds: comon's scripts validate what they add
                    // `NOT VALID`, and `status` reads the state of a live database from it.
                    not_validated: false,
                });
            }
        }
        Ok(())
    }

    // ----- ALTER TABLE -----

    fn alter_table(&mut self, alter: &AlterTable) -> Result<Outcome, Skip> {
        let name = self.object_name(&alter.name)?;
        let Some(table) = self.table_position(&name) else {
            if alter.if_exists {
                return Ok(Outcome::NoEffect);
            }
            return Err(may_change(format!(
                "it refers to the table `{name}`, which the schema built so far does not have"
            )));
        };
        let mut table = table;
        let mut applied = false;
        for operation in &alter.operations {
            match operation {
                AlterTableOperation::AddColumn {
                    if_not_exists,
                    column_def,
                    ..
                } => {
                    let (column, constraints, autoincrement) =
                        self.column_from_definition(column_def)?;
                    if self.column_position(table, &column.name).is_some() {
                        if *if_not_exists {
                            continue;
                        }
                        return Err(may_change(format!(
                            "the column `{}` exists already",
                            column.name
                        )));
                    }
                    if autoincrement {
                        return Err(may_change("SQLite cannot add an AUTOINCREMENT column"));
                    }
                    self.schema.tables[table].columns.push(column);
                    for spec in constraints {
                        self.add_constraint(table, spec, None)?;
                    }
                }
                AlterTableOperation::DropColumn {
                    column_names,
                    if_exists,
                    ..
                } => {
                    for column_name in column_names {
                        let column_name = self.identifier(column_name);
                        match self.column_position(table, &column_name) {
                            Some(position) => self.drop_column(table, position),
                            None if *if_exists => {}
                            None => {
                                return Err(may_change(format!(
                                    "it drops the column `{column_name}`, which the schema built so far does not have"
                                )))
                            }
                        }
                    }
                }
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => {
                    let old_name = self.identifier(old_column_name);
                    let new_name = self.identifier(new_column_name);
                    let position = self.column_position(table, &old_name).ok_or_else(|| {
                        may_change(format!(
                            "it renames the column `{old_name}`, which the schema built so far does not have"
                        ))
                    })?;
                    self.rename_column(table, position, new_name)?;
                }
                AlterTableOperation::RenameTable { table_name } => {
                    let new_name = match table_name {
                        RenameTableNameKind::As(name) | RenameTableNameKind::To(name) => {
                            self.object_name(name)?
                        }
                    };
                    table = self.rename_table(table, new_name)?;
                }
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    if let Some(spec) = self.table_constraint(constraint)? {
                        self.add_constraint(table, spec, None)?;
                    }
                }
                AlterTableOperation::DropConstraint {
                    if_exists, name, ..
                } => {
                    let constraint_name = self.identifier(name);
                    if !self.drop_constraint(table, &constraint_name) && !*if_exists {
                        self.notes.push((
                            SkippedEffect::OutsideSchemaModel,
                            format!("the constraint `{constraint_name}` is not a key, unique constraint or foreign key of the schema model (a CHECK or exclusion constraint is not modelled)"),
                        ));
                    }
                }
                AlterTableOperation::RenameConstraint { old_name, new_name } => {
                    let old_name = self.identifier(old_name);
                    let new_name = self.identifier(new_name);
                    if !self.rename_constraint(table, &old_name, &new_name) {
                        self.notes.push((
                            SkippedEffect::OutsideSchemaModel,
                            format!("the constraint `{old_name}` is not a key, unique constraint or foreign key of the schema model (a CHECK or exclusion constraint is not modelled)"),
                        ));
                    }
                }
                AlterTableOperation::AlterColumn { column_name, op } => {
                    let column_name = self.identifier(column_name);
                    let position = self.column_position(table, &column_name).ok_or_else(|| {
                        may_change(format!(
                            "it alters the column `{column_name}`, which the schema built so far does not have"
                        ))
                    })?;
                    self.alter_column(table, position, op)?;
                }
                // Validating a constraint added NOT VALID checks the rows and changes no
                // definition: the model (like introspection) holds no validity flag. comon's
                // online plans add foreign keys and NOT NULL checks so.
                AlterTableOperation::ValidateConstraint { .. } => continue,
                AlterTableOperation::EnableRowLevelSecurity
                | AlterTableOperation::DisableRowLevelSecurity
                | AlterTableOperation::ForceRowLevelSecurity
                | AlterTableOperation::NoForceRowLevelSecurity
                | AlterTableOperation::OwnerTo { .. }
                | AlterTableOperation::EnableTrigger { .. }
                | AlterTableOperation::DisableTrigger { .. }
                | AlterTableOperation::EnableAlwaysTrigger { .. }
                | AlterTableOperation::EnableReplicaTrigger { .. }
                | AlterTableOperation::ReplicaIdentity { .. }
                | AlterTableOperation::SetLogged
                | AlterTableOperation::SetUnlogged => self.notes.push((
                    SkippedEffect::OutsideSchemaModel,
                    format!("`{operation}` is not part of the schema model"),
                )),
                other => {
                    return Err(may_change(format!(
                        "the ALTER TABLE operation `{other}` is not one the interpreter follows"
                    )))
                }
            }
            applied = true;
        }
        Ok(if applied {
            Outcome::Applied
        } else {
            Outcome::NoEffect
        })
    }

    /// Drops a column with what depends on it: the indexes and keys that contain it, and on
    /// PostgreSQL the foreign keys of other tables that refer to it (SQLite keeps those as
    /// text, and introspection reports them as written).
    fn drop_column(&mut self, table: usize, position: usize) {
        let provider = self.provider;
        let table_name = self.schema.tables[table].name.clone();
        let column = self.schema.tables[table].columns.remove(position).name;
        let owner = &mut self.schema.tables[table];
        owner
            .indexes
            .retain(|index| !index.columns.iter().any(|indexed| indexed.name == column));
        if owner
            .primary_key
            .as_ref()
            .is_some_and(|key| key.columns.contains(&column))
        {
            owner.primary_key = None;
        }
        owner
            .foreign_keys
            .retain(|foreign_key| !foreign_key.columns.contains(&column));
        if provider == Provider::Postgresql {
            for other in &mut self.schema.tables {
                other.foreign_keys.retain(|foreign_key| {
                    !(foreign_key.referenced_table == table_name
                        && foreign_key.referenced_columns.contains(&column))
                });
            }
        }
    }

    fn rename_column(
        &mut self,
        table: usize,
        position: usize,
        new_name: String,
    ) -> Result<(), Skip> {
        if self
            .column_position(table, &new_name)
            .is_some_and(|existing| existing != position)
        {
            return Err(may_change(format!(
                "the column `{new_name}` exists already"
            )));
        }
        let provider = self.provider;
        let table_name = self.schema.tables[table].name.clone();
        let owner = &mut self.schema.tables[table];
        let old_name = std::mem::replace(&mut owner.columns[position].name, new_name.clone());
        let rename = |name: &mut String| {
            if *name == old_name {
                *name = new_name.clone();
            }
        };
        for index in &mut owner.indexes {
            index
                .columns
                .iter_mut()
                .for_each(|column| rename(&mut column.name));
        }
        if let Some(key) = &mut owner.primary_key {
            key.columns.iter_mut().for_each(rename);
        }
        for foreign_key in &mut owner.foreign_keys {
            foreign_key.columns.iter_mut().for_each(rename);
        }
        for other in &mut self.schema.tables {
            for foreign_key in &mut other.foreign_keys {
                if same_name(provider, &foreign_key.referenced_table, &table_name) {
                    for column in &mut foreign_key.referenced_columns {
                        if same_name(provider, column, &old_name) {
                            *column = new_name.clone();
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Renames a table; foreign keys that refer to it follow (PostgreSQL refers by identity,
    /// and SQLite rewrites the references since 3.26). Returns the table's position.
    fn rename_table(&mut self, table: usize, new_name: String) -> Result<usize, Skip> {
        if self
            .table_position(&new_name)
            .is_some_and(|existing| existing != table)
        {
            return Err(may_change(format!("the table `{new_name}` exists already")));
        }
        let provider = self.provider;
        let old_name = std::mem::replace(&mut self.schema.tables[table].name, new_name.clone());
        for other in &mut self.schema.tables {
            for foreign_key in &mut other.foreign_keys {
                if same_name(provider, &foreign_key.referenced_table, &old_name) {
                    foreign_key.referenced_table = new_name.clone();
                }
            }
        }
        if provider == Provider::Sqlite {
            let old_prefix = format!("{SQLITE_AUTOINDEX_PREFIX}{old_name}_");
            for index in &mut self.schema.tables[table].indexes {
                if let Some(number) = index.name.strip_prefix(&old_prefix) {
                    index.name = format!("{SQLITE_AUTOINDEX_PREFIX}{new_name}_{number}");
                }
            }
            for dependent in &mut self.schema.table_dependents {
                if dependent.table.eq_ignore_ascii_case(&old_name) {
                    dependent.table = new_name.clone();
                }
            }
        }
        Ok(table)
    }

    /// Drops the primary key, foreign key or unique constraint `name` of the table; false when
    /// the table has none of that name.
    fn drop_constraint(&mut self, table: usize, name: &str) -> bool {
        let provider = self.provider;
        let owner = &mut self.schema.tables[table];
        if owner
            .primary_key
            .as_ref()
            .and_then(|key| key.name.as_deref())
            .is_some_and(|key_name| same_name(provider, key_name, name))
        {
            owner.primary_key = None;
            return true;
        }
        let foreign_keys = owner.foreign_keys.len();
        owner.foreign_keys.retain(|foreign_key| {
            !foreign_key
                .name
                .as_deref()
                .is_some_and(|foreign_key_name| same_name(provider, foreign_key_name, name))
        });
        if owner.foreign_keys.len() != foreign_keys {
            return true;
        }
        let indexes = owner.indexes.len();
        owner
            .indexes
            .retain(|index| !(index.unique && same_name(provider, &index.name, name)));
        owner.indexes.len() != indexes
    }

    fn rename_constraint(&mut self, table: usize, old_name: &str, new_name: &str) -> bool {
        let provider = self.provider;
        let owner = &mut self.schema.tables[table];
        if let Some(key) = &mut owner.primary_key {
            if key
                .name
                .as_deref()
                .is_some_and(|key_name| same_name(provider, key_name, old_name))
            {
                key.name = Some(new_name.to_string());
                return true;
            }
        }
        for foreign_key in &mut owner.foreign_keys {
            if foreign_key
                .name
                .as_deref()
                .is_some_and(|foreign_key_name| same_name(provider, foreign_key_name, old_name))
            {
                foreign_key.name = Some(new_name.to_string());
                return true;
            }
        }
        for index in &mut owner.indexes {
            if index.unique && same_name(provider, &index.name, old_name) {
                index.name = new_name.to_string();
                return true;
            }
        }
        false
    }

    fn alter_column(
        &mut self,
        table: usize,
        position: usize,
        operation: &AlterColumnOperation,
    ) -> Result<(), Skip> {
        let provider = self.provider;
        match operation {
            AlterColumnOperation::SetNotNull => {
                self.schema.tables[table].columns[position].nullable = false
            }
            AlterColumnOperation::DropNotNull => {
                self.schema.tables[table].columns[position].nullable = true
            }
            AlterColumnOperation::SetDefault { value } => {
                let mut column = self.schema.tables[table].columns[position].clone();
                let declared = DeclaredType {
                    column_type: column.column_type.clone(),
                    serial: false,
                };
                self.set_default(&mut column, &declared, value);
                self.schema.tables[table].columns[position] = column;
            }
            AlterColumnOperation::DropDefault => {
                let column = &mut self.schema.tables[table].columns[position];
                column.default = None;
                // PostgreSQL refuses DROP DEFAULT on an identity column, so an auto-increment
                // column that loses its default was a serial one: its `nextval` is gone.
                column.auto_increment = false;
                column.serial = false;
            }
            AlterColumnOperation::SetDataType { data_type, .. } => {
                let declared = column_types::declared_type(provider, data_type, &self.schema.enums)
                    .map_err(|reason| may_change(format!("the new type: {reason}")))?;
                if declared.serial {
                    return Err(may_change("a column cannot change to a serial type"));
                }
                self.schema.tables[table].columns[position].column_type = declared.column_type;
            }
            AlterColumnOperation::AddGenerated { .. } => {
                let column = &mut self.schema.tables[table].columns[position];
                column.auto_increment = true;
                column.serial = false;
                column.nullable = false;
            }
            other => {
                return Err(may_change(format!(
                    "the ALTER COLUMN operation `{other}` is not one the interpreter follows"
                )))
            }
        }
        Ok(())
    }

    /// An `ALTER TABLE` whose clauses are only `DROP IDENTITY` and `SET STATISTICS`.
    fn column_clauses(
        &mut self,
        table_name: &str,
        if_exists: bool,
        clauses: &[ColumnClause],
    ) -> Result<Outcome, Skip> {
        let Some(table) = self.table_position(table_name) else {
            if if_exists {
                return Ok(Outcome::NoEffect);
            }
            return Err(may_change(format!(
                "it refers to the table `{table_name}`, which the schema built so far does not have"
            )));
        };
        let previous = self.schema.tables[table].clone();
        let outcome = self.column_clauses_of(table, clauses);
        if outcome.is_err() {
            self.schema.tables[table] = previous;
        }
        outcome
    }

    fn column_clauses_of(
        &mut self,
        table: usize,
        clauses: &[ColumnClause],
    ) -> Result<Outcome, Skip> {
        let mut applied = false;
        for clause in clauses {
            let column_name = match clause {
                ColumnClause::DropIdentity { column, .. }
                | ColumnClause::SetStatistics { column } => column,
            };
            let position = self.column_position(table, column_name).ok_or_else(|| {
                may_change(format!(
                    "it alters the column `{column_name}`, which the schema built so far does not have"
                ))
            })?;
            let column = &mut self.schema.tables[table].columns[position];
            match clause {
                // An identity column is auto-increment without a serial's `nextval` default;
                // without its identity it is a plain NOT NULL column (introspection agrees).
                ColumnClause::DropIdentity { .. } if column.auto_increment && !column.serial => {
                    column.auto_increment = false;
                    applied = true;
                }
                // PostgreSQL passes over a column that is not an identity one with IF EXISTS.
                ColumnClause::DropIdentity { if_exists: true, .. } => {}
                ColumnClause::DropIdentity { .. } => {
                    return Err(may_change(format!(
                        "the column `{column_name}` is not an identity column in the schema built so far, so DROP IDENTITY fails"
                    )))
                }
                ColumnClause::SetStatistics { .. } => self.notes.push((
                    SkippedEffect::OutsideSchemaModel,
                    format!("the statistics target of `{column_name}` is not part of the schema model"),
                )),
            }
        }
        Ok(if applied {
            Outcome::Applied
        } else {
            Outcome::NoEffect
        })
    }

    // ----- indexes -----

    fn create_index(&mut self, create: &CreateIndex) -> Result<Outcome, Skip> {
        let table_name = self.object_name(&create.table_name)?;
        let table = self.existing_table(&table_name)?;
        let columns = self.index_columns(&create.columns)?;
        let Some(columns) =
            columns.filter(|_| create.predicate.is_none() && create.include.is_empty())
        else {
            return match self.provider {
                Provider::Postgresql => Ok(outside(
                    "partial, expression and INCLUDE indexes are not part of the schema model (introspection leaves them out)",
                )),
                Provider::Sqlite => Err(may_change(
                    "a SQLite partial or expression index belongs to its table's dependents, which the interpreter does not build",
                )),
            };
        };
        let columns = columns
            .into_iter()
            .map(|column| {
                Ok(IndexColumn {
                    name: self.column_spelling(table, &column.name)?,
                    ..column
                })
            })
            .collect::<Result<Vec<_>, Skip>>()?;
        let owner_name = self.schema.tables[table].name.clone();
        let name = match &create.name {
            Some(name) => self.object_name(name)?,
            None if self.provider == Provider::Postgresql => {
                let column_names: Vec<String> =
                    columns.iter().map(|column| column.name.clone()).collect();
                names::postgres_object_name(
                    &owner_name,
                    Some(&names::postgres_column_names_addition(&column_names)),
                    if create.unique { "key" } else { "idx" },
                )
            }
            None => return Err(may_change("an index without a name")),
        };
        if self.index_position(&name).is_some() {
            if create.if_not_exists {
                return Ok(Outcome::NoEffect);
            }
            return Err(may_change(format!("the index `{name}` exists already")));
        }
        let algorithm = match (self.provider, &create.using) {
            (Provider::Postgresql, Some(index_type)) => index_method(index_type),
            _ => None,
        };
        self.schema.tables[table].indexes.push(Index {
            name,
            columns,
            unique: create.unique,
            algorithm,
            invalid: false,
        });
        Ok(Outcome::Applied)
    }

    fn alter_index(
        &mut self,
        name: &ObjectName,
        operation: &AlterIndexOperation,
    ) -> Result<Outcome, Skip> {
        let AlterIndexOperation::RenameIndex { index_name } = operation;
        let old_name = self.object_name(name)?;
        let new_name = self.object_name(index_name)?;
        if let Some((table, index)) = self.index_position(&old_name) {
            self.schema.tables[table].indexes[index].name = new_name;
            return Ok(Outcome::Applied);
        }
        // A primary key's index has the constraint's name, and renaming it renames both.
        let provider = self.provider;
        for table in &mut self.schema.tables {
            if let Some(key) = &mut table.primary_key {
                if key
                    .name
                    .as_deref()
                    .is_some_and(|key_name| same_name(provider, key_name, &old_name))
                {
                    key.name = Some(new_name);
                    return Ok(Outcome::Applied);
                }
            }
        }
        Ok(outside(format!(
            "the index `{old_name}` is not in the schema model (a partial or expression index is not modelled)"
        )))
    }

    // ----- DROP -----

    fn drop(
        &mut self,
        object_type: ObjectType,
        if_exists: bool,
        object_names: &[ObjectName],
        cascade: bool,
    ) -> Result<Outcome, Skip> {
        let provider = self.provider;
        match object_type {
            ObjectType::Table => {
                for object_name in object_names {
                    let name = self.object_name(object_name)?;
                    let Some(table) = self.table_position(&name) else {
                        if if_exists {
                            continue;
                        }
                        return Err(may_change(format!(
                            "it drops the table `{name}`, which the schema built so far does not have"
                        )));
                    };
                    let removed = self.schema.tables.remove(table);
                    match provider {
                        // PostgreSQL drops the foreign keys that refer to the table (with
                        // CASCADE; without it, there are none, or the statement fails).
                        Provider::Postgresql => {
                            for other in &mut self.schema.tables {
                                other.foreign_keys.retain(|foreign_key| {
                                    foreign_key.referenced_table != removed.name
                                });
                            }
                        }
                        Provider::Sqlite => self.schema.table_dependents.retain(|dependent| {
                            !dependent.table.eq_ignore_ascii_case(&removed.name)
                        }),
                    }
                }
                Ok(Outcome::Applied)
            }
            ObjectType::Index => {
                let mut outcome = Outcome::Applied;
                for object_name in object_names {
                    let name = self.object_name(object_name)?;
                    match self.index_position(&name) {
                        Some((table, index)) => {
                            self.schema.tables[table].indexes.remove(index);
                        }
                        None if if_exists => {}
                        None => {
                            outcome = outside(format!(
                                "the index `{name}` is not in the schema model (a partial or expression index is not modelled)"
                            ))
                        }
                    }
                }
                Ok(outcome)
            }
            ObjectType::Type => {
                for object_name in object_names {
                    let name = self.object_name(object_name)?;
                    let Some(position) = self
                        .schema
                        .enums
                        .iter()
                        .position(|enumeration| enumeration.name == name)
                    else {
                        if if_exists {
                            continue;
                        }
                        return Ok(outside(format!(
                            "the type `{name}` is not an enum of the schema model"
                        )));
                    };
                    self.schema.enums.remove(position);
                    if cascade {
                        for table in 0..self.schema.tables.len() {
                            while let Some(column) =
                                self.schema.tables[table].columns.iter().position(|column| {
                                    column.column_type.kind == ColumnTypeKind::Enum(name.clone())
                                })
                            {
                                self.drop_column(table, column);
                            }
                        }
                    }
                }
                Ok(Outcome::Applied)
            }
            ObjectType::Sequence => Ok(outside("sequences are not part of the schema model")),
            ObjectType::View | ObjectType::MaterializedView => {
                Ok(outside("views are not part of the schema model"))
            }
            ObjectType::Role | ObjectType::User => {
                Ok(outside("roles are not part of the schema model"))
            }
            other => Err(may_change(format!(
                "DROP {other} is not a statement the interpreter follows"
            ))),
        }
    }

    // ----- enums -----

    fn create_type(
        &mut self,
        name: &ObjectName,
        representation: Option<&UserDefinedTypeRepresentation>,
    ) -> Result<Outcome, Skip> {
        let name = self.object_name(name)?;
        let Some(UserDefinedTypeRepresentation::Enum { labels }) = representation else {
            return Ok(outside(format!(
                "the type `{name}` is not an enum; other user types are not part of the schema model"
            )));
        };
        if self.provider != Provider::Postgresql {
            return Err(may_change("enum types are PostgreSQL's"));
        }
        if self
            .schema
            .enums
            .iter()
            .any(|enumeration| enumeration.name == name)
        {
            return Err(may_change(format!("the type `{name}` exists already")));
        }
        self.schema.enums.push(Enum {
            name,
            prisma_name: None,
            values: labels
                .iter()
                .map(|label| EnumValue {
                    name: label.value.clone(),
                    prisma_name: None,
                })
                .collect(),
        });
        Ok(Outcome::Applied)
    }

    fn alter_type(&mut self, alter: &AlterType) -> Result<Outcome, Skip> {
        let name = self.object_name(&alter.name)?;
        let Some(position) = self
            .schema
            .enums
            .iter()
            .position(|enumeration| enumeration.name == name)
        else {
            return Err(may_change(format!(
                "the type `{name}` is not an enum the schema built so far has"
            )));
        };
        match &alter.operation {
            AlterTypeOperation::Rename(rename) => {
                let new_name = self.identifier(&rename.new_name);
                if self
                    .schema
                    .enums
                    .iter()
                    .any(|enumeration| enumeration.name == new_name)
                {
                    return Err(may_change(format!("the type `{new_name}` exists already")));
                }
                self.schema.enums[position].name = new_name.clone();
                for table in &mut self.schema.tables {
                    for column in &mut table.columns {
                        if column.column_type.kind == ColumnTypeKind::Enum(name.clone()) {
                            column.column_type.kind = ColumnTypeKind::Enum(new_name.clone());
                        }
                    }
                }
            }
            AlterTypeOperation::AddValue(add) => {
                let values = &mut self.schema.enums[position].values;
                let value = add.value.value.clone();
                if values.iter().any(|existing| existing.name == value) {
                    if add.if_not_exists {
                        return Ok(Outcome::NoEffect);
                    }
                    return Err(may_change(format!(
                        "the enum value `{value}` exists already"
                    )));
                }
                let at = match &add.position {
                    None => values.len(),
                    Some(AlterTypeAddValuePosition::Before(neighbour))
                    | Some(AlterTypeAddValuePosition::After(neighbour)) => {
                        let neighbour_position = values
                            .iter()
                            .position(|existing| existing.name == neighbour.value)
                            .ok_or_else(|| {
                                may_change(format!(
                                    "the enum value `{}` is not in `{name}`",
                                    neighbour.value
                                ))
                            })?;
                        match &add.position {
                            Some(AlterTypeAddValuePosition::After(_)) => neighbour_position + 1,
                            _ => neighbour_position,
                        }
                    }
                };
                values.insert(
                    at,
                    EnumValue {
                        name: value,
                        prisma_name: None,
                    },
                );
            }
            AlterTypeOperation::RenameValue(rename) => {
                let (from, to) = (rename.from.value.clone(), rename.to.value.clone());
                let values = &mut self.schema.enums[position].values;
                let Some(value) = values.iter_mut().find(|value| value.name == from) else {
                    return Err(may_change(format!(
                        "the enum value `{from}` is not in `{name}`"
                    )));
                };
                value.name = to.clone();
                // A default holds the value itself, so it shows the new label.
                for table in &mut self.schema.tables {
                    for column in &mut table.columns {
                        if column.column_type.kind == ColumnTypeKind::Enum(name.clone()) {
                            if let Some(ColumnDefault::Value(default)) = &mut column.default {
                                rename_enum_value_in_default(default, &from, &to);
                            }
                        }
                    }
                }
            }
        }
        Ok(Outcome::Applied)
    }
}

fn rename_enum_value_in_default(default: &mut DefaultValue, from: &str, to: &str) {
    match default {
        DefaultValue::String(value) if value == from => *value = to.to_string(),
        DefaultValue::List(values) => values
            .iter_mut()
            .for_each(|value| rename_enum_value_in_default(value, from, to)),
        _ => {}
    }
}

fn referential_action(action: Option<SqlReferentialAction>) -> ReferentialAction {
    match action {
        None | Some(SqlReferentialAction::NoAction) => ReferentialAction::NoAction,
        Some(SqlReferentialAction::Restrict) => ReferentialAction::Restrict,
        Some(SqlReferentialAction::Cascade) => ReferentialAction::Cascade,
        Some(SqlReferentialAction::SetNull) => ReferentialAction::SetNull,
        Some(SqlReferentialAction::SetDefault) => ReferentialAction::SetDefault,
    }
}

/// The access method as `pg_am.amname` names it; `None` for the default, `btree`.
fn index_method(index_type: &IndexType) -> Option<String> {
    let method = match index_type {
        IndexType::BTree => return None,
        IndexType::Hash => "hash".to_string(),
        IndexType::GIN => "gin".to_string(),
        IndexType::GiST => "gist".to_string(),
        IndexType::SPGiST => "spgist".to_string(),
        IndexType::BRIN => "brin".to_string(),
        IndexType::Bloom => "bloom".to_string(),
        other => other.to_string().trim_matches('"').to_lowercase(),
    };
    (method != "btree").then_some(method)
}
