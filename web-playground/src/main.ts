// The playground page: two schema editors (or a snapshot, or a SQLite file, as the previous
// side), a provider switch, and the plan the npm package comon-migrate computes, live.

import './style.css';
import { format, init, renderSchema, type PlanResult, type Provider, type SchemaErrorInfo } from 'comon-migrate';
import { CodeEditor } from './editor';
import { examples, type Example } from './examples';
import { renderOutcome, type OutputElements } from './output';
import { planMigration, providerOfSchema, withProvider, type PlanOutcome, type PlanRequest } from './planning';
import type { Database, Introspection } from './sqlite';
import { hashOfState, stateOfHash, type SharedState } from './url-state';

type PreviousMode = 'schema' | 'snapshot' | 'database';

interface LoadedDatabase {
  name: string;
  database: Database;
  introspection: Introspection;
}

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}.`);
  return found as T;
}

// SQLite (sql.js and its .wasm) is a separate chunk, loaded once the planner runs.
const sqliteModule = () => import('./sqlite');

const page = {
  provider: element<HTMLSelectElement>('provider'),
  examples: element<HTMLSelectElement>('examples'),
  share: element<HTMLButtonElement>('share'),
  status: element('status'),
  formatPrevious: element<HTMLButtonElement>('format-previous'),
  formatNext: element<HTMLButtonElement>('format-next'),
  copySql: element<HTMLButtonElement>('copy-sql'),
  tabs: [...document.querySelectorAll<HTMLButtonElement>('[role="tab"][data-mode]')],
  modeBodies: [...document.querySelectorAll<HTMLElement>('[data-mode-body]')],
  fileInput: element<HTMLInputElement>('file-input'),
  emptyDatabase: element<HTMLButtonElement>('empty-database'),
  dropzone: element('dropzone'),
  dropOverlay: element('drop-overlay'),
  databaseInfo: element('database-info'),
  databaseName: element('database-name'),
  databaseSummary: element('database-summary'),
  databaseTables: element('database-tables'),
  databaseMessage: element('database-message'),
  applyMigration: element<HTMLButtonElement>('apply-migration'),
  downloadDatabase: element<HTMLButtonElement>('download-database'),
  databaseAsSchema: element<HTMLButtonElement>('database-as-schema'),
  closeDatabase: element<HTMLButtonElement>('close-database'),
  nextPane: element('next-pane'),
};

const output: OutputElements = {
  root: element('output'),
  badges: element('badges'),
  errors: element('plan-errors'),
  warningsSection: element('warnings-section'),
  warnings: element('warnings'),
  steps: element('steps'),
  sql: element('sql'),
};

const previousEditor = new CodeEditor({ name: 'previous', label: 'Previous schema.prisma', placeholder: 'Empty: the empty database.' });
const snapshotEditor = new CodeEditor({
  name: 'snapshot',
  label: 'Previous snapshot JSON',
  placeholder: 'Paste a snapshot JSON (what `comon` and introspection write). Empty: the empty database.',
});
const databaseSchemaEditor = new CodeEditor({ name: 'database', label: 'Introspected schema', readOnly: true });
const nextEditor = new CodeEditor({ name: 'next', label: 'Next schema.prisma', placeholder: 'The schema to migrate to.' });
element('previous-schema-host').append(previousEditor.element);
element('previous-snapshot-host').append(snapshotEditor.element);
element('database-schema-host').append(databaseSchemaEditor.element);
element('next-host').append(nextEditor.element);

const app = {
  provider: 'sqlite' as Provider,
  previousMode: 'schema' as PreviousMode,
  loaded: null as LoadedDatabase | null,
  /** Row counts that came with a shared snapshot. */
  snapshotRowCounts: undefined as Record<string, number> | undefined,
  lastOutcome: null as PlanOutcome | null,
  lastHash: '',
  planTimer: 0,
  hashTimer: 0,
  hashGeneration: 0,
  planCount: 0,
};

function setStatus(text: string, kind: 'info' | 'error' = 'info'): void {
  page.status.textContent = text;
  page.status.dataset.kind = kind;
}

// ----- previous side -----

function setPreviousMode(mode: PreviousMode): void {
  app.previousMode = mode;
  for (const tab of page.tabs) tab.setAttribute('aria-selected', String(tab.dataset.mode === mode));
  for (const body of page.modeBodies) body.hidden = body.dataset.modeBody !== mode;
  page.formatPrevious.disabled = mode === 'database';
  document.body.dataset.previousMode = mode;
}

/** A JSON.parse error as a diagnostic placed at its position, when the message gives one. */
function jsonErrorOf(text: string, error: unknown): SchemaErrorInfo {
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

type PreviousSide = { ok: true; request: Pick<PlanRequest, 'previous' | 'rowCounts'> } | { ok: false; error: SchemaErrorInfo };

function previousSide(): PreviousSide {
  switch (app.previousMode) {
    case 'schema':
      return { ok: true, request: { previous: previousEditor.value } };
    case 'snapshot': {
      const text = snapshotEditor.value;
      if (text.trim() === '') return { ok: true, request: { previous: null } };
      try {
        return { ok: true, request: { previous: JSON.parse(text), ...(app.snapshotRowCounts ? { rowCounts: app.snapshotRowCounts } : {}) } };
      } catch (error) {
        return { ok: false, error: jsonErrorOf(text, error) };
      }
    }
    case 'database': {
      const loaded = app.loaded;
      if (!loaded) return { ok: true, request: { previous: null } };
      return { ok: true, request: { previous: loaded.introspection.snapshot, rowCounts: loaded.introspection.rowCounts } };
    }
  }
}

// ----- planning -----

function replan(): void {
  window.clearTimeout(app.planTimer);
  const previous = previousSide();
  const started = performance.now();
  const outcome: PlanOutcome = previous.ok
    ? planMigration({ provider: app.provider, next: nextEditor.value, ...previous.request })
    : { ok: false, errors: { previous: [previous.error], next: [] }, other: [] };
  const elapsed = performance.now() - started;
  app.lastOutcome = outcome;
  app.planCount++;

  const previousErrors = outcome.ok ? [] : outcome.errors.previous;
  previousEditor.setDiagnostics(app.previousMode === 'schema' ? previousErrors : []);
  snapshotEditor.setDiagnostics(app.previousMode === 'snapshot' ? previousErrors : []);
  nextEditor.setDiagnostics(outcome.ok ? [] : outcome.errors.next);
  renderOutcome(output, outcome);
  output.root.dataset.planCount = String(app.planCount);
  renderDatabase();

  if (outcome.ok) setStatus(`Planned in ${elapsed < 1 ? elapsed.toFixed(2) : elapsed.toFixed(1)} ms`);
  else setStatus('The schemas have errors', 'error');
  scheduleHashUpdate();
}

function schedulePlan(): void {
  window.clearTimeout(app.planTimer);
  app.planTimer = window.setTimeout(replan, 120);
}

// ----- provider -----

function setProvider(provider: Provider, rewriteSchemas: boolean): void {
  app.provider = provider;
  page.provider.value = provider;
  if (rewriteSchemas) {
    previousEditor.setValue(withProvider(previousEditor.value, provider));
    nextEditor.setValue(withProvider(nextEditor.value, provider));
  }
}

page.provider.addEventListener('change', () => {
  setProvider(page.provider.value === 'postgresql' ? 'postgresql' : 'sqlite', true);
  replan();
});

previousEditor.onChange(schedulePlan);
snapshotEditor.onChange(() => {
  // Row counts belong to the snapshot they came with, not to an edited one.
  app.snapshotRowCounts = undefined;
  schedulePlan();
});
nextEditor.onChange((text) => {
  const named = providerOfSchema(text);
  if (named && named !== app.provider) setProvider(named, false);
  schedulePlan();
});

// ----- URL state -----

function sharedState(): SharedState {
  const loaded = app.previousMode === 'database' ? app.loaded : null;
  const state: SharedState = {
    provider: app.provider,
    previousMode: app.previousMode === 'schema' ? 'schema' : 'snapshot',
    previous: previousEditor.value,
    snapshot: loaded ? `${JSON.stringify(loaded.introspection.snapshot, null, 2)}\n` : app.previousMode === 'database' ? '' : snapshotEditor.value,
    next: nextEditor.value,
  };
  const rowCounts = loaded ? loaded.introspection.rowCounts : app.previousMode === 'snapshot' ? app.snapshotRowCounts : undefined;
  if (rowCounts) state.rowCounts = rowCounts;
  return state;
}

/** Writes the state into the URL now. `data-url-state` on <html> tells whether the URL is up to date. */
async function writeHash(): Promise<void> {
  window.clearTimeout(app.hashTimer);
  const generation = ++app.hashGeneration;
  const hash = await hashOfState(sharedState());
  if (generation !== app.hashGeneration) return; // a newer state is being written
  if (hash !== location.hash) history.replaceState(null, '', hash);
  app.lastHash = hash;
  document.documentElement.dataset.urlState = 'synced';
}

function scheduleHashUpdate(): void {
  window.clearTimeout(app.hashTimer);
  app.hashGeneration++;
  document.documentElement.dataset.urlState = 'pending';
  app.hashTimer = window.setTimeout(() => void writeHash(), 250);
}

function closeDatabase(): void {
  app.loaded?.database.close();
  app.loaded = null;
}

function applySharedState(state: SharedState): void {
  closeDatabase();
  setProvider(state.provider, false);
  previousEditor.setValue(state.previous);
  snapshotEditor.setValue(state.snapshot);
  nextEditor.setValue(state.next);
  app.snapshotRowCounts = state.rowCounts;
  setPreviousMode(state.previousMode);
}

window.addEventListener('hashchange', () => {
  if (location.hash === app.lastHash) return;
  void stateOfHash(location.hash).then((state) => {
    if (!state) return;
    applySharedState(state);
    page.examples.value = '';
    replan();
  });
});

page.share.addEventListener('click', async () => {
  await writeHash();
  try {
    await navigator.clipboard.writeText(location.href);
    setStatus('Link copied: it reproduces this page exactly');
  } catch {
    setStatus('The address bar holds the link to this state');
  }
});

page.copySql.addEventListener('click', async () => {
  const outcome = app.lastOutcome;
  if (!outcome?.ok) return;
  try {
    await navigator.clipboard.writeText(outcome.result.sql);
    setStatus('migration.sql copied');
  } catch {
    setStatus('The clipboard is not available here', 'error');
  }
});

// ----- format -----

function formatInto(editor: CodeEditor): void {
  try {
    editor.replaceAll(format(editor.value));
    setStatus('Formatted');
  } catch {
    setStatus('Fix the errors first: formatting needs a schema that parses', 'error');
  }
  replan();
}

page.formatNext.addEventListener('click', () => formatInto(nextEditor));
page.formatPrevious.addEventListener('click', () => {
  if (app.previousMode === 'schema') formatInto(previousEditor);
  else if (app.previousMode === 'snapshot') {
    try {
      snapshotEditor.replaceAll(`${JSON.stringify(JSON.parse(snapshotEditor.value), null, 2)}\n`);
    } catch {
      setStatus('The snapshot is not valid JSON', 'error');
    }
    replan();
  }
});

// ----- tabs -----

for (const tab of page.tabs) {
  tab.addEventListener('click', () => {
    setPreviousMode(tab.dataset.mode as PreviousMode);
    replan();
  });
}

// ----- SQLite files -----

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function renderDatabase(): void {
  const loaded = app.loaded;
  page.dropzone.hidden = loaded !== null;
  page.databaseInfo.hidden = loaded === null;
  databaseSchemaEditor.element.hidden = loaded === null;
  if (!loaded) return;
  const { snapshot, rowCounts } = loaded.introspection;
  const totalRows = Object.values(rowCounts).reduce((sum, count) => sum + count, 0);
  page.databaseName.textContent = loaded.name;
  page.databaseSummary.textContent = `${plural(snapshot.tables.length, 'table')}, ${plural(totalRows, 'row')}`;
  page.databaseTables.innerHTML = '';
  for (const table of snapshot.tables) {
    const item = document.createElement('li');
    item.dataset.table = table.name;
    item.dataset.rows = String(rowCounts[table.name] ?? 0);
    item.textContent = `${table.name} `;
    const rows = document.createElement('span');
    rows.className = 'muted';
    rows.textContent = plural(rowCounts[table.name] ?? 0, 'row');
    item.append(rows);
    page.databaseTables.append(item);
  }
  databaseSchemaEditor.setValue(renderSchema(snapshot));
  const outcome = app.lastOutcome;
  page.applyMigration.disabled = !(app.previousMode === 'database' && outcome?.ok && outcome.result.statements.length > 0);
}

function showDatabaseMessage(text: string, kind: 'info' | 'error'): void {
  page.databaseMessage.hidden = false;
  page.databaseMessage.textContent = text;
  page.databaseMessage.dataset.kind = kind;
}

function hideDatabaseMessage(): void {
  page.databaseMessage.hidden = true;
  page.databaseMessage.textContent = '';
}

async function useDatabase(name: string, database: Database): Promise<void> {
  const sqlite = await sqliteModule();
  closeDatabase();
  app.loaded = { name, database, introspection: sqlite.introspect(database) };
  hideDatabaseMessage();
  if (app.provider !== 'sqlite') setProvider('sqlite', true);
  setPreviousMode('database');
  replan();
}

async function openDatabaseFile(file: File): Promise<void> {
  setPreviousMode('database');
  const sqlite = await sqliteModule();
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!sqlite.looksLikeSqlite(bytes)) {
    closeDatabase();
    renderDatabase();
    setStatus(`${file.name} is not a SQLite database`, 'error');
    page.dropzone.dataset.error = `${file.name} is not a SQLite database file.`;
    return;
  }
  delete page.dropzone.dataset.error;
  try {
    const database = await sqlite.openDatabase(bytes);
    await useDatabase(file.name, database);
    setStatus(`Opened ${file.name}`);
  } catch (error) {
    setStatus(`Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }
}

