// Planning for the page, run in the planner's Web Worker (planner-worker.ts): calls the
// package's `plan` and, when it throws, finds out which side (previous or next) each error
// belongs to, so that each editor marks its own. What goes back to the page is only what it
// draws (`PlanView`): structured cloning the full steps of a 500-model plan would cost the page
// more than drawing it.

import { isComonMigrateError, plan, type DatabaseSchema, type PlanResult, type Provider, type SchemaErrorInfo, type Warning } from 'comon-migrate';

export type Side = 'previous' | 'next';

/** The previous side as the page has it: schema text, snapshot JSON text, a snapshot, or the empty database. */
export type PreviousInput =
  | { kind: 'schema'; text: string }
  | { kind: 'snapshot-json'; text: string }
  | { kind: 'snapshot'; snapshot: DatabaseSchema }
  | { kind: 'empty' };

export interface PlanRequest {
  provider: Provider;
  previous: PreviousInput;
  next: string;
  rowCounts?: Record<string, number>;
}

/** What the page draws of a plan. */
export interface PlanView {
  provider: Provider;
  sql: string;
  statements: string[];
  steps: Array<{ kind: string; summary: string }>;
  warnings: Warning[];
  requiresRebuild: boolean;
  unexecutable: boolean;
}

export type PlanOutcome =
  | { ok: true; result: PlanView }
  | { ok: false; errors: Record<Side, SchemaErrorInfo[]>; other: SchemaErrorInfo[] };

/** Blank text is the empty database. */
function sideOf(text: string): string | null {
  return text.trim() === '' ? null : text;
}

function errorsOf(error: unknown): SchemaErrorInfo[] {
  if (isComonMigrateError(error)) {
    return error.errors.length > 0 ? error.errors : [{ code: error.code, message: error.message, span: error.span }];
  }
  return [{ code: 'internal-error', message: error instanceof Error ? error.message : String(error), span: null }];
}

/** The errors of one side alone, planned from the empty database. */
function errorsOfSide(side: string | DatabaseSchema, provider: Provider): SchemaErrorInfo[] {
  try {
    plan({ previous: null, next: side, provider });
    return [];
  } catch (error) {
    return errorsOf(error);
  }
}

/** A JSON.parse error as a diagnostic placed at its position, when the message gives one. */
export function jsonErrorOf(text: string, error: unknown): SchemaErrorInfo {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return { code: 'invalid-json', message, span: null };
  const index = Math.min(Number(position[1]), text.length);
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  const start = new TextEncoder().encode(before).length;
  return { code: 'invalid-json', message, span: { start, end: start + 1, line, column } };
}

function viewOf(result: PlanResult): PlanView {
  return {
    provider: result.provider,
    sql: result.sql,
    statements: result.statements,
    steps: result.steps.map((step) => ({ kind: step.kind, summary: step.summary })),
    warnings: result.warnings,
    requiresRebuild: result.requiresRebuild,
    unexecutable: result.unexecutable,
  };
}

export function planMigration(request: PlanRequest): PlanOutcome {
  let previous: string | DatabaseSchema | null;
  switch (request.previous.kind) {
    case 'schema':
      previous = sideOf(request.previous.text);
      break;
    case 'snapshot-json': {
      const text = request.previous.text;
      if (text.trim() === '') previous = null;
      else {
        try {
          previous = JSON.parse(text) as DatabaseSchema;
        } catch (error) {
          return { ok: false, errors: { previous: [jsonErrorOf(text, error)], next: [] }, other: [] };
        }
      }
      break;
    }
    case 'snapshot':
      previous = request.previous.snapshot;
      break;
    case 'empty':
      previous = null;
      break;
  }
  const next = sideOf(request.next);
  try {
    const input = { previous, next, provider: request.provider, ...(request.rowCounts ? { rowCounts: request.rowCounts } : {}) };
    return { ok: true, result: viewOf(plan(input)) };
  } catch (error) {
    // `plan` names the side its errors are in; the other side, planned alone, tells whether it has errors too.
    const side = isComonMigrateError(error) ? (error as { side?: Side | null }).side : undefined;
    const errors: Record<Side, SchemaErrorInfo[]> = {
      previous: side === 'previous' ? errorsOf(error) : previous === null ? [] : errorsOfSide(previous, request.provider),
      next: side === 'next' ? errorsOf(error) : next === null ? [] : errorsOfSide(next, request.provider),
    };
    const other = errors.previous.length + errors.next.length === 0 ? errorsOf(error) : [];
    return { ok: false, errors, other };
  }
}

const datasourceProvider = /(datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*")([^"]*)(")/;

/** The provider a schema's datasource block names, if it names one this page knows. */
export function providerOfSchema(text: string): Provider | null {
  const name = datasourceProvider.exec(text)?.[2];
  if (name === 'sqlite') return 'sqlite';
  if (name === 'postgresql' || name === 'postgres') return 'postgresql';
  return null;
}

/** The schema with its datasource's provider set to `provider` (unchanged when it has no datasource). */
export function withProvider(text: string, provider: Provider): string {
  return text.replace(datasourceProvider, (_whole, before: string, _name: string, after: string) => `${before}${provider}${after}`);
}
