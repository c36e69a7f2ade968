// A notes app (think Electron) that keeps the user's notes in a local SQLite file and a cache
// of articles it can download again, through better-sqlite3. The same story as the Rust
// example (device-local/examples/device_local_app.rs): release 1 creates the notes database,
// release 4 upgrades it with the four kinds of upgrade step, release 1 started again is
// refused; the article cache is created, then reset when release 4 changes its schema.
//
//   node examples/device-local-app.mjs [folder]
//
// Without a folder the files go to a temporary folder that is removed at the end. Any other
// binding works the same way: give the upgrader `exec` and `query` callbacks (they may return
// promises, as OPFS and React Native bindings do).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { init } from 'comon-migrate';
// In an app these come from 'comon-migrate' too.
import {
  LocalDatabaseUpgrader,
  RebuildableCacheSchema,
  UpgradedDatabase,
  BootstrappedCache,
  UpgradeStep,
  requiredColumn,
  tableDefinition,
} from '../src/device-local.js';

/** The notes table at version 3 as schema.prisma text: the `previous` side of the schema diff to version 4. */
const NOTES_SCHEMA_AT_VERSION_3 = `
model Note {
  id     Int     @id @default(autoincrement())
  title  String
  status String  @default("todo")
  pinned Boolean @default(false)

  @@map("notes")
}
`;

/** Version 4: a colour for notes and a table of folders. */
const NOTES_SCHEMA_AT_VERSION_4 = `
model Note {
  id     Int     @id @default(autoincrement())
  title  String
  status String  @default("todo")
  pinned Boolean @default(false)
  color  String?

  @@map("notes")
}

model Folder {
  id   Int    @id @default(autoincrement())
  name String @unique

  @@map("folders")
}
`;

/** Every upgrade step the app has ever shipped, oldest first. */
function notesUpgradeSteps() {
  return [
    // 0 -> 1, the schema builder: SQL rendered by comon's planner.
    UpgradeStep.schema(0, 1, 'create notes', (schema) => {
      schema.createTable(
        tableDefinition('notes', {
          columns: [
            requiredColumn('id', 'INTEGER', { autoIncrement: true }),
            requiredColumn('title', 'TEXT'),
            requiredColumn('done', 'INTEGER', { default: { number: 0 } }),
          ],
          primaryKey: ['id'],
          indexes: [{ name: 'notes_title_idx', columns: ['title'] }],
        }),
      );
    }),
    // 1 -> 2, raw SQL.
    UpgradeStep.sql(1, 2, 'add pinned', 'ALTER TABLE notes ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false'),
    // 2 -> 3, a table rebuild: `done` (0 or 1) becomes `status` ('todo' or 'done'), which
    // ALTER TABLE cannot do in place. The callback converts every row.
    UpgradeStep.rebuildTable(
      2,
      3,
      'done becomes status',
      tableDefinition('notes', {
        columns: [
          requiredColumn('id', 'INTEGER', { autoIncrement: true }),
          requiredColumn('title', 'TEXT'),
          requiredColumn('status', 'TEXT', { default: { text: 'todo' } }),
          requiredColumn('pinned', 'BOOLEAN', { default: { boolean: false } }),
        ],
        primaryKey: ['id'],
        indexes: [{ name: 'notes_title_idx', columns: ['title'] }],
      }),
      (copy) =>
        copy.copyWithExpressions([
          ['id', '"id"'],
          ['title', '"title"'],
          ['status', `CASE WHEN "done" = 1 THEN 'done' ELSE 'todo' END`],
          ['pinned', '"pinned"'],
        ]),
    ),
    // 3 -> 4, a schema diff planned by comon's planner; refused if the plan had warnings,
    // unless built with `schemaDiffAllowingWarnings`.
    UpgradeStep.schemaDiff(3, 4, 'colors and folders', NOTES_SCHEMA_AT_VERSION_3, NOTES_SCHEMA_AT_VERSION_4),
  ];
}

function notesUpgraderOfRelease(appVersion) {
  return new LocalDatabaseUpgrader(appVersion, notesUpgradeSteps().filter((step) => step.toVersion <= appVersion));
}

/** better-sqlite3 as the two callbacks, with the handle kept for the app's own use. */
function openFile(path) {
  const database = new Database(path);
  database.pragma('foreign_keys = ON');
  return { database, exec: (sql) => database.exec(sql), query: (sql) => database.prepare(sql).raw(true).all() };
}

