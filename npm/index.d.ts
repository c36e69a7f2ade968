// Types of the npm package comon-migrate, written by hand. Every shape here is what the
// planner's serde types give (planner/src); test/types.test.mjs type-checks real results of
// every golden case against these declarations, so a change on either side shows up there.

// ----- common -----

/** The database a schema targets. `"postgres"` is accepted on input as an alias of `"postgresql"`. */
export type Provider = "postgresql" | "sqlite";

/** A place in schema text: byte offsets (UTF-8) and the 1-based line and column of the start. */
export interface Span {
  start: number;
  end: number;
  line: number;
  column: number;
}

/** One error found in schema text or in an input. */
export interface SchemaErrorInfo {
  /** Stable code, such as `syntax-error`, `missing-datasource`, `unknown-type`. */
  code: string;
  /** For people. */
  message: string;
  /** Where in the schema text, when the error is about schema text. */
  span: Span | null;
  /** The other place the error concerns, when there is one: a name's first definition. */
  related?: Span;
}

/**
 * What every function throws: a real `Error` (`instanceof Error`) named `ComonMigrateError`.
 *
 * Codes besides the schema errors of the planner: `invalid-argument` (an argument has the
 * wrong shape), `unknown-provider`, `missing-provider` (both sides of a plan are empty and no
 * `provider` was given), `provider-mismatch`, `invalid-migration-name`,
 * `introspection-missing-rows` and the other `introspection-*` codes, `not-initialized` (web
 * entry point used before `init()`), `unknown-option` (an options object has a key the function
 * does not know, such as `plan({ prev })`).
 */
export interface ComonMigrateError extends Error {
  name: "ComonMigrateError";
  /** The code of the first error. */
  code: string;
  /** The message of the first error. */
  message: string;
  /** The span of the first error, when it is about schema text. */
  span: Span | null;
  /** Every error found, in source order; never empty (`code`, `message` and `span` are the first's). */
  errors: SchemaErrorInfo[];
}

/** Whether `error` was thrown by comon-migrate; narrows it to `ComonMigrateError`. */
export function isComonMigrateError(error: unknown): error is ComonMigrateError;

/**
 * Loads the WebAssembly module. In browsers and bundlers (the `web` entry point) call it once
 * and await it before any other function; by default it fetches the `.wasm` file next to the
 * package's JS (`new URL(..., import.meta.url)`, which Vite and other bundlers rewrite to the
 * emitted asset), or pass the module's URL, a `Response`, its bytes or a compiled module. In
 * Node the module is ready on import and `init()` resolves at once.
 */
export function init(wasmSource?: WasmSource): Promise<void>;

/**
 * What `init` accepts: the module's URL, a `Request`, a `Response` (or a promise of one), its
 * bytes, or a compiled `WebAssembly.Module`. The DOM types are looked up on `globalThis`, so
 * the declarations check in a project without `"dom"` in its `lib` too (Node, with or without
 * `@types/node`); there the types the project does not have drop out of the union.
 */
export type WasmSource =
  | string
  | GlobalInstance<"URL">
  | GlobalInstance<"Request">
  | GlobalInstance<"Response">
  | Promise<GlobalInstance<"Response">>
  | ArrayBuffer
  | ArrayBufferView
  | WasmModule;

/** The instances of the global class `Name`, or `never` when the project's typings have none. */
type GlobalInstance<Name extends string> = typeof globalThis extends { [Key in Name]: abstract new (...args: never[]) => infer Instance }
  ? Instance
  : never;

/** `WebAssembly.Module`, or `never` when the project's typings have no WebAssembly. */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: never[]) => infer Module } } ? Module : never;

// ----- schema text -----

/**
 * Parses and validates `schema.prisma` text. Returns nothing when it is valid; throws every
 * error found otherwise. With `provider`, text without a datasource is validated for that
 * provider (as `plan` reads it), and a datasource of another provider is a `provider-mismatch`.
 */
export function validate(schema: string, options?: { provider?: Provider }): void;

