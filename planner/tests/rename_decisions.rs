//! Rename decisions and the decisions a plan needs: what is a candidate, what a decision
//! pairs, and the errors of decisions that answer nothing.

use planner::{
    database_schema_from_source, database_schema_from_source_in_flavour, plan_migration,
    DatabaseSchema, DecisionCode, DiffOptions, Flavour, MigrationPlan, MigrationStep,
    RenameDecision, RenameKind,
};

fn schema(models: &str) -> DatabaseSchema {
    database_schema_from_source(&format!(
        "datasource db {{\n  provider = \"postgresql\"\n}}\n\n{models}"
    ))
    .expect("valid schema")
}

fn model(name: &str, fields: &str) -> String {
    format!("model {name} {{\n  id Int @id\n{fields}}}\n")
}

fn plan(previous: &DatabaseSchema, next: &DatabaseSchema, decisions: &[&str]) -> MigrationPlan {
    try_plan(previous, next, decisions).expect("the decisions match")
}

fn try_plan(
    previous: &DatabaseSchema,
    next: &DatabaseSchema,
    decisions: &[&str],
) -> Result<MigrationPlan, planner::SchemaError> {
    let renames = decisions
        .iter()
        .map(|text| match text.strip_prefix('!') {
            Some(declined) => RenameDecision::parse(declined, false),
            None => RenameDecision::parse(text, true),
        })
        .collect::<Result<Vec<_>, _>>()
        .expect("decisions parse");
    plan_migration(
        previous,
        next,
        &DiffOptions {
            renames,
            ..DiffOptions::default()
        },
    )
}

fn answers(plan: &MigrationPlan) -> Vec<String> {
    plan.rename_candidates
        .iter()
        .map(|candidate| candidate.answer())
        .collect()
}

#[test]
fn decisions_parse_as_the_command_line_writes_them() {
    let model = RenameDecision::parse("Customer=Client", true).expect("a model decision");
    assert_eq!(
        (
            model.model,
            model.previous.as_str(),
            model.next.as_str(),
            model.renamed
        ),
        (None, "Customer", "Client", true)
    );
    let field = RenameDecision::parse(" User.email = mail ", false).expect("a field decision");
    assert_eq!(field.model.as_deref(), Some("User"));
    assert_eq!(
        (field.previous.as_str(), field.next.as_str()),
        ("email", "mail")
    );
    assert_eq!(field.flag(), "--no-rename User.email=mail");
    for invalid in [
        "Customer",
        "=Client",
        "Customer=",
        "A.b.c=d",
        "A=B=C",
        "A b=C",
        ".b=c",
    ] {
        let error = RenameDecision::parse(invalid, true).expect_err(invalid);
        assert_eq!(error.code, "invalid-rename-decision", "{invalid}");
    }
}

#[test]
fn a_removed_and_an_added_model_of_the_same_shape_is_a_candidate_never_a_rename() {
    let previous = schema(&model("Customer", "  email String\n"));
    let next = schema(&model("Client", "  email String\n"));
    let undecided = plan(&previous, &next, &[]);
    assert_eq!(answers(&undecided), ["Customer=Client"]);
    assert_eq!(undecided.rename_candidates[0].kind, RenameKind::Model);
    assert!(undecided
        .steps
        .iter()
        .any(|step| matches!(step, MigrationStep::DropTable { table } if table == "Customer")));
    let codes: Vec<DecisionCode> = undecided.decisions().iter().map(|d| d.code).collect();
    assert_eq!(codes, [DecisionCode::RenameModel, DecisionCode::DataLoss]);

    let renamed = plan(&previous, &next, &["Customer=Client"]);
    assert!(renamed.rename_candidates.is_empty());
    assert!(renamed.warnings.is_empty(), "{:?}", renamed.warnings);
    assert!(renamed.decisions().is_empty());
    assert!(matches!(
        &renamed.steps[0],
        MigrationStep::RenameTable { previous_name, next_name }
            if previous_name == "Customer" && next_name == "Client"
    ));

    let declined = plan(&previous, &next, &["!Customer=Client"]);
    assert!(declined.rename_candidates.is_empty());
    assert_eq!(declined.steps, undecided.steps);
}

