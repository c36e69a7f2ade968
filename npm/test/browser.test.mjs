// The web entry point in a plain browser page (no bundler), and the package bundled by Vite
// (production build and dev server), each run in headless Chromium. The Vite build itself is
// checked without a browser; the page runs are skipped when no Chromium is installed
// (scripts/test-npm.sh installs one; COMON_CHROMIUM names another binary).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { plan } from 'comon-migrate';
import { packageDirectory } from './support/paths.mjs';
import { serveDirectory } from './support/static-server.mjs';

const chromiumPath = [process.env.COMON_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate) => candidate && existsSync(candidate),
);
const noChromium = chromiumPath ? false : 'no Chromium installed (set COMON_CHROMIUM or install chromium)';

const expectedSql = plan({
  previous: null,
  next: 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n',
}).sql;

let browser;
async function openPage(url) {
  if (!browser) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(url);
  await page.waitForFunction(() => window.comonResult !== undefined, null, { timeout: 30_000 }).catch(() => {});
  const result = await page.evaluate(() => window.comonResult);
  await page.close();
  return { result, problems };
}

function assertPageResult({ result, problems }) {
  assert.deepEqual(problems, []);
  assert.ok(result, 'the page reported a result');
  assert.equal(result.failure, undefined);
  assert.equal(result.beforeInit, 'not-initialized');
  assert.equal(result.sql, expectedSql);
  assert.deepEqual(result.error, { isError: true, code: 'syntax-error', line: 1, column: 7 });
}

const fixtureDirectory = join(packageDirectory, 'test', 'fixtures', 'vite-app');
let workDirectory;
let appDirectory;
let outputDirectory;

before(() => {
  // The app outside the package folder, with the package installed as npm installs it (its
  // `files`), so that Vite resolves and pre-bundles it as an ordinary dependency.
  workDirectory = mkdtempSync(join(tmpdir(), 'comon-migrate-vite-'));
  appDirectory = join(workDirectory, 'app');
  outputDirectory = join(workDirectory, 'dist');
  cpSync(fixtureDirectory, appDirectory, { recursive: true });
  const installed = join(appDirectory, 'node_modules', 'comon-migrate');
  const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8'));
  for (const file of [...manifest.files, 'package.json']) {
    cpSync(join(packageDirectory, file), join(installed, file), { recursive: true });
  }
});

after(async () => {
  await browser?.close();
  rmSync(workDirectory, { recursive: true, force: true });
});

describe('browsers and bundlers', () => {
  test('a plain page loads the web entry point and its .wasm', { skip: noChromium }, async () => {
    const server = await serveDirectory(packageDirectory);
    try {
      assertPageResult(await openPage(`${server.url}/test/fixtures/browser/index.html`));
    } finally {
      await server.close();
    }
  });

  test('vite build bundles the web entry point and emits the .wasm as an asset', async () => {
    const { build } = await import('vite');
    await build({
      root: appDirectory,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: outputDirectory, emptyOutDir: true },
    });
    const assets = readdirSync(join(outputDirectory, 'assets'));
    const wasm = assets.find((name) => name.endsWith('.wasm'));
    assert.ok(wasm, `a .wasm asset among ${assets.join(', ')}`);
    assert.equal(
      readFileSync(join(outputDirectory, 'assets', wasm)).length,
      readFileSync(join(packageDirectory, 'pkg', 'comon_migrate_wasm_bg.wasm')).length,
    );
    const script = assets.find((name) => name.endsWith('.js'));
    assert.ok(readFileSync(join(outputDirectory, 'assets', script), 'utf8').includes(wasm), 'the bundle refers to the asset');
    assert.ok(!readFileSync(join(outputDirectory, 'assets', script), 'utf8').includes('node:fs'), 'the Node entry point is not bundled');
  });

  test('the Vite build runs in the browser', { skip: noChromium }, async () => {
    const server = await serveDirectory(outputDirectory);
    try {
      assertPageResult(await openPage(`${server.url}/index.html`));
    } finally {
      await server.close();
    }
  });

  test('the Vite dev server serves it too, pre-bundled', { skip: noChromium }, async () => {
    const { createServer } = await import('vite');
    const server = await createServer({
      root: appDirectory,
      configFile: false,
      logLevel: 'silent',
      optimizeDeps: { include: ['comon-migrate'] },
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    try {
      const address = server.httpServer.address();
      assertPageResult(await openPage(`http://127.0.0.1:${address.port}/index.html`));
    } finally {
      await server.close();
    }
  });
});