/** Formats `schema.prisma` text as `comon format` does (idempotent). Throws when the text does not parse. */
export function format(schema: string): string;

// ----- database schemas (snapshots) -----

/**
 * The database side of a schema: what a schema describes, or what introspection found. A
 * snapshot is this object; it is also the JSON the native runner writes. Names are database
 * names (after `@map`/`@@map`); `modelName`, `fieldName` and `prismaName` are set only when the
 * schema came from schema text.
 */
export interface DatabaseSchema {
  provider: Provider;
  tables: Table[];
  /** PostgreSQL enum types; always empty on SQLite. */
  enums: Enum[];
  /** SQLite, introspected: the tables' triggers, partial and expression indexes, which a
   * table rebuild re-creates; absent when there are none. */
  tableDependents?: TableDependent[];
  /** PostgreSQL extensions (the datasource's `extensions`, or those installed, without
   * plpgsql); absent when there are none. */
  extensions?: Extension[];
}

export interface Extension {
  name: string;
  schema?: string;
  version?: string;
  /** Named by a schema's `extensions` list (absent when only found installed): only these are created. */
  requested?: boolean;
}

export interface Table {
  name: string;
  modelName?: string;
  columns: Column[];
  primaryKey?: PrimaryKey;
  /** Plain and unique indexes (unique constraints are unique indexes). */
  indexes: Index[];
  foreignKeys: ForeignKey[];
}

export interface Column {
  name: string;
  fieldName?: string;
  /** The field's type in the schema text (`String`, an enum's name), set with `fieldName`:
   * rename candidates compare it when both sides have it (on SQLite an enum is `TEXT` too). */
  schemaType?: string;
  columnType: ColumnType;
  nullable: boolean;
  default?: ColumnDefault;
  /** PostgreSQL `GENERATED BY DEFAULT AS IDENTITY`; SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`. */
  autoIncrement: boolean;
}

/**
 * A column type in the provider's canonical spelling: PostgreSQL's `format_type()` in lower
 * case (`integer`, `character varying(255)`), SQLite's declared type upper-cased (`INTEGER`).
 */
export interface ColumnType {
  kind: { type: "native"; name: string } | { type: "enum"; name: string };
  /** PostgreSQL arrays; never true on SQLite. */
  isArray: boolean;
}

export type ColumnDefault =
  | { kind: "value"; value: DefaultValue }
  /** `now()`: `CURRENT_TIMESTAMP`. */
  | { kind: "now" }
  /** `dbgenerated("...")` or an expression kept verbatim. */
  | { kind: "expression"; value: string };

export type DefaultValue =
  | { type: "string"; value: string }
  /** A number as written. */
  | { type: "number"; value: string }
  | { type: "boolean"; value: boolean }
  | { type: "list"; value: DefaultValue[] };

export interface PrimaryKey {
  /** The constraint name on PostgreSQL; absent on SQLite. */
  name?: string;
  columns: string[];
}

export interface Index {
  name: string;
  columns: IndexColumn[];
  unique: boolean;
  /** PostgreSQL access method (`hash`, `gin`, ...); absent for the default, `btree`. */
  algorithm?: string;
  /** PostgreSQL only: the index is INVALID (a failed `CREATE INDEX CONCURRENTLY`); absent when valid. */
  invalid?: boolean;
}

export interface IndexColumn {
  name: string;
  descending: boolean;
  operatorClass?: string;
}

export type ReferentialAction = "Cascade" | "Restrict" | "NoAction" | "SetNull" | "SetDefault";

export interface ForeignKey {
  /** The constraint name on PostgreSQL; absent on SQLite. */
  name?: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
  /** PostgreSQL only: added `NOT VALID` and never validated (`pg_constraint.convalidated` false); absent when validated. */
  notValidated?: boolean;
}

export interface Enum {
  /** The database type name. */
  name: string;
  prismaName?: string;
  values: EnumValue[];
}

export interface EnumValue {
  name: string;
  prismaName?: string;
}

