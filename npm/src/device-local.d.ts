// Types of src/device-local.js, the device-local SQLite upgrader and cache bootstrap, written
// by hand like index.d.ts. Re-exported by the package's entry points.
import type { Column, ComonMigrateError, ReferentialAction, Table, Warning } from "../index.js";

/**
 * Any SQLite binding, as two callbacks: `exec` runs statements (a text may hold several) and
 * ignores results; `query` returns rows as arrays in column order. Either may return a promise.
 * With better-sqlite3: `{ exec: (sql) => db.exec(sql), query: (sql) => db.prepare(sql).raw(true).all() }`.
 */
export interface LocalConnection {
  exec(sql: string): unknown;
  query(sql: string): unknown[][] | Promise<unknown[][]>;
}

/**
 * What the device-local functions throw. `code` is one of the Rust module's codes:
 * `local-database-newer-than-app`, `missing-local-migration`, `duplicate-local-migration`,
 * `invalid-local-migration-versions`, `local-migration-past-app-version`,
 * `app-version-too-large`, `invalid-local-database-version`, `local-migration-failed`,
 * `invalid-local-migration-schema`, `local-migration-has-warnings`,
 * `local-rebuild-changed-row-count`, `local-rebuild-name-taken`, `foreign-key-violation`,
 * `local-database-is-cache`, `local-cache-is-versioned`, `invalid-local-cache-schema`,
 * `local-database-error`; `invalid-argument` for a malformed argument; and the package's
 * `not-initialized` when used before `init()` on the web entry point.
 */
export declare class DeviceLocalError extends Error implements ComonMigrateError {
  name: "ComonMigrateError";
  code: string;
  span: null;
  errors: ComonMigrateError["errors"];
  /** The step that failed or was refused. */
  step?: string;
  /** The statement that failed (`local-migration-failed`). */
  statement?: string;
  /** The refused warnings (`local-migration-has-warnings`). */
  warnings?: Warning[];
  /** The broken references (`foreign-key-violation`). */
  violations?: { table: string; rowId: string | null; referencedTable: string }[];
}

/** The table that marks a database as a rebuildable cache and holds its schema fingerprint. */
export declare const CACHE_METADATA_TABLE: "_comon_local_cache";

/** `PRAGMA user_version`, the version of a local database (0 for a new file). */
export declare function readLocalDatabaseVersion(connection: LocalConnection): Promise<number>;

// ----- table and column definitions -----

/** A column default: a literal, an expression kept verbatim, or `"now"` (`CURRENT_TIMESTAMP`). */
export type ColumnDefaultInput =
  | { text: string }
  | { number: string | number }
  | { boolean: boolean }
  | { expression: string }
  | "now";

export interface ColumnOptions {
  /** `INTEGER PRIMARY KEY AUTOINCREMENT`, when the column is the table's whole primary key. */
  autoIncrement?: boolean;
  default?: ColumnDefaultInput;
}

/** A `NOT NULL` column; the SQLite type name is upper-cased, as the planner spells it. */
export declare function requiredColumn(name: string, type: string, options?: ColumnOptions): Column;
/** A column that accepts NULL. */
export declare function optionalColumn(name: string, type: string, options?: ColumnOptions): Column;

export interface TableDefinitionInput {
  columns?: Column[];
  primaryKey?: string[];
  /** Index names are explicit: SQLite index names are global to the file. */
  indexes?: { name: string; columns: string[]; unique?: boolean }[];
  /** Actions default to `NoAction`, SQLite's own default. */
  foreignKeys?: {
    columns: string[];
    referencedTable: string;
    referencedColumns: string[];
    onDelete?: ReferentialAction;
    onUpdate?: ReferentialAction;
  }[];
}

/** A table to create, or the shape a rebuilt table takes, as the planner's `Table`. */
export declare function tableDefinition(name: string, definition?: TableDefinitionInput): Table;

// ----- the schema builder -----

/** The changes to one table, run in the order written. */
export interface AlterTableBuilder {
  addColumn(column: Column): AlterTableBuilder;
  renameColumn(previousName: string, nextName: string): AlterTableBuilder;
  /** SQLite refuses to drop a column that is in a key, an index or a foreign key: rebuild the table instead. */
  dropColumn(name: string): AlterTableBuilder;
}

/** A schema-builder step's operations; every one but `execute` is rendered by the planner. */
export declare class SchemaBuilder {
  /** `CREATE TABLE`, then its indexes. */
  createTable(table: Table): this;
  alterTable(table: string, build: (table: AlterTableBuilder) => unknown): this;
  renameTable(previousName: string, nextName: string): this;
  dropTable(name: string): this;
  createIndex(table: string, name: string, columns: string[]): this;
  createUniqueIndex(table: string, name: string, columns: string[]): this;
  dropIndex(table: string, name: string): this;
  /** A statement run as written. */
  execute(statement: string): this;
  /** The statements, rendered by the planner's SQLite renderer. */
  statements(): string[];
}

