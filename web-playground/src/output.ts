// The output pane: badges, warnings by kind, the steps and the migration SQL (a read-only
// CodeMirror view, which draws only the lines in view however long the SQL is). While a schema
// has errors, the last plan that worked stays visible, dimmed, under the list of errors.

import type { SchemaErrorInfo, WarningKind } from 'comon-migrate';
import type { CodeEditor } from './editor';
import type { PlanOutcome, PlanView, Side } from './planning';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[character]};`);
}

const warningLabels: Record<WarningKind, string> = {
  'data-loss': 'data loss',
  unexecutable: 'unexecutable',
  'may-fail': 'may fail',
  rebuild: 'rebuild',
  blocking: 'blocks the table',
};

export interface OutputElements {
  root: HTMLElement;
  badges: HTMLElement;
  errors: HTMLElement;
  warningsSection: HTMLElement;
  warnings: HTMLElement;
  steps: HTMLElement;
  stepCount: HTMLElement;
  sql: CodeEditor;
}

function badge(kind: string, text: string, title = ''): string {
  return `<span class="badge ${kind}" data-badge="${kind}"${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(text)}</span>`;
}

const providerNames = { sqlite: 'SQLite', postgresql: 'PostgreSQL' } as const;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function renderResult(elements: OutputElements, result: PlanView): void {
  let badges = badge('provider', providerNames[result.provider]);
  if (result.steps.length === 0) {
    badges += badge('in-sync', 'in sync', 'Nothing to do: the previous side already matches the next schema.');
  } else {
    badges += badge('count', `${plural(result.steps.length, 'step')}, ${plural(result.statements.length, 'statement')}`);
  }
  if (result.requiresRebuild) badges += badge('rebuild', 'table rebuild', 'SQLite cannot alter some table in place: it is copied into a new one.');
  if (result.unexecutable) badges += badge('unexecutable', 'unexecutable', 'Some step cannot run against the rows the database holds.');
  const kinds = new Set(result.warnings.map((warning) => warning.kind));
  if (kinds.has('data-loss')) badges += badge('data-loss', 'data loss');
  elements.badges.innerHTML = badges;

  elements.warningsSection.hidden = result.warnings.length === 0;
  elements.warnings.innerHTML = result.warnings
    .map(
      (warning) =>
        `<li class="warning kind-${warning.kind}" data-kind="${warning.kind}"><span class="warning-kind">${
          warningLabels[warning.kind] ?? warning.kind
        }</span><span class="warning-message">${escapeHtml(warning.message)}</span></li>`,
    )
    .join('');

  elements.stepCount.textContent = result.steps.length === 0 ? '' : `(${result.steps.length})`;
  renderSteps(elements, result.steps);

  elements.sql.setLanguage(result.provider === 'postgresql' ? 'sql-postgresql' : 'sql-sqlite');
  elements.sql.setValue(result.sql === '' ? '-- Nothing to migrate.\n' : result.sql);
}

/**
 * The steps drawn at first: a list of thousands of items costs the page hundreds of milliseconds
 * of style and layout on every plan, and migration.sql below has every statement anyway.
 */
export const stepsShownAtFirst = 200;

let drawnSteps = '';
let showAllSteps = false;

function renderSteps(elements: OutputElements, steps: PlanView['steps']): void {
  const shown = showAllSteps ? steps : steps.slice(0, stepsShownAtFirst);
  let html =
    steps.length === 0
      ? '<li class="empty">No changes: the database already matches the next schema.</li>'
      : shown
          .map((step) => {
            const space = step.summary.indexOf(' ');
            const verb = space < 0 ? step.summary : step.summary.slice(0, space);
            const rest = space < 0 ? '' : step.summary.slice(space + 1);
            return `<li class="step" data-kind="${escapeHtml(step.kind)}"><span class="step-verb">${escapeHtml(verb)}</span> ${escapeHtml(rest)}</li>`;
          })
          .join('');
  if (shown.length < steps.length) {
    html += `<li class="more"><button type="button" class="link" data-show-all-steps>and ${plural(steps.length - shown.length, 'more step')}: show all</button></li>`;
  }
  // Most plans while typing have the steps of the last one: the list is not redrawn then.
  if (html === drawnSteps) return;
  drawnSteps = html;
  elements.steps.innerHTML = html;
  const more = elements.steps.querySelector<HTMLButtonElement>('[data-show-all-steps]');
  more?.addEventListener('click', () => {
    showAllSteps = true;
    renderSteps(elements, steps);
  });
}

function renderErrors(elements: OutputElements, errors: Record<Side, SchemaErrorInfo[]>, other: SchemaErrorInfo[], hasLastPlan: boolean): void {
  const count = errors.previous.length + errors.next.length + other.length;
  elements.badges.innerHTML = badge('error', plural(count, 'error'));
  const line = (side: string, error: SchemaErrorInfo) => {
    const place = error.span && error.span.line > 0 ? ` line ${error.span.line}:${error.span.column}` : '';
    return `<li data-side="${side}" data-code="${escapeHtml(error.code)}"><strong>${side}${place}</strong> <code>${escapeHtml(
      error.code,
    )}</code> ${escapeHtml(error.message)}</li>`;
  };
  elements.errors.innerHTML = `<p>Fix these to see the plan${hasLastPlan ? ' (below, dimmed: the last plan that worked)' : ''}:</p><ul>${[
    ...errors.previous.map((error) => line('previous', error)),
    ...errors.next.map((error) => line('next', error)),
    ...other.map((error) => line('plan', error)),
  ].join('')}</ul>`;
}

/**
 * Draws an outcome; keeps `data-state` on the pane for styles and tests (`planned`, `error`),
 * and `data-stale` while a plan with errors leaves the last good plan on show.
 */
export function renderOutcome(elements: OutputElements, outcome: PlanOutcome, lastGoodPlan: PlanView | null): void {
  elements.errors.hidden = outcome.ok;
  if (outcome.ok) renderResult(elements, outcome.result);
  else renderErrors(elements, outcome.errors, outcome.other, lastGoodPlan !== null);
  elements.root.dataset.state = outcome.ok ? 'planned' : 'error';
  elements.root.dataset.lastPlan = outcome.ok || lastGoodPlan ? 'shown' : 'none';
  elements.root.classList.toggle('stale', !outcome.ok);
}
