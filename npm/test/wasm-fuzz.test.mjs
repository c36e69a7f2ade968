// A short run of the fuzz loop over every export (npm/fuzz/wasm-api-fuzz.mjs): mutated
// schemas and malformed arguments must never make the WebAssembly planner trap (a Rust panic).
// The full run is `node fuzz/wasm-api-fuzz.mjs --seconds 600` (RELIABILITY.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as packageApi from 'comon-migrate';
import { runWasmApiFuzz } from '../fuzz/wasm-api-fuzz.mjs';

test('mutated schemas and malformed arguments never trap in any export', () => {
  const figures = runWasmApiFuzz({ seconds: 20, iterations: 300, seed: 20261202, writeFailures: false });
  assert.ok(figures.calls > 1000, `only ${figures.calls} calls were made`);
  assert.deepEqual(figures.failures, [], JSON.stringify(figures.failures, null, 2));
});

test('a trap in an export is reported as a failure', () => {
  // (module (func (export "trap") unreachable)): what a Rust panic compiles to in WebAssembly.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 8, 1, 4, 116, 114, 97, 112, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
  const { trap } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  const api = { ...packageApi, status: () => trap() };
  const figures = runWasmApiFuzz({ iterations: 5, seed: 1, writeFailures: false, api });
  assert.equal(figures.traps, 1);
  assert.equal(figures.failures[0].export, 'status');
  assert.match(figures.failures[0].message, /RuntimeError/);
});