#[test]
fn models_of_another_shape_are_no_candidates_but_a_decision_still_pairs_them() {
    let previous = schema(&model("Customer", "  email String\n"));
    let next = schema(&model("Client", "  email String\n  name String?\n"));
    assert!(plan(&previous, &next, &[]).rename_candidates.is_empty());
    let renamed = plan(&previous, &next, &["Customer=Client"]);
    assert!(renamed
        .steps
        .iter()
        .any(|step| matches!(step, MigrationStep::RenameTable { .. })));
    assert!(!renamed
        .steps
        .iter()
        .any(|step| matches!(step, MigrationStep::DropTable { .. })));
}

#[test]
fn every_pair_of_one_shape_is_a_candidate_until_decided() {
    let previous = schema(&format!(
        "{}{}",
        model("A", "  value Int\n"),
        model("B", "  value Int\n")
    ));
    let next = schema(&format!(
        "{}{}",
        model("C", "  value Int\n"),
        model("D", "  value Int\n")
    ));
    assert_eq!(
        answers(&plan(&previous, &next, &[])),
        ["A=C", "B=C", "A=D", "B=D"]
    );
    assert_eq!(answers(&plan(&previous, &next, &["A=C"])), ["B=D"]);
    assert_eq!(
        answers(&plan(&previous, &next, &["!A=C"])),
        ["B=C", "A=D", "B=D"]
    );
    assert!(plan(&previous, &next, &["A=D", "B=C"])
        .rename_candidates
        .is_empty());
}

#[test]
fn a_field_candidate_has_the_same_type_and_its_decision_names_either_model_name() {
    let previous = schema(&model("User", "  email String\n  age Int\n"));
    let next = schema(&model("User", "  mail String\n  years Int?\n"));
    assert_eq!(
        answers(&plan(&previous, &next, &[])),
        ["User.email=mail", "User.age=years"]
    );
    let renamed = plan(&previous, &next, &["User.email=mail", "User.age=years"]);
    assert!(renamed.rename_candidates.is_empty());
    assert!(renamed.warnings.is_empty(), "{:?}", renamed.warnings);

    // Inside a renamed model, the field decision may name the model by either name.
    let previous = schema(&model("Customer", "  email String\n"));
    let next = schema(&model("Client", "  mail String\n"));
    let undecided_field = plan(&previous, &next, &["Customer=Client"]);
    assert_eq!(answers(&undecided_field), ["Client.email=mail"]);
    for field_decision in ["Customer.email=mail", "Client.email=mail"] {
        let renamed = plan(&previous, &next, &["Customer=Client", field_decision]);
        assert!(renamed.rename_candidates.is_empty(), "{field_decision}");
        assert!(renamed.warnings.is_empty(), "{field_decision}");
    }
}

#[test]
fn a_decision_that_answers_nothing_is_an_error() {
    let previous = schema(&model("Customer", "  email String\n"));
    let next = schema(&model("Client", "  email String\n"));
    for decisions in [
        &["Customer=Account"][..],
        &["Nobody=Client"],
        &["Client.email=mail"],
        // A pair that a rename took cannot also be declined, nor renamed twice.
        &["Customer=Client", "!Customer=Client"],
        &["Customer=Client", "Customer=Client"],
    ] {
        let error = try_plan(&previous, &next, decisions).expect_err("unmatched");
        assert_eq!(error.code, "rename-decision-unmatched", "{decisions:?}");
    }
    // A model that kept its name is paired already: renaming it answers nothing.
    let error = try_plan(&previous, &previous, &["Customer=Client"]).expect_err("unmatched");
    assert!(
        error.message.contains("--rename Customer=Client"),
        "{}",
        error.message
    );
}

