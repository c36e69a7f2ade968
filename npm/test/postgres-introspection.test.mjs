// Introspection of PostgreSQL through the `pg` driver with `introspectionQueries` +
// `snapshotFromRows` gives the snapshot the native runner reads, for the database of every
// PostgreSQL golden case (one schema each, in a throwaway database). Skipped when no
// PostgreSQL answers at COMON_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { introspectionQueries, plan, snapshotFromRows } from 'comon-migrate';
import { goldenCases } from './support/golden.mjs';
import { repositoryDirectory } from './support/paths.mjs';

const adminUrl = process.env.COMON_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `comon_npm_${process.pid}_${Date.now()}`;
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${databaseName}`;

async function connect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  return client;
}

let available = false;
let admin;
before(async () => {
  try {
    admin = await connect(adminUrl);
  } catch {
    return;
  }
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  available = true;
});

after(async () => {
  if (!admin) return;
  if (available) await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
});

/** Runs every introspection query with pg, rows as arrays of text. */
async function introspect(client) {
  const results = [];
  for (const query of introspectionQueries('postgresql')) {
    const { rows } = await client.query({ text: query.sql, rowMode: 'array' });
    results.push({ name: query.name, rows });
  }
  return snapshotFromRows('postgresql', results);
}

describe('PostgreSQL introspection through pg equals the native runner\'s', () => {
  test('the database of every PostgreSQL golden case\'s next schema, and planning back finds nothing to do', async (context) => {
    if (!available) {
      context.skip(`no PostgreSQL at ${adminUrl}`);
      return;
    }
    const cases = goldenCases().filter((goldenCase) => goldenCase.provider === 'postgresql' && goldenCase.next !== null);
    assert.ok(cases.length > 50, `expected many PostgreSQL golden cases, found ${cases.length}`);
    const client = await connect(databaseUrl.href);
    const snapshots = [];
    const urls = [];
    try {
      for (const [index, goldenCase] of cases.entries()) {
        const schema = `case_${index}`;
        await client.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
        await client.query(plan({ previous: null, next: goldenCase.next }).sql);
        snapshots.push(await introspect(client));
        const url = new URL(databaseUrl.href);
        url.searchParams.set('schema', schema);
        urls.push(url.href);
      }
    } finally {
      await client.end();
    }
    const output = execFileSync(
      'cargo',
      ['run', '--quiet', '-p', 'comon-database', '--example', 'snapshot', '--', ...urls],
      { cwd: repositoryDirectory, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const native = output.trimEnd().split('\n').map((line) => JSON.parse(line));
    const failures = [];
    cases.forEach((goldenCase, index) => {
      // Extensions belong to the database, not to a schema, and every case shares this one
      // database: a later case's extension shows in the native snapshots of the earlier ones,
      // taken after all the cases ran. They are compared apart from the schemas.
      const withoutExtensions = ({ extensions, ...rest }) => rest;
      try {
        assert.deepEqual(withoutExtensions(snapshots[index]), withoutExtensions(native[index]));
      } catch (error) {
        failures.push(`${goldenCase.name}: the snapshots differ\n${error.message}`);
        return;
      }
      const back = plan({ previous: snapshots[index], next: goldenCase.next });
      if (back.steps.length > 0) failures.push(`${goldenCase.name}: planning back gives\n${back.sql}`);
    });
    // Both runners read the database's extensions: the package right after the case that
    // creates them, the native runner in every schema afterwards.
    const names = (snapshot) => (snapshot.extensions ?? []).map((extension) => extension.name);
    const creating = cases.findIndex((goldenCase) => goldenCase.name === 'create_extensions');
    assert.ok(creating >= 0, 'the golden case that creates extensions');
    for (const name of ['pg_trgm', 'uuid-ossp']) {
      assert.ok(names(snapshots[creating]).includes(name), `${name} in ${names(snapshots[creating])}`);
      assert.ok(names(native[0]).includes(name), `${name} in ${names(native[0])}`);
    }
    assert.equal(failures.length, 0, failures.join('\n\n'));
  });
});
