// The package's API: what each function returns, and the errors it throws.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checksum,
  databaseSchema,
  format,
  init,
  introspectionQueries,
  isComonMigrateError,
  migrationFolder,
  migrationScript,
  plan,
  renderSchema,
  renderSteps,
  snapshotFromRows,
  status,
  tableDependentsFromRows,
  tableDependentsQuery,
  validate,
} from 'comon-migrate';

const postgresUser = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int @id\n}\n';
const postgresUserWithEmail =
  'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id    Int    @id\n  email String\n}\n';
const sqliteBlog = `datasource db {
  provider = "sqlite"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int     @id @default(autoincrement())
  title    String
  body     String?
  authorId Int
  author   User    @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId])
}
`;

/** Runs `action`, which must throw a ComonMigrateError, and returns the error. */
function thrown(action) {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof Error, 'a real Error is thrown');
    assert.equal(error.name, 'ComonMigrateError');
    assert.ok(isComonMigrateError(error));
    assert.equal(typeof error.code, 'string');
    assert.equal(typeof error.message, 'string');
    assert.ok(Array.isArray(error.errors));
    assert.deepEqual(error.errors[0], { code: error.code, message: error.message, span: error.span });
    assert.ok('span' in error);
    return error;
  }
  assert.fail('expected a ComonMigrateError');
}

describe('init', () => {
  test('resolves at once in Node, where the module is ready on import', async () => {
    assert.equal(await init(), undefined);
  });
});

describe('validate', () => {
  test('returns nothing for a valid schema', () => {
    assert.equal(validate(sqliteBlog), undefined);
  });

  test('throws the first error with its code, message and line:column span, and lists all of them', () => {
    const source = 'datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id Int @id\n  b  Foo\n  c  Bar\n}\n';
    const error = thrown(() => validate(source));
    assert.equal(error.code, 'unknown-type');
    assert.match(error.message, /Foo/);
    assert.deepEqual(error.span, { start: source.indexOf('Foo'), end: source.indexOf('Foo') + 3, line: 7, column: 6 });
    assert.equal(error.errors.length, 2);
    assert.deepEqual(error.errors[0], { code: error.code, message: error.message, span: error.span });
    assert.equal(error.errors[1].span.line, 8);
  });

  test('throws syntax errors with a span', () => {
    const error = thrown(() => validate('model {'));
    assert.equal(error.code, 'syntax-error');
    assert.equal(error.span.line, 1);
    assert.equal(error.span.column, 7);
  });

  test('with a provider, validates text without a datasource and keeps its spans', () => {
    const models = 'model A {\n  id Int @id\n  b  Nope\n}\n';
    assert.ok(thrown(() => validate(models)).errors.some((error) => error.code === 'missing-datasource'));
    assert.equal(validate('model A {\n  id Int @id\n}\n', { provider: 'sqlite' }), undefined);
    const error = thrown(() => validate(models, { provider: 'postgresql' }));
    assert.equal(error.code, 'unknown-type');
    assert.equal(error.span.line, 3);
    assert.equal(thrown(() => validate(sqliteBlog, { provider: 'postgresql' })).code, 'provider-mismatch');
    assert.equal(thrown(() => validate(models, { provider: 'mysql' })).code, 'unknown-provider');
  });

  test('rejects a schema that is not a string', () => {
    assert.equal(thrown(() => validate(42)).code, 'invalid-argument');
    assert.equal(thrown(() => validate()).code, 'invalid-argument');
  });

  test('isComonMigrateError is false for other errors', () => {
    assert.equal(isComonMigrateError(new Error('x')), false);
    assert.equal(isComonMigrateError('unknown-type'), false);
    assert.equal(isComonMigrateError(null), false);
  });
});

describe('format', () => {
  test('aligns fields and is idempotent', () => {
    const formatted = format('datasource db {\nprovider = "sqlite"\n}\nmodel A {\nid Int @id\nlongName String\n}\n');
    assert.equal(formatted, 'datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id       Int    @id\n  longName String\n}\n');
    assert.equal(format(formatted), formatted);
  });

  test('throws when the text does not parse', () => {
    const error = thrown(() => format('model A {'));
    assert.equal(error.code, 'unterminated-block');
    assert.equal(error.span.line, 1);
  });
});

