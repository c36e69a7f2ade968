// The device-local upgrader and cache bootstrap on real SQLite files through better-sqlite3,
// the same cases as device-local/tests/device_local.rs. "Exactly as before" compares a dump
// of the file (schema objects, every row, the version) taken before and after.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { isComonMigrateError, plan, snapshotFromRows, introspectionQueries } from 'comon-migrate';
import {
  CACHE_METADATA_TABLE,
  LocalDatabaseUpgrader,
  RebuildableCacheSchema,
  SchemaBuilder,
  UpgradedDatabase,
  UpgradeStep,
  optionalColumn,
  requiredColumn,
  tableDefinition,
} from '../src/device-local.js';

const folder = mkdtempSync(join(tmpdir(), 'comon-device-local-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let fileNumber = 0;

/** A new file, opened as an app opens it: foreign keys enforced. */
function newFile() {
  fileNumber += 1;
  return join(folder, `local-${fileNumber}.db`);
}

function open(path) {
  const database = new Database(path);
  database.pragma('foreign_keys = ON');
  return database;
}

/** The two callbacks the module needs, over better-sqlite3. */
function connectionOf(database) {
  return { exec: (sql) => database.exec(sql), query: (sql) => database.prepare(sql).raw(true).all() };
}

/** Runs `work` with a fresh connection to `path`, closed afterwards. */
async function withDatabase(path, work) {
  const database = open(path);
  try {
    return await work(database, connectionOf(database));
  } finally {
    database.close();
  }
}

function upgrade(path, appVersion, steps) {
  return withDatabase(path, async (_database, connection) => new LocalDatabaseUpgrader(appVersion, steps).upgrade(connection));
}

function dump(path) {
  const database = open(path);
  try {
    const objects = database.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').raw(true).all();
    const rows = objects
      .filter(([type]) => type === 'table')
      .map(([, name]) => [name, database.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw(true).all()]);
    return { version: database.pragma('user_version', { simple: true }), objects, rows };
  } finally {
    database.close();
  }
}

function strings(database, sql) {
  return database.prepare(sql).raw(true).all().map((row) => row[0]);
}

async function expectError(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.ok(isComonMigrateError(error), `not a ComonMigrateError: ${error}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

// ----- the app's steps, as a notes app would grow them -----

const createNotesStep = () =>
  UpgradeStep.schema(0, 1, 'create notes', (schema) => {
    schema
      .createTable(
        tableDefinition('notes', {
          columns: [
            requiredColumn('id', 'INTEGER', { autoIncrement: true }),
            requiredColumn('title', 'TEXT'),
            requiredColumn('done', 'INTEGER', { default: { number: 0 } }),
          ],
          primaryKey: ['id'],
          indexes: [{ name: 'notes_title_idx', columns: ['title'] }],
        }),
      )
      .createTable(
        tableDefinition('tags', {
          columns: [requiredColumn('id', 'INTEGER'), requiredColumn('note_id', 'INTEGER'), requiredColumn('label', 'TEXT')],
          primaryKey: ['id'],
          foreignKeys: [{ columns: ['note_id'], referencedTable: 'notes', referencedColumns: ['id'], onDelete: 'Cascade' }],
        }),
      );
  });

const addBodyStep = () =>
  UpgradeStep.schema(1, 2, 'add body', (schema) => {
    schema.alterTable('notes', (table) => table.addColumn(optionalColumn('body', 'TEXT'))).execute("UPDATE notes SET body = 'about ' || title");
  });

const addArchiveStep = () =>
  UpgradeStep.sql(2, 3, 'add archive', 'CREATE TABLE archive (note_id INTEGER NOT NULL, archived_at TEXT NOT NULL); CREATE INDEX archive_note_idx ON archive (note_id)');

const notesSteps = () => [createNotesStep(), addBodyStep(), addArchiveStep()];

function insertSampleNotes(database) {
  database.exec(`INSERT INTO notes (title, done) VALUES ('milk', 0), ('bread', 1), ('eggs', 0);
                 INSERT INTO tags (id, note_id, label) VALUES (1, 1, 'shop'), (2, 2, 'shop'), (3, 2, 'bakery');`);
}

async function fileAtVersion1WithNotes() {
  const path = newFile();
  await upgrade(path, 1, [createNotesStep()]);
  await withDatabase(path, (database) => insertSampleNotes(database));
  return path;
}

describe('versioned upgrades', () => {
  test('an empty database is upgraded from 0 to the app version', async () => {
    const path = newFile();
    await withDatabase(path, async (database, connection) => {
      const upgraded = await new LocalDatabaseUpgrader(3, notesSteps()).upgrade(connection);
      assert.ok(upgraded instanceof UpgradedDatabase);
      assert.equal(upgraded.connection, connection);
      assert.deepEqual(upgraded.report, { previousVersion: 0, version: 3, appliedSteps: ['create notes', 'add body', 'add archive'] });
      assert.equal(database.pragma('user_version', { simple: true }), 3);
      assert.deepEqual(
        strings(database, "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name"),
        ['archive', 'archive_note_idx', 'notes', 'notes_title_idx', 'tags'],
      );
      assert.deepEqual(strings(database, "SELECT name FROM pragma_table_info('notes') ORDER BY cid"), ['id', 'title', 'done', 'body']);
      assert.equal(database.pragma('foreign_keys', { simple: true }), 1);
    });
  });

  test('a database is upgraded from n to m keeping its rows', async () => {
    const path = await fileAtVersion1WithNotes();
    const upgraded = await upgrade(path, 3, notesSteps());
    assert.deepEqual(upgraded.report, { previousVersion: 1, version: 3, appliedSteps: ['add body', 'add archive'] });
    await withDatabase(path, (database) => {
      assert.deepEqual(strings(database, 'SELECT body FROM notes ORDER BY id'), ['about milk', 'about bread', 'about eggs']);
      assert.equal(strings(database, 'SELECT count(*) FROM tags')[0], 3);
    });
  });

  test('a current database is left alone', async () => {
    const path = newFile();
    await upgrade(path, 3, notesSteps());
    const before = dump(path);
    const upgraded = await upgrade(path, 3, notesSteps());
    assert.deepEqual(upgraded.report.appliedSteps, []);
    assert.deepEqual(dump(path), before);
  });

  test('a database newer than the app is refused untouched', async () => {
    const path = newFile();
    await upgrade(path, 3, notesSteps());
    const before = dump(path);
    await assert.rejects(upgrade(path, 2, [createNotesStep(), addBodyStep()]), {
      code: 'local-database-newer-than-app',
      message: 'Local database version 3 is newer than app version 2.',
    });
    assert.deepEqual(dump(path), before);
  });

  test('a missing step is refused before anything runs', async () => {
    const path = newFile();
    await upgrade(path, 1, [createNotesStep()]);
    const before = dump(path);
    await assert.rejects(upgrade(path, 3, [createNotesStep(), addArchiveStep()]), {
      code: 'missing-local-migration',
      message: 'Missing migration for version 1.',
    });
    assert.deepEqual(dump(path), before);
  });

  test('a duplicate step is refused when the upgrader is built', () => {
    const duplicate = UpgradeStep.sql(1, 2, 'another body', 'ALTER TABLE notes ADD COLUMN body TEXT');
    assert.throws(() => new LocalDatabaseUpgrader(3, [createNotesStep(), addBodyStep(), duplicate, addArchiveStep()]), {
      code: 'duplicate-local-migration',
      message: 'Duplicate migration starting at version 1.',
    });
  });

  test('steps must move forward and stay within the app version', () => {
    assert.throws(() => new LocalDatabaseUpgrader(3, [UpgradeStep.sql(2, 2, 'stand still', 'SELECT 1')]), { code: 'invalid-local-migration-versions' });
    assert.throws(() => new LocalDatabaseUpgrader(2, [UpgradeStep.sql(1, 3, 'leap', 'SELECT 1')]), { code: 'local-migration-past-app-version' });
    assert.throws(() => new LocalDatabaseUpgrader(2 ** 31, []), { code: 'app-version-too-large' });
  });

  test('a failure in the middle leaves data and version exactly as before', async () => {
    const path = await fileAtVersion1WithNotes();
    const before = dump(path);
    const failing = UpgradeStep.sql(2, 3, 'broken archive', ['CREATE TABLE archive (note_id INTEGER)', 'INSERT INTO missing_table VALUES (1)']);
    await assert.rejects(upgrade(path, 3, [createNotesStep(), addBodyStep(), failing]), (error) => {
      assert.equal(error.code, 'local-migration-failed');
      assert.match(error.message, /Upgrade step `broken archive` failed/);
      assert.equal(error.statement, 'INSERT INTO missing_table VALUES (1)');
      return true;
    });
    assert.deepEqual(dump(path), before);
    const upgraded = await upgrade(path, 3, notesSteps());
    assert.deepEqual(upgraded.report.appliedSteps, ['add body', 'add archive']);
  });

  test('a failing copy callback rolls back the whole upgrade', async () => {
    const path = await fileAtVersion1WithNotes();
    const before = dump(path);
    const rebuild = UpgradeStep.rebuildTable(2, 3, 'rebuild notes', notesWithStatus(), async (copy) => {
      await copy.exec('SELECT no_such_column FROM notes');
    });
    await expectError(upgrade(path, 3, [createNotesStep(), addBodyStep(), rebuild]), 'local-migration-failed');
    assert.deepEqual(dump(path), before);
  });

  test('asynchronous callbacks are awaited', async () => {
    const path = newFile();
    await withDatabase(path, async (database) => {
      const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 1));
      const connection = { exec: async (sql) => later(database.exec(sql)), query: async (sql) => later(database.prepare(sql).raw(true).all()) };
      const upgraded = await new LocalDatabaseUpgrader(3, notesSteps()).upgrade(connection);
      assert.equal(upgraded.report.version, 3);
      assert.equal(database.pragma('user_version', { simple: true }), 3);
    });
  });

  test('before the planner is loaded, the package\u2019s not-initialized error comes through', () => {
    // A process that loads the module but no entry point, as a browser page that forgot
    // `await init()`: the WebAssembly glue has no module yet.
    const script = `
      import { RebuildableCacheSchema } from ${JSON.stringify(new URL('../src/device-local.js', import.meta.url).href)};
      try { RebuildableCacheSchema.fromPrismaSchema('model A {\\n  id Int @id\\n}\\n'); } catch (error) { console.log(error.code); }
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(output.trim(), 'not-initialized');
  });

  test('only the upgrader makes an UpgradedDatabase', () => {
    assert.throws(() => new UpgradedDatabase(Symbol('forged'), {}, {}), { code: 'invalid-argument' });
  });
});

