// A fuzz loop over every export of the WebAssembly planner: mutated schemas (from the golden
// cases) and malformed arguments (wrong types, missing keys, huge inputs, mutated plans and
// snapshots) go to validate, format, databaseSchema, plan, renderSteps, introspectionQueries,
// snapshotFromRows, renderSchema, checksum, migrationFolder and status. A Rust panic inside
// WebAssembly surfaces as a `WebAssembly.RuntimeError` (a trap): that is the failure this loop
// looks for. Errors the API is allowed to throw (a ComonMigrateError, or a JS TypeError/Error
// from the argument conversion) are counted, not failures.
//
// Run: node fuzz/wasm-api-fuzz.mjs [--seconds N] [--iterations N] [--seed N]
// (after scripts/build-npm.sh). A failing input is written to fuzz/failures/ as JSON, and the
// seed replays the same sequence of inputs.
import { readdirSync, readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as packageApi from 'comon-migrate';

const goldenDirectory = fileURLToPath(new URL('../../planner/tests/golden/', import.meta.url));
const failureDirectory = fileURLToPath(new URL('./failures/', import.meta.url));

/** mulberry32: a small seeded generator, so that a seed replays the same inputs. */
export function randomSource(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    below: (count) => Math.floor(next() * count),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (probability) => next() < probability,
  };
}

/** The golden cases' schema texts, with a datasource for each provider. */
export function goldenSchemas() {
  const schemas = [];
  for (const name of readdirSync(goldenDirectory).sort()) {
    for (const file of ['previous.prisma', 'next.prisma']) {
      const path = `${goldenDirectory}${name}/${file}`;
      if (!existsSync(path)) continue;
      const models = readFileSync(path, 'utf8');
      for (const provider of ['postgresql', 'sqlite']) {
        schemas.push(`datasource db {\n  provider = "${provider}"\n}\n\n${models}`);
      }
    }
  }
  return schemas;
}

const TOKENS = [
  '@id', '@unique', '@default(', ')', '(', '@@map("', '"', '@map("x")', '@relation(fields: [', '], references: [', ']',
  '@@index([', '@@unique([', '@@id([', 'Int', 'String?', 'BigInt', 'Decimal', 'DateTime', 'Json', 'Bytes', 'Float', 'Boolean',
  'enum E {\n  A\n  B\n}\n', 'model M {\n  id Int @id\n}\n', '{', '}', '\n', ' ', '//', '///', '\\', '\\u{1F600}', '\\u{D800}',
  '\u0000', '\uFFFD', 'é', '😀', '@db.VarChar(', '@db.Decimal(10, 2)', 'autoincrement()', 'now()', 'dbgenerated("', '[]',
  'onDelete: Cascade', 'onUpdate: SetNull', 'map: "', 'type: Hash', 'ops: raw("', 'sort: Desc', '@ignore', '@@ignore',
  'Unsupported("x")', 'provider = "', 'url = env("', 'relationMode = "prisma"', 'generator g {\n}\n', '9999999999999999999999',
  '-1', '1e400', 'true', 'null', ',',
];

/** One random mutation of a string: insertions of tokens, deletions, duplications of text, lines
 * and whole blocks, splices from other schemas, changed characters and words. */
export function mutate(random, text, others) {
  let result = text;
  const rounds = 1 + random.below(6);
  for (let round = 0; round < rounds; round += 1) {
    const position = random.below(result.length + 1);
    switch (random.below(8)) {
      case 0:
        result = result.slice(0, position) + random.pick(TOKENS) + result.slice(position);
        break;
      case 1:
        result = result.slice(0, position) + result.slice(position + 1 + random.below(20));
        break;
      case 2: {
        const length = random.below(40);
        result = result.slice(0, position) + result.slice(position, position + length).repeat(2) + result.slice(position + length);
        break;
      }
      case 3: {
        const other = random.pick(others);
        const from = random.below(other.length + 1);
        result = result.slice(0, position) + other.slice(from, from + random.below(200)) + result.slice(position);
        break;
      }
      case 4:
        result = result.slice(0, position) + String.fromCharCode(random.below(0x3000)) + result.slice(position + 1);
        break;
      case 5: {
        const lines = result.split('\n');
        const from = random.below(lines.length);
        lines.splice(random.below(lines.length), 0, lines[from]);
        result = lines.join('\n');
        break;
      }
      case 6: {
        // A whole block (model or enum) once more: duplicate names and relations to them.
        const blocks = result.match(/(model|enum) [^{]*\{[^}]*\}\n/g) ?? [];
        if (blocks.length) result = result.slice(0, position) + random.pick(blocks) + result.slice(position);
        break;
      }
      default:
        result = result.replace(/[A-Za-z]+/, random.pick(['select', 'A', 'x'.repeat(70), 'model', 'enum', '']));
    }
  }
  return result;
}

