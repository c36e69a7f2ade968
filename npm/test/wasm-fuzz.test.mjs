// A short run of the fuzz loop over every export (npm/fuzz/wasm-api-fuzz.mjs): mutated
// schemas and malformed arguments must never make the WebAssembly planner trap (a Rust panic).
// The full run is `node fuzz/wasm-api-fuzz.mjs --seconds 600` (RELIABILITY.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWasmApiFuzz } from '../fuzz/wasm-api-fuzz.mjs';

test('mutated schemas and malformed arguments never trap in any export', () => {
  const figures = runWasmApiFuzz({ seconds: 20, iterations: 300, seed: 20261202, writeFailures: false });
  assert.ok(figures.calls > 1000, `only ${figures.calls} calls were made`);
  assert.deepEqual(figures.failures, [], JSON.stringify(figures.failures, null, 2));
});