#[test]
fn a_decision_that_is_done_already_is_accepted_and_a_reversed_one_is_not() {
    // After the migration a decision made, both sides have the new names: the same answers
    // given again (as a CI job does on every run) plan nothing and are no error.
    let done = schema(&model("Client", "  mail String\n"));
    let plan = plan(
        &done,
        &done,
        &["Customer=Client", "Client.email=mail", "!Customer=Client"],
    );
    assert!(plan.steps.is_empty(), "{:?}", plan.steps);
    assert!(answers(&plan).is_empty());
    // A pair written the wrong way round names the old name as the new one: still an error,
    // both before the migration and after it.
    let previous = schema(&model("Customer", "  email String\n"));
    for (previous, decision) in [(&previous, "Client=Customer"), (&done, "Client.mail=email")] {
        let error = try_plan(previous, &done, &[decision]).expect_err("reversed");
        assert_eq!(error.code, "rename-decision-unmatched", "{decision}");
    }
    // A name found on neither side is a typo, done or not.
    let error = try_plan(&done, &done, &["Customer=Cleint"]).expect_err("typo");
    assert_eq!(error.code, "rename-decision-unmatched");
}

#[test]
fn an_introspected_previous_side_is_decided_by_table_and_column_names() {
    let next = schema(&model("Client", "  mail String\n"));
    let mut previous = schema(&model("Customer", "  email String\n"));
    for table in &mut previous.tables {
        table.model_name = None;
        for column in &mut table.columns {
            column.field_name = None;
            column.schema_type = None;
        }
    }
    assert!(answers(&plan(&previous, &next, &[])).is_empty());
    let renamed = plan(&previous, &next, &["Customer=Client"]);
    assert_eq!(answers(&renamed), ["Client.email=mail"]);
    let renamed = plan(
        &previous,
        &next,
        &["Customer=Client", "Customer.email=mail"],
    );
    assert!(renamed.warnings.is_empty(), "{:?}", renamed.warnings);
}

fn schema_on(provider: &str, models: &str) -> DatabaseSchema {
    database_schema_from_source(&format!(
        "datasource db {{\n  provider = \"{provider}\"\n}}\n\nenum Role {{\n  USER\n  ADMIN\n}}\n\n{models}"
    ))
    .expect("valid schema")
}

/// Takes the schema-side names and types away, as introspection gives a schema.
fn as_introspected(mut schema: DatabaseSchema) -> DatabaseSchema {
    for table in &mut schema.tables {
        table.model_name = None;
        for column in &mut table.columns {
            column.field_name = None;
            column.schema_type = None;
        }
    }
    schema
}

#[test]
fn a_field_candidate_has_the_same_schema_type_on_every_provider() {
    for provider in ["sqlite", "postgresql"] {
        let previous = schema_on(provider, &model("User", "  role Role\n  title String\n"));
        let next = schema_on(provider, &model("User", "  status Role\n  bio String\n"));
        // An enum field and a String field are both TEXT on SQLite, but never a candidate.
        assert_eq!(
            answers(&plan(&previous, &next, &[])),
            ["User.role=status", "User.title=bio"],
            "{provider}"
        );
        // A decision still pairs them, as for any other shape.
        let renamed = plan(&previous, &next, &["User.role=bio", "User.title=status"]);
        assert!(answers(&renamed).is_empty(), "{provider}");
        // A schema serialized before schema types existed (the npm package's JSON) has field
        // names without them: the candidates compare database types, as for an introspected
        // side.
        let mut old_snapshot = previous.clone();
        for column in old_snapshot
            .tables
            .iter_mut()
            .flat_map(|table| &mut table.columns)
        {
            column.schema_type = None;
        }
        let introspected = as_introspected(previous.clone());
        let expected: &[&str] = match provider {
            "sqlite" => &[
                "User.role=status",
                "User.title=status",
                "User.role=bio",
                "User.title=bio",
            ],
            _ => &["User.role=status", "User.title=bio"],
        };
        assert_eq!(
            answers(&plan(&old_snapshot, &next, &[])),
            expected,
            "{provider}"
        );
        assert_eq!(
            answers(&plan(&introspected, &next, &[])),
            expected,
            "{provider}"
        );
    }
}

