// The Node entry point: the WebAssembly module is read from the package folder and
// instantiated synchronously on import, so every function can be called at once.
import { readFileSync } from 'node:fs';
import { initSync } from './pkg/comon_migrate_wasm.js';

initSync({ module: readFileSync(new URL('./pkg/comon_migrate_wasm_bg.wasm', import.meta.url)) });

export {
  validate,
  format,
  databaseSchema,
  plan,
  renderSteps,
  migrationScript,
  tableDependentsQuery,
  tableDependentsFromRows,
  introspectionQueries,
  snapshotFromRows,
  renderSchema,
  checksum,
  migrationFolder,
  status,
} from './pkg/comon_migrate_wasm.js';
export { isComonMigrateError } from './errors.js';

/**
 * Nothing to wait for in Node: the module is ready on import. Kept so that code written for
 * browsers (`await init()`) runs unchanged.
 * @returns {Promise<void>}
 */
export async function init() {}

// Device-local SQLite: explicit app-side upgrades and rebuildable caches (see README).
export * from "./src/device-local.js";