describe('databaseSchema and renderSchema', () => {
  test('databaseSchema gives the snapshot the planner diffs', () => {
    const schema = databaseSchema(sqliteBlog);
    assert.equal(schema.provider, 'sqlite');
    assert.deepEqual(
      schema.tables.map((table) => table.name),
      ['Post', 'User'],
    );
    const post = schema.tables.find((table) => table.name === 'Post');
    assert.deepEqual(post.foreignKeys[0].referencedTable, 'User');
    assert.equal(post.foreignKeys[0].onDelete, 'Cascade');
  });

  test('renderSchema gives schema text that describes the same database', () => {
    const schema = databaseSchema(sqliteBlog);
    const rendered = renderSchema(schema);
    assert.match(rendered, /^datasource db \{\n {2}provider = "sqlite"\n\}\n/);
    assert.equal(validate(rendered), undefined);
    assert.deepEqual(plan({ previous: schema, next: rendered }).steps, []);
  });

  test('renderSchema of the empty database is the datasource alone', () => {
    assert.equal(renderSchema({ provider: 'postgresql', tables: [], enums: [] }), 'datasource db {\n  provider = "postgresql"\n}\n');
  });

  test('renderSchema rejects a snapshot of the wrong shape', () => {
    const error = thrown(() => renderSchema({ provider: 'oracle', tables: [] }));
    assert.equal(error.code, 'invalid-argument');
    assert.match(error.message, /oracle/);
  });
});

