#!/usr/bin/env node
// A JS build step that turns a changed schema.prisma into a reviewed-migration folder, without
// a database: it plans from the `after.prisma` of the latest local migration (or from the empty
// database) to the schema, and writes `<migrations>/<timestamp>_<name>/` in comon_orm's layout
// (migration.sql, metadata.txt with the checksum, before.prisma, after.prisma, warnings.txt),
// which `comon migrate deploy` applies and `comon migrate status` checks.
//
//   node examples/build-script.mjs --name add_posts [--schema prisma/schema.prisma] [--migrations DIR]
//
// Exit codes: 0 written or already in sync, 1 invalid schema or refused, 64 usage error.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isComonMigrateError, migrationFolder, plan, renderSchema, status, validate } from 'comon-migrate';

/**
 * The time for a new folder: now, or one second after the newest existing folder when that is
 * not earlier, so that folder names sort in creation order (as the CLI does).
 */
function newMigrationTime(existingNames, now = new Date()) {
  const newest = existingNames
    .map((name) => name.slice(0, 14))
    .filter((prefix) => /^\d{14}$/.test(prefix))
    .sort()
    .at(-1);
  if (newest !== undefined) {
    const [year, month, day, hour, minute, second] = newest.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/).slice(1).map(Number);
    const newestTime = Date.UTC(year, month - 1, day, hour, minute, second);
    if (newestTime >= Math.floor(now.getTime() / 1000) * 1000) return new Date(newestTime + 1000);
  }
  return now;
}

function usage(message) {
  console.error(`${message}\nUsage: node build-script.mjs --name <migration> [--schema <schema.prisma>] [--migrations <dir>]`);
  process.exit(64);
}

let options;
try {
  options = parseArgs({
    options: { name: { type: 'string' }, schema: { type: 'string' }, migrations: { type: 'string' } },
  }).values;
} catch (error) {
  usage(error.message);
}
if (!options.name) usage('Missing migration name. Pass --name <migration>.');

// Schema discovery and the migrations folder, as the CLI finds them.
const schemaPath =
  options.schema ?? ['prisma/schema.prisma', 'schema.prisma'].find((candidate) => existsSync(candidate));
if (!schemaPath || !existsSync(schemaPath)) {
  console.error('Could not find Prisma schema file. Specify the schema path with --schema <path>.');
  process.exit(1);
}
const schemaDirectory = dirname(schemaPath);
const migrationsDirectory =
  options.migrations ??
  (basename(schemaDirectory) === 'prisma' ? join(schemaDirectory, 'migrations') : join(schemaDirectory, 'prisma', 'migrations'));

const schemaText = readFileSync(schemaPath, 'utf8');
try {
  validate(schemaText);
} catch (error) {
  if (!isComonMigrateError(error)) throw error;
  for (const found of error.errors) {
    const where = found.span ? `${schemaPath}:${found.span.line}:${found.span.column}` : schemaPath;
    console.error(`${where}: error[${found.code}] ${found.message}`);
  }
  process.exit(1);
}

// The local folders, read as they are on disk.
const fileNames = ['migration.sql', 'metadata.txt', 'before.prisma', 'after.prisma', 'warnings.txt'];
const local = existsSync(migrationsDirectory)
  ? readdirSync(migrationsDirectory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort()
      .map((name) => {
        const files = {};
        for (const file of fileNames) {
          const path = join(migrationsDirectory, name, file);
          if (existsSync(path)) files[file] = readFileSync(path, 'utf8');
        }
        return { name, files };
      })
  : [];

// The provider comes from the schema: plan from the empty database to learn it.
const { provider } = plan({ previous: null, next: schemaText });

// Broken folders would make the new migration's `before` wrong: refuse, as the CLI does.
const localStatus = status({ provider, local, history: [], migrationsDirectory });
const broken = localStatus.issues.filter((issue) => issue.code === 'invalid-local-artifacts');
if (broken.length > 0) {
  for (const issue of broken) console.error(`${issue.code} | ${issue.message}`);
  process.exit(1);
}

const latest = local.filter((folder) => localStatus.localMigrations.includes(folder.name)).at(-1);
const previous = latest ? latest.files['after.prisma'] : null;
const result = plan({ previous, next: schemaText, provider });
if (result.steps.length === 0) {
  console.log('Already in sync, no schema changes detected.');
  process.exit(0);
}
for (const warning of result.warnings) console.warn(`warning[${warning.kind}]: ${warning.message}`);

const folder = migrationFolder({
  name: options.name,
  generatedAt: newMigrationTime(local.map((folder) => folder.name)),
  provider: result.provider,
  // The first migration's `before.prisma` is the empty database, rendered as the CLI renders it.
  beforeSchema: previous ?? renderSchema({ provider: result.provider, tables: [], enums: [] }),
  afterSchema: schemaText,
  migrationSql: result.sql,
  statementCount: result.statements.length,
  warnings: result.warnings.map((warning) => warning.message),
  requiresRebuild: result.requiresRebuild,
});
const folderPath = join(migrationsDirectory, folder.name);
if (existsSync(folderPath)) {
  console.error(`The migration folder ${folderPath} already exists. Wait a second or pick another --name.`);
  process.exit(1);
}
mkdirSync(folderPath, { recursive: true });
for (const [file, content] of Object.entries(folder.files)) writeFileSync(join(folderPath, file), content);
console.log(`Migration draft written: ${folderPath}`);
console.log(result.steps.map((step) => `  ${step.summary}`).join('\n'));
