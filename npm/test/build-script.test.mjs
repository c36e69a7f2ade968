// examples/build-script.mjs writes migration folders in the reference layout: the native `comon`
// deploys them and finds no issues, its `migrate status --json` equals the package's `status`,
// and the database the folders build introspects back to the schema.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { checksum, introspectionQueries, plan, renderSchema, snapshotFromRows, status } from 'comon-migrate';
import { packageDirectory, repositoryDirectory } from './support/paths.mjs';

const buildScript = join(packageDirectory, 'examples', 'build-script.mjs');

const firstSchema = `datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
}
`;

const secondSchema = `datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
`;

let project;
let schemaPath;
let migrationsDirectory;

function runBuildScript(...args) {
  return spawnSync(process.execPath, [buildScript, ...args], { cwd: project, encoding: 'utf8' });
}

function comon(...args) {
  return execFileSync('cargo', ['run', '--quiet', '-p', 'comon-cli', '--bin', 'comon', '--', ...args], {
    cwd: repositoryDirectory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function readFolders() {
  return readdirSync(migrationsDirectory)
    .sort()
    .map((name) => {
      const files = {};
      for (const file of readdirSync(join(migrationsDirectory, name)).sort()) {
        files[file] = readFileSync(join(migrationsDirectory, name, file), 'utf8');
      }
      return { name, files };
    });
}

function metadataValue(folder, key) {
  return folder.files['metadata.txt'].match(new RegExp(`^${key}=(.*)$`, 'm'))[1];
}

before(() => {
  project = mkdtempSync(join(tmpdir(), 'comon-migrate-build-script-'));
  mkdirSync(join(project, 'prisma'));
  schemaPath = join(project, 'prisma', 'schema.prisma');
  migrationsDirectory = join(project, 'prisma', 'migrations');
});
after(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('examples/build-script.mjs', () => {
  test('writes the first migration from the empty database', () => {
    writeFileSync(schemaPath, firstSchema);
    const run = runBuildScript('--name', 'init');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Migration draft written: prisma\/migrations\/\d{14}_init/);
    const [folder] = readFolders();
    assert.deepEqual(Object.keys(folder.files), ['after.prisma', 'before.prisma', 'metadata.txt', 'migration.sql']);
    assert.equal(folder.files['before.prisma'], renderSchema({ provider: 'sqlite', tables: [], enums: [] }));
    assert.equal(folder.files['after.prisma'], firstSchema);
    assert.equal(folder.files['migration.sql'], plan({ previous: null, next: firstSchema }).sql);
    assert.equal(metadataValue(folder, 'name'), folder.name);
    assert.equal(metadataValue(folder, 'statement_count'), '2');
    assert.equal(
      metadataValue(folder, 'checksum'),
      checksum({
        provider: 'sqlite',
        beforeSchema: folder.files['before.prisma'],
        afterSchema: folder.files['after.prisma'],
        migrationSql: folder.files['migration.sql'],
        warnings: [],
        requiresRebuild: false,
      }),
    );
  });

  test('plans the next migration from the latest folder, with its warnings', () => {
    writeFileSync(schemaPath, secondSchema);
    const run = runBuildScript('--name', 'add posts, drop names');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /warning\[data-loss\]: /);
    const [first, second] = readFolders();
    assert.match(second.name, /^\d{14}_add_posts_drop_names$/);
    assert.ok(first.name < second.name, 'folder names sort in creation order');
    assert.equal(second.files['before.prisma'], first.files['after.prisma']);
    const expected = plan({ previous: firstSchema, next: secondSchema });
    assert.equal(second.files['migration.sql'], expected.sql);
    assert.equal(second.files['warnings.txt'], expected.warnings.map((warning) => `${warning.message}\n`).join(''));
    assert.equal(metadataValue(second, 'warning_count'), String(expected.warnings.length));
    assert.equal(metadataValue(second, 'rebuild_required'), String(expected.requiresRebuild));
  });

  test('writes nothing when the schema has not changed', () => {
    const run = runBuildScript('--name', 'nothing');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'Already in sync, no schema changes detected.\n');
    assert.equal(readFolders().length, 2);
  });

  test('reports schema errors at their line and column, and usage errors', () => {
    writeFileSync(schemaPath, secondSchema.replace('title    String', 'title    Strin'));
    const run = runBuildScript('--name', 'broken');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /schema\.prisma:\d+:\d+: error\[unknown-type\] /);
    writeFileSync(schemaPath, secondSchema);
    assert.equal(runBuildScript().status, 64);
  });

  test('the folders build a database that introspects back to the schema', () => {
    const database = new Database(join(project, 'by-hand.db'));
    try {
      for (const folder of readFolders()) database.exec(folder.files['migration.sql']);
      const results = introspectionQueries('sqlite').map((query) => ({
        name: query.name,
        rows: database.prepare(query.sql).raw(true).all(),
      }));
      assert.deepEqual(plan({ previous: snapshotFromRows('sqlite', results), next: secondSchema }).steps, []);
    } finally {
      database.close();
    }
  });

  test('the native comon deploys the folders, and its status equals the package\'s', () => {
    const deployed = comon('migrate', 'deploy', '--schema', schemaPath);
    assert.match(deployed, /All migrations have been successfully applied\./);
    const { flavour, scriptWarnings, ...native } = JSON.parse(comon('migrate', 'status', '--json', '--schema', schemaPath));
    // The native status also says which project flavour it chose from the files and tables;
    // the package's `status` is given its folders and history, so it has no flavour to choose.
    assert.equal(flavour, 'comon-orm');
    // And it lists what its migration SQL interpreter found in the scripts, which the package
    // leaves out (the interpreter is native only): folders the package wrote give it nothing.
    assert.deepEqual(scriptWarnings, []);
    assert.deepEqual(native.issues, []);
    // The history table as the native runner wrote it, read with better-sqlite3.
    const database = new Database(join(project, 'prisma', 'dev.db'), { readonly: true });
    let rows;
    try {
      rows = database.prepare('SELECT * FROM "_comon_orm_migrations" ORDER BY id').all();
    } finally {
      database.close();
    }
    const history = rows.map((row) => ({
      id: row.id,
      name: row.name,
      appliedAt: row.applied_at,
      statementCount: row.statement_count,
      kind: row.kind,
      targetName: row.target_name,
      provider: row.provider,
      checksum: row.checksum,
      beforeSchema: row.before_schema,
      afterSchema: row.after_schema,
      warnings: JSON.parse(row.warnings ?? '[]'),
      rebuildRequired: row.rebuild_required === 1,
      state: row.state,
      failureMessage: row.failure_message,
    }));
    assert.deepEqual(status({ provider: 'sqlite', local: readFolders(), history }), native);
  });
});