describe('plan', () => {
  test('from the empty database: SQL, statements, steps with summaries, no warnings', () => {
    const result = plan({ previous: null, next: sqliteBlog });
    assert.equal(result.provider, 'sqlite');
    assert.deepEqual(
      result.steps.map((step) => step.summary),
      ['CreateTable Post', 'CreateTable User', 'CreateIndex Post_authorId_idx', 'CreateIndex User_email_key'],
    );
    assert.deepEqual(
      result.steps.map((step) => step.kind),
      ['createTable', 'createTable', 'createIndex', 'createIndex'],
    );
    assert.equal(result.steps[0].table.name, 'Post');
    assert.equal(result.sql, result.statements.map((statement) => `${statement};\n`).join(''));
    assert.match(result.statements[0], /^CREATE TABLE "Post"/);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.requiresRebuild, false);
    assert.equal(result.unexecutable, false);
  });

  test('the same input gives the same bytes', () => {
    assert.deepEqual(plan({ previous: null, next: sqliteBlog }), plan({ previous: null, next: sqliteBlog }));
  });

  test('a side may be a snapshot', () => {
    const previous = databaseSchema(postgresUser);
    const fromText = plan({ previous: postgresUser, next: postgresUserWithEmail });
    const fromSnapshot = plan({ previous, next: postgresUserWithEmail });
    assert.deepEqual(fromSnapshot, fromText);
    assert.deepEqual(plan({ previous, next: previous }).steps, []);
  });

  test('to the empty database: drops with data-loss warnings', () => {
    const result = plan({ previous: postgresUser, next: null });
    assert.deepEqual(result.statements, ['DROP TABLE "User"']);
    assert.equal(result.warnings[0].kind, 'data-loss');
  });

  test('text without a datasource takes the provider of the other side', () => {
    const result = plan({ previous: 'model User {\n  id Int @id\n}\n', next: postgresUserWithEmail });
    assert.equal(result.provider, 'postgresql');
    assert.deepEqual(result.statements, ['ALTER TABLE "User" ADD COLUMN "email" TEXT NOT NULL']);
  });

  test('an explicit provider applies to both sides; "postgres" is an alias', () => {
    const result = plan({ previous: null, next: 'model A {\n  id Int @id\n}\n', provider: 'postgres' });
    assert.equal(result.provider, 'postgresql');
    assert.match(result.sql, /CONSTRAINT "A_pkey" PRIMARY KEY/);
    assert.deepEqual(plan({ previous: null, next: null, provider: 'sqlite' }).steps, []);
  });

  test('row counts turn may-fail into unexecutable, or drop the warning for empty tables', () => {
    const input = { previous: postgresUser, next: postgresUserWithEmail };
    const unknown = plan(input);
    assert.deepEqual(
      unknown.warnings.map((warning) => warning.kind),
      ['may-fail'],
    );
    assert.equal(unknown.unexecutable, false);
    const withRows = plan({ ...input, rowCounts: { User: 5 } });
    assert.equal(withRows.warnings[0].kind, 'unexecutable');
    assert.equal(withRows.warnings[0].message, 'Adding required field User.email without default requires manual migration.');
    assert.equal(withRows.unexecutable, true);
    assert.deepEqual(plan({ ...input, rowCounts: { User: 0 } }).warnings, []);
  });

  test('a removed and an added model of the same shape is a rename candidate until `renames` decides', () => {
    const customer = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Customer {\n  id    Int    @id\n  email String\n}\n';
    const client = customer.replace('model Customer', 'model Client').replace('email String', 'mail  String');
    // The columns differ (email, mail), so the models are no candidates; the same columns are.
    assert.deepEqual(plan({ previous: customer, next: client }).renameCandidates, []);
    const sameColumns = customer.replace('model Customer', 'model Client');
    const candidate = plan({ previous: customer, next: sameColumns });
    assert.deepEqual(candidate.renameCandidates, [{ kind: 'model', previous: 'Customer', next: 'Client' }]);
    assert.deepEqual(
      candidate.decisions.map((decision) => [decision.code, decision.answers]),
      [
        ['rename-model', ['--rename Customer=Client', '--no-rename Customer=Client']],
        ['data-loss', ['--accept-data-loss']],
      ],
    );
    assert.ok(candidate.steps.some((step) => step.kind === 'dropTable'));

    const renamed = plan({
      previous: customer,
      next: client,
      renames: [
        { previous: 'Customer', next: 'Client' },
        { model: 'Client', previous: 'email', next: 'mail' },
      ],
    });
    assert.deepEqual(renamed.renameCandidates, []);
    assert.deepEqual(renamed.decisions, []);
    assert.deepEqual(renamed.warnings, []);
    assert.deepEqual(
      renamed.statements,
      [
        'ALTER TABLE "Customer" RENAME TO "Client"',
        'ALTER TABLE "Client" RENAME COLUMN "email" TO "mail"',
        'ALTER TABLE "Client" RENAME CONSTRAINT "Customer_pkey" TO "Client_pkey"',
      ],
    );
    const declined = plan({ previous: customer, next: sameColumns, renames: [{ previous: 'Customer', next: 'Client', renamed: false }] });
    assert.deepEqual(declined.renameCandidates, []);
    assert.deepEqual(declined.steps, candidate.steps);

    const unmatched = thrown(() => plan({ previous: customer, next: sameColumns, renames: [{ previous: 'Customer', next: 'Account' }] }));
    assert.equal(unmatched.code, 'rename-decision-unmatched');
    assert.match(unmatched.message, /--rename Customer=Account/);
    const unknownKey = thrown(() => plan({ previous: customer, next: sameColumns, renames: [{ previous: 'Customer', nxt: 'Client' }] }));
    assert.equal(unknownKey.code, 'unknown-option');
    assert.match(unknownKey.message, /`renames\[0\]` has an unknown key `nxt`/);
    assert.equal(thrown(() => plan({ previous: customer, next: sameColumns, renames: { Customer: 'Client' } })).code, 'invalid-argument');
    assert.equal(thrown(() => plan({ previous: customer, next: sameColumns, renames: [{ previous: 'Customer' }] })).code, 'invalid-argument');
  });

  test('SQLite rebuilds are flagged', () => {
    const next = sqliteBlog.replace('body     String?', 'body     String');
    const result = plan({ previous: sqliteBlog, next });
    assert.equal(result.requiresRebuild, true);
    assert.equal(result.steps.at(-1).kind, 'rebuildTables');
    assert.ok(result.warnings.some((warning) => warning.kind === 'rebuild'));
  });

  test('errors: schema errors of a side, missing or mismatched providers, wrong shapes', () => {
    const invalid = thrown(() => plan({ previous: null, next: 'datasource db {\n  provider = "sqlite"\n}\nmodel A {\n  id Int @id\n  b  Nope\n}\n' }));
    assert.equal(invalid.code, 'unknown-type');
    assert.equal(invalid.span.line, 6);
    assert.equal(invalid.side, 'next');
    const invalidPrevious = thrown(() =>
      plan({ previous: 'datasource db {\n  provider = "sqlite"\n}\nmodel A {\n  id Int @id\n  b  Nope\n}\n', next: sqliteBlog }),
    );
    assert.equal(invalidPrevious.code, 'unknown-type');
    assert.equal(invalidPrevious.side, 'previous');
    assert.equal(thrown(() => plan({ previous: null, next: null })).code, 'missing-provider');
    assert.equal(thrown(() => plan({ previous: null, next: null })).side, null);
    assert.equal(thrown(() => plan({ previous: null, next: 'model A {\n  id Int @id\n}\n' })).code, 'missing-datasource');
    assert.equal(
      thrown(() => plan({ previous: postgresUser, next: { provider: 'sqlite', tables: [], enums: [] } })).code,
      'provider-mismatch',
    );
    assert.equal(thrown(() => plan({ previous: null, next: postgresUser, provider: 'sqlite' })).code, 'provider-mismatch');
    assert.equal(thrown(() => plan({ previous: null, next: null, provider: 'mysql' })).code, 'unknown-provider');
    assert.equal(thrown(() => plan({ previous: 1, next: null })).code, 'invalid-argument');
    assert.equal(thrown(() => plan({ previous: { tables: [] }, next: null })).code, 'invalid-argument');
    assert.equal(thrown(() => plan({ previous: null, next: postgresUser, rowCounts: { User: -1 } })).code, 'invalid-argument');
    assert.equal(thrown(() => plan('schema')).code, 'invalid-argument');
  });

  test('an unknown key in an options object is an error, not ignored (`prev` for `previous`)', () => {
    const typo = thrown(() => plan({ prev: sqliteBlog, next: sqliteBlog }));
    assert.equal(typo.code, 'unknown-option');
    assert.match(typo.message, /unknown key `prev`, expected one of `previous`, `next`, `provider`, `rowCounts`/);
    assert.deepEqual(typo.errors, [{ code: 'unknown-option', message: typo.message, span: null }]);
    assert.equal(thrown(() => validate(sqliteBlog, { providr: 'sqlite' })).code, 'unknown-option');
    const draft = {
      name: 'init',
      generatedAt: new Date(),
      provider: 'sqlite',
      beforeSchema: '',
      afterSchema: '',
      migrationSql: '',
      statementCount: 0,
      warnings: [],
      requiresRebuild: false,
    };
    assert.equal(thrown(() => migrationFolder({ ...draft, requireRebuild: true })).code, 'unknown-option');
    const { name: _name, generatedAt: _generatedAt, statementCount: _statementCount, ...artifact } = draft;
    assert.equal(thrown(() => checksum({ ...artifact, statementCount: 0 })).code, 'unknown-option');
    assert.equal(thrown(() => status({ provider: 'sqlite', local: [], history: [], migrationDirectory: 'x' })).code, 'unknown-option');
    // Keys set to undefined count as given too: an object spread with a misspelt key still fails.
    assert.equal(thrown(() => plan({ previous: null, next: sqliteBlog, rowcounts: undefined })).code, 'unknown-option');
  });
});