/**
 * The database schema that `schema.prisma` text describes: a snapshot, as the planner diffs
 * it. Throws the schema's errors.
 */
export function databaseSchema(schema: string): DatabaseSchema;

/**
 * Renders a snapshot as `schema.prisma` text with a `datasource db` block (no `url`), as
 * `comon db pull` writes it.
 */
export function renderSchema(snapshot: DatabaseSchema): string;

// ----- planning -----

/** One side of a plan: schema text, a snapshot, or `null` for the empty database. */
export type PlanSide = string | DatabaseSchema | null;

export interface PlanInput {
  /** What the database holds now. */
  previous: PlanSide;
  /** What it should hold. */
  next: PlanSide;
  /**
   * The provider. Needed only when no side names one (both null, or text without a
   * `datasource`); by default it is the provider of `next`, else of `previous`, and it applies
   * to a side that does not name one. When given, every side must be for it.
   */
  provider?: Provider | "postgres";
  /**
   * Rows per table (by table name in `previous`). With counts, a step that cannot run on a table
   * with rows is flagged `unexecutable`, and warnings about empty tables are dropped; without
   * them, such steps get a `may-fail` warning.
   */
  rowCounts?: Record<string, number>;
  /** PostgreSQL online DDL: concurrent index builds and `NOT VALID` + `VALIDATE` constraints
   * on existing tables, run after the commit (`afterCommitFrom`). Default `true`; `false` plans
   * the blocking forms, for databases nobody else uses. */
  onlineDdl?: boolean;
  /**
   * Answers to rename candidates (`renameCandidates` of an earlier plan): a model (or, with
   * `model`, a field of it) of `previous` that `next` does not have is the named one of `next`
   * (`renamed` true, the default), or is not (`renamed: false`). A decision that answers no
   * removed-and-added pair throws `rename-decision-unmatched`; unknown keys throw
   * `unknown-option`.
   */
  renames?: RenameDecision[];
}

/** `{ previous: "Customer", next: "Client" }` renames a model; with `model: "User"`, a field. */
export interface RenameDecision {
  /** For a field: its model, by its name in `previous` or in `next`. */
  model?: string;
  previous: string;
  next: string;
  /** Default `true`; `false` says it is not a rename (drop and create). */
  renamed?: boolean;
}

/** A removed and an added model (same columns) or field (same type) that no decision answered. */
export interface RenameCandidate {
  kind: "model" | "field";
  /** For a field: its model's name in `next`. */
  model?: string;
  previous: string;
  next: string;
}

export type DecisionCode = "rename-model" | "rename-field" | "data-loss" | "may-fail" | "unexecutable";

/** A decision the plan needs before it is applied, with the `comon migrate dev` flags that answer it. */
export interface Decision {
  code: DecisionCode;
  message: string;
  /** Such as `--rename Customer=Client`, `--no-rename Customer=Client`, `--accept-data-loss`. */
  answers: string[];
  /** For `rename-model` and `rename-field`. */
  rename?: RenameCandidate;
  /** For `data-loss`, `may-fail` and `unexecutable`: the messages of the warnings it stands for. */
  warnings?: string[];
}

export type WarningKind = "data-loss" | "unexecutable" | "may-fail" | "rebuild" | "blocking";

export interface Warning {
  kind: WarningKind;
  /** comon_orm's wording where comon_orm has one. */
  message: string;
}

export interface PlanResult {
  provider: Provider;
  /** The `migration.sql` text: every statement followed by `;` and a new line. */
  sql: string;
  /** The statements, without semicolons. */
  statements: string[];
  /** PostgreSQL online DDL: the statements from this position on run after the others
   * committed, one by one, outside a transaction (`sql` has a `-- comon:after-commit` line
   * before them). Absent when there is no online phase. */
  afterCommitFrom?: number;
  /** The steps in execution order, as data. */
  steps: PlannedStep[];
  warnings: Warning[];
  /** Some SQLite table is rebuilt (new table, copy, drop, rename). */
  requiresRebuild: boolean;
  /** Some step cannot run against the data (see the `unexecutable` warnings; needs `rowCounts`). */
  unexecutable: boolean;
  /** Removed and added models or fields of the same shape that no `renames` decision answered:
   * the plan drops and creates them; answer each with `renames` and plan again. */
  renameCandidates: RenameCandidate[];
  /** Every decision the plan needs before it is applied: rename candidates, then consent to
   * data loss, to steps that may fail, and steps that cannot run on the data. */
  decisions: Decision[];
}

