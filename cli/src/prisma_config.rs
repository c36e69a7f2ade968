//! `prisma.config.ts` (Prisma 7's project configuration), read without running it.
//!
//! comon never executes TypeScript. The file is parsed with oxc's TypeScript parser, and the
//! object that `export default defineConfig({...})` (or `export default {...} satisfies
//! PrismaConfig`, or a `const` exported by name) holds is read for the values comon needs:
//! `schema`, `migrations.path`, `migrations.seed`, and `datasource.url`, `directUrl` and
//! `shadowDatabaseUrl`. A value may be a string, `env("NAME")`, `process.env.NAME` (or
//! `process.env["NAME"]`) with an optional `?? "fallback"` or `|| "fallback"`, or, for paths,
//! `path.join(...)`/`path.resolve(...)` of strings and `__dirname`. Anything else is
//! remembered as unreadable with its line, so that the command that needs it can say which flag
//! to pass instead; a value that is not needed (the URL when `--url` is given) is never an error.

use comon_driver::command_error::CommandError;
use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, Expression, LogicalOperator, ObjectExpression, ObjectPropertyKind, Program, Statement,
};
use oxc_span::{GetSpan, SourceType, Span};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The names Prisma looks for in the project root, in its order.
pub const CONFIG_FILE_NAMES: [&str; 6] = [
    "prisma.config.ts",
    "prisma.config.mts",
    "prisma.config.cts",
    "prisma.config.js",
    "prisma.config.mjs",
    "prisma.config.cjs",
];

/// The keys comon reads, as dotted paths into the config object.
pub const SCHEMA: &str = "schema";
pub const MIGRATIONS_PATH: &str = "migrations.path";
pub const SEED: &str = "migrations.seed";
pub const DATASOURCE_URL: &str = "datasource.url";
pub const DIRECT_URL: &str = "datasource.directUrl";
pub const SHADOW_DATABASE_URL: &str = "datasource.shadowDatabaseUrl";
const KNOWN_KEYS: [&str; 6] = [
    SCHEMA,
    MIGRATIONS_PATH,
    SEED,
    DATASOURCE_URL,
    DIRECT_URL,
    SHADOW_DATABASE_URL,
];

/// Where the config's `env("NAME")` and `process.env.NAME` are looked up.
pub trait VariableSource {
    fn variable(&self, name: &str) -> Option<String>;
    /// Where a variable was looked for, for the message that says it is missing.
    fn places_looked(&self) -> String;
}

impl VariableSource for crate::environment::ProjectEnvironment {
    fn variable(&self, name: &str) -> Option<String> {
        crate::environment::ProjectEnvironment::variable(self, name)
    }

    fn places_looked(&self) -> String {
        crate::environment::ProjectEnvironment::places_looked(self)
    }
}

/// One value of the config as far as it can be known without running the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigValue {
    Literal(String),
    /// `env("NAME")` (which Prisma refuses when unset) or `process.env.NAME`, possibly with
    /// a literal fallback for when the variable is unset or empty.
    Environment {
        name: String,
        fallback: Option<String>,
    },
    /// A path built from the config file's folder (`__dirname`) and literal parts.
    PathFromConfigFolder(Vec<String>),
    /// Anything else: computed at run time. Only its place is kept (the text could hold a
    /// password).
    Unreadable {
        line: usize,
        column: usize,
    },
}

/// What a `prisma.config.ts` says, key by key.
#[derive(Debug, Clone)]
pub struct PrismaConfig {
    pub path: PathBuf,
    values: HashMap<&'static str, ConfigValue>,
}

