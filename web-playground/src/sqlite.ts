// SQLite in the browser through sql.js (SQLite compiled to WebAssembly; its .wasm file is
// bundled by Vite from the npm package). The page introspects a database with the planner's own
// catalog queries and applies a plan the way the native runner does.

import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import sqlWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { introspectionQueries, snapshotFromRows, type DatabaseSchema, type QueryResult } from 'comon-migrate';

export type { Database };

let sqlite: Promise<SqlJsStatic> | undefined;

/** Loads SQLite's WebAssembly module once; the page calls it early so that it works offline later. */
export function loadSqlite(): Promise<SqlJsStatic> {
  sqlite ??= initSqlJs({ locateFile: () => sqlWasmUrl }).catch((error: unknown) => {
    sqlite = undefined;
    throw error;
  });
  return sqlite;
}

const sqliteHeader = 'SQLite format 3\0';

/** Whether the bytes start with SQLite's file header (an empty file is an empty database too). */
export function looksLikeSqlite(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  return new TextDecoder('latin1').decode(bytes.subarray(0, sqliteHeader.length)) === sqliteHeader;
}

export async function openDatabase(bytes?: Uint8Array): Promise<Database> {
  const SQL = await loadSqlite();
  const database = new SQL.Database(bytes);
  database.run('PRAGMA foreign_keys = ON');
  return database;
}

function textOf(value: SqlValue): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return [...value].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return String(value);
}

function rowsOf(database: Database, sql: string): (string | null)[][] {
  const statement = database.prepare(sql);
  try {
    const rows: (string | null)[][] = [];
    while (statement.step()) rows.push(statement.get().map(textOf));
    return rows;
  } finally {
    statement.free();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface Introspection {
  snapshot: DatabaseSchema;
  /** Rows per table, for the planner's `rowCounts`. */
  rowCounts: Record<string, number>;
}

/** Runs `introspectionQueries('sqlite')` and hands the rows to `snapshotFromRows`, then counts rows. */
export function introspect(database: Database): Introspection {
  const results: QueryResult[] = introspectionQueries('sqlite').map((query) => ({ name: query.name, rows: rowsOf(database, query.sql) }));
  const snapshot = snapshotFromRows('sqlite', results);
  const rowCounts: Record<string, number> = {};
  for (const table of snapshot.tables) {
    rowCounts[table.name] = Number(rowsOf(database, `SELECT COUNT(*) FROM ${quoteIdentifier(table.name)}`)[0]?.[0] ?? 0);
  }
  return { snapshot, rowCounts };
}

/** Runs SQL text (such as an example's seed rows). */
export function execute(database: Database, sql: string): void {
  database.exec(sql);
}

/** `PRAGMA foreign_keys` and `PRAGMA defer_foreign_keys`, which `applyStatements` manages itself. */
function isForeignKeyPragma(statement: string): boolean {
  const compact = statement
    .replace(/^(\s*(--[^\n]*\n?|\/\*[\s\S]*?\*\/))*/, '')
    .replace(/\s+/g, '')
    .toLowerCase();
  return /^pragma(main\.)?(foreign_keys|defer_foreign_keys)($|[=(;])/.test(compact);
}

export type ApplyOutcome = { ok: true; applied: number } | { ok: false; message: string; statementIndex: number | null };

/**
 * Applies a plan's statements atomically, as the native runner does on SQLite: foreign keys off
 * (outside the transaction, where the pragma takes effect, as the table rebuild procedure needs),
 * `BEGIN IMMEDIATE`, the statements without the foreign key pragmas, `PRAGMA foreign_key_check`,
 * `COMMIT`; any failure rolls everything back. Foreign keys are switched back on in every case.
 */
export function applyStatements(database: Database, statements: string[]): ApplyOutcome {
  database.run('PRAGMA foreign_keys = OFF');
  let statementIndex: number | null = null;
  let applied = 0;
  try {
    database.run('BEGIN IMMEDIATE');
    for (const [index, statement] of statements.entries()) {
      if (isForeignKeyPragma(statement)) continue;
      statementIndex = index;
      database.run(statement);
      applied++;
    }
    statementIndex = null;
    const violations = rowsOf(database, 'PRAGMA foreign_key_check');
    if (violations.length > 0) {
      const tables = [...new Set(violations.map((row) => row[0]))].join(', ');
      throw new Error(`foreign key violations after the migration in ${tables}`);
    }
    database.run('COMMIT');
    return { ok: true, applied };
  } catch (error) {
    try {
      database.run('ROLLBACK');
    } catch {
      // No transaction was open: nothing to take back.
    }
    return { ok: false, message: error instanceof Error ? error.message : String(error), statementIndex };
  } finally {
    database.run('PRAGMA foreign_keys = ON');
  }
}
