// The planner functions the device-local module uses, taken from the generated WebAssembly
// glue by a relative path rather than from the package's own name: the web entry point also
// runs in a plain browser page without an import map, where `import 'comon-migrate'` inside
// the package would not resolve. The glue is the one module instance both entry points
// initialize (`node.js` on import, `web.js` in `init()`).
import * as wasm from '../pkg/comon_migrate_wasm.js';
import { notInitializedError } from '../errors.js';

function fromPlanner(call) {
  try {
    return call();
  } catch (error) {
    // Before `init()` the glue has no module and fails with a TypeError; the planner's own
    // errors are always ComonMigrateErrors.
    if (error instanceof TypeError) throw notInitializedError();
    throw error;
  }
}

/** `plan(input)` of the package. */
export function planWithPlanner(input) {
  return fromPlanner(() => wasm.plan(input));
}

/** `checksum(artifact)` of the package. */
export function checksumWithPlanner(artifact) {
  return fromPlanner(() => wasm.checksum(artifact));
}

/**
 * The SQLite statements of planner steps (the `MigrationStep` shape of index.d.ts), rendered by
 * the planner's renderer through the package's `renderSteps`: the device-local schema builder
 * and table rebuild describe their work as steps, so that no SQL is written by hand here.
 * @param {object[]} steps
 * @returns {string[]}
 */
export function renderSqliteSteps(steps) {
  return fromPlanner(() => wasm.renderSteps('sqlite', steps));
}

/**
 * The planner's `MigrationScript` of SQLite steps: the statements a runner runs and what
 * running them requires (see `migrationScript` in index.d.ts), built from the steps as data.
 * @param {object[]} steps
 */
export function sqliteMigrationScript(steps) {
  return fromPlanner(() => wasm.migrationScript('sqlite', steps));
}

/** The planner's query for the triggers, partial and expression indexes of a SQLite table. */
export function tableDependentsQueryOf(table) {
  return fromPlanner(() => wasm.tableDependentsQuery(table));
}

/** The planner's reading of the rows of `tableDependentsQueryOf`. */
export function tableDependentsFromQueryRows(rows) {
  return fromPlanner(() => wasm.tableDependentsFromRows(rows));
}
