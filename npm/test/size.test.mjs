// The .wasm stays within the package's size budget (issues 11 and 13): at most 1 MB raw and
// 350 KB gzipped (gzip level 9), in decimal units, as npm/README.md's Size section measures
// them. The test reads the file the build wrote, so it fails as soon as a change to the planner
// or the adapter pushes the package over either limit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { wasmPath } from './support/paths.mjs';

const rawLimitBytes = 1000 * 1000;
const gzipLimitBytes = 350 * 1000;

const bytes = readFileSync(wasmPath);
const gzippedLength = gzipSync(bytes, { level: 9 }).length;

test('the .wasm is at most 1 MB raw', (context) => {
  context.diagnostic(`comon_migrate_wasm_bg.wasm: ${bytes.length} bytes raw, ${gzippedLength} bytes gzipped (level 9)`);
  assert.ok(bytes.length <= rawLimitBytes, `the .wasm is ${bytes.length} bytes raw, over the ${rawLimitBytes} bytes budget`);
});

test('the .wasm is at most 350 KB gzipped', () => {
  assert.ok(
    gzippedLength <= gzipLimitBytes,
    `the .wasm is ${gzippedLength} bytes gzipped (level 9), over the ${gzipLimitBytes} bytes budget`,
  );
});
