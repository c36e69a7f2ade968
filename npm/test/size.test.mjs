// The .wasm stays small: the test fails above 1.5 MB raw. The targets are 1.0 MB raw and
// 350 KB gzipped, which the build is now just over (npm/README.md records the measured sizes);
// the limit is not the target so that a change elsewhere in the planner does not fail it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { wasmPath } from './support/paths.mjs';

const limitBytes = 1.5 * 1000 * 1000;

test('the .wasm is at most 1.5 MB raw', (context) => {
  const bytes = readFileSync(wasmPath);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  context.diagnostic(`comon_migrate_wasm_bg.wasm: ${bytes.length} bytes raw, ${gzipped} bytes gzipped (level 9)`);
  assert.ok(bytes.length <= limitBytes, `the .wasm is ${bytes.length} bytes, over the ${limitBytes} bytes limit`);
});
