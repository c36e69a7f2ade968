// The package used from TypeScript: `tsc --noEmit -p tsconfig.json` checks this file against
// index.d.ts (test/types.test.mjs runs it). The `@ts-expect-error` lines prove that the types
// are real: with `any` anywhere on their path those lines would compile, and tsc would report
// the directive as unused.
import {
  checksum,
  databaseSchema,
  format,
  init,
  introspectionQueries,
  isComonMigrateError,
  migrationFolder,
  plan,
  renderSchema,
  renderSteps,
  snapshotFromRows,
  status,
  validate,
} from "comon-migrate";
import type {
  ColumnDefault,
  ComonMigrateError,
  DatabaseSchema,
  HistoryRow,
  LocalMigrationFolder,
  MigrationFolder,
  MigrationStatus,
  MigrationStep,
  PlanResult,
  QueryResult,
  Span,
  Warning,
} from "comon-migrate";

const schema = `datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
`;

/** Runs a query with some driver and returns rows as arrays of text. */
type RunQuery = (sql: string) => Promise<(string | null)[][]>;

export async function introspect(runQuery: RunQuery): Promise<DatabaseSchema> {
  const results: QueryResult[] = [];
  for (const query of introspectionQueries("postgresql")) {
    results.push({ name: query.name, rows: await runQuery(query.sql) });
  }
  return snapshotFromRows("postgresql", results);
}

export function describeStep(step: MigrationStep): string {
  // The union is discriminated by `kind`: each branch sees its own fields.
  switch (step.kind) {
    case "createTable":
      return `create ${step.table.name} with ${step.table.columns.length} columns`;
    case "alterTable":
      return `alter ${step.table}: ${step.changes.map((change) => change.kind).join(", ")}`;
    case "rebuildTables":
      return `rebuild ${step.rebuilds.map((rebuild) => `${rebuild.previousName} -> ${rebuild.next.name}`).join(", ")}`;
    case "addForeignKey":
      return `${step.table} -> ${step.foreignKey.referencedTable}`;
    default:
      return step.kind;
  }
}

export function describeDefault(value: ColumnDefault | undefined): string {
  if (value === undefined) return "none";
  switch (value.kind) {
    case "now":
      return "now()";
    case "expression":
      return value.value;
    case "value":
      return value.value.type === "list" ? `[${value.value.value.length} values]` : String(value.value.value);
  }
}

export async function buildStep(previous: string | null): Promise<MigrationFolder | null> {
  await init();
  // Where the .wasm comes from, in a browser: its URL, a Response, its bytes or a compiled module.
  const wasmUrl = new URL("https://example.com/comon_migrate_wasm_bg.wasm");
  await init(wasmUrl);
  await init(fetch(wasmUrl));
  await init(new Uint8Array(0));
  await init(await WebAssembly.compile(new Uint8Array(0)));
  try {
    validate(schema);
  } catch (error) {
    if (isComonMigrateError(error)) {
      const span: Span | null = error.span;
      const code: string = error.code;
      console.error(code, error.message, span?.line, span?.column, error.errors.length);
      return null;
    }
    throw error;
  }
  const formatted: string = format(schema);
  const result: PlanResult = plan({ previous, next: formatted, rowCounts: { User: 10 } });
  if (result.unexecutable) return null;
  const statements: string[] = renderSteps(result.provider, result.steps);
  console.log(statements.length === result.statements.length);
  const warnings: Warning[] = result.warnings;
  for (const step of result.steps) console.log(step.summary, describeStep(step));
  const snapshot: DatabaseSchema = databaseSchema(formatted);
  for (const table of snapshot.tables) {
    for (const column of table.columns) console.log(table.name, column.name, describeDefault(column.default));
  }
  return migrationFolder({
    name: "add users",
    generatedAt: new Date(),
    provider: result.provider,
    beforeSchema: previous ?? renderSchema({ provider: result.provider, tables: [], enums: [] }),
    afterSchema: formatted,
    migrationSql: result.sql,
    statementCount: result.statements.length,
    warnings: warnings.map((warning) => warning.message),
    requiresRebuild: result.requiresRebuild,
  });
}

export function check(local: LocalMigrationFolder[], history: HistoryRow[]): boolean {
  const report: MigrationStatus = status({ provider: "postgresql", local, history, migrationsDirectory: "prisma/migrations" });
  for (const issue of report.issues) console.log(`${issue.code} | ${issue.message}`);
  return report.issues.length === 0;
}

export function artifactChecksum(folder: MigrationFolder): string {
  const files = folder.files;
  return checksum({
    provider: "postgresql",
    beforeSchema: files["before.prisma"],
    afterSchema: files["after.prisma"],
    migrationSql: files["migration.sql"],
    warnings: files["warnings.txt"]?.split("\n").filter((line) => line !== "") ?? [],
    requiresRebuild: false,
  });
}

export function errorCode(error: ComonMigrateError): string {
  return error.errors[0]?.code ?? error.code;
}

// ----- misuse that the types reject -----

export function misuse(result: PlanResult, snapshot: DatabaseSchema): void {
  // @ts-expect-error: a plan side is schema text, a snapshot or null
  plan({ previous: 42, next: null });
  // @ts-expect-error: the provider is one of the known ones
  introspectionQueries("mysql");
  // @ts-expect-error: `sql` is text
  const count: number = result.sql;
  // @ts-expect-error: warnings have a fixed set of kinds
  const kind: "error" = result.warnings[0]!.kind;
  // @ts-expect-error: rows are text or null
  snapshotFromRows("sqlite", [{ name: "sqlite_tables", rows: [[1]] }]);
  // @ts-expect-error: a snapshot's provider is a known one
  renderSchema({ ...snapshot, provider: "oracle" });
  // @ts-expect-error: validate returns nothing
  const valid: boolean = validate(schema);
  // @ts-expect-error: a draft needs every field
  migrationFolder({ name: "x" });
  // @ts-expect-error: step fields depend on the step's kind
  const table: string = result.steps[0]!.table;
  // @ts-expect-error: steps are tagged by a known kind
  renderSteps("sqlite", [{ kind: "explode" }]);
  // @ts-expect-error: history rows need their kind and state
  status({ provider: "sqlite", local: [], history: [{ name: "x", appliedAt: "", statementCount: 1, warnings: [], rebuildRequired: false }] });
  console.log(count, kind, valid, table);
}
