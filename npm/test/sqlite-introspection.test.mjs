// Introspection of real SQLite files through better-sqlite3 with `introspectionQueries` +
// `snapshotFromRows` gives the very snapshot the native runner reads from the same files
// (`cargo run -p comon-database --example snapshot`), and planning from it to the schema that
// built the file finds nothing to do.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { introspectionQueries, plan, snapshotFromRows } from 'comon-migrate';
import { goldenCases } from './support/golden.mjs';
import { repositoryDirectory } from './support/paths.mjs';

/** Runs every introspection query with better-sqlite3, rows as arrays of text. */
function introspect(path) {
  const database = new Database(path, { readonly: true });
  try {
    const results = introspectionQueries('sqlite').map((query) => ({
      name: query.name,
      rows: database.prepare(query.sql).raw(true).all(),
    }));
    return snapshotFromRows('sqlite', results);
  } finally {
    database.close();
  }
}

/** The native runner's snapshots of the files, in order. */
function nativeSnapshots(paths) {
  const output = execFileSync(
    'cargo',
    ['run', '--quiet', '-p', 'comon-database', '--example', 'snapshot', '--', ...paths],
    { cwd: repositoryDirectory, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return output.trimEnd().split('\n').map((line) => JSON.parse(line));
}

function createDatabase(path, sql) {
  const database = new Database(path);
  try {
    database.exec(sql);
  } finally {
    database.close();
  }
}

/** Objects the schema language cannot describe, and SQLite spellings a schema never produces. */
const handWrittenSql = `
CREATE TABLE "Author" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "email" varchar(255) NOT NULL,
  "name" TEXT DEFAULT 'anonymous',
  "karma" REAL NOT NULL DEFAULT 1.5,
  "active" BOOLEAN NOT NULL DEFAULT true,
  "joined" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "avatar" BLOB,
  "settings" TEXT NOT NULL DEFAULT '{"theme":"dark"}',
  "full" TEXT GENERATED ALWAYS AS ("name" || ' <' || "email" || '>') VIRTUAL
);
CREATE UNIQUE INDEX "Author_email_key" ON "Author" ("email");
CREATE INDEX "Author_name_karma_idx" ON "Author" ("name" DESC, "karma");
CREATE INDEX "Author_active_partial" ON "Author" ("email") WHERE "active";
CREATE INDEX "Author_lower_email" ON "Author" (lower("email"));
CREATE TABLE "Post" (
  "id" INTEGER NOT NULL,
  "authorId" INTEGER NOT NULL,
  "slug" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  PRIMARY KEY ("authorId", "slug"),
  CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Author" ("id") ON DELETE CASCADE ON UPDATE RESTRICT
);
CREATE TABLE "Comment" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "postAuthorId" INTEGER,
  "postSlug" TEXT,
  "body" TEXT NOT NULL CHECK (length("body") > 0),
  FOREIGN KEY ("postAuthorId", "postSlug") REFERENCES "Post" ("authorId", "slug") ON DELETE SET NULL
);
CREATE TABLE "Tag" ("name" TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE "_comon_orm_migrations" ("name" TEXT PRIMARY KEY, "applied_at" TEXT);
CREATE VIEW "AuthorNames" AS SELECT "name" FROM "Author";
CREATE TRIGGER "Author_touch" AFTER UPDATE ON "Author" BEGIN SELECT 1; END;
CREATE VIRTUAL TABLE "search" USING fts5("body");
INSERT INTO "Author" ("email") VALUES ('a@example.com');
`;

let directory;
before(() => {
  directory = mkdtempSync(join(tmpdir(), 'comon-migrate-sqlite-'));
});
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('SQLite introspection through better-sqlite3 equals the native runner\'s', () => {
  test('a hand-written database with views, triggers, virtual tables, partial and expression indexes', () => {
    const path = join(directory, 'hand-written.db');
    createDatabase(path, handWrittenSql);
    const snapshot = introspect(path);
    const [native] = nativeSnapshots([path]);
    assert.deepEqual(snapshot, native);
    assert.deepEqual(
      snapshot.tables.map((table) => table.name),
      ['Author', 'Comment', 'Post', 'Tag'],
    );
    const author = snapshot.tables.find((table) => table.name === 'Author');
    assert.deepEqual(
      author.indexes.map((index) => index.name),
      ['Author_email_key', 'Author_name_karma_idx'],
    );
  });

  test('the database of every SQLite golden case\'s next schema, and planning back finds nothing to do', () => {
    const cases = goldenCases().filter((goldenCase) => goldenCase.provider === 'sqlite' && goldenCase.next !== null);
    assert.ok(cases.length > 50, `expected many SQLite golden cases, found ${cases.length}`);
    const paths = cases.map((goldenCase) => {
      const path = join(directory, `${goldenCase.name}.db`);
      createDatabase(path, plan({ previous: null, next: goldenCase.next }).sql);
      return path;
    });
    const native = nativeSnapshots(paths);
    const failures = [];
    cases.forEach((goldenCase, index) => {
      const snapshot = introspect(paths[index]);
      try {
        assert.deepEqual(snapshot, native[index]);
      } catch (error) {
        failures.push(`${goldenCase.name}: the snapshots differ\n${error.message}`);
        return;
      }
      const back = plan({ previous: snapshot, next: goldenCase.next });
      if (back.steps.length > 0) failures.push(`${goldenCase.name}: planning back gives\n${back.sql}`);
    });
    assert.equal(failures.length, 0, failures.join('\n\n'));
  });
});
