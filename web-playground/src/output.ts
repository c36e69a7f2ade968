// The output pane: badges, warnings by kind, the steps and the migration SQL.

import type { PlanResult, SchemaErrorInfo, WarningKind } from 'comon-migrate';
import type { PlanOutcome, Side } from './planning';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[character]};`);
}

const keywords = new Set(
  `ADD ALTER AND AS ASC AUTOINCREMENT BEGIN BY CASCADE CAST COLLATE COLUMN COMMIT CONSTRAINT CREATE CURRENT_TIMESTAMP DATA
  DEFAULT DEFERRABLE DELETE DESC DROP ENUM EXISTS FOREIGN FROM GENERATED IDENTITY IF IMMEDIATE IN INDEX INSERT INTO IS KEY
  NO NOT NULL ON OR PRAGMA PRIMARY REFERENCES RENAME RESTRICT SELECT SET TABLE TO TYPE UNIQUE UPDATE USING VALUE VALUES
  WHERE ALWAYS ACTION BEFORE AFTER`.split(/\s+/),
);

/** Light SQL highlighting: keywords, quoted identifiers, strings, numbers and comments. */
export function highlightSql(sql: string): string {
  const token = /(--[^\n]*)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|([\s\S])/g;
  let html = '';
  for (const match of sql.matchAll(token)) {
    const [text, comment, string, identifier, number, word] = match;
    if (comment) html += `<span class="sql-comment">${escapeHtml(text)}</span>`;
    else if (string) html += `<span class="sql-string">${escapeHtml(text)}</span>`;
    else if (identifier) html += `<span class="sql-identifier">${escapeHtml(text)}</span>`;
    else if (number) html += `<span class="sql-number">${escapeHtml(text)}</span>`;
    else if (word && keywords.has(word.toUpperCase())) html += `<span class="sql-keyword">${escapeHtml(text)}</span>`;
    else html += escapeHtml(text);
  }
  return html;
}

const warningLabels: Record<WarningKind, string> = {
  'data-loss': 'data loss',
  unexecutable: 'unexecutable',
  'may-fail': 'may fail',
  rebuild: 'rebuild',
};

export interface OutputElements {
  badges: HTMLElement;
  errors: HTMLElement;
  warningsSection: HTMLElement;
  warnings: HTMLElement;
  steps: HTMLElement;
  sql: HTMLElement;
  root: HTMLElement;
}

function badge(kind: string, text: string, title = ''): string {
  return `<span class="badge ${kind}" data-badge="${kind}"${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(text)}</span>`;
}

const providerNames = { sqlite: 'SQLite', postgresql: 'PostgreSQL' } as const;

function renderResult(elements: OutputElements, result: PlanResult): void {
  const statementCount = result.statements.length;
  let badges = badge('provider', providerNames[result.provider]);
  if (result.steps.length === 0) {
    badges += badge('in-sync', 'in sync', 'Nothing to do: the previous side already matches the next schema.');
  } else {
    badges += badge('count', `${result.steps.length} step${result.steps.length === 1 ? '' : 's'}, ${statementCount} statement${statementCount === 1 ? '' : 's'}`);
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

  elements.steps.innerHTML =
    result.steps.length === 0
      ? '<li class="empty">No changes: the database already matches the next schema.</li>'
      : result.steps
          .map((step) => {
            const [verb = '', ...rest] = step.summary.split(' ');
            return `<li class="step" data-kind="${escapeHtml(step.kind)}"><span class="step-verb">${escapeHtml(verb)}</span> ${escapeHtml(rest.join(' '))}</li>`;
          })
          .join('');

  elements.sql.innerHTML = result.sql === '' ? '<span class="sql-comment">-- Nothing to migrate.</span>' : highlightSql(result.sql);
}

function renderErrors(elements: OutputElements, errors: Record<Side, SchemaErrorInfo[]>, other: SchemaErrorInfo[]): void {
  const count = errors.previous.length + errors.next.length + other.length;
  elements.badges.innerHTML = badge('error', `${count} error${count === 1 ? '' : 's'}`);
  const line = (side: string, error: SchemaErrorInfo) => {
    const place = error.span && error.span.line > 0 ? ` line ${error.span.line}:${error.span.column}` : '';
    return `<li data-side="${side}" data-code="${escapeHtml(error.code)}"><strong>${side}${place}</strong> <code>${escapeHtml(
      error.code,
    )}</code> ${escapeHtml(error.message)}</li>`;
  };
  elements.errors.innerHTML = `<p>Fix these to see the plan:</p><ul>${[
    ...errors.previous.map((error) => line('previous', error)),
    ...errors.next.map((error) => line('next', error)),
    ...other.map((error) => line('plan', error)),
  ].join('')}</ul>`;
  elements.warningsSection.hidden = true;
  elements.steps.innerHTML = '';
  elements.sql.innerHTML = '';
}

/** Draws an outcome; keeps `data-state` on the pane for styles and tests. */
export function renderOutcome(elements: OutputElements, outcome: PlanOutcome): void {
  elements.errors.hidden = outcome.ok;
  if (outcome.ok) renderResult(elements, outcome.result);
  else renderErrors(elements, outcome.errors, outcome.other);
  elements.root.dataset.state = outcome.ok ? 'planned' : 'error';
  elements.root.classList.toggle('stale', !outcome.ok);
}