/** A random JS value of any type, sometimes huge or deeply nested. */
export function arbitraryValue(random, depth = 0) {
  switch (random.below(depth > 3 ? 9 : 13)) {
    case 0: return undefined;
    case 1: return null;
    case 2: return random.pick([0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 63), 1e308]);
    case 3: return random.pick(['', 'postgresql', 'sqlite', 'postgres', 'mysql', 'x'.repeat(random.below(3) === 0 ? 1_000_000 : 10)]);
    case 4: return random.chance(0.5);
    case 5: return BigInt(random.below(1000)) * (random.chance(0.5) ? 1n : -(2n ** 70n));
    case 6: return Symbol('s');
    case 7: return () => 1;
    case 8: return new Uint8Array(random.below(16));
    case 9: return Array.from({ length: random.below(5) }, () => arbitraryValue(random, depth + 1));
    case 10: {
      const object = {};
      for (let index = random.below(5); index > 0; index -= 1) object[random.pick(['name', 'rows', 'previous', 'next', 'provider', 'steps', 'kind', 'tables', 'x'])] = arbitraryValue(random, depth + 1);
      return object;
    }
    case 11: return new Map([[1, 2]]);
    default: return { toString() { return 'weird'; }, valueOf() { return 7; } };
  }
}

/** Mutates a JSON-shaped value in place-ish: changes, removes or retypes a few leaves. */
export function mutateJson(random, value, depth = 0) {
  if (Array.isArray(value)) {
    const copy = value.map((item) => (random.chance(0.3) ? mutateJson(random, item, depth + 1) : item));
    if (random.chance(0.1) && copy.length) copy.splice(random.below(copy.length), 1);
    if (random.chance(0.1) && copy.length) copy.push(copy[random.below(copy.length)]);
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy = { ...value };
    for (const key of Object.keys(copy)) {
      if (random.chance(0.05)) delete copy[key];
      else if (random.chance(0.3)) copy[key] = mutateJson(random, copy[key], depth + 1);
    }
    return copy;
  }
  if (random.chance(0.5)) return value;
  if (typeof value === 'string') return random.chance(0.5) ? mutate(random, value, [value]) : random.pick(['', 'x', value + value]);
  if (typeof value === 'number') return random.pick([0, -1, value + 1, 2 ** 32, NaN, 0.5]);
  return arbitraryValue(random, depth + 3);
}

/** The calls of one iteration: `[export name, arguments]`. */
function callsFor(api, random, schemas) {
  const schema = random.chance(0.85) ? mutate(random, random.pick(schemas), schemas) : arbitraryValue(random);
  const other = random.chance(0.7) ? mutate(random, random.pick(schemas), schemas) : random.pick(schemas);
  const provider = random.pick(['postgresql', 'sqlite', 'postgres', undefined, 'x', 7]);
  const calls = [
    ['validate', [schema, random.chance(0.7) ? { provider } : arbitraryValue(random)]],
    ['format', [schema]],
    ['databaseSchema', [schema]],
    ['plan', [random.chance(0.8) ? { previous: other, next: schema, provider: random.chance(0.5) ? provider : undefined } : arbitraryValue(random)]],
    ['introspectionQueries', [provider]],
    ['renderSchema', [arbitraryValue(random)]],
    ['checksum', [random.chance(0.7) ? { provider, beforeSchema: other, afterSchema: schema, migrationSql: mutate(random, 'CREATE TABLE "a" ();', schemas), warnings: random.chance(0.5) ? [] : arbitraryValue(random), requiresRebuild: random.chance(0.5) } : arbitraryValue(random)]],
    ['migrationFolder', [random.chance(0.5) ? mutateJson(random, { name: 'init', generatedAt: random.chance(0.5) ? new Date(random.below(2 ** 31) * 1000) : { year: 2024, month: 13, day: 0, hour: 25, minute: 61, second: 61, microsecond: 2000000 }, provider: 'sqlite', beforeSchema: other, afterSchema: schema, migrationSql: 'SELECT 1', statementCount: 1, warnings: [], rebuildRequired: false }) : arbitraryValue(random)]],
    ['status', [random.chance(0.7) ? mutateJson(random, { provider: 'sqlite', local: [{ name: '20240102030405_a', files: { 'migration.sql': 'SELECT 1', 'before.prisma': '', 'after.prisma': schema, 'metadata.txt': 'provider=sqlite\nstatement_count=x' } }, { name: 'b', files: {} }], history: [{ id: 1, name: '20240102030405_a', appliedAt: '2024-01-02T03:04:05.000Z', statementCount: 1, kind: 'apply', warnings: [], rebuildRequired: false, state: 'finished', afterSchema: other }, { name: 'z', appliedAt: '', statementCount: -1, kind: 'rollback', targetName: 'q', warnings: [], rebuildRequired: true, state: 'failed' }], migrationsDirectory: 'm', driftSince: 'z' }) : arbitraryValue(random)]],
  ];
  // Valid results turned into malformed inputs: snapshots, steps and rows.
  let snapshot;
  try { snapshot = api.databaseSchema(random.pick(schemas)); } catch { snapshot = undefined; }
  if (snapshot) {
    calls.push(['renderSchema', [mutateJson(random, snapshot)]]);
    calls.push(['plan', [{ previous: mutateJson(random, snapshot), next: random.chance(0.5) ? schema : snapshot, provider: random.chance(0.3) ? provider : undefined }]]);
    let planned;
    try { planned = api.plan({ previous: { tables: [], enums: [], provider: snapshot.provider }, next: snapshot }); } catch { planned = undefined; }
    if (planned && planned.steps) calls.push(['renderSteps', [random.chance(0.8) ? snapshot.provider : provider, mutateJson(random, planned.steps)]]);
    const queries = api.introspectionQueries(snapshot.provider);
    const results = queries.map((query) => ({ name: random.chance(0.9) ? query.name : 'x', rows: Array.from({ length: random.below(4) }, () => Array.from({ length: random.below(12) }, () => (random.chance(0.2) ? null : random.pick(['', 'User', 'id', 'integer', 'text', 'YES', 'NO', '1', '0', 't', 'f', 'CREATE TABLE "x" (a)', 'nextval(x)', String(random.below(100)), mutate(random, 'varchar(10)', schemas)])))) }));
    calls.push(['snapshotFromRows', [random.chance(0.8) ? snapshot.provider : provider, random.chance(0.9) ? results : arbitraryValue(random)]]);
  }
  calls.push(['renderSteps', [provider, arbitraryValue(random)]]);
  calls.push(['snapshotFromRows', [provider, arbitraryValue(random)]]);
  return calls;
}