async function openFile(file: File, droppedOnNext: boolean): Promise<void> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.json')) {
    snapshotEditor.setValue(await file.text());
    app.snapshotRowCounts = undefined;
    setPreviousMode('snapshot');
    replan();
  } else if (name.endsWith('.prisma')) {
    (droppedOnNext ? nextEditor : previousEditor).setValue(await file.text());
    if (!droppedOnNext) setPreviousMode('schema');
    replan();
  } else {
    await openDatabaseFile(file);
  }
}

page.fileInput.addEventListener('change', () => {
  const file = page.fileInput.files?.[0];
  if (file) void openFile(file, false);
  page.fileInput.value = '';
});

page.emptyDatabase.addEventListener('click', async () => {
  const sqlite = await sqliteModule();
  await useDatabase('new.db', await sqlite.openDatabase());
});

let dragDepth = 0;
const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
window.addEventListener('dragenter', (event) => {
  if (!carriesFiles(event)) return;
  dragDepth++;
  page.dropOverlay.hidden = false;
});
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) page.dropOverlay.hidden = true;
});
window.addEventListener('dragover', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
});
window.addEventListener('drop', (event) => {
  dragDepth = 0;
  page.dropOverlay.hidden = true;
  const file = event.dataTransfer?.files[0];
  if (!file) return;
  event.preventDefault();
  const droppedOnNext = event.target instanceof Node && page.nextPane.contains(event.target);
  void openFile(file, droppedOnNext);
});