/** A step with its one-line summary, such as `CreateTable User`. */
export type PlannedStep = MigrationStep & { summary: string };

// Every field name is camelCase, inside steps and table changes too. See npm/README.md.

/** One change to the database, tagged by `kind`. */
export type MigrationStep =
  | { kind: "createExtension"; extension: Extension }
  | { kind: "renameEnum"; previousName: string; nextName: string }
  | { kind: "renameEnumValue"; enumName: string; previousValue: string; nextValue: string }
  | { kind: "createEnum"; enumDefinition: Enum }
  /** `ALTER TYPE ... ADD VALUE`, each value placed before its successor. */
  | { kind: "addEnumValues"; enumName: string; values: AddedEnumValue[] }
  | { kind: "dropForeignKey"; table: string; foreignKeyName: string }
  | { kind: "dropIndex"; table: string; indexName: string }
  | { kind: "renameTable"; previousName: string; nextName: string }
  | { kind: "alterTable"; table: string; changes: TableChange[] }
  /** Removing or reordering enum values: the old type is renamed, the new one created, columns converted. */
  | { kind: "recreateEnum"; enumDefinition: Enum; previousTypeName: string; usages: EnumUsage[] }
  | { kind: "createTable"; table: Table }
  /** SQLite: tables rebuilt by the documented procedure. */
  | { kind: "rebuildTables"; rebuilds: TableRebuild[] }
  | { kind: "dropTable"; table: string }
  | { kind: "dropEnum"; enumName: string }
  | { kind: "renameIndex"; table: string; previousName: string; index: Index }
  /** A primary key or foreign key constraint renamed (PostgreSQL). */
  | { kind: "renameConstraint"; table: string; previousName: string; nextName: string }
  /** The sequence behind an identity column, renamed after its table or column (PostgreSQL). */
  | { kind: "renameSequence"; previousName: string; nextName: string }
  | { kind: "createIndex"; table: string; index: Index }
  | { kind: "addForeignKey"; table: string; foreignKey: ForeignKey }
  /** Online DDL (PostgreSQL): a foreign key added `NOT VALID`, validated after the commit. */
  | { kind: "addForeignKeyNotValid"; table: string; foreignKey: ForeignKey }
  /** Online DDL: `CHECK (column IS NOT NULL) NOT VALID`, the first half of `SET NOT NULL`. */
  | { kind: "addNotNullCheck"; table: string; column: string; checkName: string }
  /** Online DDL, after the commit: `VALIDATE CONSTRAINT`. */
  | { kind: "validateConstraint"; table: string; constraintName: string }
  /** Online DDL, after the commit: `SET NOT NULL` proven by the validated check, then the check dropped. */
  | { kind: "setNotNullFromCheck"; table: string; column: string; checkName: string }
  /** Online DDL, after the commit: `CREATE [UNIQUE] INDEX CONCURRENTLY` on an existing table. */
  | { kind: "createIndexConcurrently"; table: string; index: Index }
  /** Online DDL, after the commit and after the concurrent build of the unique index it references: the foreign key added `NOT VALID`, then validated. */
  | { kind: "addForeignKeyAfterIndexBuild"; table: string; foreignKey: ForeignKey; constraintName: string };

export interface AddedEnumValue {
  value: string;
  /** The existing value it goes before; `null` appends it. */
  before: string | null;
}

export interface EnumUsage {
  table: string;
  column: string;
  isArray: boolean;
  default: ColumnDefault | null;
}