/** The app's normal opener: it takes an UpgradedDatabase, which only the upgrader makes, and plans nothing. */
function openNotes(upgraded) {
  if (!(upgraded instanceof UpgradedDatabase)) throw new TypeError('openNotes takes the result of the upgrade');
  return upgraded.connection.database;
}

/** The cache's opener takes a BootstrappedCache in the same way. */
function openArticleCache(cache) {
  if (!(cache instanceof BootstrappedCache)) throw new TypeError('openArticleCache takes the result of the bootstrap');
  return cache.connection.database;
}

const ARTICLE_CACHE_OF_RELEASE_1 = 'model Article {\n  id    Int    @id\n  title String\n}\n';
const ARTICLE_CACHE_OF_RELEASE_4 = 'model Article {\n  id     Int    @id\n  title  String\n  author String\n}\n';

function printUpgrade(release, upgraded) {
  const { previousVersion, version, appliedSteps } = upgraded.report;
  console.log(`${release}: notes database ${previousVersion} -> ${version} (${appliedSteps.length === 0 ? 'nothing to do' : appliedSteps.join(', ')})`);
}

function printBootstrap(release, schema, cache) {
  const { outcome } = cache;
  const described =
    outcome.kind === 'reset'
      ? outcome.previousFingerprint === null
        ? 'reset (it had no fingerprint)'
        : `reset (it had schema ${outcome.previousFingerprint.slice(0, 12)})`
      : outcome.kind === 'created'
        ? 'created'
        : 'already current';
  console.log(`${release}: article cache ${described}, schema ${schema.fingerprint.slice(0, 12)}`);
}

async function run(folder) {
  const notesPath = join(folder, 'notes.db');
  const cachePath = join(folder, 'articles-cache.db');

  // Release 1: the upgrade call comes first, then the opener.
  let upgraded = await notesUpgraderOfRelease(1).upgrade(openFile(notesPath));
  printUpgrade('release 1', upgraded);
  let notes = openNotes(upgraded);
  notes.exec("INSERT INTO notes (title, done) VALUES ('milk', 0), ('bread', 1), ('eggs', 0)");
  console.log('  the user wrote 3 notes');
  notes.close();

  // Release 4, some months later, on the same file.
  upgraded = await notesUpgraderOfRelease(4).upgrade(openFile(notesPath));
  printUpgrade('release 4', upgraded);
  notes = openNotes(upgraded);
  const kept = notes.prepare('SELECT title, status FROM notes ORDER BY id').all().map((row) => `${row.title} [${row.status}]`);
  console.log(`  notes kept: ${kept.join(', ')}`);
  notes.close();

  // The user goes back to release 1: the file is newer than that build knows.
  const old = openFile(notesPath);
  try {
    await notesUpgraderOfRelease(1).upgrade(old);
    console.log('release 1 again: opened (unexpected)');
  } catch (error) {
    console.log(`release 1 again: refused [${error.code}] ${error.message}`);
  } finally {
    old.database.close();
  }

  // The article cache: created by release 1, reset by release 4, whose schema differs.
  const cacheOfRelease1 = RebuildableCacheSchema.fromPrismaSchema(ARTICLE_CACHE_OF_RELEASE_1);
  let cache = await cacheOfRelease1.bootstrap(openFile(cachePath));
  printBootstrap('release 1', cacheOfRelease1, cache);
  let articles = openArticleCache(cache);
  articles.exec("INSERT INTO Article (id, title) VALUES (1, 'Offline first'), (2, 'Sync later')");
  console.log('  the app downloaded 2 articles');
  articles.close();

  const cacheOfRelease4 = RebuildableCacheSchema.fromPrismaSchema(ARTICLE_CACHE_OF_RELEASE_4);
  cache = await cacheOfRelease4.bootstrap(openFile(cachePath));
  printBootstrap('release 4', cacheOfRelease4, cache);
  articles = openArticleCache(cache);
  const count = articles.prepare('SELECT count(*) AS count FROM Article').get().count;
  console.log(`  ${count} articles: the app downloads them again`);
  articles.close();
}

// Loads the planner: nothing to wait for in Node, needed once in browsers (the web entry point).
await init();

const givenFolder = process.argv[2];
const folder = givenFolder ?? mkdtempSync(join(tmpdir(), 'comon-device-local-app-'));
mkdirSync(folder, { recursive: true });
try {
  await run(folder);
} catch (error) {
  console.error(error.code ? `[${error.code}] ${error.message}` : error);
  process.exitCode = 1;
} finally {
  if (givenFolder === undefined) rmSync(folder, { recursive: true, force: true });
}