describe('renderSteps', () => {
  test('renders a plan\'s steps to its statements, and steps built by hand', () => {
    const result = plan({ previous: postgresUser, next: postgresUserWithEmail });
    assert.deepEqual(renderSteps('postgresql', result.steps), result.statements);
    const blog = plan({ previous: null, next: sqliteBlog });
    assert.deepEqual(renderSteps('sqlite', blog.steps), blog.statements);
    assert.deepEqual(renderSteps('sqlite', [{ kind: 'dropIndex', table: 'User', indexName: 'User_email_key' }]), [
      'DROP INDEX "User_email_key"',
    ]);
    assert.deepEqual(renderSteps('postgres', []), []);
  });

  test('errors: unknown provider, steps of the wrong shape', () => {
    assert.equal(thrown(() => renderSteps('mysql', [])).code, 'unknown-provider');
    assert.equal(thrown(() => renderSteps('sqlite', [{ kind: 'explode' }])).code, 'invalid-argument');
  });
});

describe('migrationScript', () => {
  const sqliteBlogWithRequiredBody = sqliteBlog.replace('body     String?', 'body     String  @default("")');

  test('a SQLite rebuild: the statements without its foreign key pragmas, and where each table is dropped', () => {
    const result = plan({ previous: sqliteBlog, next: sqliteBlogWithRequiredBody });
    assert.ok(result.requiresRebuild);
    const script = migrationScript('sqlite', result.steps);
    // The rendering holds the pragmas for the sqlite3 shell; a runner switches enforcement itself.
    const pragmas = ['PRAGMA defer_foreign_keys=ON', 'PRAGMA foreign_keys=OFF', 'PRAGMA foreign_keys=ON', 'PRAGMA defer_foreign_keys=OFF'];
    assert.deepEqual(
      script.statements.map((statement) => statement.text),
      result.statements.filter((statement) => !pragmas.includes(statement)),
    );
    assert.ok(script.statements.every((statement) => statement.line === null));
    assert.deepEqual(script.requirements, {
      transaction: 'required',
      sqliteForeignKeysOff: true,
      foreignKeyCheckBeforeCommit: true,
      rebuiltTables: [{ table: 'Post', droppedByStatement: 3 }],
    });
    assert.equal(script.statements[3].text, 'DROP TABLE "Post"');
  });

  test('PostgreSQL steps and steps built by hand', () => {
    const result = plan({ previous: postgresUser, next: postgresUserWithEmail });
    assert.deepEqual(migrationScript('postgres', result.steps), {
      statements: result.statements.map((text) => ({ text, line: null })),
      requirements: { transaction: 'required', sqliteForeignKeysOff: false, foreignKeyCheckBeforeCommit: false, rebuiltTables: [] },
    });
    assert.deepEqual(migrationScript('sqlite', [{ kind: 'dropTable', table: 'User' }]).statements, [{ text: 'DROP TABLE "User"', line: null }]);
  });

  test('errors: unknown provider, steps of the wrong shape', () => {
    assert.equal(thrown(() => migrationScript('mysql', [])).code, 'unknown-provider');
    assert.equal(thrown(() => migrationScript('sqlite', [{ kind: 'explode' }])).code, 'invalid-argument');
  });
});