/** A change inside one table, tagged by `kind`. */
export type TableChange =
  | { kind: "renameColumn"; previousName: string; nextName: string }
  | { kind: "dropPrimaryKey"; name: string | null }
  | { kind: "dropColumn"; name: string }
  | { kind: "addColumn"; column: Column }
  | {
      kind: "alterColumn";
      previous: Column;
      next: Column;
      changes: ColumnChanges;
      /**
       * How PostgreSQL converts the values when the type changes, as the planner decided it.
       * Left out when the type does not change; a step built by hand without it gets the cast
       * the planner would choose.
       */
      typeCast?: ColumnTypeCast;
    }
  | { kind: "addPrimaryKey"; primaryKey: PrimaryKey };

/**
 * `assignment`: `SET DATA TYPE t` (PostgreSQL's assignment cast); `explicit`:
 * `USING (column::t)`; `throughText`: `USING (column::text::t)`, for enums.
 */
export type ColumnTypeCast = "assignment" | "explicit" | "throughText";

export interface ColumnChanges {
  columnType: boolean;
  nullability: boolean;
  default: boolean;
  autoIncrement: boolean;
}

export interface TableRebuild {
  /** The table's name before the migration. */
  previousName: string;
  next: Table;
  /** `[next column, previous column]` pairs whose values are copied. */
  copiedColumns: [string, string][];
  /** The previous table's triggers, partial and expression indexes (from an introspected
   * `previous`), re-created after the rename; absent when there are none. */
  recreatedDependents?: TableDependent[];
}

/** What `plan` throws: a `ComonMigrateError` that also says which side it is about. */
export interface PlanError extends ComonMigrateError {
  /** `"previous"` or `"next"` for a side's schema errors; `null` for the plan as a whole
   * (`missing-provider`, `provider-mismatch`) and for arguments of the wrong shape. */
  side?: "previous" | "next" | null;
}

/**
 * Plans the migration from `previous` to `next` and renders it to SQL, exactly as the native
 * `comon` does. Throws a {@link PlanError}: the schema errors of either side (with `side`),
 * `missing-provider`, `provider-mismatch`, or `invalid-argument` for a snapshot of the wrong
 * shape.
 */
export function plan(input: PlanInput): PlanResult;

/**
 * Renders steps (such as `plan(...).steps`, or steps built by hand) to SQL statements for a
 * provider, with the planner's renderer: the statements, without semicolons, in order.
 */
export function renderSteps(provider: Provider | "postgres", steps: MigrationStep[]): string[];

/** One statement of a migration script; `line` is `null` for statements planned, not read from a file. */
export interface ScriptStatement {
  text: string;
  line: number | null;
  /** The statement belongs to the online phase (after the `-- comon:after-commit` line);
   * absent when it does not. */
  after_commit?: boolean;
}

/**
 * How a migration must be run, as data every runner follows the same way (the native runner,
 * device-local upgrades, a JS runner over `plan()`).
 */
export interface ExecutionRequirements {
  /** `"required"`: the statements run in one transaction, all or nothing. `"forbidden"`: a
   * statement cannot run inside one, so they run one by one, as written. */
  transaction: "required" | "forbidden";
  /** SQLite: `PRAGMA foreign_keys = OFF` before the transaction begins (inside one the pragma
   * does nothing) and `ON` again after it ends. */
  sqliteForeignKeysOff: boolean;
  /** SQLite: `PRAGMA foreign_key_check` after the statements; a row it reports rolls back. */
  foreignKeyCheckBeforeCommit: boolean;
  /** Tables the statements rebuild. Dropping a table drops its triggers, partial and
   * expression indexes: read them (`tableDependentsQuery`) just before the statement at
   * `droppedByStatement` runs, and after the statements re-create those that do not exist. */
  rebuiltTables: RebuiltTable[];
  /** PostgreSQL online DDL: the statements from this position on run after the others
   * committed, one by one, each on its own outside a transaction. Absent: none. */
  afterCommitFrom?: number;
  /** What to run before a statement of the online phase runs again after a lock timeout (the
   * drop of the INVALID index a cut short concurrent build leaves). Absent: nothing. */
  beforeRetry?: RetryPreparation[];
}

