// End-to-end tests of the built playground (dist/) in Debian's Chromium, headless, driven by
// playwright-core, against a static server on localhost. Run by `npm test` (which builds first)
// and by scripts/test-playground.sh on a fresh machine.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { checksum, databaseSchema, format, plan, renderSchema } from 'comon-migrate';
import { unzipSync, strFromU8 } from 'fflate';
import initSqlJs from 'sql.js';
import { launchChromium } from './support/browser.mjs';
import { serveDirectory } from './support/static-server.mjs';

const playgroundDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDirectory = join(playgroundDirectory, 'dist');
const resultsDirectory = join(playgroundDirectory, 'test-results');
// The README's screenshots: taken by these tests into test-results/; with
// COMON_UPDATE_SCREENSHOTS=1 also copied into docs/screenshots/, which the README shows.
const screenshotsDirectory = join(playgroundDirectory, 'docs', 'screenshots');

async function screenshot(page, name) {
  const path = join(resultsDirectory, name);
  await page.screenshot({ path });
  if (process.env.COMON_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(screenshotsDirectory, { recursive: true });
    copyFileSync(path, join(screenshotsDirectory, name));
  }
}

const blogSchema = readFileSync(join(playgroundDirectory, '..', 'examples', 'blog', 'prisma', 'schema.prisma'), 'utf8');
const blogWithBio = blogSchema.replace('  name  String?\n', '  name  String?\n  bio   String?\n');
assert.notEqual(blogWithBio, blogSchema, 'the blog schema has the `name String?` line these tests edit');

/** A SQLite schema of `models` models, each with five columns, a unique index and a relation to the one before. */
function largeSchema(models) {
  let text = 'datasource db {\n  provider = "sqlite"\n}\n';
  for (let index = 0; index < models; index++) {
    text += `\nmodel Model${index} {\n  id        Int      @id @default(autoincrement())\n  name      String\n  email     String   @unique\n  count     Int      @default(0)\n  createdAt DateTime @default(now())\n`;
    if (index > 0) text += `  parent    Model${index - 1}? @relation(fields: [parentId], references: [id])\n  parentId  Int?\n`;
    if (index < models - 1) text += `  children  Model${index + 1}[]\n`;
    text += index > 0 ? '\n  @@index([parentId])\n}\n' : '}\n';
  }
  return text;
}

let server;
let browser;