describe('tableDependentsQuery and tableDependentsFromRows', () => {
  test('read the triggers, partial and expression indexes of one table', () => {
    const query = tableDependentsQuery("it's");
    assert.equal(typeof query, 'string');
    assert.ok(query.includes("'it''s'"), query);
    assert.deepEqual(tableDependentsFromRows([['Note', 'trigger', 'note_audit', 'CREATE TRIGGER note_audit AFTER INSERT ON Note BEGIN SELECT 1; END']]), [
      { table: 'Note', kind: 'trigger', name: 'note_audit', sql: 'CREATE TRIGGER note_audit AFTER INSERT ON Note BEGIN SELECT 1; END' },
    ]);
    assert.equal(thrown(() => tableDependentsFromRows([['Note', 'view', 'v', 'CREATE VIEW v AS SELECT 1']])).code, 'introspection-malformed-row');
    assert.equal(thrown(() => tableDependentsQuery(1)).code, 'invalid-argument');
  });
});

describe('introspection', () => {
  test('a fixed list of named catalog queries per provider', () => {
    assert.deepEqual(
      introspectionQueries('sqlite').map((query) => query.name),
      ['sqlite_tables', 'sqlite_columns', 'sqlite_indexes', 'sqlite_foreign_keys', 'sqlite_table_dependents'],
    );
    const postgres = introspectionQueries('postgresql');
    assert.ok(postgres.length > 0);
    assert.deepEqual(introspectionQueries('postgres'), postgres);
    for (const query of postgres) assert.match(query.sql, /SELECT/);
  });

  test('no rows is the empty database', () => {
    const results = introspectionQueries('sqlite').map((query) => ({ name: query.name, rows: [] }));
    assert.deepEqual(snapshotFromRows('sqlite', results), { provider: 'sqlite', tables: [], enums: [] });
  });

  test('errors: unknown provider, missing query results, wrong shapes', () => {
    assert.equal(thrown(() => introspectionQueries('mysql')).code, 'unknown-provider');
    assert.equal(thrown(() => introspectionQueries(1)).code, 'invalid-argument');
    const missing = thrown(() => snapshotFromRows('sqlite', []));
    assert.equal(missing.code, 'introspection-missing-rows');
    assert.equal(missing.span, null);
    assert.equal(missing.errors.length, 1);
    assert.equal(thrown(() => snapshotFromRows('sqlite', [{ name: 'sqlite_tables', rows: [[1]] }])).code, 'invalid-argument');
  });
});

