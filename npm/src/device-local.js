// Device-local SQLite for JS apps (Electron, browsers with OPFS, React Native through a
// binding): the same two paths as the Rust `comon_device_local`, over any SQLite
// binding given as two callbacks.
//
//   connection = {
//     exec(sql)  -> void | Promise<void>              run statements, results ignored
//     query(sql) -> unknown[][] | Promise<unknown[][]> rows as arrays, in column order
//   }
//
// With better-sqlite3: `{ exec: (sql) => db.exec(sql), query: (sql) => db.prepare(sql).raw(true).all() }`.
//
// - Data worth keeping: `new LocalDatabaseUpgrader(appVersion, steps).upgrade(connection)`.
//   The version is `PRAGMA user_version`; steps are chained by their from-version; every
//   pending step runs in one transaction. It resolves to an `UpgradedDatabase`, which nothing
//   else can make: the app's opener takes one, so it cannot run before the upgrade and has
//   nothing to plan.
// - A cache the app can fetch again: `RebuildableCacheSchema.fromPrismaSchema(text).bootstrap(connection)`
//   creates the schema on an empty database and resets one whose stored fingerprint differs.
//
// Error codes and messages are the Rust module's (see examples/device-local-rust/README.md).
import {
  checksumWithPlanner,
  planWithPlanner,
  renderSqliteSteps,
  sqliteMigrationScript,
  tableDependentsFromQueryRows,
  tableDependentsQueryOf,
} from './device-local-planner.js';

/** The table that marks a database as a rebuildable cache and holds its schema fingerprint. */
export const CACHE_METADATA_TABLE = '_comon_local_cache';

/** The largest value `PRAGMA user_version` holds (a signed 32-bit integer). */
const LARGEST_STORABLE_VERSION = 2147483647;

/** Only this module holds it, so only this module makes `UpgradedDatabase`s and `BootstrappedCache`s. */
const madeByThisModule = Symbol('comon-migrate device-local');

/** Methods of `UpgradeStep` that only the upgrader calls. */
const planSchemaDiff = Symbol('planSchemaDiff');
const runStep = Symbol('runStep');

/** The method of `SchemaBuilder` that only the upgrader calls. */
const builderScript = Symbol('builderScript');

// ----- errors -----

/**
 * What the device-local functions throw: a `ComonMigrateError` (see `isComonMigrateError`)
 * with the stable `code` of the Rust module and, depending on the code, `step`, `statement`,
 * `warnings` or `violations`.
 */
export class DeviceLocalError extends Error {
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ComonMigrateError';
    this.code = code;
    this.span = null;
    this.errors = [{ code, message, span: null }];
    for (const [key, value] of Object.entries(details)) {
      if (key !== 'cause') this[key] = value;
    }
  }
}

function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

function stepFailed(step, statement, error) {
  return new DeviceLocalError(
    'local-migration-failed',
    `Upgrade step \`${step}\` failed, and the upgrade was rolled back: ${messageOf(error)}\n${statement}`,
    { step, statement, cause: error },
  );
}

function databaseError(action, error) {
  return new DeviceLocalError('local-database-error', `Could not ${action} the local database: ${messageOf(error)}`, { cause: error });
}

// ----- SQL text the module writes itself: quoting only -----