impl PrismaConfig {
    /// `--config FILE` when given, else the first of `CONFIG_FILE_NAMES` in `project_root`;
    /// `None` when there is no config file.
    pub fn discover(
        explicit: Option<&Path>,
        project_root: &Path,
    ) -> Result<Option<PrismaConfig>, CommandError> {
        let path = match explicit {
            Some(path) => {
                if !path.is_file() {
                    return Err(CommandError::refused(
                        "prisma-config-not-found",
                        format!(
                            "The config file {} (--config) does not exist.",
                            path.display()
                        ),
                    ));
                }
                path.to_path_buf()
            }
            None => match CONFIG_FILE_NAMES
                .iter()
                .map(|name| project_root.join(name))
                .find(|path| path.is_file())
            {
                Some(path) => path,
                None => return Ok(None),
            },
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|error| CommandError::file("read", &path, &error))?;
        PrismaConfig::parse(&path, &text).map(Some)
    }

    /// Reads the config's text; `path` names it in messages and decides TypeScript or
    /// JavaScript.
    pub fn parse(path: &Path, text: &str) -> Result<PrismaConfig, CommandError> {
        let allocator = Allocator::default();
        let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::ts());
        let parsed = oxc_parser::Parser::new(&allocator, text, source_type).parse();
        if let Some(error) = parsed.diagnostics.errors().next() {
            let offset = error
                .labels
                .first()
                .map(|label| label.offset())
                .unwrap_or(0) as usize;
            let (line, column) = line_and_column(text, offset);
            return Err(CommandError::refused(
                "prisma-config-syntax",
                format!(
                    "{}:{line}:{column}: the config does not parse as TypeScript: {}.",
                    path.display(),
                    error.message
                ),
            ));
        }
        let mut values = HashMap::new();
        match default_export(&parsed.program) {
            DefaultExport::Object(object) => read_object(text, object, "", &mut values),
            DefaultExport::Unreadable(span) => {
                mark_all_unreadable(text, span.start as usize, &mut values)
            }
            // A module without a default export (one that assigns `module.exports`, say): nothing
            // can be read; each value needed says which flag to pass instead.
            DefaultExport::Missing => mark_all_unreadable(text, 0, &mut values),
        }
        Ok(PrismaConfig {
            path: path.to_path_buf(),
            values,
        })
    }

    /// The folder the config's relative paths are taken from.
    pub fn folder(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    pub fn value(&self, key: &str) -> Option<&ConfigValue> {
        self.values.get(key)
    }

    /// A path the config gives for `key` (`schema`, `migrations.path`), relative to the
    /// config's folder; `None` when the config does not set it. `flag` is what to pass when the
    /// value cannot be read.
    pub fn path_value(
        &self,
        key: &str,
        flag: &str,
        environment: &dyn VariableSource,
    ) -> Result<Option<PathBuf>, CommandError> {
        let Some(value) = self.values.get(key) else {
            return Ok(None);
        };
        let folder = self.folder();
        match value {
            ConfigValue::PathFromConfigFolder(parts) => Ok(Some(
                parts.iter().fold(folder, |path, part| path.join(part)),
            )),
            other => self
                .string_value(key, other, flag, environment)
                .map(|text| Some(folder.join(text))),
        }
    }

    /// A string the config gives for `key`, environment variables expanded; `None` when the
    /// config does not set it.
    pub fn string(
        &self,
        key: &str,
        flag: &str,
        environment: &dyn VariableSource,
    ) -> Result<Option<String>, CommandError> {
        match self.values.get(key) {
            None => Ok(None),
            Some(value) => self.string_value(key, value, flag, environment).map(Some),
        }
    }

    fn string_value(
        &self,
        key: &str,
        value: &ConfigValue,
        flag: &str,
        environment: &dyn VariableSource,
    ) -> Result<String, CommandError> {
        match value {
            ConfigValue::Literal(text) => Ok(text.clone()),
            ConfigValue::Environment { name, fallback } => {
                match (environment.variable(name), fallback) {
                    (Some(value), _) => Ok(value),
                    (None, Some(fallback)) if !fallback.is_empty() => Ok(fallback.clone()),
                    _ => Err(CommandError::refused(
                        "environment-variable-not-set",
                        format!(
                            "Environment variable \"{name}\" referenced by `{key}` in {} is not set. Looked in: {}. Set it there, or pass {flag}.",
                            self.path.display(),
                            environment.places_looked()
                        ),
                    )),
                }
            }
            ConfigValue::PathFromConfigFolder(parts) => Ok(parts
                .iter()
                .fold(self.folder(), |path, part| path.join(part))
                .display()
                .to_string()),
            ConfigValue::Unreadable { line, column } => {
                let instead = if flag.is_empty() {
                    format!("Write `{key}` as a string")
                } else {
                    format!("Pass {flag}, or write `{key}` as a string")
                };
                Err(CommandError::refused(
                    "prisma-config-value-unreadable",
                    format!(
                        "{}:{line}:{column}: `{key}` is computed when the config runs, and comon reads the config without running it. {instead}, env(\"NAME\") or process.env.NAME.",
                        self.path.display()
                    ),
                ))
            }
        }
    }
}