page.applyMigration.addEventListener('click', async () => {
  const loaded = app.loaded;
  const outcome = app.lastOutcome;
  if (!loaded || !outcome?.ok) return;
  const sqlite = await sqliteModule();
  const result: PlanResult = outcome.result;
  const applied = sqlite.applyStatements(loaded.database, result.statements);
  if (applied.ok) {
    loaded.introspection = sqlite.introspect(loaded.database);
    replan();
    showDatabaseMessage(
      `Applied ${plural(applied.applied, 'statement')} in the browser. The database now holds the schema below` +
        (app.lastOutcome?.ok && app.lastOutcome.result.steps.length === 0 ? ', and it matches the next schema.' : '.'),
      'info',
    );
    setStatus('Migration applied to the in-browser database');
  } else {
    const which = applied.statementIndex === null ? '' : `Statement ${applied.statementIndex + 1} failed: `;
    showDatabaseMessage(`${which}${applied.message}. Nothing was changed: the migration was rolled back.`, 'error');
    setStatus('The migration failed and was rolled back', 'error');
  }
});

page.downloadDatabase.addEventListener('click', () => {
  const loaded = app.loaded;
  if (!loaded) return;
  const bytes = loaded.database.export();
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/vnd.sqlite3' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = loaded.name.endsWith('.db') ? loaded.name : `${loaded.name}.db`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
});

