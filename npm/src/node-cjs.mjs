// The source of the CommonJS entry point `pkg/node.cjs`, for `require('comon-migrate')` on
// every Node version `engines` names (Node 18 cannot require ES modules). scripts/build-npm.sh
// bundles it with esbuild into one CommonJS file over the same generated bindings and the same
// .wasm file as node.js; it is node.js with the .wasm found from `__dirname` instead of
// `import.meta.url`, which CommonJS does not have.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from '../pkg/comon_migrate_wasm.js';

// `__dirname` is the folder of the bundled file, pkg/, which holds the .wasm.
initSync({ module: readFileSync(join(__dirname, 'comon_migrate_wasm_bg.wasm')) });

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
} from '../pkg/comon_migrate_wasm.js';
export { isComonMigrateError } from '../errors.js';

/**
 * Nothing to wait for in Node: the module is ready on require. Kept so that code written for
 * browsers (`await init()`) runs unchanged.
 * @returns {Promise<void>}
 */
export async function init() {}

export * from './device-local.js';