/// Nothing in the config can be known: every key is unreadable at `offset`.
fn mark_all_unreadable(text: &str, offset: usize, values: &mut HashMap<&'static str, ConfigValue>) {
    let (line, column) = line_and_column(text, offset);
    for key in KNOWN_KEYS {
        values.insert(key, ConfigValue::Unreadable { line, column });
    }
}

enum DefaultExport<'a, 'b> {
    Object(&'b ObjectExpression<'a>),
    Unreadable(Span),
    Missing,
}

/// The object the module exports by default: through `defineConfig(...)`, `satisfies`/`as`,
/// parentheses, and a top-level `const` of that name.
fn default_export<'a, 'b>(program: &'b Program<'a>) -> DefaultExport<'a, 'b> {
    for statement in &program.body {
        if let Statement::ExportDefaultDeclaration(export) = statement {
            return match export.declaration.as_expression() {
                Some(expression) => config_object(program, expression, 0),
                None => DefaultExport::Unreadable(export.span),
            };
        }
    }
    DefaultExport::Missing
}

fn config_object<'a, 'b>(
    program: &'b Program<'a>,
    expression: &'b Expression<'a>,
    depth: usize,
) -> DefaultExport<'a, 'b> {
    match expression.get_inner_expression() {
        Expression::ObjectExpression(object) => DefaultExport::Object(object),
        Expression::CallExpression(call)
            if call.callee.is_specific_id("defineConfig") && call.arguments.len() == 1 =>
        {
            match call.arguments[0].as_expression() {
                Some(argument) => config_object(program, argument, depth + 1),
                None => DefaultExport::Unreadable(call.span),
            }
        }
        Expression::Identifier(identifier) if depth < 4 => {
            match top_level_constant(program, identifier.name.as_str()) {
                Some(initializer) => config_object(program, initializer, depth + 1),
                None => DefaultExport::Unreadable(identifier.span),
            }
        }
        other => DefaultExport::Unreadable(other.span()),
    }
}

/// The initializer of `const NAME = ...` (or `let`/`var`) at the top of the module.
fn top_level_constant<'a, 'b>(program: &'b Program<'a>, name: &str) -> Option<&'b Expression<'a>> {
    program.body.iter().find_map(|statement| {
        let Statement::VariableDeclaration(declaration) = statement else {
            return None;
        };
        declaration.declarations.iter().find_map(|declarator| {
            let oxc_ast::ast::BindingPattern::BindingIdentifier(binding) = &declarator.id else {
                return None;
            };
            (binding.name == name)
                .then_some(declarator.init.as_ref())
                .flatten()
        })
    })
}