/// What a plan does to tables: `rename A B`, `drop A`, `create A`, in the plan's order.
fn table_steps(plan: &MigrationPlan) -> Vec<String> {
    plan.steps
        .iter()
        .filter_map(|step| match step {
            MigrationStep::RenameTable {
                previous_name,
                next_name,
            } => Some(format!("rename {previous_name} {next_name}")),
            MigrationStep::DropTable { table } => Some(format!("drop {table}")),
            MigrationStep::CreateTable { table } => Some(format!("create {}", table.name)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_join_table_follows_a_model_rename_also_from_an_introspected_side() {
    let source = |tag_model: &str| {
        format!(
            "datasource db {{\n  provider = \"postgresql\"\n}}\n\nmodel Post {{\n  id   Int @id\n  tags {tag_model}[]\n}}\n\nmodel {tag_model} {{\n  id    Int    @id\n  posts Post[]\n}}\n"
        )
    };
    let lowered = |tag_model: &str| {
        database_schema_from_source_in_flavour(&source(tag_model), Flavour::Prisma)
            .expect("valid schema")
    };
    let next = lowered("Label");
    // As a Prisma folder's SQL or a database describes it: no model or field names.
    for previous in [lowered("Tag"), as_introspected(lowered("Tag"))] {
        // Undecided, the model is the only question; the join table goes with it.
        let undecided = plan(&previous, &next, &[]);
        assert_eq!(answers(&undecided), ["Tag=Label"]);
        assert!(table_steps(&undecided).contains(&"drop _PostToTag".to_string()));
        let renamed = plan(&previous, &next, &["Tag=Label"]);
        assert_eq!(
            table_steps(&renamed),
            ["rename Tag Label", "rename _PostToTag _LabelToPost"]
        );
        assert!(renamed
            .warnings
            .iter()
            .all(|warning| !warning.kind.needs_consent()));
        // Declined, both tables are dropped and created, with data-loss warnings.
        let declined = plan(&previous, &next, &["!Tag=Label"]);
        assert!(table_steps(&declined).contains(&"drop _PostToTag".to_string()));
        assert!(answers(&declined).is_empty());
        // A join table's own "not a rename" is followed too, and the model is still renamed.
        let join_declined = plan(&previous, &next, &["Tag=Label", "!_PostToTag=_LabelToPost"]);
        assert_eq!(
            table_steps(&join_declined),
            ["drop _PostToTag", "rename Tag Label", "create _LabelToPost"]
        );
        assert!(answers(&join_declined).is_empty());
    }
}

#[test]
fn two_join_tables_between_the_same_models_stay_candidates_until_decided() {
    // comon_orm names a join table after both models and fields, so a rename of Tag renames
    // both; which previous one is which next one is not known from the tables alone.
    let source = |tag_model: &str| {
        format!(
            "datasource db {{\n  provider = \"sqlite\"\n}}\n\nmodel Post {{\n  id     Int @id\n  tags   {tag_model}[] @relation(\"tags\")\n  pinned {tag_model}[] @relation(\"pinned\")\n}}\n\nmodel {tag_model} {{\n  id          Int    @id\n  posts       Post[] @relation(\"tags\")\n  pinnedPosts Post[] @relation(\"pinned\")\n}}\n"
        )
    };
    let previous = database_schema_from_source(&source("Tag")).expect("valid schema");
    let next = database_schema_from_source(&source("Label")).expect("valid schema");
    let join_tables = |schema: &DatabaseSchema| -> Vec<String> {
        schema
            .tables
            .iter()
            .filter(|table| table.model_name.is_none())
            .map(|table| table.name.clone())
            .collect()
    };
    let (previous_join, next_join) = (join_tables(&previous), join_tables(&next));
    assert_eq!((previous_join.len(), next_join.len()), (2, 2));
    let renamed = plan(&previous, &next, &["Tag=Label"]);
    assert_eq!(answers(&renamed).len(), 4, "{:?}", answers(&renamed));
    // Deciding them renames both, and nothing is dropped.
    let pairs: Vec<String> = previous_join
        .iter()
        .map(|previous_name| {
            let field = if previous_name.contains("cGlubmVk") {
                "cGlubmVk"
            } else {
                "dGFncw"
            };
            let next_name = next_join
                .iter()
                .find(|name| name.contains(field))
                .expect("the same relation in next");
            format!("{previous_name}={next_name}")
        })
        .collect();
    let mut decisions = vec!["Tag=Label"];
    decisions.extend(pairs.iter().map(String::as_str));
    let decided = plan(&previous, &next, &decisions);
    assert!(answers(&decided).is_empty());
    assert!(
        table_steps(&decided)
            .iter()
            .all(|step| step.starts_with("rename")),
        "{:?}",
        table_steps(&decided)
    );
}