/** `"name"`, with inner double quotes doubled. */
function quoteIdentifier(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

function quoteStringLiteral(text) {
  return `'${String(text).replaceAll("'", "''")}'`;
}

// ----- the connection -----

function checkConnection(connection) {
  if (connection === null || typeof connection !== 'object' || typeof connection.exec !== 'function' || typeof connection.query !== 'function') {
    throw new DeviceLocalError('invalid-argument', 'A connection is an object with `exec(sql)` and `query(sql)` functions.');
  }
  return connection;
}

async function runStatement(connection, statement) {
  await connection.exec(statement);
}

async function queryValue(connection, sql) {
  const rows = await connection.query(sql);
  return rows?.[0]?.[0];
}

/**
 * `PRAGMA user_version`, the version of a local database (0 for a new file).
 * @returns {Promise<number>}
 */
export async function readLocalDatabaseVersion(connection) {
  checkConnection(connection);
  try {
    return Number(await queryValue(connection, 'PRAGMA user_version'));
  } catch (error) {
    throw databaseError('read the version of', error);
  }
}

async function schemaObjectExists(connection, objectType, name) {
  const sql = `SELECT count(*) FROM sqlite_master WHERE type = ${quoteStringLiteral(objectType)} AND lower(name) = lower(${quoteStringLiteral(name)})`;
  return Number(await queryValue(connection, sql)) > 0;
}

async function rowCount(connection, table) {
  return Number(await queryValue(connection, `SELECT count(*) FROM ${quoteIdentifier(table)}`));
}

/**
 * Runs `work` with foreign key enforcement off, as SQLite's table-altering procedure requires
 * (SQLite ignores the switch inside a transaction, so it happens outside), and turns it back on
 * afterwards when it was on. `work` learns whether it was on, which calls for
 * `PRAGMA foreign_key_check`.
 */
async function withForeignKeysPaused(connection, work) {
  let enforced;
  try {
    enforced = Number(await queryValue(connection, 'PRAGMA foreign_keys')) !== 0;
    if (enforced) await connection.exec('PRAGMA foreign_keys = OFF');
  } catch (error) {
    throw databaseError('switch foreign key enforcement of', error);
  }
  let result;
  try {
    result = await work(enforced);
  } catch (error) {
    if (enforced) {
      try {
        await connection.exec('PRAGMA foreign_keys = ON');
      } catch {
        // The work's own error is the useful one; a failed restore adds nothing to it.
      }
    }
    throw error;
  }
  if (enforced) {
    try {
      await connection.exec('PRAGMA foreign_keys = ON');
    } catch (error) {
      throw databaseError('switch foreign key enforcement of', error);
    }
  }
  return result;
}

/** Runs `work` between `BEGIN IMMEDIATE` and `COMMIT`; any error rolls back. */
async function inOneTransaction(connection, action, work) {
  try {
    await connection.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw databaseError(`begin the ${action} transaction of`, error);
  }
  let result;
  try {
    result = await work();
  } catch (error) {
    try {
      await connection.exec('ROLLBACK');
    } catch {
      // The error being thrown is the useful one; a failed rollback adds nothing.
    }
    throw error;
  }
  try {
    await connection.exec('COMMIT');
  } catch (error) {
    try {
      await connection.exec('ROLLBACK');
    } catch {
      // As above.
    }
    throw databaseError(`commit the ${action} of`, error);
  }
  return result;
}

// ----- table and column definitions (the planner's `Table` and `Column` shapes) -----

function columnDefinition(name, type, nullable, options = {}) {
  const column = {
    name,
    columnType: { kind: { type: 'native', name: String(type).trim().toUpperCase() }, isArray: false },
    nullable,
    autoIncrement: Boolean(options.autoIncrement),
  };
  if (options.default !== undefined) column.default = columnDefault(options.default);
  return column;
}

function columnDefault(value) {
  if (value === 'now') return { kind: 'now' };
  if ('text' in value) return { kind: 'value', value: { type: 'string', value: String(value.text) } };
  if ('number' in value) return { kind: 'value', value: { type: 'number', value: String(value.number) } };
  if ('boolean' in value) return { kind: 'value', value: { type: 'boolean', value: Boolean(value.boolean) } };
  if ('expression' in value) return { kind: 'expression', value: String(value.expression) };
  throw new DeviceLocalError('invalid-argument', 'A default is `{ text }`, `{ number }`, `{ boolean }`, `{ expression }` or `"now"`.');
}

/**
 * A `NOT NULL` column. SQLite type names are upper-cased, as the planner spells them.
 * @param {{ autoIncrement?: boolean, default?: object | "now" }} [options]
 */
export function requiredColumn(name, type, options) {
  return columnDefinition(name, type, false, options);
}

/** A column that accepts NULL. */
export function optionalColumn(name, type, options) {
  return columnDefinition(name, type, true, options);
}

/**
 * A table to create, or the shape a rebuilt table takes, as the planner's `Table`. Index names
 * are explicit because SQLite index names are global to the file. Foreign key actions default
 * to `NoAction`, SQLite's own default.
 */
export function tableDefinition(name, { columns = [], primaryKey, indexes = [], foreignKeys = [] } = {}) {
  const table = {
    name,
    columns,
    indexes: indexes.map((index) => indexDefinition(index.name, index.columns, Boolean(index.unique))),
    foreignKeys: foreignKeys.map((foreignKey) => ({
      columns: foreignKey.columns,
      referencedTable: foreignKey.referencedTable,
      referencedColumns: foreignKey.referencedColumns,
      onDelete: foreignKey.onDelete ?? 'NoAction',
      onUpdate: foreignKey.onUpdate ?? 'NoAction',
    })),
  };
  if (primaryKey) table.primaryKey = { columns: primaryKey };
  return table;
}

function indexDefinition(name, columns, unique) {
  return { name, columns: columns.map((column) => ({ name: column, descending: false })), unique };
}

// ----- the schema builder -----

/** The changes to one table inside `SchemaBuilder.alterTable`, run in the order written. */
class AlterTableBuilder {
  #table;
  #push;

  constructor(table, push) {
    this.#table = table;
    this.#push = push;
  }

  addColumn(column) {
    return this.#change({ kind: 'addColumn', column });
  }

  renameColumn(previousName, nextName) {
    return this.#change({ kind: 'renameColumn', previousName: previousName, nextName: nextName });
  }

  /** SQLite refuses to drop a column that is part of a key, an index or a foreign key; rebuild the table instead. */
  dropColumn(name) {
    return this.#change({ kind: 'dropColumn', name });
  }

  #change(change) {
    // One planner step per change: a single `alterTable` step runs renames first, which is
    // right for a plan computed from a target shape but not for changes written in an order.
    this.#push({ kind: 'alterTable', table: this.#table, changes: [change] });
    return this;
  }
}