// ----- table rebuilds -----

function notesWithStatus() {
  return tableDefinition('notes', {
    columns: [
      requiredColumn('id', 'INTEGER', { autoIncrement: true }),
      requiredColumn('title', 'TEXT'),
      requiredColumn('status', 'TEXT', { default: { text: 'todo' } }),
      optionalColumn('body', 'TEXT'),
    ],
    primaryKey: ['id'],
    indexes: [
      { name: 'notes_title_idx', columns: ['title'] },
      { name: 'notes_title_status_key', columns: ['title', 'status'], unique: true },
    ],
  });
}

const rebuildNotesStep = () =>
  UpgradeStep.rebuildTable(2, 3, 'done becomes status', notesWithStatus(), async (copy) => {
    await copy.copyWithExpressions([
      ['id', '"id"'],
      ['title', '"title"'],
      ['status', `CASE WHEN "done" = 1 THEN 'done' ELSE 'todo' END`],
      ['body', '"body"'],
    ]);
  });

describe('table rebuilds', () => {
  test('a rebuild keeps every row and passes the foreign key check', async () => {
    const path = await fileAtVersion1WithNotes();
    await upgrade(path, 2, [createNotesStep(), addBodyStep()]);
    await withDatabase(path, (database) =>
      database.exec(`CREATE TABLE note_log (note_id INTEGER, title TEXT);
                     CREATE TRIGGER notes_logged AFTER INSERT ON notes BEGIN INSERT INTO note_log VALUES (new.id, new.title); END;
                     CREATE INDEX notes_lower_title ON notes (lower(title));
                     CREATE VIEW open_notes AS SELECT id, title FROM notes WHERE id > 0;`),
    );
    const tagsBefore = dump(path).rows.find(([name]) => name === 'tags');
    const upgraded = await upgrade(path, 3, [createNotesStep(), addBodyStep(), rebuildNotesStep()]);
    assert.deepEqual(upgraded.report.appliedSteps, ['done becomes status']);
    await withDatabase(path, (database) => {
      assert.deepEqual(database.prepare('SELECT * FROM notes ORDER BY id').raw(true).all(), [
        [1, 'milk', 'todo', 'about milk'],
        [2, 'bread', 'done', 'about bread'],
        [3, 'eggs', 'todo', 'about eggs'],
      ]);
      assert.deepEqual(
        dump(path).rows.find(([name]) => name === 'tags'),
        tagsBefore,
      );
      assert.deepEqual(database.prepare('PRAGMA foreign_key_check').all(), []);
      assert.deepEqual(strings(database, "SELECT name FROM sqlite_master WHERE tbl_name = 'notes' ORDER BY name"), [
        'notes',
        'notes_logged',
        'notes_lower_title',
        'notes_title_idx',
        'notes_title_status_key',
      ]);
      assert.equal(strings(database, 'SELECT count(*) FROM open_notes')[0], 3);
      database.exec("INSERT INTO notes (title) VALUES ('jam')");
      assert.deepEqual(strings(database, 'SELECT title FROM note_log'), ['jam']);
      assert.equal(strings(database, 'SELECT max(id) FROM notes')[0], 4);
      database.exec('DELETE FROM notes WHERE id = 2');
      assert.equal(strings(database, 'SELECT count(*) FROM tags')[0], 1);
    });
  });

  test('a rebuild that loses rows is rolled back', async () => {
    const path = await fileAtVersion1WithNotes();
    await upgrade(path, 2, [createNotesStep(), addBodyStep()]);
    const before = dump(path);
    const lossy = UpgradeStep.rebuildTable(2, 3, 'only open notes', notesWithStatus(), async (copy) => {
      await copy.exec(`INSERT INTO "${copy.targetTable}" (id, title, body) SELECT id, title, body FROM "${copy.sourceTable}" WHERE done = 0`);
    });
    await assert.rejects(upgrade(path, 3, [createNotesStep(), addBodyStep(), lossy]), {
      code: 'local-rebuild-changed-row-count',
      message:
        'Upgrade step `only open notes` rebuilt table `notes` with 2 row(s) but it had 3; a rebuild keeps every row, so the upgrade was rolled back.',
    });
    assert.deepEqual(dump(path), before);
  });

  test('a rebuild that breaks references is rolled back', async () => {
    const path = await fileAtVersion1WithNotes();
    await upgrade(path, 2, [createNotesStep(), addBodyStep()]);
    const before = dump(path);
    const renumbering = UpgradeStep.rebuildTable(2, 3, 'renumber notes', notesWithStatus(), (copy) =>
      copy.copyWithExpressions([
        ['id', '"id" + 100'],
        ['title', '"title"'],
        ['body', '"body"'],
      ]),
    );
    await assert.rejects(upgrade(path, 3, [createNotesStep(), addBodyStep(), renumbering]), (error) => {
      assert.equal(error.code, 'foreign-key-violation');
      assert.match(error.message, /`tags` row 1 references a missing row of `notes`/);
      assert.equal(error.violations.length, 3);
      return true;
    });
    assert.deepEqual(dump(path), before);
  });
});