/// Reads the known keys under `prefix` from an object literal. A spread (`...base`) may hold
/// any key, so the known keys it could hide are unreadable unless written after it.
fn read_object(
    text: &str,
    object: &ObjectExpression,
    prefix: &str,
    values: &mut HashMap<&'static str, ConfigValue>,
) {
    for property in &object.properties {
        let property = match property {
            ObjectPropertyKind::ObjectProperty(property) => property,
            ObjectPropertyKind::SpreadProperty(spread) => {
                let (line, column) = line_and_column(text, spread.span.start as usize);
                for key in KNOWN_KEYS.iter().filter(|key| key.starts_with(prefix)) {
                    values.insert(key, ConfigValue::Unreadable { line, column });
                }
                continue;
            }
        };
        let Some(name) = (!property.computed)
            .then(|| property.key.static_name())
            .flatten()
        else {
            continue;
        };
        let path = format!("{prefix}{name}");
        if let Some(key) = KNOWN_KEYS.iter().find(|key| **key == path) {
            values.insert(key, read_value(text, &property.value));
            continue;
        }
        let nested_prefix = format!("{path}.");
        if !KNOWN_KEYS.iter().any(|key| key.starts_with(&nested_prefix)) {
            // A key comon does not need (`experimental`, `views`, `typedSql`, ...).
            continue;
        }
        match property.value.get_inner_expression() {
            Expression::ObjectExpression(nested) => {
                read_object(text, nested, &nested_prefix, values)
            }
            other => {
                let (line, column) = line_and_column(text, other.span().start as usize);
                for key in KNOWN_KEYS
                    .iter()
                    .filter(|key| key.starts_with(&nested_prefix))
                {
                    values.insert(key, ConfigValue::Unreadable { line, column });
                }
            }
        }
    }
}

fn read_value(text: &str, expression: &Expression) -> ConfigValue {
    let expression = expression.get_inner_expression();
    if let Some(literal) = string_literal(expression) {
        return ConfigValue::Literal(literal);
    }
    if let Some(name) = environment_variable(expression) {
        return ConfigValue::Environment {
            name,
            fallback: None,
        };
    }
    match expression {
        Expression::LogicalExpression(logical)
            if matches!(
                logical.operator,
                LogicalOperator::Coalesce | LogicalOperator::Or
            ) =>
        {
            if let (Some(name), Some(fallback)) = (
                environment_variable(logical.left.get_inner_expression()),
                string_literal(logical.right.get_inner_expression()),
            ) {
                return ConfigValue::Environment {
                    name,
                    fallback: Some(fallback),
                };
            }
        }
        Expression::CallExpression(call)
            if call.callee.is_specific_member_access("path", "join")
                || call.callee.is_specific_member_access("path", "resolve")
                || call.callee.is_specific_id("join")
                || call.callee.is_specific_id("resolve") =>
        {
            if let Some(parts) = path_parts(&call.arguments) {
                return ConfigValue::PathFromConfigFolder(parts);
            }
        }
        _ => {}
    }
    let (line, column) = line_and_column(text, expression.span().start as usize);
    ConfigValue::Unreadable { line, column }
}

/// `path.join(__dirname, "prisma", "schema.prisma")`: string parts, the first of which may be
/// the config's folder (`__dirname`, `import.meta.dirname`).
fn path_parts(arguments: &[Argument]) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    for (index, argument) in arguments.iter().enumerate() {
        let expression = argument.as_expression()?.get_inner_expression();
        if let Some(part) = string_literal(expression) {
            parts.push(part);
        } else if index == 0
            && (expression.is_specific_id("__dirname") || is_import_meta_dirname(expression))
        {
            continue;
        } else {
            return None;
        }
    }
    Some(parts)
}

fn is_import_meta_dirname(expression: &Expression) -> bool {
    match expression {
        Expression::StaticMemberExpression(member) => {
            member.property.name == "dirname" && matches!(&member.object, Expression::ImportMeta(_))
        }
        _ => false,
    }
}

fn string_literal(expression: &Expression) -> Option<String> {
    match expression {
        Expression::StringLiteral(literal) => Some(literal.value.to_string()),
        Expression::TemplateLiteral(template) => {
            template.single_quasi().map(|text| text.to_string())
        }
        _ => None,
    }
}