/** What a schema-builder step does, as planner steps and raw statements, in the order written. */
export class SchemaBuilder {
  #operations = [];

  /** `CREATE TABLE`, then its indexes. */
  createTable(table) {
    this.#operations.push({ kind: 'createTable', table });
    for (const index of table.indexes ?? []) this.#operations.push({ kind: 'createIndex', table: table.name, index });
    return this;
  }

  alterTable(table, build) {
    build(new AlterTableBuilder(table, (step) => this.#operations.push(step)));
    return this;
  }

  renameTable(previousName, nextName) {
    this.#operations.push({ kind: 'renameTable', previousName: previousName, nextName: nextName });
    return this;
  }

  dropTable(name) {
    this.#operations.push({ kind: 'dropTable', table: name });
    return this;
  }

  createIndex(table, name, columns) {
    this.#operations.push({ kind: 'createIndex', table, index: indexDefinition(name, columns, false) });
    return this;
  }

  createUniqueIndex(table, name, columns) {
    this.#operations.push({ kind: 'createIndex', table, index: indexDefinition(name, columns, true) });
    return this;
  }

  dropIndex(table, name) {
    this.#operations.push({ kind: 'dropIndex', table, indexName: name });
    return this;
  }

  /** A statement run as written, for what the builder has no operation for. */
  execute(statement) {
    this.#operations.push({ kind: '_statement', statement });
    return this;
  }

  /** The statements, rendered by the planner's SQLite renderer. */
  statements() {
    return this.#operations.flatMap((operation) =>
      operation.kind === '_statement' ? [operation.statement] : renderSqliteSteps([operation]),
    );
  }

  /**
   * The planner's migration script of the builder's steps, with the statements written with
   * `execute` in their place: run as written, they are no planned rebuild.
   */
  [builderScript]() {
    const script = { statements: [], requirements: { rebuiltTables: [] } };
    let steps = [];
    const addPlannedSteps = () => {
      if (steps.length === 0) return;
      appendScript(script, sqliteMigrationScript(steps));
      steps = [];
    };
    for (const operation of this.#operations) {
      if (operation.kind === '_statement') {
        addPlannedSteps();
        script.statements.push({ text: operation.statement, line: null });
      } else {
        steps.push(operation);
      }
    }
    addPlannedSteps();
    return script;
  }
}

/** Appends the statements of `script` to `into`, with its rebuilt tables at their new positions. */
function appendScript(into, script) {
  const offset = into.statements.length;
  into.statements.push(...script.statements);
  into.requirements.rebuiltTables.push(
    ...script.requirements.rebuiltTables.map((rebuilt) => ({ ...rebuilt, droppedByStatement: offset + rebuilt.droppedByStatement })),
  );
}

// ----- upgrade steps -----

/** One step of a local upgrade, from `fromVersion` to `toVersion`; steps are chained by their from-version. */
export class UpgradeStep {
  #action;

  constructor(token, fromVersion, toVersion, name, action) {
    if (token !== madeByThisModule) {
      throw new DeviceLocalError('invalid-argument', 'Make upgrade steps with UpgradeStep.schema, .sql, .rebuildTable or .schemaDiff.');
    }
    this.fromVersion = fromVersion;
    this.toVersion = toVersion;
    this.name = name;
    this.#action = action;
    Object.freeze(this);
  }

  /** A step written with the schema builder: `UpgradeStep.schema(0, 1, 'create notes', (schema) => { ... })`. */
  static schema(fromVersion, toVersion, name, build) {
    const builder = new SchemaBuilder();
    build(builder);
    return new UpgradeStep(madeByThisModule, fromVersion, toVersion, name, { kind: 'schema', builder });
  }

  /**
   * A step of SQL text: one text or a list. A text may hold several statements, as the
   * binding's `exec` runs them.
   */
  static sql(fromVersion, toVersion, name, statements) {
    const texts = typeof statements === 'string' ? [statements] : [...statements];
    return new UpgradeStep(madeByThisModule, fromVersion, toVersion, name, { kind: 'sql', texts });
  }