// ----- schema diffs -----

const NOTES_SCHEMA_V1 = `
model Note {
  id    Int     @id @default(autoincrement())
  title String
  done  Boolean @default(false)
}
`;

const NOTES_SCHEMA_V2 = `
model Note {
  id    Int     @id @default(autoincrement())
  title String
  done  Boolean @default(false)
  body  String?
}

model Folder {
  id   Int    @id @default(autoincrement())
  name String @unique
}
`;

const NOTES_SCHEMA_V3 = `
model Note {
  id    Int     @id @default(autoincrement())
  title String
  body  String?
}

model Folder {
  id   Int    @id @default(autoincrement())
  name String @unique
}
`;

const NOTES_SCHEMA_V4 = `
model Note {
  id    Int    @id @default(autoincrement())
  title String
  body  String @default("")
}

model Folder {
  id   Int    @id @default(autoincrement())
  name String @unique
}
`;

const schemaDiffSteps = () => [
  UpgradeStep.schemaDiff(0, 1, 'notes', '', NOTES_SCHEMA_V1),
  UpgradeStep.schemaDiff(1, 2, 'bodies and folders', NOTES_SCHEMA_V1, NOTES_SCHEMA_V2),
];

/** The file introspected through the package, planned against `expected`: nothing to do means it matches. */
function assertDatabaseMatchesSchema(path, expected) {
  const database = new Database(path, { readonly: true });
  try {
    const snapshot = snapshotFromRows(
      'sqlite',
      introspectionQueries('sqlite').map((query) => ({ name: query.name, rows: database.prepare(query.sql).raw(true).all() })),
    );
    snapshot.tables = snapshot.tables.filter((table) => table.name !== 'sqlite_sequence');
    const result = plan({ previous: snapshot, next: expected, provider: 'sqlite' });
    assert.deepEqual(result.steps.map((step) => step.summary), []);
  } finally {
    database.close();
  }
}

