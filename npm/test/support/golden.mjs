// The planner's golden cases, read as planner/tests/golden.rs reads them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenDirectory } from './paths.mjs';

// A case that writes its own datasource (for settings such as `extensions`) keeps it, as
// planner/tests/support/mod.rs does; its providers.txt names its one provider.
function withDatasource(models, provider) {
  if (models.split('\n').some((line) => line.startsWith('datasource '))) return models;
  return `datasource db {\n  provider = "${provider}"\n}\n\n${models}`;
}

function readOptional(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/**
 * Every case and provider: `{ name, directory, provider, previous, next, expectedPath }`, where
 * a side is schema text with the provider's datasource, or null when its file is absent.
 */
export function goldenCases() {
  const cases = [];
  const names = readdirSync(goldenDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    const directory = join(goldenDirectory, name);
    // The package plans in comon_orm's flavour only (it has no flavour option yet), so the
    // cases of another flavour (`flavour.txt`) are the native tests' alone.
    const flavour = (readOptional(join(directory, 'flavour.txt')) ?? 'comon-orm').trim();
    if (flavour !== 'comon-orm') continue;
    const providersText = readOptional(join(directory, 'providers.txt'));
    const providers = providersText ? providersText.split(/\s+/).filter(Boolean) : ['postgresql', 'sqlite'];
    const previousModels = readOptional(join(directory, 'previous.prisma'));
    const nextModels = readOptional(join(directory, 'next.prisma'));
    // `options.txt` holds planner options, as planner/tests/support/mod.rs reads them.
    const optionsText = readOptional(join(directory, 'options.txt')) ?? '';
    const optionLines = optionsText.split('\n').map((line) => line.trim());
    const onlineDdl = !optionLines.includes('online-ddl off');
    const listsDecisions = optionLines.includes('decisions');
    // `rename Old=New`, `rename Model.old=new`, `no-rename Old=New`, as the package takes them.
    const renames = optionLines
      .filter((line) => line.startsWith('rename ') || line.startsWith('no-rename '))
      .map((line) => {
        const [flag, decision] = line.split(/\s+/, 2);
        const [left, next] = decision.split('=');
        const [model, previous] = left.includes('.') ? left.split('.') : [undefined, left];
        return { ...(model ? { model } : {}), previous, next, renamed: flag === 'rename' };
      });
    // `rows Table=N`: row counts, as the native planner tests pass them.
    const rowLines = optionLines.filter((line) => line.startsWith('rows '));
    const rowCounts = rowLines.length === 0 ? undefined : Object.fromEntries(
      rowLines.map((line) => {
        const [table, count] = line.slice('rows '.length).split('=');
        return [table.trim(), Number(count.trim())];
      }),
    );
    for (const provider of providers) {
      cases.push({
        name,
        directory,
        provider,
        previous: previousModels === null ? null : withDatasource(previousModels, provider),
        next: nextModels === null ? null : withDatasource(nextModels, provider),
        expectedPath: join(directory, `${provider}.sql`),
        onlineDdl,
        renames,
        listsDecisions,
        rowCounts,
      });
    }
  }
  return cases;
}

/**
 * The text an expected file holds for a plan: warnings and undecided rename candidates as
 * comments (and the decisions, when the case lists them), a blank line, the SQL.
 */
export function expectedText(result, listsDecisions = false) {
  let text = '';
  for (const warning of result.warnings) text += `-- warning[${warning.kind}]: ${warning.message}\n`;
  for (const candidate of result.renameCandidates) {
    const pair = `${candidate.model ? `${candidate.model}.` : ''}${candidate.previous}=${candidate.next}`;
    text += `-- rename-candidate[rename-${candidate.kind}]: ${pair}\n`;
  }
  const decisions = listsDecisions ? result.decisions : [];
  for (const decision of decisions) text += `-- decision[${decision.code}]: ${decision.answers.join(' or ')}\n`;
  if (result.warnings.length > 0 || result.renameCandidates.length > 0 || decisions.length > 0) text += '\n';
  return text + result.sql;
}