// ----- upgrade steps -----

/** What a rebuild's copy callback works with, inside the upgrade's transaction. */
export interface RebuildCopy {
  exec(sql: string): unknown;
  query(sql: string): unknown[][] | Promise<unknown[][]>;
  /** The table being rebuilt, still holding every row. */
  sourceTable: string;
  /** The new, empty table (`new_<table>`) in the replacement's shape. */
  targetTable: string;
  /** `INSERT INTO target (...) SELECT ... FROM source` for `[target column, source SQL expression]` pairs. */
  copyWithExpressions(columns: [string, string][]): Promise<void>;
  /** Copies columns of the same name. */
  copyColumns(names: string[]): Promise<void>;
}

/** One step from `fromVersion` to `toVersion`; steps are chained by their from-version. */
export declare class UpgradeStep {
  #private;
  private constructor();
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly name: string;
  readonly kind: "schema" | "sql" | "rebuild-table" | "schema-diff";
  static schema(fromVersion: number, toVersion: number, name: string, build: (schema: SchemaBuilder) => unknown): UpgradeStep;
  /** One text or a list; a text may hold several statements. They run as written (the package reads no SQL text). */
  static sql(fromVersion: number, toVersion: number, name: string, statements: string | string[]): UpgradeStep;
  /** SQLite's documented table rebuild, as the planner's `rebuildTables` step: the callback must copy every row; the table's triggers, partial and expression indexes are kept. */
  static rebuildTable(
    fromVersion: number,
    toVersion: number,
    name: string,
    replacement: Table,
    copyRows: (copy: RebuildCopy) => unknown,
  ): UpgradeStep;
  /** The planner's migration between two schema.prisma texts (`''` is the empty database); refused on warnings. */
  static schemaDiff(fromVersion: number, toVersion: number, name: string, previous: string, next: string): UpgradeStep;
  /** `schemaDiff`, with the plan's warnings reviewed and accepted. */
  static schemaDiffAllowingWarnings(fromVersion: number, toVersion: number, name: string, previous: string, next: string): UpgradeStep;
  /** The statements, planned and rendered without a database (none for a table rebuild). */
  plannedStatements(): string[];
}

// ----- the versioned upgrader -----

export interface UpgradeReport {
  /** The version the database had before. */
  previousVersion: number;
  /** The app's version, which the database has now. */
  version: number;
  /** The steps that ran, in order; empty when the database was current. */
  appliedSteps: string[];
}

/**
 * A connection to a database the upgrader brought to the app's version. Only
 * `LocalDatabaseUpgrader#upgrade` makes one, so an app's opener that takes it cannot run before
 * the upgrade.
 */
export declare class UpgradedDatabase<Connection extends LocalConnection = LocalConnection> {
  #private;
  private constructor();
  /** The connection given to `upgrade`. */
  readonly connection: Connection;
  readonly report: Readonly<UpgradeReport>;
}

export declare class LocalDatabaseUpgrader {
  /** Throws `duplicate-local-migration`, `invalid-local-migration-versions`, `local-migration-past-app-version`, `app-version-too-large`. */
  constructor(appVersion: number, steps: UpgradeStep[]);
  readonly appVersion: number;
  /** The steps in order of their from-version. */
  readonly steps: UpgradeStep[];
  /** The steps from `databaseVersion` to the app's version; throws `missing-local-migration`, `local-database-newer-than-app`. */
  pendingSteps(databaseVersion: number): UpgradeStep[];
  /** Plans and renders every step without a database; for the app's own tests. */
  checkSteps(): void;
  /** Every pending step in one transaction; on any error, data and version are as they were. */
  upgrade<Connection extends LocalConnection>(connection: Connection): Promise<UpgradedDatabase<Connection>>;
}

// ----- the rebuildable cache -----

export type CacheBootstrapOutcome =
  | { kind: "created" }
  | { kind: "already-current" }
  /** `previousFingerprint` is null when the database had objects but no fingerprint. */
  | { kind: "reset"; previousFingerprint: string | null };

/** A connection to a cache with the app's schema; only `RebuildableCacheSchema#bootstrap` makes one. */
export declare class BootstrappedCache<Connection extends LocalConnection = LocalConnection> {
  #private;
  private constructor();
  readonly connection: Connection;
  readonly outcome: Readonly<CacheBootstrapOutcome>;
}

export declare class RebuildableCacheSchema {
  #private;
  private constructor();
  /** The schema of schema.prisma text (without a datasource it is read as SQLite). */
  static fromPrismaSchema(source: string): RebuildableCacheSchema;
  readonly statements: readonly string[];
  /** comon's migration checksum of the migration that creates the schema; the Rust module computes the same. */
  readonly fingerprint: string;
  /** Creates, leaves alone, or resets; refuses a versioned database (`local-cache-is-versioned`). */
  bootstrap<Connection extends LocalConnection>(connection: Connection): Promise<BootstrappedCache<Connection>>;
}
