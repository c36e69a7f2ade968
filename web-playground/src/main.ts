// The playground page: two schema editors (or a snapshot, or a SQLite file, as the previous
// side), a provider switch, and the plan the npm package comon-migrate computes, live.

import './style.css';
import { format, init, migrationFolder, plan, renderSchema, type DatabaseSchema, type Provider } from 'comon-migrate';
import { CodeEditor } from './editor';
import { examples, type Example } from './examples';
import { renderOutcome, type OutputElements } from './output';
import { PlannerClient } from './planner-client';
import { providerOfSchema, withProvider, type PlanOutcome, type PlanRequest, type PlanView, type PreviousInput } from './planning';
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
// The diff view (@codemirror/merge) is a separate chunk too, loaded when it is first shown.
const diffModule = () => import('./diff');

const page = {
  provider: element<HTMLSelectElement>('provider'),
  examples: element<HTMLSelectElement>('examples'),
  share: element<HTMLButtonElement>('share'),
  status: element('status'),
  formatPrevious: element<HTMLButtonElement>('format-previous'),
  formatNext: element<HTMLButtonElement>('format-next'),
  copySql: element<HTMLButtonElement>('copy-sql'),
  downloadZip: element<HTMLButtonElement>('download-zip'),
  viewTabs: [...document.querySelectorAll<HTMLButtonElement>('[role="tab"][data-view]')],
  viewBodies: [...document.querySelectorAll<HTMLElement>('[data-view-body]')],
  diffHost: element('diff-host'),
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

const previousEditor = new CodeEditor({ name: 'previous', language: 'prisma', label: 'Previous schema.prisma', placeholder: 'Empty: the empty database.' });
const snapshotEditor = new CodeEditor({
  name: 'snapshot',
  language: 'json',
  label: 'Previous snapshot JSON',
  placeholder: 'Paste a snapshot JSON (what `comon` and introspection write). Empty: the empty database.',
});
const databaseSchemaEditor = new CodeEditor({ name: 'database', language: 'prisma', label: 'Introspected schema', readOnly: true });
const nextEditor = new CodeEditor({ name: 'next', language: 'prisma', label: 'Next schema.prisma', placeholder: 'The schema to migrate to.' });
const sqlEditor = new CodeEditor({ name: 'sql', language: 'sql-sqlite', label: 'migration.sql', readOnly: true, noDiagnosticsList: true });
element('previous-schema-host').append(previousEditor.element);
element('previous-snapshot-host').append(snapshotEditor.element);
element('database-schema-host').append(databaseSchemaEditor.element);
element('next-host').append(nextEditor.element);
element('sql-host').append(sqlEditor.element);

const output: OutputElements = {
  root: element('output'),
  badges: element('badges'),
  errors: element('plan-errors'),
  warningsSection: element('warnings-section'),
  warnings: element('warnings'),
  steps: element('steps'),
  stepCount: element('step-count'),
  sql: sqlEditor,
};

const planner = new PlannerClient();

// For the browser tests: the editors' text lives in CodeMirror's state, not in the DOM.
declare global {
  interface Window {
    comonPlayground: { editors: Record<string, CodeEditor> };
  }
}
window.comonPlayground = {
  editors: { previous: previousEditor, snapshot: snapshotEditor, database: databaseSchemaEditor, next: nextEditor, sql: sqlEditor },
};

const app = {
  provider: 'sqlite' as Provider,
  previousMode: 'schema' as PreviousMode,
  loaded: null as LoadedDatabase | null,
  /** Row counts that came with a shared snapshot. */
  snapshotRowCounts: undefined as Record<string, number> | undefined,
  lastOutcome: null as PlanOutcome | null,
  /** The last plan without errors, which stays on show while a schema has errors. */
  lastGoodPlan: null as PlanView | null,
  view: 'plan' as 'plan' | 'diff',
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

function previousSide(): Pick<PlanRequest, 'previous' | 'rowCounts'> {
  switch (app.previousMode) {
    case 'schema':
      return { previous: { kind: 'schema', text: previousEditor.value } };
    case 'snapshot':
      return { previous: { kind: 'snapshot-json', text: snapshotEditor.value }, ...(app.snapshotRowCounts ? { rowCounts: app.snapshotRowCounts } : {}) };
    case 'database': {
      const loaded = app.loaded;
      if (!loaded) return { previous: { kind: 'empty' } };
      return { previous: { kind: 'snapshot', snapshot: loaded.introspection.snapshot }, rowCounts: loaded.introspection.rowCounts };
    }
  }
}

// ----- planning -----

/**
 * Plans the page's current state in the worker and draws the outcome. Only the newest request
 * is drawn: when typing outpaces planning, the plans in between are never sent (see
 * planner-client.ts), and an outcome that a newer edit has made stale is dropped.
 */
async function replan(): Promise<void> {
  window.clearTimeout(app.planTimer);
  app.planTimer = 0;
  const request: PlanRequest = { provider: app.provider, next: nextEditor.value, ...previousSide() };
  document.documentElement.dataset.planning = 'true';
  let planned;
  try {
    planned = await planner.plan(request);
  } catch (error) {
    setStatus(error instanceof Error ? error.message : String(error), 'error');
    return;
  }
  if (planned === null || planner.busy || app.planTimer !== 0) return; // a newer state is on its way
  delete document.documentElement.dataset.planning;
  drawOutcome(planned.outcome);
  const elapsed = planned.milliseconds;
  if (planned.outcome.ok) setStatus(`Planned in ${elapsed < 1 ? elapsed.toFixed(2) : elapsed.toFixed(1)} ms`);
  else setStatus('The schemas have errors', 'error');
  scheduleHashUpdate();
}

function drawOutcome(outcome: PlanOutcome): void {
  app.lastOutcome = outcome;
  if (outcome.ok) app.lastGoodPlan = outcome.result;
  app.planCount++;
  const previousErrors = outcome.ok ? [] : outcome.errors.previous;
  previousEditor.setDiagnostics(app.previousMode === 'schema' ? previousErrors : []);
  snapshotEditor.setDiagnostics(app.previousMode === 'snapshot' ? previousErrors : []);
  nextEditor.setDiagnostics(outcome.ok ? [] : outcome.errors.next);
  renderOutcome(output, outcome, app.lastGoodPlan);
  output.root.dataset.planCount = String(app.planCount);
  page.copySql.disabled = page.downloadZip.disabled = !outcome.ok;
  renderDatabase();
  if (app.view === 'diff') void showDiff();
  // The browser test measures from a keystroke to this mark.
  performance.mark('comon-plan-drawn', { detail: { planCount: app.planCount } });
}

/** After an edit: plan once typing pauses briefly (the worker never blocks typing; this saves it work). */
function schedulePlan(): void {
  window.clearTimeout(app.planTimer);
  app.planTimer = window.setTimeout(() => {
    app.planTimer = 0;
    void replan();
  }, 40);
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
  void replan();
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
    void replan();
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

// ----- the migration folder as a zip -----

/** The previous side as schema text, for `before.prisma` and the diff view. */
function previousSchemaText(): string {
  const emptyDatabase = (): DatabaseSchema => ({ provider: app.provider, tables: [], enums: [] });
  if (app.previousMode === 'schema' && previousEditor.value.trim() !== '') return previousEditor.value;
  if (app.previousMode === 'database' && app.loaded) return renderedSchemaOf(app.loaded.introspection.snapshot);
  if (app.previousMode === 'snapshot' && snapshotEditor.value.trim() !== '') {
    try {
      return renderSchema(JSON.parse(snapshotEditor.value) as DatabaseSchema);
    } catch {
      return '';
    }
  }
  // The empty database, rendered as the CLI writes the first migration's before.prisma.
  return renderSchema(emptyDatabase());
}

page.downloadZip.addEventListener('click', async () => {
  const outcome = app.lastOutcome;
  if (!outcome?.ok) return;
  const { zipSync, strToU8 } = await import('fflate');
  const result = outcome.result;
  const folder = migrationFolder({
    name: 'playground',
    generatedAt: new Date(),
    provider: result.provider,
    beforeSchema: previousSchemaText(),
    afterSchema: nextEditor.value,
    migrationSql: result.sql,
    statementCount: result.statements.length,
    warnings: result.warnings.map((warning) => warning.message),
    requiresRebuild: result.requiresRebuild,
  });
  const entries: Record<string, Uint8Array> = {};
  for (const [file, content] of Object.entries(folder.files)) entries[`${folder.name}/${file}`] = strToU8(content);
  const zip = zipSync(entries, { level: 6 });
  downloadBytes(zip, `${folder.name}.zip`, 'application/zip');
  setStatus(`Downloaded ${folder.name}.zip: put the folder in prisma/migrations`);
});

function downloadBytes(bytes: Uint8Array, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ----- output views: plan, diff -----

function setView(view: 'plan' | 'diff'): void {
  app.view = view;
  for (const tab of page.viewTabs) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
  for (const body of page.viewBodies) body.hidden = body.dataset.viewBody !== view;
  if (view === 'diff') void showDiff();
}

for (const tab of page.viewTabs) tab.addEventListener('click', () => setView(tab.dataset.view === 'diff' ? 'diff' : 'plan'));

/** Draws the side-by-side diff of the two schemas (only while it is shown: diffing costs). */
async function showDiff(): Promise<void> {
  const diff = await diffModule();
  if (app.view !== 'diff') return;
  diff.showSchemaDiff(page.diffHost, previousSchemaText(), nextEditor.value);
}

// ----- format -----

function formatInto(editor: CodeEditor): void {
  try {
    editor.replaceAll(format(editor.value));
    setStatus('Formatted');
  } catch {
    setStatus('Fix the errors first: formatting needs a schema that parses', 'error');
  }
  void replan();
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
    void replan();
  }
});

// ----- tabs -----

for (const tab of page.tabs) {
  tab.addEventListener('click', () => {
    setPreviousMode(tab.dataset.mode as PreviousMode);
    void replan();
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
  databaseSchemaEditor.setValue(renderedSchemaOf(snapshot));
  const outcome = app.lastOutcome;
  // A plan the rows make unexecutable would fail part way: it is not offered.
  const applicable = app.previousMode === 'database' && outcome?.ok === true && outcome.result.statements.length > 0 && !outcome.result.unexecutable;
  page.applyMigration.disabled = !applicable;
  page.applyMigration.title =
    outcome?.ok && outcome.result.unexecutable ? 'The plan cannot run against the rows this database holds: see the warnings' : '';
}

/** `renderSchema` of a snapshot, once per snapshot (the database side is drawn after every plan). */
const renderedSchemas = new WeakMap<DatabaseSchema, string>();
function renderedSchemaOf(snapshot: DatabaseSchema): string {
  let text = renderedSchemas.get(snapshot);
  if (text === undefined) {
    text = renderSchema(snapshot);
    renderedSchemas.set(snapshot, text);
  }
  return text;
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
  await replan();
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
    void replan();
  } else if (name.endsWith('.prisma')) {
    (droppedOnNext ? nextEditor : previousEditor).setValue(await file.text());
    if (!droppedOnNext) setPreviousMode('schema');
    void replan();
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
  const result = outcome.result;
  const applied = sqlite.applyStatements(loaded.database, result.statements);
  if (applied.ok) {
    loaded.introspection = sqlite.introspect(loaded.database);
    await replan();
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
  downloadBytes(loaded.database.export(), loaded.name.endsWith('.db') ? loaded.name : `${loaded.name}.db`, 'application/vnd.sqlite3');
});

page.databaseAsSchema.addEventListener('click', () => {
  const loaded = app.loaded;
  if (!loaded) return;
  previousEditor.setValue(renderedSchemaOf(loaded.introspection.snapshot));
  setPreviousMode('schema');
  void replan();
});

page.closeDatabase.addEventListener('click', () => {
  closeDatabase();
  hideDatabaseMessage();
  void replan();
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
    await replan();
    return;
  }
  // The previous side is a database made here: the previous schema applied (planned on this
  // thread: an example is small), then the rows.
  const sqlite = await sqliteModule();
  const database = await sqlite.openDatabase();
  const seed = plan({ provider: example.provider, previous: null, next: example.previous });
  const applied = sqlite.applyStatements(database, seed.statements);
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
    await replan();
  } else {
    await loadExample(examples[0]!);
    if (location.hash.length > 1) setStatus('This link holds no state this page can read: showing an example', 'error');
  }
  document.documentElement.dataset.ready = 'true';
  // The chunks loaded on demand, fetched now so that they work offline later.
  void diffModule();
  void import('fflate');
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
