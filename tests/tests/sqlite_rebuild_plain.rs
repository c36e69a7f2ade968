//! A plan's SQL on its own, run the way the `sqlite3` shell runs `migration.sql` (one
//! `execute_batch` of the whole text, no runner around it), keeps what a rebuilt table carries
//! when the previous snapshot was introspected: triggers, partial and expression indexes, and
//! the views over it.

use planner::database_schema::TableDependentKind;
use planner::{database_schema_from_source, plan_migration, render_plan, DiffOptions, Provider};
use tests::TemporarySqliteDatabase;

fn schema(models: &str) -> planner::DatabaseSchema {
    database_schema_from_source(&format!(
        "datasource db {{\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}}\n{models}"
    ))
    .expect("valid schema")
}

const PREVIOUS: &str = "model Author {\n  id Int @id\n  notes Note[]\n}\nmodel Note {\n  id Int @id\n  title String\n  body String?\n  authorId Int\n  author Author @relation(fields: [authorId], references: [id], onDelete: Cascade)\n}\nmodel NoteLog {\n  id Int @id @default(autoincrement())\n  noteId Int\n  title String\n}\n";

fn names_of(database: &mut comon_database::Database, object_type: &str) -> Vec<String> {
    database
        .query_rows(&format!(
            "SELECT name FROM sqlite_master WHERE type = '{object_type}' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ))
        .unwrap()
        .into_iter()
        .map(|row| row[0].clone().unwrap_or_default())
        .collect()
}

#[test]
fn the_rendered_sql_alone_keeps_what_a_rebuilt_table_carries() {
    let temporary = TemporarySqliteDatabase::new();
    let mut database = temporary.open();
    let creation = plan_migration(
        &planner::DatabaseSchema::empty(Provider::Sqlite),
        &schema(PREVIOUS),
        &DiffOptions::default(),
    )
    .unwrap();
    database.execute_batch(&render_plan(&creation).sql).unwrap();
    database
        .execute_batch(
            "CREATE TRIGGER note_logged AFTER INSERT ON \"Note\" BEGIN INSERT INTO \"NoteLog\" (\"noteId\", title) VALUES (new.id, new.title); END;
             CREATE INDEX note_titled ON \"Note\" (id) WHERE title <> '';
             CREATE INDEX note_lower_title ON \"Note\" (lower(title));
             CREATE VIEW note_titles AS SELECT id, title FROM \"Note\";
             INSERT INTO \"Author\" (id) VALUES (1);
             INSERT INTO \"Note\" (id, title, body, authorId) VALUES (1, 'first', 'text', 1);
             DELETE FROM \"NoteLog\";",
        )
        .unwrap();
    let live = database.introspect().unwrap();
    let kinds: Vec<(TableDependentKind, &str)> = live
        .dependents_of("Note")
        .map(|dependent| (dependent.kind, dependent.name.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (TableDependentKind::Trigger, "note_logged"),
            (TableDependentKind::Index, "note_titled"),
            (TableDependentKind::Index, "note_lower_title"),
        ]
    );

    // `body` becomes required: SQLite rebuilds `Note`.
    let next = schema(&PREVIOUS.replace("body String?", "body String @default(\"\")"));
    let plan = plan_migration(&live, &next, &DiffOptions::default()).unwrap();
    assert!(plan.requires_rebuild, "{plan:#?}");
    // Plain execution, as `sqlite3 dev.db < migration.sql` does it.
    database.execute_batch(&render_plan(&plan).sql).unwrap();

    assert_eq!(names_of(&mut database, "trigger"), vec!["note_logged"]);
    let indexes = names_of(&mut database, "index");
    assert!(
        indexes.contains(&"note_titled".to_string())
            && indexes.contains(&"note_lower_title".to_string()),
        "{indexes:?}"
    );
    assert_eq!(names_of(&mut database, "view"), vec!["note_titles"]);
    database
        .execute_batch("INSERT INTO \"Note\" (id, title, authorId) VALUES (2, 'second', 1)")
        .unwrap();
    assert_eq!(
        database
            .query_rows("SELECT CAST(\"noteId\" AS TEXT), title FROM \"NoteLog\"")
            .unwrap(),
        vec![vec![Some("2".to_string()), Some("second".to_string())]],
        "the trigger fires on the rebuilt table"
    );
    assert_eq!(
        database
            .query_rows("SELECT CAST(count(*) AS TEXT) FROM note_titles")
            .unwrap(),
        vec![vec![Some("2".to_string())]],
        "the view reads the rebuilt table, whose rows were kept"
    );
    // Nothing is left to plan: what the rebuild put back is what the database had.
    let after = database.introspect().unwrap();
    assert!(plan_migration(&after, &next, &DiffOptions::default())
        .unwrap()
        .is_empty());
    assert_eq!(after.table_dependents, live.table_dependents);
}