describe('schema diffs', () => {
  test('steps without warnings are planned and applied', async () => {
    const path = newFile();
    await upgrade(path, 1, [UpgradeStep.schemaDiff(0, 1, 'notes', '', NOTES_SCHEMA_V1)]);
    await withDatabase(path, (database) => database.exec("INSERT INTO Note (title) VALUES ('milk'), ('bread')"));
    const upgraded = await upgrade(path, 2, schemaDiffSteps());
    assert.deepEqual(upgraded.report.appliedSteps, ['bodies and folders']);
    assertDatabaseMatchesSchema(path, NOTES_SCHEMA_V2);
  });

  test('steps with warnings are refused unless allowed', async () => {
    const path = newFile();
    await upgrade(path, 2, schemaDiffSteps());
    await withDatabase(path, (database) => database.exec("INSERT INTO Note (title, body) VALUES ('milk', 'two litres')"));
    const before = dump(path);
    const refused = new LocalDatabaseUpgrader(3, [...schemaDiffSteps(), UpgradeStep.schemaDiff(2, 3, 'drop done', NOTES_SCHEMA_V2, NOTES_SCHEMA_V3)]);
    assert.throws(() => refused.checkSteps(), { code: 'local-migration-has-warnings' });
    await assert.rejects(
      withDatabase(path, (_database, connection) => refused.upgrade(connection)),
      (error) => {
        assert.equal(error.code, 'local-migration-has-warnings');
        assert.match(error.message, /Upgrade step `drop done` was refused/);
        assert.deepEqual(error.warnings.map((warning) => warning.kind), ['data-loss']);
        return true;
      },
    );
    assert.deepEqual(dump(path), before);
    const upgraded = await upgrade(path, 3, [...schemaDiffSteps(), UpgradeStep.schemaDiffAllowingWarnings(2, 3, 'drop done', NOTES_SCHEMA_V2, NOTES_SCHEMA_V3)]);
    assert.deepEqual(upgraded.report.appliedSteps, ['drop done']);
    assertDatabaseMatchesSchema(path, NOTES_SCHEMA_V3);
  });

  test('a schema diff that rebuilds a table keeps its rows, triggers, partial and expression indexes and views', async () => {
    const path = newFile();
    const toVersion3 = () => [...schemaDiffSteps(), UpgradeStep.schemaDiffAllowingWarnings(2, 3, 'drop done', NOTES_SCHEMA_V2, NOTES_SCHEMA_V3)];
    const toVersion4 = () => [...toVersion3(), UpgradeStep.schemaDiffAllowingWarnings(3, 4, 'body required', NOTES_SCHEMA_V3, NOTES_SCHEMA_V4)];
    await upgrade(path, 3, toVersion3());
    // What the schema cannot describe: the rebuild drops them with the table, and the upgrader
    // must read them just before and re-create them after.
    const dependentsOfNote = [
      ['index', 'note_lower_title'],
      ['trigger', 'note_title_trimmed'],
      ['index', 'note_with_body'],
    ];
    const dependentsIn = (database) =>
      database.prepare("SELECT type, name FROM sqlite_master WHERE tbl_name = 'Note' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name").raw(true).all();
    await withDatabase(path, (database) => {
      database.exec(`INSERT INTO Note (title, body) VALUES ('milk', 'two litres'), ('bread', NULL);
                     CREATE VIEW note_titles AS SELECT title FROM Note;
                     CREATE TRIGGER note_title_trimmed AFTER INSERT ON Note BEGIN UPDATE Note SET title = trim(title) WHERE id = new.id; END;
                     CREATE INDEX note_lower_title ON Note (lower(title));
                     CREATE INDEX note_with_body ON Note (id) WHERE body IS NOT NULL;`);
      assert.deepEqual(dependentsIn(database), dependentsOfNote);
    });
    // The NULL body fails the NOT NULL column of the rebuilt table: all rolled back.
    const before = dump(path);
    await expectError(upgrade(path, 4, toVersion4()), 'local-migration-failed');
    assert.deepEqual(dump(path), before);

    await withDatabase(path, (database) => database.exec("UPDATE Note SET body = 'fresh' WHERE body IS NULL"));
    await upgrade(path, 4, toVersion4());
    await withDatabase(path, (database) => {
      assert.deepEqual(strings(database, 'SELECT body FROM Note ORDER BY id'), ['two litres', 'fresh']);
      assert.deepEqual(database.prepare('PRAGMA foreign_key_check').all(), []);
      database.exec("INSERT INTO Note (title) VALUES ('  jam  ')");
      assert.deepEqual(strings(database, 'SELECT title FROM note_titles ORDER BY title'), ['bread', 'jam', 'milk']);
      assert.deepEqual(dependentsIn(database), dependentsOfNote);
      assert.equal(strings(database, "SELECT count(*) FROM Note INDEXED BY note_lower_title WHERE lower(title) = 'jam'")[0], 1);
    });
    assertDatabaseMatchesSchema(path, NOTES_SCHEMA_V4);
  });

  test('an invalid schema text is reported', () => {
    const upgrader = new LocalDatabaseUpgrader(1, [UpgradeStep.schemaDiff(0, 1, 'broken', '', 'model {')]);
    assert.throws(() => upgrader.checkSteps(), { code: 'invalid-local-migration-schema' });
  });
});