function describe(value) {
  try {
    return JSON.stringify(value, (key, item) => {
      if (typeof item === 'bigint') return `${item}n`;
      if (typeof item === 'symbol' || typeof item === 'function') return String(item);
      if (typeof item === 'string' && item.length > 10_000) return `${item.slice(0, 100)}... (${item.length} characters)`;
      return item;
    });
  } catch (error) {
    return String(error);
  }
}

/**
 * Runs the loop for `seconds` or `iterations` (whichever ends first). Returns the figures; a
 * trap is a failure, with its input written to fuzz/failures/. `api` is the package; a test
 * passes a stand-in to see that a trap is caught.
 */
export function runWasmApiFuzz({ seconds = 60, iterations = Infinity, seed = Date.now() >>> 0, writeFailures = true, api = packageApi } = {}) {
  const random = randomSource(seed);
  const schemas = goldenSchemas();
  const started = Date.now();
  const figures = { seed, iterations: 0, calls: 0, comonErrors: 0, otherErrors: 0, otherErrorKinds: {}, traps: 0, failures: [] };
  while (figures.iterations < iterations && Date.now() - started < seconds * 1000) {
    figures.iterations += 1;
    for (const [name, args] of callsFor(api, random, schemas)) {
      figures.calls += 1;
      try {
        api[name](...args);
      } catch (error) {
        if (error instanceof WebAssembly.RuntimeError) {
          figures.traps += 1;
          const failure = { export: name, message: String(error), stack: error.stack, arguments: describe(args), seed, iteration: figures.iterations };
          figures.failures.push(failure);
          if (writeFailures) {
            mkdirSync(failureDirectory, { recursive: true });
            writeFileSync(`${failureDirectory}${name}-${seed}-${figures.iterations}.json`, JSON.stringify(failure, null, 2));
          }
          // A trapped instance may be left inconsistent: stop rather than report noise.
          return { ...figures, seconds: (Date.now() - started) / 1000 };
        } else if (api.isComonMigrateError(error)) {
          figures.comonErrors += 1;
        } else {
          figures.otherErrors += 1;
          const kind = `${name}: ${error?.constructor?.name ?? typeof error}: ${String(error?.message ?? error).slice(0, 80)}`;
          figures.otherErrorKinds[kind] = (figures.otherErrorKinds[kind] ?? 0) + 1;
        }
      }
    }
  }
  return { ...figures, seconds: (Date.now() - started) / 1000 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name, fallback) => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
  };
  const seed = option('seed', Date.now() >>> 0);
  console.log(`seed: ${seed} (replay with --seed ${seed})`);
  const figures = runWasmApiFuzz({ seconds: option('seconds', 60), iterations: option('iterations', Infinity), seed });
  const { failures, otherErrorKinds, ...summary } = figures;
  console.log(JSON.stringify(summary));
  const kinds = Object.entries(otherErrorKinds).sort((a, b) => b[1] - a[1]);
  if (kinds.length) console.log(`errors other than ComonMigrateError (not failures), by kind:\n${kinds.slice(0, 30).map(([kind, count]) => `  ${count} × ${kind}`).join('\n')}`);
  for (const failure of failures) console.log(`TRAP in ${failure.export}: ${failure.message}\n  arguments: ${failure.arguments.slice(0, 2000)}`);
  process.exit(failures.length ? 1 : 0);
}