describe('migration folders', () => {
  const draft = {
    name: 'add posts!',
    generatedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 120)),
    provider: 'sqlite',
    beforeSchema: 'datasource db {\n  provider = "sqlite"\n}\n',
    afterSchema: sqliteBlog,
    migrationSql: 'CREATE TABLE "A" ("id" INTEGER NOT NULL PRIMARY KEY);\n',
    statementCount: 1,
    warnings: [],
    requiresRebuild: false,
  };

  test('checksum is comon_orm\'s: the SHA-256 of the compact JSON of the artifact', () => {
    const empty = { provider: 'sqlite', beforeSchema: '', afterSchema: '', migrationSql: '', warnings: [], requiresRebuild: false };
    // The same vector as planner/src/migrations/checksum.rs, computed with sha256sum.
    assert.equal(checksum(empty), '61d5c3769b445530ff943c2501970490b4e51373b81e39e7473de618e2a13910');
    assert.equal(checksum({ ...empty, migrationSql: 'SELECT 1;\r\n' }), checksum({ ...empty, migrationSql: 'SELECT 1;\n' }));
    assert.notEqual(checksum({ ...empty, requiresRebuild: true }), checksum(empty));
    assert.equal(thrown(() => checksum({ provider: 'sqlite' })).code, 'invalid-argument');
  });

  test('migrationFolder names the folder from the UTC time and writes metadata with the checksum', () => {
    const folder = migrationFolder(draft);
    assert.equal(folder.name, '20240102030405_add_posts');
    assert.deepEqual(Object.keys(folder.files), ['migration.sql', 'metadata.txt', 'before.prisma', 'after.prisma']);
    assert.equal(folder.files['migration.sql'], draft.migrationSql);
    assert.equal(folder.files['after.prisma'], sqliteBlog);
    const expectedChecksum = checksum({
      provider: 'sqlite',
      beforeSchema: draft.beforeSchema,
      afterSchema: draft.afterSchema,
      migrationSql: draft.migrationSql,
      warnings: [],
      requiresRebuild: false,
    });
    assert.equal(
      folder.files['metadata.txt'],
      'name=20240102030405_add_posts\ngenerated_at=2024-01-02T03:04:05.120Z\nstatement_count=1\n' +
        `rebuild_required=false\nwarning_count=0\nprovider=sqlite\nchecksum=${expectedChecksum}\n`,
    );
  });

  test('warnings.txt only when there are warnings; a UtcTimestamp keeps microseconds', () => {
    const folder = migrationFolder({
      ...draft,
      generatedAt: { year: 2024, month: 12, day: 31, hour: 23, minute: 59, second: 58, microsecond: 120456 },
      warnings: ['first', 'second'],
    });
    assert.equal(folder.name, '20241231235958_add_posts');
    assert.equal(folder.files['warnings.txt'], 'first\nsecond\n');
    assert.match(folder.files['metadata.txt'], /generated_at=2024-12-31T23:59:58\.120456Z\nstatement_count=1\nrebuild_required=false\nwarning_count=2\n/);
  });

  test('errors: a name without letters or digits, an invalid date, a wrong provider', () => {
    assert.equal(thrown(() => migrationFolder({ ...draft, name: '!!' })).code, 'invalid-migration-name');
    assert.equal(thrown(() => migrationFolder({ ...draft, generatedAt: new Date('nope') })).code, 'invalid-argument');
    assert.equal(thrown(() => migrationFolder({ ...draft, provider: 'mysql' })).code, 'unknown-provider');
  });
});

