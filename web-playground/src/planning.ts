// Planning for the page: calls the package's `plan` and, when it throws, finds out which side
// the errors belong to, so that each editor marks its own.

import { isComonMigrateError, plan, type DatabaseSchema, type PlanResult, type Provider, type SchemaErrorInfo } from 'comon-migrate';

export type Side = 'previous' | 'next';

export interface PlanRequest {
  provider: Provider;
  /** Schema text, a snapshot, or null for the empty database. */
  previous: string | DatabaseSchema | null;
  next: string;
  rowCounts?: Record<string, number>;
}

export type PlanOutcome =
  | { ok: true; result: PlanResult }
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

export function planMigration(request: PlanRequest): PlanOutcome {
  const previous = typeof request.previous === 'string' ? sideOf(request.previous) : request.previous;
  const next = sideOf(request.next);
  try {
    const input = { previous, next, provider: request.provider, ...(request.rowCounts ? { rowCounts: request.rowCounts } : {}) };
    return { ok: true, result: plan(input) };
  } catch (error) {
    // `plan` reports the errors of either side without saying which; each side alone tells.
    const errors: Record<Side, SchemaErrorInfo[]> = {
      previous: previous === null ? [] : errorsOfSide(previous, request.provider),
      next: next === null ? [] : errorsOfSide(next, request.provider),
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