before(async () => {
  assert.ok(existsSync(join(distDirectory, 'index.html')), 'dist/ is missing: run `npm run build` first (npm test does).');
  mkdirSync(resultsDirectory, { recursive: true });
  server = await serveDirectory(distDirectory);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A new page (own context) at `hash`, after the planner has loaded and planned once. */
async function openPlayground(hash = '', { viewport = { width: 1440, height: 900 }, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${server.url}${hash}`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  return { context, page, problems, requests };
}

async function closePlayground({ context, problems }) {
  await context.close();
  assert.deepEqual(problems, [], 'no errors on the page or its console');
}

/** The text of an editor (CodeMirror keeps it in its state; only the lines in view are in the DOM). */
function editorValue(page, name) {
  return page.evaluate((name) => window.comonPlayground.editors[name].value, name);
}

/** Replaces an editor's text as one user edit (as a paste over a selection of everything does). */
async function fillEditor(page, name, text) {
  await page.evaluate(({ name, text }) => window.comonPlayground.editors[name].replaceAll(text), { name, text });
}

const sqlText = (page) => editorValue(page, 'sql');

/** Waits until migration.sql (as shown) contains `text`, and returns it. */
async function waitForSql(page, text) {
  await page.waitForFunction((expected) => window.comonPlayground.editors.sql.value.includes(expected), text, { timeout: 15_000 });
  return sqlText(page);
}

async function waitForState(page, state) {
  await page.waitForSelector(`#output[data-state="${state}"]`, { timeout: 15_000 });
}

/** Waits until the URL holds the page's current state (it follows edits after a short pause). */
async function waitForUrlState(page) {
  await page.waitForSelector('html[data-url-state="synced"]', { timeout: 10_000 });
}

async function texts(locator) {
  return (await locator.allTextContents()).map((text) => text.trim());
}

/** A SQLite file made in Node with sql.js: the blog schema as the package plans it, with rows. */
async function blogDatabaseBytes() {
  const SQL = await initSqlJs();
  const database = new SQL.Database();
  database.run('PRAGMA foreign_keys = ON');
  for (const statement of plan({ previous: null, next: blogSchema }).statements) database.run(statement);
  database.run(`INSERT INTO "User" ("email", "name") VALUES ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace')`);
  database.run(`INSERT INTO "Post" ("title", "authorId") VALUES ('One', 1), ('Two', 2), ('Three', 2)`);
  const bytes = database.export();
  database.close();
  return bytes;
}

/** Drops a file on the page as a user's drag and drop does. */
async function dropFile(page, name, bytes, target = '#previous-pane') {
  await page.evaluate(
    ({ name, base64, target }) => {
      const data = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name));
      const element = document.querySelector(target);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        element.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { name, base64: Buffer.from(bytes).toString('base64'), target },
  );
}

describe('the playground in Chromium', () => {
  test('loads the blog example from static files only and shows its plan', async () => {
    const session = await openPlayground();
    const { page, requests } = session;
    assert.equal(await page.locator('#examples').inputValue(), 'blog');
    assert.equal(await editorValue(page, 'next'), blogSchema);
    const sql = await waitForSql(page, 'CREATE TABLE "User"');
    assert.equal(sql, plan({ previous: null, next: blogSchema }).sql, 'the page shows what the package plans');
    assert.deepEqual(await texts(page.locator('#steps .step')), [
      'CreateTable Post',
      'CreateTable User',
      'CreateIndex Post_authorId_idx',
      'CreateIndex User_email_key',
    ]);
    assert.deepEqual(await texts(page.locator('#badges .badge')), ['SQLite', '4 steps, 4 statements']);
    // Both WebAssembly modules come from the site itself: no CDN, so it works offline once loaded.
    await page.waitForSelector('html[data-sqlite-ready="true"]');
    assert.ok(requests.some((url) => /comon_migrate_wasm_bg-[\w-]+\.wasm$/.test(url)), 'the planner wasm is a bundled asset');
    assert.ok(requests.some((url) => /sql-wasm-browser-[\w-]+\.wasm$/.test(url)), "SQLite's wasm is a bundled asset");
    assert.deepEqual(
      requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:')),
      [],
      'every request goes to the site itself',
    );
    await closePlayground(session);
  });

  test('editing the next schema updates the SQL live', async () => {
    const session = await openPlayground();
    const { page } = session;
    await fillEditor(page, 'previous', blogSchema);
    await fillEditor(page, 'next', blogSchema);
    await page.waitForSelector('#badges [data-badge="in-sync"]');
    assert.equal(await page.locator('#steps').textContent(), 'No changes: the database already matches the next schema.');

    await fillEditor(page, 'next', blogWithBio);
    const sql = await waitForSql(page, 'ADD COLUMN');
    assert.equal(sql, 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n');
    assert.deepEqual(await texts(page.locator('#steps .step')), ['AlterTable User (1 changes)']);
    await closePlayground(session);
  });

  test('a schema error is marked at its line and column in the editor, and the last good plan stays', async () => {
    const session = await openPlayground();
    const { page } = session;
    const goodSql = await waitForSql(page, 'CREATE TABLE "User"');
    // The unknown type `Strng` on the `email` line, at column 9.
    const broken = blogSchema.replace('email String  @unique', 'email Strng   @unique');
    const line = String(broken.split('\n').indexOf('  email Strng   @unique') + 1);
    await fillEditor(page, 'next', broken);
    await waitForState(page, 'error');

    const next = page.locator('[data-editor="next"]');
    await next.locator('.cm-lintRange-error').first().waitFor();
    assert.deepEqual(await next.locator('.cm-error-line').evaluateAll((all) => all.map((line) => line.dataset.errorLine)), [line]);
    assert.deepEqual(await texts(next.locator('.cm-lintRange-error')), ['Strng']);
    assert.equal(await next.locator('.cm-gutter-lint .cm-lint-marker-error').count(), 1, 'a marker in the lint gutter');
    const diagnostic = next.locator('.diagnostic');
    assert.equal(await diagnostic.count(), 1);
    assert.equal(await diagnostic.getAttribute('data-code'), 'unknown-type');
    assert.equal(await diagnostic.getAttribute('data-line'), line);
    assert.equal(await diagnostic.getAttribute('data-column'), '9');
    assert.match(await diagnostic.textContent(), /Type "Strng"/);
    assert.equal(await page.locator('[data-editor="previous"] .diagnostic').count(), 0, 'the previous editor is not marked');
    assert.match(await page.locator('#plan-errors').textContent(), new RegExp(`next line ${line}:9 unknown-type`));
    assert.deepEqual(await texts(page.locator('#badges .badge')), ['1 error']);
    // The last plan that worked stays on show, dimmed, with its SQL.
    assert.equal(await page.locator('#output').getAttribute('data-last-plan'), 'shown');
    assert.ok(await page.locator('#sql-section').isVisible());
    assert.equal(await sqlText(page), goodSql);
    assert.ok(await page.locator('#download-zip').isDisabled(), 'no folder to download while the schema has errors');

    await screenshot(page, 'playground-error.png');

    // Clicking the diagnostic selects the faulty text.
    await diagnostic.locator('button.place').click();
    assert.equal(await page.evaluate(() => window.comonPlayground.editors.next.selectedText), 'Strng');

    // Fixed, the marks go away and the plan comes back.
    await fillEditor(page, 'next', blogSchema);
    await waitForState(page, 'planned');
    assert.equal(await next.locator('.cm-lintRange-error, .cm-error-line').count(), 0);
    await closePlayground(session);
  });

  test('errors after a multi-byte character are marked at the right characters', async () => {
    const session = await openPlayground();
    const { page } = session;
    const text = blogSchema.replace('model User {', '/// Utilisateur enregistré — “compte”\nmodel User {').replace('email String  @unique', 'email Strng   @unique');
    await fillEditor(page, 'next', text);
    await waitForState(page, 'error');
    await page.locator('[data-editor="next"] .cm-lintRange-error').first().waitFor();
    assert.deepEqual(await texts(page.locator('[data-editor="next"] .cm-lintRange-error')), ['Strng']);
    await closePlayground(session);
  });

  test('the provider switch rewrites the datasources and plans for PostgreSQL', async () => {
    const session = await openPlayground();
    const { page } = session;
    await page.selectOption('#provider', 'postgresql');
    const sql = await waitForSql(page, 'GENERATED BY DEFAULT AS IDENTITY');
    assert.match(await editorValue(page, 'next'), /provider = "postgresql"/);
    assert.match(sql, /ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY/);
    assert.equal((await texts(page.locator('#badges .badge')))[0], 'PostgreSQL');
    await closePlayground(session);
  });

  test('the format buttons format schema.prisma as the package does', async () => {
    const session = await openPlayground();
    const { page } = session;
    const messy = 'datasource db {\nprovider = "sqlite"\n}\nmodel Tag {\nid Int @id @default(autoincrement())\n    label String @unique\n}\n';
    await fillEditor(page, 'next', messy);
    await page.click('#format-next');
    assert.equal(await editorValue(page, 'next'), format(messy));
    await fillEditor(page, 'previous', messy);
    await page.click('#format-previous');
    assert.equal(await editorValue(page, 'previous'), format(messy));
    await page.waitForSelector('#badges [data-badge="in-sync"]');
    await closePlayground(session);
  });

  test('every example plans, with warnings by kind and badges', async () => {
    const session = await openPlayground();
    const { page } = session;
    const options = await page.locator('#examples option:not([disabled])').evaluateAll((all) => all.map((option) => option.value));
    assert.ok(options.length >= 6, `several examples, got ${options}`);
    const seen = {};
    for (const id of options) {
      await page.selectOption('#examples', id);
      await page.waitForFunction(
        (id) => document.getElementById('examples').value === id && document.getElementById('output').dataset.state,
        id,
      );
      // Wait for the example's own plan (a database example plans after SQLite opens it).
      if (id === 'database-with-rows') await page.waitForSelector('body[data-previous-mode="database"] #badges [data-badge="unexecutable"]');
      await page.waitForTimeout(50);
      seen[id] = {
        state: await page.locator('#output').getAttribute('data-state'),
        badges: await page.locator('#badges .badge').evaluateAll((all) => all.map((badge) => badge.dataset.badge)),
        warnings: await page.locator('#warnings .warning').evaluateAll((all) => all.map((warning) => warning.dataset.kind)),
        steps: await texts(page.locator('#steps .step')),
      };
    }
    for (const [id, result] of Object.entries(seen)) {
      assert.equal(result.state, id === 'errors' ? 'error' : 'planned', `${id}: ${JSON.stringify(result)}`);
    }
    // Removing a value re-creates the enum: rows with it are lost, and on PostgreSQL every table
    // using the type is rewritten under an ACCESS EXCLUSIVE lock.
    assert.deepEqual(seen['enum-removal'].warnings, ['data-loss', 'blocking']);
    assert.ok(seen['enum-removal'].steps.includes('RecreateEnum Role'), JSON.stringify(seen['enum-removal']));
    assert.ok(seen['sqlite-rebuild'].badges.includes('rebuild'));
    assert.ok(seen['sqlite-rebuild'].warnings.includes('rebuild'));
    assert.ok(seen['sqlite-rebuild'].steps.includes('RebuildTables Product'));
    assert.ok(seen['blog-comments'].badges.includes('rebuild'));
    assert.ok(seen['blog-postgres'].warnings.includes('data-loss'));
    assert.deepEqual(seen['database-with-rows'].badges, ['provider', 'count', 'rebuild', 'unexecutable']);
    assert.ok(seen['database-with-rows'].warnings.includes('unexecutable'));

    // Warnings carry their kind's style.
    await page.selectOption('#examples', 'database-with-rows');
    await page.waitForSelector('body[data-previous-mode="database"] #warnings .warning.kind-unexecutable');
    const colors = await page.locator('#warnings .warning').evaluateAll((all) =>
      all.map((warning) => [warning.dataset.kind, getComputedStyle(warning).borderLeftColor]),
    );
    assert.equal(new Set(colors.map(([, color]) => color)).size, new Set(colors.map(([kind]) => kind)).size, JSON.stringify(colors));
    await screenshot(page, 'playground.png');
    await closePlayground(session);
  });

  test('a dropped SQLite file is introspected, planned against the next schema and applied in the browser', async () => {
    const session = await openPlayground();
    const { page } = session;
    await fillEditor(page, 'next', blogWithBio);
    await dropFile(page, 'blog.db', await blogDatabaseBytes());
    await page.waitForSelector('#database-info:not([hidden])');
    assert.equal(await page.locator('#database-name').textContent(), 'blog.db');
    assert.deepEqual(
      await page.locator('#database-tables li').evaluateAll((all) => all.map((item) => [item.dataset.table, item.dataset.rows])),
      [
        ['Post', '3'],
        ['User', '2'],
      ],
    );
    assert.match(await editorValue(page, 'database'), /model User \{/, 'the introspected schema is shown');
    assert.equal(await waitForSql(page, 'ADD COLUMN'), 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n');

    // A required column without a default cannot be added to a table with rows: Apply is not offered.
    await fillEditor(page, 'next', blogWithBio.replace('bio   String?', 'bio   String'));
    await page.waitForSelector('#badges [data-badge="unexecutable"]');
    assert.ok(await page.locator('#apply-migration').isDisabled(), 'Apply is disabled on an unexecutable plan');
    assert.match(await page.locator('#apply-migration').getAttribute('title'), /cannot run against the rows/);

    // The optional column applies; afterwards the database matches the next schema.
    await fillEditor(page, 'next', blogWithBio);
    await waitForSql(page, 'ADD COLUMN');
    await page.click('#apply-migration');
    await page.waitForSelector('#database-message[data-kind="info"]');
    assert.match(await page.locator('#database-message').textContent(), /Applied 1 statement .*matches the next schema/);
    await page.waitForSelector('#badges [data-badge="in-sync"]');
    assert.match(await editorValue(page, 'database'), /\bbio\s+String\?/, 'the re-introspected schema has the new column');
    assert.equal(await page.locator('#database-tables li[data-table="Post"]').getAttribute('data-rows'), '3', 'the rows are still there');
    await closePlayground(session);
  });

  test('a file that is not SQLite is refused with a message', async () => {
    const session = await openPlayground();
    const { page } = session;
    await dropFile(page, 'notes.db', new TextEncoder().encode('not a database at all'));
    await page.waitForSelector('#dropzone[data-error]');
    assert.match(await page.locator('#status').textContent(), /not a SQLite database/);
    await closePlayground(session);
  });

  test('a pasted snapshot JSON is the previous side, and invalid JSON is marked', async () => {
    const session = await openPlayground();
    const { page } = session;
    await page.click('#tab-snapshot');
    await fillEditor(page, 'snapshot', JSON.stringify(databaseSchema(blogSchema), null, 2));
    await fillEditor(page, 'next', blogWithBio);
    assert.equal(await waitForSql(page, 'ADD COLUMN'), 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n');

    await fillEditor(page, 'snapshot', '{\n  "provider": "sqlite",\n  "tables": [1 2]\n}');
    await waitForState(page, 'error');
    await page.locator('[data-editor="snapshot"] .cm-lintRange-error').first().waitFor();
    assert.deepEqual(await page.locator('[data-editor="snapshot"] .cm-error-line').evaluateAll((all) => all.map((line) => line.dataset.errorLine)), ['3']);
    assert.deepEqual(await texts(page.locator('[data-editor="snapshot"] .cm-lintRange-error')), ['2']);

    // JSON of the wrong shape is the package's `invalid-argument`, shown on the previous side.
    await fillEditor(page, 'snapshot', '{ "provider": "sqlite" }');
    await page.waitForSelector('[data-editor="snapshot"] .diagnostic[data-code="invalid-argument"]');
    await closePlayground(session);
  });

  test('a shared link reproduces the whole state', async () => {
    const first = await openPlayground();
    await first.page.selectOption('#examples', 'enum-removal');
    await waitForSql(first.page, 'RENAME TO "Role_old"');
    await fillEditor(first.page, 'next', `${await editorValue(first.page, 'next')}\n// édité\n`);
    await waitForUrlState(first.page);
    assert.match(first.page.url(), /#z=[\w-]+$/);
    const link = first.page.url();
    const expected = {
      previous: await editorValue(first.page, 'previous'),
      next: await editorValue(first.page, 'next'),
      provider: await first.page.locator('#provider').inputValue(),
      sql: await sqlText(first.page),
    };
    assert.match(expected.next, /édité/);
    await closePlayground(first);

    const second = await openPlayground(new URL(link).hash);
    const { page } = second;
    await waitForSql(page, 'RENAME TO "Role_old"');
    assert.deepEqual(
      {
        previous: await editorValue(page, 'previous'),
        next: await editorValue(page, 'next'),
        provider: await page.locator('#provider').inputValue(),
        sql: await sqlText(page),
      },
      expected,
    );

    // A database is shared as its snapshot and row counts: the plan (and its unexecutable badge) survive.
    await page.selectOption('#examples', 'database-with-rows');
    await page.waitForSelector('body[data-previous-mode="database"] #badges [data-badge="unexecutable"]');
    await waitForUrlState(page);
    const databaseLink = page.url();
    const sql = await sqlText(page);

    // Following a link in the same tab (the hash changes) brings its state back too.
    await page.evaluate((hash) => {
      location.hash = hash;
    }, new URL(link).hash);
    await waitForSql(page, 'RENAME TO "Role_old"');
    assert.equal(await page.locator('body').getAttribute('data-previous-mode'), 'schema');
    assert.equal(await editorValue(page, 'next'), expected.next);
    await closePlayground(second);

    const third = await openPlayground(new URL(databaseLink).hash);
    assert.equal(await third.page.locator('body').getAttribute('data-previous-mode'), 'snapshot');
    await third.page.waitForSelector('#badges [data-badge="unexecutable"]');
    assert.equal(await sqlText(third.page), sql);
    await closePlayground(third);
  });

  test('works offline once loaded: a SQLite file opens with the network gone', async () => {
    const session = await openPlayground();
    const { context, page } = session;
    await page.waitForSelector('html[data-sqlite-ready="true"]');
    await context.setOffline(true);
    await page.setInputFiles('#file-input', { name: 'offline.db', mimeType: 'application/octet-stream', buffer: Buffer.from(await blogDatabaseBytes()) });
    await page.waitForSelector('#database-info:not([hidden])');
    assert.equal(await page.locator('#database-name').textContent(), 'offline.db');
    await page.waitForSelector('#badges [data-badge="in-sync"]');
    await closePlayground(session);
  });
  test('the migration folder downloads as a zip that comon_orm would accept', async () => {
    const session = await openPlayground();
    const { page } = session;
    await fillEditor(page, 'previous', blogSchema);
    await fillEditor(page, 'next', blogWithBio);
    const sql = await waitForSql(page, 'ADD COLUMN');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-zip')]);
    assert.match(download.suggestedFilename(), /^\d{14}_playground\.zip$/);
    const entries = unzipSync(readFileSync(await download.path()));
    const folder = download.suggestedFilename().replace(/\.zip$/, '');
    assert.deepEqual(Object.keys(entries).sort(), ['after.prisma', 'before.prisma', 'metadata.txt', 'migration.sql'].map((file) => `${folder}/${file}`));
    const file = (name) => strFromU8(entries[`${folder}/${name}`]);
    assert.equal(file('migration.sql'), sql);
    assert.equal(file('before.prisma'), blogSchema);
    assert.equal(file('after.prisma'), blogWithBio);
    const expectedChecksum = checksum({
      provider: 'sqlite',
      beforeSchema: blogSchema,
      afterSchema: blogWithBio,
      migrationSql: sql,
      warnings: [],
      requiresRebuild: false,
    });
    assert.ok(file('metadata.txt').includes(expectedChecksum), `metadata.txt carries the checksum ${expectedChecksum}:\n${file('metadata.txt')}`);

    // From the empty database, before.prisma is the empty schema as the CLI renders it.
    await fillEditor(page, 'previous', '');
    await waitForSql(page, 'CREATE TABLE');
    const [first] = await Promise.all([page.waitForEvent('download'), page.click('#download-zip')]);
    const firstEntries = unzipSync(readFileSync(await first.path()));
    const beforeName = Object.keys(firstEntries).find((name) => name.endsWith('/before.prisma'));
    assert.equal(strFromU8(firstEntries[beforeName]), renderSchema({ provider: 'sqlite', tables: [], enums: [] }));
    await closePlayground(session);
  });

  test('the diff view shows the two schemas side by side', async () => {
    const session = await openPlayground();
    const { page } = session;
    await fillEditor(page, 'previous', blogSchema);
    await fillEditor(page, 'next', blogWithBio);
    await waitForSql(page, 'ADD COLUMN');
    await page.click('#view-diff');
    await page.waitForSelector('#diff-host .cm-mergeView');
    assert.ok(await page.locator('#output-body').isHidden(), 'the plan view is hidden while the diff is shown');
    const inserted = await texts(page.locator('#diff-host .cm-merge-b .cm-changedLine'));
    assert.deepEqual(inserted, ['bio   String?']);
    assert.equal(await page.locator('#diff-host .cm-merge-a .cm-changedLine').count(), 0, 'nothing removed');
    // It follows edits while shown.
    await fillEditor(page, 'next', blogSchema.replace('  title     String\n', ''));
    await page.waitForFunction(() => document.querySelectorAll('#diff-host .cm-merge-a .cm-changedLine').length === 1);
    assert.match(await page.locator('#diff-host .cm-merge-a .cm-changedLine').textContent(), /title\s+String/);
    await page.click('#view-plan');
    assert.ok(await page.locator('#output-body').isVisible());
    await closePlayground(session);
  });

  test('dark mode follows the system', async () => {
    const luminance = (color) => {
      const [r, g, b] = color.match(/\d+(\.\d+)?/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const colorsOf = (page) =>
      page.evaluate(() => ({
        page: getComputedStyle(document.documentElement).backgroundColor,
        editor: getComputedStyle(document.querySelector('[data-editor="next"] .cm-editor')).backgroundColor,
        text: getComputedStyle(document.querySelector('[data-editor="next"] .cm-content')).color,
      }));
    const light = await openPlayground();
    const lightColors = await colorsOf(light.page);
    await closePlayground(light);
    const dark = await openPlayground('', { colorScheme: 'dark' });
    await waitForSql(dark.page, 'CREATE TABLE');
    const darkColors = await colorsOf(dark.page);
    assert.ok(luminance(lightColors.page) > 0.8 && luminance(lightColors.editor) > 0.8, JSON.stringify(lightColors));
    assert.ok(luminance(darkColors.page) < 0.2 && luminance(darkColors.editor) < 0.2, JSON.stringify(darkColors));
    assert.ok(luminance(darkColors.text) > 0.6, `light text on dark: ${JSON.stringify(darkColors)}`);
    await screenshot(dark.page, 'playground-dark.png');
    await closePlayground(dark);
  });

  test('works on a 390 px wide phone screen', async () => {
    const session = await openPlayground('', { viewport: { width: 390, height: 844 } });
    const { page } = session;
    await waitForSql(page, 'CREATE TABLE');
    const layout = await page.evaluate(() => {
      const box = (selector) => document.querySelector(selector).getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        panes: ['#previous-pane', '#next-pane', '#output'].map((selector) => ({ left: box(selector).left, right: box(selector).right, height: box(selector).height })),
        topbar: box('.topbar').right,
      };
    });
    assert.ok(layout.scrollWidth <= 390, `no horizontal scrolling: ${JSON.stringify(layout)}`);
    for (const pane of layout.panes) {
      assert.ok(pane.left >= 0 && pane.right <= 390 && pane.right - pane.left >= 360, `a pane fits the width: ${JSON.stringify(layout)}`);
      assert.ok(pane.height >= 300, `a pane is tall enough to use: ${JSON.stringify(layout)}`);
    }
    // Typing works there too.
    await page.locator('[data-editor="next"] .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nmodel Tag {\n  id Int @id\n}\n');
    await waitForSql(page, 'CREATE TABLE "Tag"');
    await screenshot(page, 'playground-mobile.png');
    await closePlayground(session);
  });

  test('stays responsive while typing into a 500-model schema (main-thread budget: no task over 100 ms)', async () => {
    const models = 500;
    const schema = largeSchema(models);
    const session = await openPlayground();
    const { page } = session;
    await fillEditor(page, 'previous', '');
    await fillEditor(page, 'next', schema);
    await waitForSql(page, `CREATE TABLE "Model${models - 1}"`);
    const planned = plan({ previous: null, next: schema });
    assert.equal(await sqlText(page), planned.sql, 'the page shows the whole plan of the large schema');
    // Let the first plan's drawing and CodeMirror's background highlighting settle.
    await page.waitForTimeout(1500);

    // The caret at the end of `name String` in the model in the middle, then typing a new field.
    const anchor = schema.indexOf('\n', schema.indexOf('name      String', schema.indexOf(`model Model${models / 2} {`)));
    await page.evaluate((anchor) => {
      const { view } = window.comonPlayground.editors.next;
      view.focus();
      view.dispatch({ selection: { anchor }, scrollIntoView: true });
      window.budget = { longTasks: [], events: [], keys: [] };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.budget.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask' });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.budget.events.push({ name: entry.name, start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'event', durationThreshold: 16 });
      document.addEventListener('keydown', () => window.budget.keys.push(performance.now()), true);
    }, anchor);
    await page.waitForTimeout(300);
    const typed = '\n  note String?';
    await page.keyboard.type(typed, { delay: 60 });
    await waitForSql(page, '"note" TEXT');
    await page.waitForTimeout(500);
    const budget = await page.evaluate(() => ({
      ...window.budget,
      drawn: performance.getEntriesByName('comon-plan-drawn').map((mark) => mark.startTime),
    }));
    const nextText = await editorValue(page, 'next');
    assert.match(nextText, /name {6}String\n +note String\?\n/, 'the keystrokes reached the editor, in order');
    assert.equal(budget.keys.length, typed.length, 'one keydown per character');

    const firstKey = budget.keys[0];
    const lastKey = budget.keys.at(-1);
    const tasks = budget.longTasks.filter((task) => task.start + task.duration >= firstKey);
    const longest = Math.max(0, ...tasks.map((task) => task.duration));
    const slowestEvent = Math.max(0, ...budget.events.filter((event) => event.start >= firstKey).map((event) => event.duration));
    const drawnAfterLastKey = budget.drawn.find((time) => time > lastKey);
    const drawnWhileTyping = budget.drawn.filter((time) => time > firstKey && time <= lastKey).length;
    const report = {
      models,
      keystrokes: budget.keys.length,
      longTasks: tasks.map((task) => Math.round(task.duration)),
      longestTaskMs: Math.round(longest),
      slowestKeyEventMs: Math.round(slowestEvent),
      plansDrawnWhileTyping: drawnWhileTyping,
      lastKeystrokeToPlanMs: drawnAfterLastKey === undefined ? null : Math.round(drawnAfterLastKey - lastKey),
    };
    console.log(`responsiveness at ${models} models: ${JSON.stringify(report)}`);
    assert.ok(longest < 100, `no main-thread task of 100 ms or more while typing: ${JSON.stringify(report)}`);
    assert.notEqual(drawnAfterLastKey, undefined, 'the plan after the last keystroke was drawn');
    await closePlayground(session);
  });
});