page.databaseAsSchema.addEventListener('click', () => {
  const loaded = app.loaded;
  if (!loaded) return;
  previousEditor.setValue(renderSchema(loaded.introspection.snapshot));
  setPreviousMode('schema');
  replan();
});

page.closeDatabase.addEventListener('click', () => {
  closeDatabase();
  hideDatabaseMessage();
  replan();
});

// ----- examples -----

for (const example of examples) {
  const option = document.createElement('option');
  option.value = example.id;
  option.textContent = example.title;
  page.examples.append(option);
}

async function loadExample(example: Example): Promise<void> {
  applySharedState({ provider: example.provider, previousMode: 'schema', previous: example.previous, snapshot: '', next: example.next });
  page.examples.value = example.id;
  if (example.seedRows === undefined) {
    replan();
    return;
  }
  // The previous side is a database made here: the previous schema applied, then the rows.
  const sqlite = await sqliteModule();
  const database = await sqlite.openDatabase();
  const seed = planMigration({ provider: example.provider, previous: null, next: example.previous });
  if (!seed.ok) throw new Error(`The example ${example.id} does not plan.`);
  const applied = sqlite.applyStatements(database, seed.result.statements);
  if (!applied.ok) throw new Error(`The example ${example.id} does not apply: ${applied.message}`);
  sqlite.execute(database, example.seedRows);
  await useDatabase(`${example.id}.db`, database);
}

page.examples.addEventListener('change', () => {
  const example = examples.find((candidate) => candidate.id === page.examples.value);
  if (example) void loadExample(example).catch((error: unknown) => setStatus(String(error), 'error'));
});

// ----- start -----

async function start(): Promise<void> {
  setPreviousMode('schema');
  try {
    await init();
  } catch (error) {
    setStatus(`The planner did not load: ${error instanceof Error ? error.message : String(error)}`, 'error');
    return;
  }
  const shared = await stateOfHash(location.hash);
  if (shared) {
    applySharedState(shared);
    page.examples.value = '';
    replan();
  } else {
    await loadExample(examples[0]!);
    if (location.hash.length > 1) setStatus('This link holds no state this page can read: showing an example', 'error');
  }
  document.documentElement.dataset.ready = 'true';
  // Fetch SQLite's module now, so that dropping a file works offline later.
  void sqliteModule()
    .then((sqlite) => sqlite.loadSqlite())
    .then(
      () => {
        document.documentElement.dataset.sqliteReady = 'true';
      },
      () => setStatus('SQLite did not load: dropping a database file will not work', 'error'),
    );
}

void start();
