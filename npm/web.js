// The entry point for browsers and bundlers: call `await init()` once, then every function
// works synchronously. `init()` fetches the .wasm file next to this package's JS (bundlers
// such as Vite rewrite that URL to the emitted asset), or takes the module's bytes or URL.
import initWasm, * as wasm from './pkg/comon_migrate_wasm.js';
import { notInitializedError } from './errors.js';

export { isComonMigrateError } from './errors.js';

let initialized = false;
let initializing;

/**
 * Loads and instantiates the WebAssembly module; later calls return the same promise.
 * @param {string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>} [wasmSource]
 * @returns {Promise<void>}
 */
export function init(wasmSource) {
  initializing ??= initWasm(wasmSource === undefined ? undefined : { module_or_path: wasmSource }).then(
    () => {
      initialized = true;
    },
    (error) => {
      initializing = undefined;
      throw error;
    },
  );
  return initializing;
}

function assertInitialized() {
  if (!initialized) throw notInitializedError();
}

export function validate(schema, options) {
  assertInitialized();
  return wasm.validate(schema, options);
}

export function format(schema) {
  assertInitialized();
  return wasm.format(schema);
}

export function databaseSchema(schema) {
  assertInitialized();
  return wasm.databaseSchema(schema);
}

export function plan(input) {
  assertInitialized();
  return wasm.plan(input);
}

export function renderSteps(provider, steps) {
  assertInitialized();
  return wasm.renderSteps(provider, steps);
}

export function migrationScript(provider, steps) {
  assertInitialized();
  return wasm.migrationScript(provider, steps);
}

export function tableDependentsQuery(table) {
  assertInitialized();
  return wasm.tableDependentsQuery(table);
}

export function tableDependentsFromRows(rows) {
  assertInitialized();
  return wasm.tableDependentsFromRows(rows);
}

export function introspectionQueries(provider) {
  assertInitialized();
  return wasm.introspectionQueries(provider);
}

export function snapshotFromRows(provider, results) {
  assertInitialized();
  return wasm.snapshotFromRows(provider, results);
}

export function renderSchema(snapshot) {
  assertInitialized();
  return wasm.renderSchema(snapshot);
}

export function checksum(artifact) {
  assertInitialized();
  return wasm.checksum(artifact);
}

export function migrationFolder(draft) {
  assertInitialized();
  return wasm.migrationFolder(draft);
}

export function status(input) {
  assertInitialized();
  return wasm.status(input);
}

// Device-local SQLite: explicit app-side upgrades and rebuildable caches (see README).
export * from "./src/device-local.js";
