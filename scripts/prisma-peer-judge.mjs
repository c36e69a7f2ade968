// Prisma Migrate's own schema engine (the Wasm build that ../shared/tools/prisma-peer installs)
// judging a database and a migrations folder, as `prisma migrate status` and `prisma migrate
// deploy` do: `status` calls the engine's diagnoseMigrationHistory (what `migrate status` asks,
// without a shadow database), `deploy` calls applyMigrations (what `migrate deploy` runs). The
// engine reaches the database through Prisma's driver adapters: @prisma/adapter-pg for a
// PostgreSQL URL, @prisma/adapter-better-sqlite3 for a SQLite file. It prints the engine's
// answer as one line of JSON and exits 1 on an engine error.
//
// Usage: node prisma-peer-judge.mjs PEER_DIRECTORY status|deploy DATABASE_URL MIGRATIONS_DIRECTORY SCHEMA_FILE
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [peer, command, url, migrationsDirectory, schemaPath] = process.argv.slice(2);
if (!peer || !['status', 'deploy'].includes(command) || !url || !migrationsDirectory || !schemaPath) {
  console.error('usage: node prisma-peer-judge.mjs PEER_DIRECTORY status|deploy DATABASE_URL MIGRATIONS_DIRECTORY SCHEMA_FILE');
  process.exit(64);
}
const require = createRequire(path.join(path.resolve(peer), 'package.json'));
const { loadWasm } = await import(path.join(path.resolve(peer), 'lib/engine.mjs'));
const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');

let factory;
if (url.startsWith('file:')) {
  const { PrismaBetterSqlite3 } = require('@prisma/adapter-better-sqlite3');
  factory = new PrismaBetterSqlite3({ url });
} else {
  const { PrismaPg } = require('@prisma/adapter-pg');
  factory = new PrismaPg({ connectionString: url });
}
const wasm = await loadWasm();
const schema = fs.readFileSync(schemaPath, 'utf8');
const engine = await wasm.SchemaEngine.new(
  { datamodels: [[schemaPath, schema]] },
  () => {},
  bindMigrationAwareSqlAdapterFactory(factory),
);

const baseDir = path.resolve(migrationsDirectory);
const lockPath = path.join(baseDir, 'migration_lock.toml');
const migrationDirectories = fs
  .readdirSync(baseDir)
  .filter((name) => fs.statSync(path.join(baseDir, name)).isDirectory())
  .sort()
  .map((name) => ({
    path: name,
    migrationFile: {
      path: 'migration.sql',
      content: { tag: 'ok', value: fs.readFileSync(path.join(baseDir, name, 'migration.sql'), 'utf8') },
    },
  }));
const migrationsList = {
  baseDir,
  lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
  shadowDbInitScript: '',
  migrationDirectories,
};
const filters = { externalTables: [], externalEnums: [] };
try {
  const result =
    command === 'deploy'
      ? await engine.applyMigrations({ migrationsList, filters })
      : await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters });
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ error: error?.message ?? String(error) }));
  process.exitCode = 1;
}
process.exit();