// ----- the schema builder -----

describe('the schema builder', () => {
  test('renders through the planner in the order written', () => {
    const schema = new SchemaBuilder()
      .createTable(
        tableDefinition('todos', {
          columns: [requiredColumn('id', 'integer', { autoIncrement: true }), requiredColumn('title', 'TEXT')],
          primaryKey: ['id'],
          indexes: [{ name: 'todos_title_idx', columns: ['title'] }],
        }),
      )
      .alterTable('todos', (table) => table.addColumn(requiredColumn('done', 'BOOLEAN', { default: { boolean: false } })).renameColumn('title', 'label'))
      .createUniqueIndex('todos', 'todos_label_key', ['label'])
      .dropIndex('todos', 'todos_title_idx')
      .renameTable('todos', 'tasks')
      .execute('UPDATE tasks SET done = true')
      .dropTable('tasks');
    // The same statements as the Rust builder's test for the same operations.
    assert.deepEqual(schema.statements(), [
      'CREATE TABLE "todos" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "title" TEXT NOT NULL\n)',
      'CREATE INDEX "todos_title_idx" ON "todos" ("title")',
      'ALTER TABLE "todos" ADD COLUMN "done" BOOLEAN NOT NULL DEFAULT false',
      'ALTER TABLE "todos" RENAME COLUMN "title" TO "label"',
      'CREATE UNIQUE INDEX "todos_label_key" ON "todos" ("label")',
      'DROP INDEX "todos_title_idx"',
      'ALTER TABLE "todos" RENAME TO "tasks"',
      'UPDATE tasks SET done = true',
      'DROP TABLE "tasks"',
    ]);
  });

  test('keeps a drop before a rename onto the dropped name', () => {
    const schema = new SchemaBuilder().alterTable('notes', (table) => table.dropColumn('body').renameColumn('text', 'body'));
    assert.deepEqual(schema.statements(), ['ALTER TABLE "notes" DROP COLUMN "body"', 'ALTER TABLE "notes" RENAME COLUMN "text" TO "body"']);
  });
});