/// `env("NAME")`, `process.env.NAME` or `process.env["NAME"]`.
fn environment_variable(expression: &Expression) -> Option<String> {
    match expression {
        Expression::CallExpression(call)
            if call.callee.is_specific_id("env") && call.arguments.len() == 1 =>
        {
            string_literal(call.arguments[0].as_expression()?.get_inner_expression())
        }
        Expression::StaticMemberExpression(member) if is_process_env(&member.object) => {
            Some(member.property.name.to_string())
        }
        Expression::ComputedMemberExpression(member) if is_process_env(&member.object) => {
            string_literal(member.expression.get_inner_expression())
        }
        Expression::ChainExpression(_) => None,
        _ => None,
    }
}

fn is_process_env(expression: &Expression) -> bool {
    expression.is_specific_member_access("process", "env")
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|index| text.is_char_boundary(*index))
        .unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|index| index + 1).unwrap_or(0);
    (line, text[line_start..offset].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> PrismaConfig {
        PrismaConfig::parse(Path::new("app/prisma.config.ts"), text).expect("the config parses")
    }

    /// Variables given by the test, looked up nowhere else.
    struct Variables(&'static [(&'static str, &'static str)]);

    impl VariableSource for Variables {
        fn variable(&self, name: &str) -> Option<String> {
            self.0
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, value)| value.to_string())
        }

        fn places_looked(&self) -> String {
            "the test's variables".to_string()
        }
    }

    const NO_VARIABLES: Variables = Variables(&[]);

    #[test]
    fn the_generated_config_is_read() {
        let config = read(
            r#"// This file was generated by Prisma.
import "dotenv/config";
import { defineConfig, env } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
  migrations: {
    path: 'prisma/migrations',
    seed: `tsx prisma/seed.ts`,
  },
  datasource: {
    url: env("DATABASE_URL"),
    directUrl: process.env.DIRECT_URL,
    shadowDatabaseUrl: process.env["SHADOW_URL"] ?? "postgresql://localhost/shadow",
  },
  experimental: { externalTables: true },
});
"#,
        );
        assert_eq!(
            config.value(SCHEMA),
            Some(&ConfigValue::Literal("prisma/schema".into()))
        );
        assert_eq!(
            config
                .path_value(MIGRATIONS_PATH, "--migrations-dir", &NO_VARIABLES)
                .unwrap(),
            Some(PathBuf::from("app/prisma/migrations"))
        );
        assert_eq!(
            config.value(SEED),
            Some(&ConfigValue::Literal("tsx prisma/seed.ts".into()))
        );
        assert_eq!(
            config.value(DATASOURCE_URL),
            Some(&ConfigValue::Environment {
                name: "DATABASE_URL".into(),
                fallback: None
            })
        );
        assert_eq!(
            config.value(DIRECT_URL),
            Some(&ConfigValue::Environment {
                name: "DIRECT_URL".into(),
                fallback: None
            })
        );
        assert_eq!(
            config
                .string(SHADOW_DATABASE_URL, "--url", &NO_VARIABLES)
                .unwrap()
                .as_deref(),
            Some("postgresql://localhost/shadow")
        );
        let environment = Variables(&[("DATABASE_URL", "file:./dev.db")]);
        assert_eq!(
            config
                .string(DATASOURCE_URL, "--url", &environment)
                .unwrap()
                .as_deref(),
            Some("file:./dev.db")
        );
    }

    #[test]
    fn satisfies_a_named_constant_and_path_join_are_followed() {
        let config = read(
            r#"import path from "node:path";
import type { PrismaConfig } from "prisma";
const config = {
  schema: path.join(__dirname, "db", "schema.prisma"),
} satisfies PrismaConfig;
export default config;
"#,
        );
        assert_eq!(
            config
                .path_value(SCHEMA, "--schema", &NO_VARIABLES)
                .unwrap(),
            Some(PathBuf::from("app/db/schema.prisma"))
        );
        assert_eq!(
            config.value(DATASOURCE_URL),
            None,
            "not set is not unreadable"
        );
    }

    #[test]
    fn a_computed_value_names_its_line_and_the_flag_to_pass() {
        let config = read(
            "import { defineConfig } from 'prisma/config';\nconst url = makeUrl();\nexport default defineConfig({\n  datasource: { url: url + '?schema=app' },\n});\n",
        );
        let error = config
            .string(DATASOURCE_URL, "--url <URL>", &NO_VARIABLES)
            .expect_err("unreadable");
        assert_eq!(error.code(), "prisma-config-value-unreadable");
        let message = error.to_string();
        assert!(message.contains("app/prisma.config.ts:4:22"), "{message}");
        assert!(message.contains("--url <URL>"), "{message}");
        assert!(message.contains("`datasource.url`"), "{message}");
    }

    #[test]
    fn a_datasource_that_is_not_an_object_literal_makes_its_keys_unreadable() {
        let config = read(
            "export default defineConfig({\n  schema: 'schema.prisma',\n  datasource: databaseUrl ? { url: databaseUrl } : undefined,\n});\n",
        );
        assert!(matches!(
            config.value(DATASOURCE_URL),
            Some(ConfigValue::Unreadable { line: 3, .. })
        ));
        assert!(matches!(
            config.value(DIRECT_URL),
            Some(ConfigValue::Unreadable { line: 3, .. })
        ));
        assert_eq!(
            config.value(SCHEMA),
            Some(&ConfigValue::Literal("schema.prisma".into()))
        );
    }

    #[test]
    fn a_spread_hides_the_keys_written_before_it() {
        let config = read("export default defineConfig({ schema: 'a.prisma', ...shared });\n");
        assert!(matches!(
            config.value(SCHEMA),
            Some(ConfigValue::Unreadable { .. })
        ));
        let config = read("export default defineConfig({ ...shared, schema: 'a.prisma' });\n");
        assert_eq!(
            config.value(SCHEMA),
            Some(&ConfigValue::Literal("a.prisma".into()))
        );
    }

    #[test]
    fn a_missing_variable_names_the_config_and_the_key() {
        let config = read("export default { datasource: { url: env('COMON_TEST_NOT_SET') } };\n");
        let error = config
            .string(DATASOURCE_URL, "--url", &NO_VARIABLES)
            .expect_err("unset");
        assert_eq!(error.code(), "environment-variable-not-set");
        let message = error.to_string();
        assert!(message.contains("COMON_TEST_NOT_SET"), "{message}");
        assert!(message.contains("app/prisma.config.ts"), "{message}");
        assert!(
            message.contains("Looked in: the test's variables"),
            "{message}"
        );
    }

    #[test]
    fn a_syntax_error_is_refused_with_its_line() {
        let error = PrismaConfig::parse(
            Path::new("prisma.config.ts"),
            "export default defineConfig({\n  schema: 'x',,\n",
        );
        let error = error.expect_err("does not parse");
        assert_eq!(error.code(), "prisma-config-syntax");
        assert!(
            error.to_string().starts_with("prisma.config.ts:2:"),
            "{error}"
        );
        let config =
            PrismaConfig::parse(Path::new("prisma.config.ts"), "module.exports = {};\n").unwrap();
        assert!(matches!(
            config.value(SCHEMA),
            Some(ConfigValue::Unreadable { line: 1, column: 1 })
        ));
    }

    #[test]
    fn an_exported_function_call_is_unreadable_everywhere() {
        let config = read("export default loadConfig();\n");
        for key in KNOWN_KEYS {
            assert!(
                matches!(
                    config.value(key),
                    Some(ConfigValue::Unreadable {
                        line: 1,
                        column: 16
                    })
                ),
                "{key}"
            );
        }
    }
}
