//! A SQLite table rebuild re-creates the triggers, partial and expression indexes that the
//! previous snapshot lists for the table, after the rename that gives the new table its name.

use planner::database_schema::{TableDependent, TableDependentKind};
use planner::{database_schema_from_source, plan_migration, render_plan, DiffOptions};

fn schema(models: &str) -> planner::DatabaseSchema {
    let source =
        format!("datasource db {{\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}}\n{models}");
    database_schema_from_source(&source).expect("valid schema")
}

const PREVIOUS: &str = "model Note {\n  id Int @id\n  title String\n  body String?\n}\n";
/// `body` becomes required: SQLite cannot alter that in place, so `Note` is rebuilt.
const NEXT: &str = "model Note {\n  id Int @id\n  title String\n  body String @default(\"\")\n}\n";

fn dependent(kind: TableDependentKind, name: &str, sql: &str) -> TableDependent {
    TableDependent {
        table: "Note".to_string(),
        kind,
        name: name.to_string(),
        sql: sql.to_string(),
    }
}

#[test]
fn a_rebuild_recreates_the_dependents_of_its_table_after_the_rename() {
    let mut previous = schema(PREVIOUS);
    let trigger = "CREATE TRIGGER note_trimmed AFTER INSERT ON \"Note\" BEGIN UPDATE \"Note\" SET title = trim(title) WHERE id = new.id; END";
    let partial = "CREATE INDEX note_titled ON \"Note\" (id) WHERE title <> ''";
    previous.table_dependents = vec![
        dependent(TableDependentKind::Trigger, "note_trimmed", trigger),
        dependent(TableDependentKind::Index, "note_titled", partial),
    ];
    let plan = plan_migration(&previous, &schema(NEXT), &DiffOptions::default()).unwrap();
    let statements = render_plan(&plan).statements;
    let rename = statements
        .iter()
        .position(|statement| statement == "ALTER TABLE \"new_Note\" RENAME TO \"Note\"")
        .expect("the rebuild's rename");
    let trigger_position = statements.iter().position(|statement| statement == trigger);
    let partial_position = statements.iter().position(|statement| statement == partial);
    assert!(
        trigger_position.is_some_and(|position| position > rename),
        "{statements:#?}"
    );
    assert!(
        partial_position.is_some_and(|position| position > rename),
        "{statements:#?}"
    );
}

#[test]
fn dependents_of_other_tables_and_of_a_renamed_table_are_not_planned() {
    let mut previous = schema(&format!("{PREVIOUS}model Tag {{\n  id Int @id\n}}\n"));
    previous.table_dependents = vec![TableDependent {
        table: "Tag".to_string(),
        kind: TableDependentKind::Trigger,
        name: "tag_logged".to_string(),
        sql: "CREATE TRIGGER tag_logged AFTER INSERT ON \"Tag\" BEGIN SELECT 1; END".to_string(),
    }];
    let plan = plan_migration(
        &previous,
        &schema(&format!("{NEXT}model Tag {{\n  id Int @id\n}}\n")),
        &DiffOptions::default(),
    )
    .unwrap();
    let sql = render_plan(&plan).sql;
    assert!(sql.contains("RENAME TO \"Note\""), "{sql}");
    assert!(!sql.contains("tag_logged"), "{sql}");

    // Renamed and rebuilt: the trigger's text still names `Note`, so it is left to the runners,
    // which read it back from the database after the rename.
    let mut previous = schema(PREVIOUS);
    previous.table_dependents = vec![dependent(
        TableDependentKind::Trigger,
        "note_logged",
        "CREATE TRIGGER note_logged AFTER INSERT ON \"Note\" BEGIN SELECT 1; END",
    )];
    let renamed = NEXT.replace("}\n", "  @@map(\"Notes\")\n}\n");
    let plan = plan_migration(&previous, &schema(&renamed), &DiffOptions::default()).unwrap();
    let sql = render_plan(&plan).sql;
    assert!(sql.contains("RENAME TO \"Notes\""), "{sql}");
    assert!(!sql.contains("note_logged"), "{sql}");
}

#[test]
fn snapshots_without_dependents_still_read_and_write_the_same_bytes() {
    let schema = schema(PREVIOUS);
    let text = serde_json::to_string(&schema).unwrap();
    assert!(!text.contains("tableDependents"), "{text}");
    let read: planner::DatabaseSchema = serde_json::from_str(&text).unwrap();
    assert_eq!(read, schema);
}