// ----- the rebuildable cache -----

const CACHE_SCHEMA_V1 = 'model Article {\n  id    Int    @id\n  title String\n}\n';
const CACHE_SCHEMA_V2 = 'model Article {\n  id     Int    @id\n  title  String\n  author String\n}\n';

function bootstrap(path, schema) {
  return withDatabase(path, (_database, connection) => schema.bootstrap(connection));
}

describe('the rebuildable cache', () => {
  test('the fingerprint is the one the Rust module computes', () => {
    // device-local/tests/device_local.rs pins the same value.
    const commented = '// The articles shown offline.\nmodel Article {\n    id Int @id\n    title String // the headline\n}\n';
    assert.equal(RebuildableCacheSchema.fromPrismaSchema(CACHE_SCHEMA_V1).fingerprint, 'a3b5e7a4b8f3516f880a8e4b54a920d4fc245e2038dc9deb5bb86dc271819bd5');
    assert.equal(RebuildableCacheSchema.fromPrismaSchema(commented).fingerprint, RebuildableCacheSchema.fromPrismaSchema(CACHE_SCHEMA_V1).fingerprint);
  });

  test('creates the schema on an empty database, then leaves it alone', async () => {
    const path = newFile();
    const schema = RebuildableCacheSchema.fromPrismaSchema(CACHE_SCHEMA_V1);
    assert.deepEqual((await bootstrap(path, schema)).outcome, { kind: 'created' });
    await withDatabase(path, (database) => {
      database.exec("INSERT INTO Article (id, title) VALUES (1, 'hello')");
      assert.deepEqual(strings(database, `SELECT schema_fingerprint FROM ${CACHE_METADATA_TABLE}`), [schema.fingerprint]);
      assert.equal(database.pragma('user_version', { simple: true }), 0);
    });
    assert.deepEqual((await bootstrap(path, schema)).outcome, { kind: 'already-current' });
    await withDatabase(path, (database) => assert.equal(strings(database, 'SELECT count(*) FROM Article')[0], 1));
  });

  test('resets a cache with another fingerprint', async () => {
    const path = newFile();
    const first = RebuildableCacheSchema.fromPrismaSchema(CACHE_SCHEMA_V1);
    await bootstrap(path, first);
    await withDatabase(path, (database) => database.exec("INSERT INTO Article (id, title) VALUES (1, 'hello'); CREATE VIEW titles AS SELECT title FROM Article;"));
    const second = RebuildableCacheSchema.fromPrismaSchema(CACHE_SCHEMA_V2);
    assert.deepEqual((await bootstrap(path, second)).outcome, { kind: 'reset', previousFingerprint: first.fingerprint });
    await withDatabase(path, (database) => {
      assert.equal(strings(database, 'SELECT count(*) FROM Article')[0], 0);
      assert.deepEqual(strings(database, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"), ['Article', CACHE_METADATA_TABLE]);
    });
    assert.deepEqual((await bootstrap(path, second)).outcome, { kind: 'already-current' });
  });

  test('resets a database without a fingerprint', async () => {
    const path = newFile();
    await withDatabase(path, (database) => database.exec('CREATE TABLE leftovers (id INTEGER PRIMARY KEY); INSERT INTO leftovers VALUES (1);'));
    const outcome = (await bootstrap(path, RebuildableCacheSchema.fromPrismaSchema(CACHE_SCHEMA_V1))).outcome;
    assert.deepEqual(outcome, { kind: 'reset', previousFingerprint: null });
  });

  test('neither path runs on the other path\u2019s database', async () => {
    const data = newFile();
    await upgrade(data, 3, notesSteps());
    const dataBefore = dump(data);
    const schema = RebuildableCacheSchema.fromPrismaSchema(CACHE_SCHEMA_V1);
    await expectError(bootstrap(data, schema), 'local-cache-is-versioned');
    assert.deepEqual(dump(data), dataBefore);

    const cache = newFile();
    await bootstrap(cache, schema);
    const cacheBefore = dump(cache);
    await expectError(upgrade(cache, 3, notesSteps()), 'local-database-is-cache');
    assert.deepEqual(dump(cache), cacheBefore);
  });
});
