// TypeScript: the typed example compiles against index.d.ts (and its misuse does not), and the
// real results of every golden case, written out as TypeScript literals, type-check against the
// declared types, so that index.d.ts cannot drift from what the planner returns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { databaseSchema, introspectionQueries, migrationFolder, migrationScript, plan, status } from 'comon-migrate';
import { goldenCases } from './support/golden.mjs';
import { packageDirectory } from './support/paths.mjs';

const tsc = join(packageDirectory, 'node_modules', 'typescript', 'bin', 'tsc');

function runTsc(args) {
  try {
    execFileSync(process.execPath, [tsc, ...args], { cwd: packageDirectory, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`tsc ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`);
  }
}

/** A TypeScript module that declares `values` as `typeName[]`. */
function typedLiterals(typeName, values) {
  const items = values.map((value) => JSON.stringify(value)).join(',\n');
  return `export const ${typeName[0].toLowerCase()}${typeName.slice(1)}Values: ${typeName}[] = [\n${items}\n];\n`;
}

describe('TypeScript types', () => {
  test('tsc --noEmit accepts the typed example and rejects its misuse', () => {
    runTsc(['--noEmit', '-p', 'tsconfig.json']);
  });

  test('the declarations check without DOM typings (lib es2022, no @types/node)', () => {
    runTsc(['--noEmit', '-p', 'tsconfig.no-dom.json']);
  });

  test('real results of every golden case type-check against index.d.ts', () => {
    const plans = [];
    const snapshots = [];
    for (const goldenCase of goldenCases()) {
      plans.push(plan({ previous: goldenCase.previous, next: goldenCase.next, provider: goldenCase.provider }));
      for (const side of [goldenCase.previous, goldenCase.next]) if (side !== null) snapshots.push(databaseSchema(side));
    }
    assert.ok(plans.some((result) => result.steps.some((step) => step.kind === 'rebuildTables')));
    assert.ok(plans.some((result) => result.steps.some((step) => step.kind === 'recreateEnum')));
    const scripts = plans.map((result) => migrationScript(result.provider, result.steps));
    assert.ok(scripts.some((script) => script.requirements.rebuiltTables.length > 0));
    const folder = migrationFolder({
      name: 'init',
      generatedAt: new Date(),
      provider: 'sqlite',
      beforeSchema: '',
      afterSchema: '',
      migrationSql: '',
      statementCount: 0,
      warnings: ['w'],
      requiresRebuild: false,
    });
    const report = status({
      provider: 'sqlite',
      local: [folder, { name: 'broken', files: {} }],
      history: [
        {
          name: 'gone',
          appliedAt: '2024-01-01T00:00:00.000Z',
          statementCount: 0,
          kind: 'apply',
          warnings: [],
          rebuildRequired: false,
          state: 'failed',
        },
      ],
    });
    const directory = join(packageDirectory, 'test', '.generated');
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'real-results.ts');
    writeFileSync(
      file,
      'import type { DatabaseSchema, IntrospectionQuery, MigrationFolder, MigrationScript, MigrationStatus, PlanResult } from "../../index.js";\n' +
        typedLiterals('PlanResult', plans) +
        typedLiterals('MigrationScript', scripts) +
        typedLiterals('DatabaseSchema', snapshots) +
        typedLiterals('IntrospectionQuery', [...introspectionQueries('sqlite'), ...introspectionQueries('postgresql')]) +
        typedLiterals('MigrationFolder', [folder]) +
        typedLiterals('MigrationStatus', [report]),
    );
    // The package's compiler options, for this file alone.
    writeFileSync(
      join(directory, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', files: ['real-results.ts'] }, null, 2),
    );
    runTsc(['--noEmit', '-p', join(directory, 'tsconfig.json')]);
  });
});
