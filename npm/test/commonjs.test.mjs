// `require('comon-migrate')` from a CommonJS project, with the package installed from its
// packed tarball: the `require` condition loads pkg/node.cjs (bundled by scripts/build-npm.sh),
// which plans exactly as the ES module entry point does. test-npm.sh runs this on Node 18 too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { plan } from 'comon-migrate';
import { projectWithPackedPackage } from './support/packed.mjs';

const schema = 'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n';

let project;
before(() => {
  project = projectWithPackedPackage('comon-migrate-cjs-', { type: 'commonjs' });
});
after(() => rmSync(project.workDirectory, { recursive: true, force: true }));

test('require() loads the CommonJS entry point and plans as the ES module does', () => {
  const script = join(project.projectDirectory, 'plan.js');
  writeFileSync(
    script,
    `const comon = require('comon-migrate');
const result = { file: require.resolve('comon-migrate'), sql: comon.plan({ previous: null, next: ${JSON.stringify(schema)} }).sql };
try { comon.plan({ prev: null, next: '' }); } catch (error) { result.code = error.code; result.isError = comon.isComonMigrateError(error); }
result.initIsAsync = comon.init() instanceof Promise;
result.deviceLocal = typeof comon.tableDefinition;
console.log(JSON.stringify(result));
`,
  );
  const output = JSON.parse(execFileSync(process.execPath, [script], { cwd: project.projectDirectory, encoding: 'utf8' }));
  assert.match(output.file, /comon-migrate[\\/]pkg[\\/]node\.cjs$/);
  assert.equal(output.sql, plan({ previous: null, next: schema }).sql);
  assert.equal(output.code, 'unknown-option');
  assert.equal(output.isError, true);
  assert.equal(output.initIsAsync, true);
  assert.equal(output.deviceLocal, 'function', 'the device-local helpers are there too');
});

test('import() from the same project still gets the ES module entry point', () => {
  const script = join(project.projectDirectory, 'import.mjs');
  writeFileSync(script, `import { plan } from 'comon-migrate';\nconsole.log(JSON.stringify(plan({ previous: null, next: ${JSON.stringify(schema)} }).sql));\n`);
  const sql = JSON.parse(execFileSync(process.execPath, [script], { cwd: project.projectDirectory, encoding: 'utf8' }));
  assert.equal(sql, plan({ previous: null, next: schema }).sql);
});