  /**
   * Rebuilds `replacement.name` into the replacement's shape by SQLite's documented procedure
   * (https://www.sqlite.org/lang_altertable.html#otheralter): creates `new_<table>`, awaits
   * `copyRows(copy)` to fill it, checks that every row arrived, drops the old table, renames
   * the new one, creates the replacement's indexes and re-creates the old table's triggers.
   * `copy` has `exec`, `query`, `sourceTable`, `targetTable`, `copyColumns(names)` and
   * `copyWithExpressions([[targetColumn, sourceExpression], ...])`.
   */
  static rebuildTable(fromVersion, toVersion, name, replacement, copyRows) {
    return new UpgradeStep(madeByThisModule, fromVersion, toVersion, name, { kind: 'rebuildTable', replacement, copyRows });
  }

  /**
   * The planner's migration between two schema.prisma texts (no datasource needed; `''` is the
   * empty database). Refused when the plan has warnings; table rebuilds keep every row and are
   * not warnings here.
   */
  static schemaDiff(fromVersion, toVersion, name, previous, next) {
    return new UpgradeStep(madeByThisModule, fromVersion, toVersion, name, { kind: 'schemaDiff', previous, next, allowWarnings: false });
  }

  /** `schemaDiff`, with the plan's warnings reviewed and accepted. */
  static schemaDiffAllowingWarnings(fromVersion, toVersion, name, previous, next) {
    return new UpgradeStep(madeByThisModule, fromVersion, toVersion, name, { kind: 'schemaDiff', previous, next, allowWarnings: true });
  }

