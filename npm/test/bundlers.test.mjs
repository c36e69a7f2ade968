// The web entry point bundled by esbuild and by webpack 5, from the packed tarball installed as
// an application installs it, each bundle then run in headless Chromium (skipped without one:
// scripts/test-npm.sh installs it). The bundles are also checked without a browser: the .wasm
// is emitted as a file, and the Node entry point is not bundled.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { plan } from 'comon-migrate';
import { packageDirectory } from './support/paths.mjs';
import { projectWithPackedPackage } from './support/packed.mjs';
import { serveDirectory } from './support/static-server.mjs';

const chromiumPath = [process.env.COMON_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate) => candidate && existsSync(candidate),
);
const noChromium = chromiumPath ? false : 'no Chromium installed (set COMON_CHROMIUM or install chromium)';

const expectedSql = plan({
  previous: null,
  next: 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n',
}).sql;
const wasmBytes = readFileSync(join(packageDirectory, 'pkg', 'comon_migrate_wasm_bg.wasm')).length;

let project;
let browser;

before(() => {
  project = projectWithPackedPackage('comon-migrate-bundlers-');
  cpSync(join(packageDirectory, 'test', 'fixtures', 'bundler-app'), project.projectDirectory, { recursive: true });
});

after(async () => {
  await browser?.close();
  rmSync(project.workDirectory, { recursive: true, force: true });
});

async function pageResult(directory) {
  if (!browser) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
  const server = await serveDirectory(directory);
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  try {
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.comonResult !== undefined, null, { timeout: 30_000 }).catch(() => {});
    return { result: await page.evaluate(() => window.comonResult), problems };
  } finally {
    await page.close();
    await server.close();
  }
}

function assertPageResult({ result, problems }) {
  assert.deepEqual(problems, []);
  assert.ok(result, 'the page reported a result');
  assert.equal(result.failure, undefined);
  assert.equal(result.beforeInit, 'not-initialized');
  assert.equal(result.sql, expectedSql);
  assert.deepEqual(result.error, { isError: true, code: 'syntax-error', line: 1, column: 7 });
}

/** The one emitted .wasm of a bundle folder, checked to be the package's. */
function assertWasmEmitted(directory) {
  const wasm = readdirSync(directory, { recursive: true }).filter((name) => String(name).endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one .wasm in ${directory}: ${wasm.join(', ')}`);
  assert.equal(readFileSync(join(directory, String(wasm[0]))).length, wasmBytes);
  return String(wasm[0]);
}

describe('bundlers', () => {
  const esbuildOutput = () => join(project.projectDirectory, 'dist-esbuild');
  const webpackOutput = () => join(project.projectDirectory, 'dist-webpack');

  test('esbuild bundles the web entry point; the .wasm comes through comon-migrate/wasm', async () => {
    const esbuild = await import('esbuild');
    await esbuild.build({
      absWorkingDir: project.projectDirectory,
      entryPoints: { main: 'esbuild-main.js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outdir: esbuildOutput(),
      loader: { '.wasm': 'file' },
      logLevel: 'silent',
    });
    cpSync(join(project.projectDirectory, 'index.html'), join(esbuildOutput(), 'index.html'));
    const wasm = assertWasmEmitted(esbuildOutput());
    const script = readFileSync(join(esbuildOutput(), 'main.js'), 'utf8');
    assert.ok(script.includes(wasm), 'the bundle refers to the emitted .wasm');
    assert.ok(!script.includes('node:fs'), 'the Node entry point is not bundled');
  });

  test('the esbuild bundle runs in the browser', { skip: noChromium }, async () => {
    assertPageResult(await pageResult(esbuildOutput()));
  });

  test('webpack 5 bundles the web entry point and emits the .wasm as an asset', async () => {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((resolve, reject) => {
      webpack(
        {
          mode: 'production',
          context: project.projectDirectory,
          entry: './webpack-main.js',
          output: { path: webpackOutput(), filename: 'main.js' },
          target: 'web',
          performance: { hints: false },
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
    assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
    cpSync(join(project.projectDirectory, 'index.html'), join(webpackOutput(), 'index.html'));
    const wasm = assertWasmEmitted(webpackOutput());
    const script = readFileSync(join(webpackOutput(), 'main.js'), 'utf8');
    assert.ok(script.includes(wasm.split('/').at(-1)), 'the bundle refers to the emitted .wasm');
    assert.ok(!script.includes('node:fs'), 'the Node entry point is not bundled');
  });

  test('the webpack bundle runs in the browser', { skip: noChromium }, async () => {
    assertPageResult(await pageResult(webpackOutput()));
  });
});
