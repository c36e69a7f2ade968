// End-to-end tests of the built playground (dist/) in Debian's Chromium, headless, driven by
// playwright-core, against a static server on localhost. Run by `npm test` (which builds first)
// and by scripts/test-playground.sh on a fresh machine.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { databaseSchema, format, plan } from 'comon-migrate';
import initSqlJs from 'sql.js';
import { launchChromium } from './support/browser.mjs';
import { serveDirectory } from './support/static-server.mjs';

const playgroundDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDirectory = join(playgroundDirectory, 'dist');
const resultsDirectory = join(playgroundDirectory, 'test-results');
const screenshotPath = join(resultsDirectory, 'playground.png');

const blogSchema = readFileSync(join(playgroundDirectory, '..', 'examples', 'blog', 'prisma', 'schema.prisma'), 'utf8');
const blogWithBio = blogSchema.replace('  name  String?\n', '  name  String?\n  bio   String?\n');
assert.notEqual(blogWithBio, blogSchema, 'the blog schema has the `name String?` line these tests edit');

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
async function openPlayground(hash = '') {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
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

const editor = (page, name) => page.locator(`[data-editor="${name}"] textarea`);

/** Waits until migration.sql (as shown) contains `text`, and returns it. */
async function waitForSql(page, text) {
  await page.waitForFunction((expected) => document.getElementById('sql')?.textContent.includes(expected), text, { timeout: 10_000 });
  return page.locator('#sql').textContent();
}

async function waitForState(page, state) {
  await page.waitForSelector(`#output[data-state="${state}"]`, { timeout: 10_000 });
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
    assert.equal(await editor(page, 'next').inputValue(), blogSchema);
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
    await editor(page, 'previous').fill(blogSchema);
    await editor(page, 'next').fill(blogSchema);
    await page.waitForSelector('#badges [data-badge="in-sync"]');
    assert.equal(await page.locator('#steps').textContent(), 'No changes: the database already matches the next schema.');

    await editor(page, 'next').fill(blogWithBio);
    const sql = await waitForSql(page, 'ADD COLUMN');
    assert.equal(sql, 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n');
    assert.deepEqual(await texts(page.locator('#steps .step')), ['AlterTable User (1 changes)']);
    await closePlayground(session);
  });

  test('a schema error is marked at its line and column in the editor', async () => {
    const session = await openPlayground();
    const { page } = session;
    // The unknown type `Strng` on the `email` line, at column 9.
    const broken = blogSchema.replace('email String  @unique', 'email Strng   @unique');
    const line = String(broken.split('\n').indexOf('  email Strng   @unique') + 1);
    await editor(page, 'next').fill(broken);
    await waitForState(page, 'error');

    const next = page.locator('[data-editor="next"]');
    assert.deepEqual(await texts(next.locator('.gutter-line.has-error')), [line]);
    assert.match(await next.locator('.gutter-line.has-error').getAttribute('title'), /^unknown-type: Type "Strng"/);
    assert.deepEqual(await texts(next.locator('.backdrop-line.has-error mark.error')), ['Strng']);
    const diagnostic = next.locator('.diagnostic');
    assert.equal(await diagnostic.count(), 1);
    assert.equal(await diagnostic.getAttribute('data-code'), 'unknown-type');
    assert.equal(await diagnostic.getAttribute('data-line'), line);
    assert.equal(await diagnostic.getAttribute('data-column'), '9');
    assert.equal(await page.locator('[data-editor="previous"] .diagnostic').count(), 0, 'the previous editor is not marked');
    assert.match(await page.locator('#plan-errors').textContent(), new RegExp(`next line ${line}:9 unknown-type`));
    assert.deepEqual(await texts(page.locator('#badges .badge')), ['1 error']);

    await page.screenshot({ path: join(resultsDirectory, 'playground-error.png') });

    // Clicking the diagnostic selects the faulty text.
    await diagnostic.locator('button.place').click();
    const selected = await editor(page, 'next').evaluate((textarea) => textarea.value.slice(textarea.selectionStart, textarea.selectionEnd));
    assert.equal(selected, 'Strng');

    // Fixed, the marks go away and the plan comes back.
    await editor(page, 'next').fill(blogSchema);
    await waitForState(page, 'planned');
    assert.equal(await next.locator('.has-error').count(), 0);
    await closePlayground(session);
  });

  test('errors after a multi-byte character are marked at the right characters', async () => {
    const session = await openPlayground();
    const { page } = session;
    const text = blogSchema.replace('model User {', '/// Utilisateur enregistré — “compte”\nmodel User {').replace('email String  @unique', 'email Strng   @unique');
    await editor(page, 'next').fill(text);
    await waitForState(page, 'error');
    assert.deepEqual(await texts(page.locator('[data-editor="next"] mark.error')), ['Strng']);
    await closePlayground(session);
  });

  test('the provider switch rewrites the datasources and plans for PostgreSQL', async () => {
    const session = await openPlayground();
    const { page } = session;
    await page.selectOption('#provider', 'postgresql');
    const sql = await waitForSql(page, 'GENERATED BY DEFAULT AS IDENTITY');
    assert.match(await editor(page, 'next').inputValue(), /provider = "postgresql"/);
    assert.match(sql, /ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY/);
    assert.equal((await texts(page.locator('#badges .badge')))[0], 'PostgreSQL');
    await closePlayground(session);
  });

  test('the format buttons format schema.prisma as the package does', async () => {
    const session = await openPlayground();
    const { page } = session;
    const messy = 'datasource db {\nprovider = "sqlite"\n}\nmodel Tag {\nid Int @id @default(autoincrement())\n    label String @unique\n}\n';
    await editor(page, 'next').fill(messy);
    await page.click('#format-next');
    assert.equal(await editor(page, 'next').inputValue(), format(messy));
    await editor(page, 'previous').fill(messy);
    await page.click('#format-previous');
    assert.equal(await editor(page, 'previous').inputValue(), format(messy));
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
    assert.deepEqual(seen['enum-removal'].warnings, ['data-loss']);
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
    await page.screenshot({ path: screenshotPath, fullPage: false });
    await closePlayground(session);
  });

  test('a dropped SQLite file is introspected, planned against the next schema and applied in the browser', async () => {
    const session = await openPlayground();
    const { page } = session;
    await editor(page, 'next').fill(blogWithBio);
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
    assert.match(await editor(page, 'database').inputValue(), /model User \{/, 'the introspected schema is shown');
    assert.equal(await waitForSql(page, 'ADD COLUMN'), 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n');

    // A required column without a default cannot be added to a table with rows.
    await editor(page, 'next').fill(blogWithBio.replace('bio   String?', 'bio   String'));
    await page.waitForSelector('#badges [data-badge="unexecutable"]');
    await page.click('#apply-migration');
    await page.waitForSelector('#database-message[data-kind="error"]');
    assert.match(await page.locator('#database-message').textContent(), /rolled back/);
    assert.equal(await page.locator('#database-tables li[data-table="User"]').getAttribute('data-rows'), '2');

    // The optional column applies; afterwards the database matches the next schema.
    await editor(page, 'next').fill(blogWithBio);
    await waitForSql(page, 'ADD COLUMN');
    await page.click('#apply-migration');
    await page.waitForSelector('#database-message[data-kind="info"]');
    assert.match(await page.locator('#database-message').textContent(), /Applied 1 statement .*matches the next schema/);
    await page.waitForSelector('#badges [data-badge="in-sync"]');
    assert.match(await editor(page, 'database').inputValue(), /\bbio\s+String\?/, 'the re-introspected schema has the new column');
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
    await editor(page, 'snapshot').fill(JSON.stringify(databaseSchema(blogSchema), null, 2));
    await editor(page, 'next').fill(blogWithBio);
    assert.equal(await waitForSql(page, 'ADD COLUMN'), 'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n');

    await editor(page, 'snapshot').fill('{\n  "provider": "sqlite",\n  "tables": [1 2]\n}');
    await waitForState(page, 'error');
    assert.deepEqual(await texts(page.locator('[data-editor="snapshot"] .gutter-line.has-error')), ['3']);
    assert.deepEqual(await texts(page.locator('[data-editor="snapshot"] mark.error')), ['2']);

    // JSON of the wrong shape is the package's `invalid-argument`, shown on the previous side.
    await editor(page, 'snapshot').fill('{ "provider": "sqlite" }');
    await page.waitForSelector('[data-editor="snapshot"] .diagnostic[data-code="invalid-argument"]');
    await closePlayground(session);
  });

  test('a shared link reproduces the whole state', async () => {
    const first = await openPlayground();
    await first.page.selectOption('#examples', 'enum-removal');
    await waitForSql(first.page, 'RENAME TO "Role_old"');
    await editor(first.page, 'next').fill(`${await editor(first.page, 'next').inputValue()}\n// édité\n`);
    await waitForUrlState(first.page);
    assert.match(first.page.url(), /#z=[\w-]+$/);
    const link = first.page.url();
    const expected = {
      previous: await editor(first.page, 'previous').inputValue(),
      next: await editor(first.page, 'next').inputValue(),
      provider: await first.page.locator('#provider').inputValue(),
      sql: await first.page.locator('#sql').textContent(),
    };
    assert.match(expected.next, /édité/);
    await closePlayground(first);

    const second = await openPlayground(new URL(link).hash);
    const { page } = second;
    await waitForSql(page, 'RENAME TO "Role_old"');
    assert.deepEqual(
      {
        previous: await editor(page, 'previous').inputValue(),
        next: await editor(page, 'next').inputValue(),
        provider: await page.locator('#provider').inputValue(),
        sql: await page.locator('#sql').textContent(),
      },
      expected,
    );

    // A database is shared as its snapshot and row counts: the plan (and its unexecutable badge) survive.
    await page.selectOption('#examples', 'database-with-rows');
    await page.waitForSelector('body[data-previous-mode="database"] #badges [data-badge="unexecutable"]');
    await waitForUrlState(page);
    const databaseLink = page.url();
    const sql = await page.locator('#sql').textContent();

    // Following a link in the same tab (the hash changes) brings its state back too.
    await page.evaluate((hash) => {
      location.hash = hash;
    }, new URL(link).hash);
    await waitForSql(page, 'RENAME TO "Role_old"');
    assert.equal(await page.locator('body').getAttribute('data-previous-mode'), 'schema');
    assert.equal(await editor(page, 'next').inputValue(), expected.next);
    await closePlayground(second);

    const third = await openPlayground(new URL(databaseLink).hash);
    assert.equal(await third.page.locator('body').getAttribute('data-previous-mode'), 'snapshot');
    await third.page.waitForSelector('#badges [data-badge="unexecutable"]');
    assert.equal(await third.page.locator('#sql').textContent(), sql);
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
});