  /** `schema`, `sql`, `rebuild-table` or `schema-diff`. */
  get kind() {
    return { schema: 'schema', sql: 'sql', rebuildTable: 'rebuild-table', schemaDiff: 'schema-diff' }[this.#action.kind];
  }

  /**
   * The statements the step runs, planned and rendered without a database; a table rebuild has
   * none here, its work is the copy callback.
   * @returns {string[]}
   */
  plannedStatements() {
    const action = this.#action;
    switch (action.kind) {
      case 'schema':
        return action.builder.statements();
      case 'sql':
        return [...action.texts];
      case 'rebuildTable':
        return [];
      default:
        return this[planSchemaDiff]().statements;
    }
  }

  /** The planner's plan of a schema-diff step, refused on warnings unless allowed. */
  [planSchemaDiff]() {
    const { previous, next, allowWarnings } = this.#action;
    let result;
    try {
      result = planWithPlanner({ previous: previous.trim() === '' ? null : previous, next: next.trim() === '' ? null : next, provider: 'sqlite' });
    } catch (error) {
      if (error?.code === 'not-initialized') throw error;
      throw new DeviceLocalError('invalid-local-migration-schema', `Upgrade step \`${this.name}\` has an invalid schema: ${messageOf(error)}`, {
        step: this.name,
        cause: error,
      });
    }
    if (result.provider !== 'sqlite') {
      throw new DeviceLocalError(
        'invalid-local-migration-schema',
        `Upgrade step \`${this.name}\` has an invalid schema: its datasource is ${result.provider}, but a local database is SQLite`,
        { step: this.name },
      );
    }
    // No row counts: the same step must give the same plan on every device, whatever rows each
    // one holds, so a step that could fail on some data is refused everywhere alike.
    const blocking = result.warnings.filter((warning) => warning.kind !== 'rebuild');
    if (blocking.length > 0 && !allowWarnings) {
      const lines = blocking.map((warning) => `\n  [${warning.kind}] ${warning.message}`).join('');
      throw new DeviceLocalError(
        'local-migration-has-warnings',
        `Upgrade step \`${this.name}\` was refused because its plan has warnings; review them and build the step with \`schemaDiffAllowingWarnings\` to accept them:${lines}`,
        { step: this.name, warnings: blocking },
      );
    }
    return result;
  }

  /**
   * Runs the step inside the upgrade's transaction: the planner's migration script of the step,
   * in the loop every runner follows (`runMigrationScript`). Statements of `UpgradeStep.sql`
   * run as written: the package does not read SQL text, so a table rebuild written by hand in
   * them is not recognised (build it with `rebuildTable` or a schema diff instead). What the
   * scripts require around the transaction (foreign keys off, checked before the commit) the
   * upgrader does once for all its steps.
   */
  async [runStep](connection) {
    const action = this.#action;
    switch (action.kind) {
      case 'rebuildTable':
        return rebuildTable(connection, this.name, action.replacement, action.copyRows);
      case 'schemaDiff':
        return runMigrationScript(connection, this.name, sqliteMigrationScript(this[planSchemaDiff]().steps));
      case 'schema':
        return runMigrationScript(connection, this.name, action.builder[builderScript]());
      default:
        return runMigrationScript(connection, this.name, {
          statements: action.texts.map((text) => ({ text, line: null })),
          requirements: { rebuiltTables: [] },
        });
    }
  }
}

/**
 * The loop every runner follows (the native `run_statements_keeping_dependents`): the
 * statements of a planner `MigrationScript` in order. Just before the statement that drops a
 * rebuilt table, the table's dependents (triggers, partial and expression indexes) are read
 * from the database with the planner's query, and `beforeDrop(table)` runs (the copy callback
 * of an app's rebuild); after the statements, the dependents that do not exist again are
 * re-created, so a rebuild never loses what the schema cannot describe.
 */
async function runMigrationScript(connection, stepName, script, beforeDrop = async () => {}) {
  const dependents = [];
  for (const [position, statement] of script.statements.entries()) {
    for (const rebuilt of script.requirements.rebuiltTables) {
      if (rebuilt.droppedByStatement !== position) continue;
      dependents.push(...(await tableDependents(connection, stepName, rebuilt.table)));
      await beforeDrop(rebuilt.table);
    }
    await runPlannedStatement(connection, stepName, statement.text);
  }
  await recreateMissingDependents(connection, stepName, dependents);
}

async function runPlannedStatement(connection, stepName, statement) {
  try {
    await runStatement(connection, statement);
  } catch (error) {
    throw stepFailed(stepName, statement, error);
  }
}

async function tableDependents(connection, stepName, table) {
  const query = tableDependentsQueryOf(table);
  let rows;
  try {
    rows = await connection.query(query);
  } catch (error) {
    throw stepFailed(stepName, query, error);
  }
  return tableDependentsFromQueryRows(rows);
}

async function recreateMissingDependents(connection, stepName, dependents) {
  if (dependents.length === 0) return;
  const list = "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL";
  let existing;
  try {
    existing = await connection.query(list);
  } catch (error) {
    throw stepFailed(stepName, list, error);
  }
  // SQLite compares object names without regard to ASCII case.
  const lowerAscii = (name) => String(name).replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  const existingKeys = new Set(existing.map(([objectType, name]) => `${objectType} ${lowerAscii(name)}`));
  for (const dependent of dependents) {
    if (!existingKeys.has(`${dependent.kind} ${lowerAscii(dependent.name)}`)) {
      await runPlannedStatement(connection, stepName, dependent.sql);
    }
  }
}

// ----- table rebuilds -----

/**
 * An app's rebuild is the planner's `rebuildTables` step with no columns copied: its script
 * creates `new_<table>` in the replacement's shape, drops the table, renames the new one and
 * creates the replacement's indexes; the app's copy callback fills the new table just before
 * the drop, where the loop also reads the dependents it re-creates afterwards.
 */
async function rebuildTable(connection, stepName, replacement, copyRows) {
  const table = replacement.name;
  // The same temporary name the planner's rebuilds use.
  const temporaryTable = `new_${table}`;
  let sourceRows;
  try {
    if (await schemaObjectExists(connection, 'table', temporaryTable)) {
      throw new DeviceLocalError(
        'local-rebuild-name-taken',
        `Upgrade step \`${stepName}\` cannot rebuild table \`${table}\`: a table named \`${temporaryTable}\` already exists.`,
        { step: stepName },
      );
    }
    sourceRows = await rowCount(connection, table);
  } catch (error) {
    if (error instanceof DeviceLocalError) throw error;
    throw stepFailed(stepName, `SELECT count(*) FROM ${quoteIdentifier(table)}`, error);
  }
  const script = sqliteMigrationScript([{ kind: 'rebuildTables', rebuilds: [{ previousName: table, next: replacement, copiedColumns: [] }] }]);
  await runMigrationScript(connection, stepName, script, async () => {
    try {
      await copyRows(rebuildCopy(connection, table, temporaryTable));
    } catch (error) {
      throw stepFailed(stepName, `the copy callback from \`${table}\` into \`${temporaryTable}\``, error);
    }
    const copiedRows = await rowCount(connection, temporaryTable);
    if (copiedRows !== sourceRows) {
      throw new DeviceLocalError(
        'local-rebuild-changed-row-count',
        `Upgrade step \`${stepName}\` rebuilt table \`${table}\` with ${copiedRows} row(s) but it had ${sourceRows}; a rebuild keeps every row, so the upgrade was rolled back.`,
        { step: stepName, table, sourceRows, copiedRows },
      );
    }
  });
}

function rebuildCopy(connection, sourceTable, targetTable) {
  const copyWithExpressions = async (columns) => {
    const targets = columns.map(([target]) => quoteIdentifier(target)).join(', ');
    const sources = columns.map(([, expression]) => expression).join(', ');
    await connection.exec(`INSERT INTO ${quoteIdentifier(targetTable)} (${targets}) SELECT ${sources} FROM ${quoteIdentifier(sourceTable)}`);
  };
  return Object.freeze({
    exec: (sql) => connection.exec(sql),
    query: (sql) => connection.query(sql),
    sourceTable,
    targetTable,
    copyWithExpressions,
    copyColumns: (names) => copyWithExpressions(names.map((name) => [name, quoteIdentifier(name)])),
  });
}

// ----- the versioned upgrader -----

/** A connection to a database the upgrader brought to the app's version; only `upgrade` makes one. */
export class UpgradedDatabase {
  #connection;
  #report;