describe('status', () => {
  const first = migrationFolder({
    name: 'init',
    generatedAt: new Date(Date.UTC(2024, 0, 1)),
    provider: 'sqlite',
    beforeSchema: '',
    afterSchema: sqliteBlog,
    migrationSql: 'SELECT 1;\n',
    statementCount: 1,
    warnings: [],
    requiresRebuild: false,
  });
  const second = migrationFolder({
    name: 'more',
    generatedAt: new Date(Date.UTC(2024, 0, 2)),
    provider: 'sqlite',
    beforeSchema: sqliteBlog,
    afterSchema: sqliteBlog,
    migrationSql: 'SELECT 2;\n',
    statementCount: 1,
    warnings: ['careful'],
    requiresRebuild: false,
  });
  const checksumOf = (folder) => folder.files['metadata.txt'].match(/checksum=([0-9a-f]{64})/)[1];
  const applied = (id, folder, extra = {}) => ({
    id,
    name: folder.name,
    appliedAt: `2024-02-0${id}T00:00:00.000Z`,
    statementCount: 1,
    kind: 'apply',
    provider: 'sqlite',
    checksum: checksumOf(folder),
    beforeSchema: folder.files['before.prisma'],
    afterSchema: folder.files['after.prisma'],
    warnings: [],
    rebuildRequired: false,
    state: 'finished',
    ...extra,
  });
  const codes = (result) => result.issues.map((issue) => issue.code);

  test('every folder applied with its checksum: no issues', () => {
    const result = status({ provider: 'sqlite', local: [second, first], history: [applied(2, second), applied(1, first)] });
    assert.deepEqual(result, {
      activeMigrationCount: 2,
      localMigrationCount: 2,
      activeMigrations: [first.name, second.name],
      localMigrations: [first.name, second.name],
      pendingMigrations: [],
      failedMigrations: [],
      issues: [],
    });
  });

  test('pending, missing locally, changed and incomplete folders, with the CLI\'s messages', () => {
    const changed = { name: first.name, files: { ...first.files, 'migration.sql': 'SELECT 3;\n' } };
    const gone = { ...applied(2, second), name: '20231231000000_gone' };
    const result = status({
      provider: 'sqlite',
      migrationsDirectory: 'db/migrations',
      local: [changed, second, { name: '20240103000000_broken', files: { 'migration.sql': '' } }],
      history: [applied(1, first), gone],
    });
    assert.deepEqual(codes(result), [
      'invalid-local-artifacts',
      'checksum-mismatch',
      'applied-migration-missing-locally',
      'local-migration-not-applied',
    ]);
    assert.equal(
      result.issues[0].message,
      'Migration artifact "20240103000000_broken" is incomplete in db/migrations/20240103000000_broken. Expected before.prisma, after.prisma, and migration.sql.',
    );
    assert.equal(result.issues[1].message, `Migration ${first.name} differs between database history and local artifacts.`);
    assert.equal(result.issues[2].message, 'Migration 20231231000000_gone is active in the database but missing from db/migrations.');
    assert.equal(result.issues[3].migration, second.name);
    assert.deepEqual(result.pendingMigrations, [second.name]);
  });

  test('failed migrations, rolled-back migrations, missing snapshots and drift', () => {
    const rollback = {
      ...applied(3, second),
      name: '20240104000000_rollback',
      kind: 'rollback',
      targetName: second.name,
    };
    const result = status({
      provider: 'sqlite',
      local: [first, second],
      history: [applied(1, first, { beforeSchema: null }), applied(2, second), rollback],
      driftSince: first.name,
    });
    assert.deepEqual(codes(result), ['missing-db-snapshot', 'local-migration-not-applied', 'drift']);
    assert.deepEqual(result.activeMigrations, [first.name]);
    const failed = status({ provider: 'sqlite', local: [first], history: [applied(1, first, { state: 'failed', failureMessage: 'boom' })] });
    assert.deepEqual(codes(failed), ['failed-migration']);
    assert.deepEqual(failed.failedMigrations, [first.name]);
    assert.match(failed.issues[0].message, /boom/);
  });

  test('errors: history rows of the wrong shape', () => {
    const error = thrown(() => status({ provider: 'sqlite', local: [], history: [{ name: 'x' }] }));
    assert.equal(error.code, 'invalid-argument');
  });
});