export interface RetryPreparation {
  /** The position, in the script's statements, of the statement that may run again. */
  statement: number;
  sql: string;
}

export interface RebuiltTable {
  /** The table's name when the rebuild drops it and after the rebuild. */
  table: string;
  /** The position, in the script's statements, of the statement that drops the old table. */
  droppedByStatement: number;
}

/** Steps as a runner runs them: the statements, without the foreign key pragmas of SQLite
 * rebuilds that `migration.sql` holds for the `sqlite3` shell, and what running them requires. */
export interface MigrationScript {
  statements: ScriptStatement[];
  requirements: ExecutionRequirements;
}

/**
 * The migration script of steps (such as `plan(...).steps`), as a runner that applies them
 * directly runs it, built by the planner from the steps themselves: in one transaction, on
 * SQLite with foreign keys off around it and checked before the commit, and the tables its
 * rebuilds drop. Run the statements in order and follow the requirements; no SQL text needs
 * reading.
 */
export function migrationScript(provider: Provider | "postgres", steps: MigrationStep[]): MigrationScript;

/** A trigger, partial or expression index of a SQLite table, as `sqlite_master` holds it. */
export interface TableDependent {
  table: string;
  kind: "trigger" | "index";
  name: string;
  /** The `CREATE TRIGGER` or `CREATE INDEX` statement. */
  sql: string;
}

/** The planner's SQLite query for the dependents of `table` (a rebuilt table's, see `ExecutionRequirements`); every value it returns is text. */
export function tableDependentsQuery(table: string): string;

/** Reads the rows of `tableDependentsQuery` (arrays in column order). */
export function tableDependentsFromRows(rows: (string | null)[][]): TableDependent[];

// ----- introspection -----

/** A catalog query; run `sql` and hand its rows back under `name`. */
export interface IntrospectionQuery {
  name: string;
  sql: string;
}

/** The rows of one introspection query: every value as text (the queries cast to text), `null` for NULL. */
export interface QueryResult {
  name: string;
  rows: (string | null)[][];
}

/**
 * The fixed list of catalog queries for a provider. Run each with any driver (rows as arrays,
 * in column order: better-sqlite3's `.raw()`, pg's `rowMode: "array"`) and pass the results to
 * `snapshotFromRows`.
 */
export function introspectionQueries(provider: Provider | "postgres"): IntrospectionQuery[];

/** Interprets the results of `introspectionQueries(provider)` into a snapshot, as the native runner does. */
export function snapshotFromRows(provider: Provider | "postgres", results: QueryResult[]): DatabaseSchema;

// ----- migration folders and history -----

/** What a migration's checksum covers, as the artifact files hold it. */
export interface ChecksumArtifact {
  /** The provider text, as recorded (`postgresql` or `sqlite`). */
  provider: string;
  /** `before.prisma`. */
  beforeSchema: string;
  /** `after.prisma`. */
  afterSchema: string;
  /** `migration.sql`. */
  migrationSql: string;
  /** The lines of `warnings.txt`. */
  warnings: string[];
  requiresRebuild: boolean;
}

/**
 * The checksum comon_orm records in its history table: the lowercase hex SHA-256 of the
 * artifact's compact JSON (CRLF is read as LF).
 */
export function checksum(artifact: ChecksumArtifact): string;

/** A UTC date and time. */
export interface UtcTimestamp {
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 to 999999. */
  microsecond: number;
}

export type MigrationFileName = "migration.sql" | "metadata.txt" | "before.prisma" | "after.prisma" | "warnings.txt";