  constructor(token, connection, report) {
    if (token !== madeByThisModule) {
      throw new DeviceLocalError('invalid-argument', 'An UpgradedDatabase is made only by LocalDatabaseUpgrader#upgrade.');
    }
    this.#connection = connection;
    this.#report = Object.freeze(report);
  }

  /** The connection given to `upgrade`. */
  get connection() {
    return this.#connection;
  }

  /** `{ previousVersion, version, appliedSteps }`. */
  get report() {
    return this.#report;
  }
}

export class LocalDatabaseUpgrader {
  #appVersion;
  #stepsByFromVersion = new Map();

  /**
   * Checks the steps' versions: each moves forward, none goes past the app's version, no two
   * start at the same version. Whether a chain reaches the app's version from a given database
   * version is checked when that database is upgraded.
   * @param {number} appVersion
   * @param {UpgradeStep[]} steps
   */
  constructor(appVersion, steps) {
    if (!Number.isInteger(appVersion) || appVersion < 0) {
      throw new DeviceLocalError('invalid-argument', `The app version must be a whole number from 0, not ${appVersion}.`);
    }
    if (appVersion > LARGEST_STORABLE_VERSION) {
      throw new DeviceLocalError(
        'app-version-too-large',
        `App version ${appVersion} cannot be stored in PRAGMA user_version, which holds at most ${LARGEST_STORABLE_VERSION}.`,
      );
    }
    this.#appVersion = appVersion;
    for (const step of steps) {
      if (!(step instanceof UpgradeStep)) {
        throw new DeviceLocalError('invalid-argument', 'Every step is made with UpgradeStep.schema, .sql, .rebuildTable or .schemaDiff.');
      }
      const { fromVersion, toVersion, name } = step;
      if (!Number.isInteger(fromVersion) || !Number.isInteger(toVersion) || fromVersion < 0 || toVersion <= fromVersion) {
        throw new DeviceLocalError(
          'invalid-local-migration-versions',
          `Upgrade step \`${name}\` has invalid version step ${fromVersion} -> ${toVersion}.`,
          { step: name },
        );
      }
      if (toVersion > appVersion) {
        throw new DeviceLocalError(
          'local-migration-past-app-version',
          `Upgrade step \`${name}\` goes to version ${toVersion}, past app version ${appVersion}.`,
          { step: name },
        );
      }
      if (this.#stepsByFromVersion.has(fromVersion)) {
        throw new DeviceLocalError('duplicate-local-migration', `Duplicate migration starting at version ${fromVersion}.`, { version: fromVersion });
      }
      this.#stepsByFromVersion.set(fromVersion, step);
    }
  }

  get appVersion() {
    return this.#appVersion;
  }

