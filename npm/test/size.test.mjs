// The .wasm stays small: the test fails above 1.0 MB raw, the target (with the wasm-opt that
// scripts/test-npm.sh installs; npm/README.md records the measured sizes). The gzipped size is
// reported only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { wasmPath } from './support/paths.mjs';

const limitBytes = 1000 * 1000;

test('the .wasm is at most 1.0 MB raw', (context) => {
  const bytes = readFileSync(wasmPath);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  context.diagnostic(`comon_migrate_wasm_bg.wasm: ${bytes.length} bytes raw, ${gzipped} bytes gzipped (level 9)`);
  assert.ok(bytes.length <= limitBytes, `the .wasm is ${bytes.length} bytes, over the ${limitBytes} bytes limit`);
});