/** A migration about to be written. */
export interface MigrationDraft {
  /** The name part, such as `add posts`; it is sanitized into the folder name. */
  name: string;
  /** When it was generated; a `Date` is read in UTC. */
  generatedAt: Date | UtcTimestamp;
  provider: Provider | "postgres";
  /** `before.prisma`: the schema before (empty text for an empty database). */
  beforeSchema: string;
  /** `after.prisma`: the schema after. */
  afterSchema: string;
  /** `migration.sql`: a plan's `sql`. */
  migrationSql: string;
  /** A plan's `statements.length`. */
  statementCount: number;
  /** The messages of a plan's warnings. */
  warnings: string[];
  /** A plan's `requiresRebuild`. */
  requiresRebuild: boolean;
}

/** A migration folder to write: `<migrations>/<name>/<file>`. */
export interface MigrationFolder {
  /** `<yyyymmddHHMMSS>_<sanitized name>`, such as `20240102030405_add_posts`. */
  name: string;
  /** File contents by file name, in the order comon_orm writes them. `warnings.txt` only when there are warnings. */
  files: { [file in Exclude<MigrationFileName, "warnings.txt">]: string } & { "warnings.txt"?: string };
}

/**
 * The folder name and files of a migration in comon_orm's layout (`migration.sql`,
 * `metadata.txt` with the checksum, `before.prisma`, `after.prisma`, `warnings.txt`). Writing
 * them is the caller's job. Throws `invalid-migration-name` for a name without a letter or digit.
 */
export function migrationFolder(draft: MigrationDraft): MigrationFolder;

/** A local migration folder as read from disk: its name and the files it has. */
export interface LocalMigrationFolder {
  name: string;
  files: Partial<Record<MigrationFileName, string>>;
}

/** A row of the history table `_comon_orm_migrations`, as the planner models it. */
export interface HistoryRow {
  /** Insertion order; null in a table comon_orm wrote. */
  id?: number | null;
  name: string;
  /** ISO 8601 UTC, such as `2024-01-02T03:04:05.123Z`. */
  appliedAt: string;
  statementCount: number;
  kind: "apply" | "rollback";
  /** The migration a `rollback` row takes back. */
  targetName?: string | null;
  provider?: string | null;
  checksum?: string | null;
  beforeSchema?: string | null;
  afterSchema?: string | null;
  warnings: string[];
  rebuildRequired: boolean;
  state: "started" | "finished" | "failed";
  failureMessage?: string | null;
}

export interface StatusInput {
  /** The provider of the database the history comes from (checksums include it). */
  provider: Provider | "postgres";
  /** Every folder of the migrations directory, in any order. */
  local: LocalMigrationFolder[];
  /** Every row of the history table, in any order. */
  history: HistoryRow[];
  /** The migrations directory as messages show it; default `prisma/migrations`. */
  migrationsDirectory?: string;
  /** The latest active migration, when the live schema differs from its `after.prisma` (a `drift` issue). */
  driftSince?: string | null;
}

export type StatusIssueCode =
  | "applied-migration-missing-locally"
  | "checksum-mismatch"
  | "missing-db-snapshot"
  | "local-migration-not-applied"
  | "invalid-local-artifacts"
  | "failed-migration"
  | "drift";

export interface StatusIssue {
  code: StatusIssueCode;
  /** The migration the issue is about. */
  migration: string | null;
  /** The CLI's message, word for word. */
  message: string;
}

/** `comon migrate status --json`. */
export interface MigrationStatus {
  activeMigrationCount: number;
  localMigrationCount: number;
  /** In the order they were applied. */
  activeMigrations: string[];
  /** Complete local folders, by name. */
  localMigrations: string[];
  /** What `migrate deploy` would apply. */
  pendingMigrations: string[];
  failedMigrations: string[];
  /** No issues means the folders and the database agree. */
  issues: StatusIssue[];
}

/** `migrate status`: local folders against the history rows, with the CLI's issue codes and messages. */
export function status(input: StatusInput): MigrationStatus;

// Device-local SQLite: explicit app-side upgrades and rebuildable caches (see README).
export * from "./src/device-local.js";
