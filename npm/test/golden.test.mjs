// The package plans every golden case of the planner exactly as the native planner does: the
// expected files in planner/tests/golden/*/ are the native output (planner/tests/golden.rs
// checks that), and the package's warnings + SQL, built into the same text, must equal them
// byte for byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { plan } from 'comon-migrate';
import { expectedText, goldenCases } from './support/golden.mjs';

const cases = goldenCases();

test('there are golden cases to compare', () => {
  assert.ok(cases.length >= 120, `expected at least 120 case-provider pairs, found ${cases.length}`);
});

describe('golden cases: the package renders the native warnings and SQL byte for byte', () => {
  for (const goldenCase of cases) {
    test(`${goldenCase.name} (${goldenCase.provider})`, () => {
      const expected = readFileSync(goldenCase.expectedPath, 'utf8').replaceAll('\r\n', '\n');
      const result = plan({
        previous: goldenCase.previous,
        next: goldenCase.next,
        provider: goldenCase.provider,
        onlineDdl: goldenCase.onlineDdl,
        renames: goldenCase.renames,
        ...(goldenCase.rowCounts ? { rowCounts: goldenCase.rowCounts } : {}),
      });
      assert.equal(expectedText(result, goldenCase.listsDecisions), expected);
      // `sql` is the statements, each followed by `;`, with the online phase's marker line (and
      // the line that explains it) before the first statement that runs after the commit.
      const joined = (statements) => statements.map((statement) => `${statement};\n`).join('');
      if (result.afterCommitFrom === undefined) {
        assert.equal(result.sql, joined(result.statements));
      } else {
        const before = joined(result.statements.slice(0, result.afterCommitFrom));
        const after = joined(result.statements.slice(result.afterCommitFrom));
        assert.ok(result.sql.startsWith(`${before}-- comon:after-commit\n`), result.sql);
        assert.ok(result.sql.endsWith(after), result.sql);
        assert.equal(result.sql.split('\n').filter((line) => line.startsWith('-- ')).length, 2, result.sql);
      }
    });
  }
});