  /** The steps in order of their from-version. */
  get steps() {
    return [...this.#stepsByFromVersion.values()].sort((left, right) => left.fromVersion - right.fromVersion);
  }

  /** The steps that bring a database at `databaseVersion` to the app's version, in order. */
  pendingSteps(databaseVersion) {
    let version = this.#checkedDatabaseVersion(databaseVersion);
    const pending = [];
    while (version < this.#appVersion) {
      const step = this.#stepsByFromVersion.get(version);
      if (!step) throw new DeviceLocalError('missing-local-migration', `Missing migration for version ${version}.`, { version });
      pending.push(step);
      version = step.toVersion;
    }
    return pending;
  }

  /** Plans and renders every step without a database; meant for the app's own tests. */
  checkSteps() {
    for (const step of this.steps) step.plannedStatements();
  }

  /**
   * Brings the database to the app's version in one `BEGIN IMMEDIATE` transaction, with foreign
   * key enforcement paused (and checked with `PRAGMA foreign_key_check` when the connection
   * enforced it). On any error everything is rolled back: data and version are as they were.
   * @returns {Promise<UpgradedDatabase>}
   */
  async upgrade(connection) {
    checkConnection(connection);
    await refuseRebuildableCache(connection);
    const versionBefore = await readLocalDatabaseVersion(connection);
    if (versionBefore === this.#appVersion) {
      return new UpgradedDatabase(madeByThisModule, connection, { previousVersion: versionBefore, version: versionBefore, appliedSteps: [] });
    }
    // A newer database or a missing step is refused before any setting is touched.
    this.pendingSteps(versionBefore);
    const report = await withForeignKeysPaused(connection, (checkForeignKeys) =>
      inOneTransaction(connection, 'upgrade', async () => {
        // Read again under the write lock: another process may have upgraded meanwhile.
        const previousVersion = this.#checkedDatabaseVersion(await readLocalDatabaseVersion(connection));
        const appliedSteps = [];
        for (const step of this.pendingSteps(previousVersion)) {
          await step[runStep](connection);
          const setVersion = `PRAGMA user_version = ${step.toVersion}`;
          try {
            await connection.exec(setVersion);
          } catch (error) {
            throw stepFailed(step.name, setVersion, error);
          }
          appliedSteps.push(step.name);
        }
        if (checkForeignKeys) await refuseForeignKeyViolations(connection);
        return { previousVersion, version: this.#appVersion, appliedSteps };
      }),
    );
    return new UpgradedDatabase(madeByThisModule, connection, report);
  }

  #checkedDatabaseVersion(databaseVersion) {
    if (!Number.isInteger(databaseVersion) || databaseVersion < 0) {
      throw new DeviceLocalError(
        'invalid-local-database-version',
        `Local database version ${databaseVersion} is not a valid version: PRAGMA user_version must not be negative.`,
      );
    }
    if (databaseVersion > this.#appVersion) {
      throw new DeviceLocalError(
        'local-database-newer-than-app',
        `Local database version ${databaseVersion} is newer than app version ${this.#appVersion}.`,
        { databaseVersion, appVersion: this.#appVersion },
      );
    }
    return databaseVersion;
  }
}

async function refuseRebuildableCache(connection) {
  let isCache;
  try {
    isCache = await schemaObjectExists(connection, 'table', CACHE_METADATA_TABLE);
  } catch (error) {
    throw databaseError('read the schema of', error);
  }
  if (isCache) {
    throw new DeviceLocalError(
      'local-database-is-cache',
      `This database is a rebuildable cache (it has the \`${CACHE_METADATA_TABLE}\` table): open it with the cache bootstrap, not with the versioned upgrader.`,
    );
  }
}

async function refuseForeignKeyViolations(connection) {
  let rows;
  try {
    rows = await connection.query('PRAGMA foreign_key_check');
  } catch (error) {
    throw databaseError('check the foreign keys of', error);
  }
  if (rows.length === 0) return;
  const violations = rows.map((row) => ({
    table: String(row[0] ?? ''),
    rowId: row[1] === null || row[1] === undefined ? null : String(row[1]),
    referencedTable: String(row[2] ?? ''),
  }));
  // A handful of examples is enough to find the problem; the rest only makes noise.
  const examples = violations
    .slice(0, 10)
    .map((violation) => `\n  \`${violation.table}\`${violation.rowId === null ? '' : ` row ${violation.rowId}`} references a missing row of \`${violation.referencedTable}\``)
    .join('');
  const more = violations.length > 10 ? `\n  ... and ${violations.length - 10} more` : '';
  throw new DeviceLocalError(
    'foreign-key-violation',
    `The upgrade was rolled back because ${violations.length} row(s) would violate foreign keys:${examples}${more}`,
    { violations },
  );
}

// ----- the rebuildable cache -----

/** A connection to a cache that has the app's schema; only `RebuildableCacheSchema#bootstrap` makes one. */
export class BootstrappedCache {
  #connection;
  #outcome;

  constructor(token, connection, outcome) {
    if (token !== madeByThisModule) {
      throw new DeviceLocalError('invalid-argument', 'A BootstrappedCache is made only by RebuildableCacheSchema#bootstrap.');
    }
    this.#connection = connection;
    this.#outcome = Object.freeze(outcome);
  }

  get connection() {
    return this.#connection;
  }

  /** `{ kind: 'created' }`, `{ kind: 'already-current' }` or `{ kind: 'reset', previousFingerprint }` (null when there was none). */
  get outcome() {
    return this.#outcome;
  }
}

/**
 * The schema a rebuildable cache must have, with its fingerprint: comon's migration checksum of
 * the migration that creates the schema from an empty SQLite database (provider `sqlite`,
 * empty schema texts, the rendered `migration.sql`, no warnings, no rebuild), the same value
 * the Rust module computes. It is stored in `_comon_local_cache(schema_fingerprint)`.
 */
export class RebuildableCacheSchema {
  #statements;
  #fingerprint;

  constructor(token, statements, fingerprint) {
    if (token !== madeByThisModule) {
      throw new DeviceLocalError('invalid-argument', 'Make a cache schema with RebuildableCacheSchema.fromPrismaSchema.');
    }
    this.#statements = Object.freeze([...statements]);
    this.#fingerprint = fingerprint;
  }

  /** The schema described by schema.prisma text (without a datasource it is read as SQLite). */
  static fromPrismaSchema(source) {
    let result;
    try {
      result = planWithPlanner({ previous: null, next: source, provider: 'sqlite' });
    } catch (error) {
      if (error?.code === 'not-initialized') throw error;
      throw new DeviceLocalError('invalid-local-cache-schema', `The cache schema is invalid: ${messageOf(error)}`, { cause: error });
    }
    if (result.provider !== 'sqlite') {
      throw new DeviceLocalError('invalid-local-cache-schema', `The cache schema is invalid: its datasource is ${result.provider}, but a local cache is SQLite`);
    }
    const fingerprint = checksumWithPlanner({
      provider: 'sqlite',
      beforeSchema: '',
      afterSchema: '',
      migrationSql: result.sql,
      warnings: [],
      requiresRebuild: false,
    });
    return new RebuildableCacheSchema(madeByThisModule, result.statements, fingerprint);
  }

  get statements() {
    return this.#statements;
  }

  get fingerprint() {
    return this.#fingerprint;
  }

  /**
   * Creates the schema on an empty database; leaves one with the app's fingerprint alone; drops
   * everything in any other database with version 0 and creates the schema, in one
   * transaction. Refuses a database with another version: versioned upgrades manage it.
   * @returns {Promise<BootstrappedCache>}
   */
  async bootstrap(connection) {
    checkConnection(connection);
    const databaseVersion = await readLocalDatabaseVersion(connection);
    if (databaseVersion !== 0) {
      throw new DeviceLocalError(
        'local-cache-is-versioned',
        `This database has version ${databaseVersion} (PRAGMA user_version), so it holds data managed by versioned upgrades; the cache bootstrap never resets it.`,
        { databaseVersion },
      );
    }
    if ((await storedFingerprint(connection)) === this.#fingerprint) {
      return new BootstrappedCache(madeByThisModule, connection, { kind: 'already-current' });
    }
    const outcome = await withForeignKeysPaused(connection, () =>
      inOneTransaction(connection, 'bootstrap', async () => {
        // Read again under the write lock: another process may have bootstrapped meanwhile.
        const previousFingerprint = await storedFingerprint(connection);
        if (previousFingerprint === this.#fingerprint) return { kind: 'already-current' };
        const droppedAnything = await dropEverySchemaObject(connection);
        const metadata = quoteIdentifier(CACHE_METADATA_TABLE);
        const statements = [
          ...this.#statements,
          `CREATE TABLE ${metadata} ("schema_fingerprint" TEXT NOT NULL)`,
          `INSERT INTO ${metadata} ("schema_fingerprint") VALUES (${quoteStringLiteral(this.#fingerprint)})`,
        ];
        for (const statement of statements) {
          try {
            await runStatement(connection, statement);
          } catch (error) {
            throw new DeviceLocalError('invalid-local-cache-schema', `The cache schema is invalid: ${messageOf(error)}\n${statement}`, { cause: error });
          }
        }
        return droppedAnything ? { kind: 'reset', previousFingerprint } : { kind: 'created' };
      }),
    );
    return new BootstrappedCache(madeByThisModule, connection, outcome);
  }
}

async function storedFingerprint(connection) {
  try {
    if (!(await schemaObjectExists(connection, 'table', CACHE_METADATA_TABLE))) return null;
  } catch (error) {
    throw databaseError('read the cache fingerprint of', error);
  }
  try {
    const value = await queryValue(connection, `SELECT "schema_fingerprint" FROM ${quoteIdentifier(CACHE_METADATA_TABLE)} LIMIT 1`);
    return value === undefined || value === null ? null : String(value);
  } catch {
    // A metadata table of another shape counts as no fingerprint: the cache is reset.
    return null;
  }
}

/** Drops every view, trigger and table except SQLite's own; returns whether there was any. */
async function dropEverySchemaObject(connection) {
  const list =
    "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " +
    "ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END, name";
  const objects = await connection.query(list);
  for (const [objectType, name] of objects) {
    // Dropping a table drops its triggers, so a trigger listed earlier may already be gone.
    const drop = `DROP ${String(objectType).toUpperCase()} IF EXISTS ${quoteIdentifier(name)}`;
    try {
      await runStatement(connection, drop);
    } catch (error) {
      throw stepFailed('cache reset', drop, error);
    }
  }
  // Statistics of `ANALYZE` would describe tables that are gone.
  if (await schemaObjectExists(connection, 'table', 'sqlite_stat1')) await runStatement(connection, 'DELETE FROM sqlite_stat1');
  return objects.length > 0;
}
