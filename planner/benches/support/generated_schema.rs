//! Generated schema pairs for the benchmarks: `previous` with `model_count` models and `next`
//! with one model in ten changed, in the manner of `../shared/tools/prisma-peer/gen_schema.py`.
//!
//! One text for every consumer, so that the figures of the criterion benchmarks
//! (`benches/planning.rs`), of `scripts/bench.sh` (through `examples/generate_schema.rs`) and the
//! convergence test of the shapes (`tests/tests/convergence.rs`) are for the same input.
//!
//! Each model has a dozen fields: a mapped unique code, text, a `Decimal`, an enum with a
//! default, timestamps, a required relation to an earlier model (`onDelete: Cascade`), an
//! optional second relation on every third model (`onDelete: SetNull`), the back relations, and
//! two indexes. The choice of relation targets is a fixed arithmetic scramble, so that the same
//! model count always gives the same text (no random numbers, no seed).
//!
//! The changed models of `next` take one of five change kinds of the golden cases in turn
//! (`change_kind`), and `next` also adds a value at the end of the first enum and a few new
//! models (`create_table_simple`).

use std::fmt::Write;

/// Which side of the pair to write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Previous,
    Next,
}

/// The number of enums: one per 50 models, at least one.
fn enum_count(model_count: usize) -> usize {
    model_count / 50 + 1
}

/// Whether model `model_number` changes in `next`: one model in ten.
pub fn is_changed(model_number: usize) -> bool {
    model_number % 10 == 3
}

/// The change a changed model takes; the five kinds follow each other.
fn change_kind(model_number: usize) -> usize {
    (model_number / 10) % 5
}

/// The number of models `next` adds: one per hundred models, at least one.
pub fn new_model_count(model_count: usize) -> usize {
    model_count / 100 + 1
}

/// The earlier model that model `model_number` (> 0) points to with its required relation.
fn parent_of(model_number: usize) -> usize {
    (model_number.wrapping_mul(2_654_435_761) >> 7) % model_number
}

/// The earlier model of the optional second relation, on every third model.
fn second_parent_of(model_number: usize) -> Option<usize> {
    (model_number.is_multiple_of(3) && model_number >= 3)
        .then(|| (model_number.wrapping_mul(40_503) >> 3) % model_number)
}

/// The schema text of one side of the pair, for `postgresql` or `sqlite`.
pub fn generated_schema(provider: &str, model_count: usize, side: Side) -> String {
    let postgresql = provider == "postgresql";
    let next = side == Side::Next;
    // The back relations of each model: (child, "p" for the required relation or "s").
    let mut children: Vec<Vec<(usize, &str)>> = vec![Vec::new(); model_count];
    for model_number in 1..model_count {
        children[parent_of(model_number)].push((model_number, "p"));
        if let Some(second) = second_parent_of(model_number) {
            children[second].push((model_number, "s"));
        }
    }
    // About 1.4 kB per model.
    let mut text = String::with_capacity(model_count * 1500 + 200);
    let _ = writeln!(text, "datasource db {{\n  provider = \"{provider}\"\n}}\n");
    for enum_number in 0..enum_count(model_count) {
        let _ = write!(
            text,
            "enum Status{enum_number} {{\n  ACTIVE\n  INACTIVE\n  ARCHIVED\n"
        );
        if next && enum_number == 0 {
            text.push_str("  PENDING\n");
        }
        text.push_str("}\n\n");
    }
    for (model_number, model_children) in children.iter().enumerate() {
        let changed = next && is_changed(model_number);
        let kind = if changed {
            change_kind(model_number)
        } else {
            usize::MAX
        };
        let _ = writeln!(text, "model Model{model_number} {{");
        text.push_str("  id          Int      @id @default(autoincrement())\n");
        let _ = writeln!(
            text,
            "  code        String   @unique @map(\"code_{model_number}\")"
        );
        // Kind 4 widens a varchar on PostgreSQL (`change_type_varchar_widen`).
        match (postgresql, kind == 4) {
            (true, false) => text.push_str("  title       String   @db.VarChar(200)\n"),
            (true, true) => text.push_str("  title       String   @db.VarChar(400)\n"),
            (false, _) => text.push_str("  title       String\n"),
        }
        // Kind 0 drops a column (`drop_column`).
        if kind != 0 {
            text.push_str("  description String?\n");
        }
        // Kind 1 changes Int to BigInt (`change_type_int_to_bigint`).
        if kind == 1 {
            text.push_str("  amount      BigInt   @default(0)\n");
        } else {
            text.push_str("  amount      Int      @default(0)\n");
        }
        if postgresql {
            text.push_str("  price       Decimal? @db.Decimal(10, 2)\n");
        } else {
            text.push_str("  price       Decimal?\n");
        }
        // Kind 2 changes a default (`change_default`).
        if kind == 2 {
            text.push_str("  active      Boolean  @default(false)\n");
        } else {
            text.push_str("  active      Boolean  @default(true)\n");
        }
        let _ = writeln!(
            text,
            "  status      Status{} @default(ACTIVE)",
            model_number / 50
        );
        text.push_str("  createdAt   DateTime @default(now()) @map(\"created_at\")\n");
        text.push_str("  updatedAt   DateTime @updatedAt\n");
        // Kind 0 also adds a required column with a default (`add_required_column_with_default`)
        // and kind 3 an optional one (`add_optional_column`).
        if kind == 0 {
            text.push_str("  region      String   @default(\"\")\n");
        }
        if kind == 3 {
            text.push_str("  note        String?\n");
        }
        if model_number > 0 {
            let parent = parent_of(model_number);
            // Kind 3 changes the referential action (`change_on_delete`).
            let on_delete = if kind == 3 { "Restrict" } else { "Cascade" };
            text.push_str("  parentId    Int      @map(\"parent_id\")\n");
            let _ = writeln!(
                text,
                "  parent      Model{parent} @relation(\"P{model_number}\", fields: [parentId], references: [id], onDelete: {on_delete})"
            );
        }
        if let Some(second) = second_parent_of(model_number) {
            text.push_str("  otherId     Int?\n");
            let _ = writeln!(
                text,
                "  other       Model{second}? @relation(\"S{model_number}\", fields: [otherId], references: [id], onDelete: SetNull)"
            );
        }
        for (child, relation) in model_children {
            let relation_name = if *relation == "p" { "P" } else { "S" };
            let _ = writeln!(
                text,
                "  kids_{relation}{child}   Model{child}[] @relation(\"{relation_name}{child}\")"
            );
        }
        text.push('\n');
        if model_number > 0 {
            text.push_str("  @@index([parentId])\n");
        }
        text.push_str("  @@index([status, createdAt])\n");
        // Kind 0 adds an index on the new column (`add_index`), kind 2 a composite unique
        // (`add_composite_unique`).
        if kind == 0 {
            text.push_str("  @@index([region, title])\n");
        }
        if kind == 2 {
            text.push_str("  @@unique([title, amount])\n");
        }
        // Kind 4 renames the table with `@@map` on every other such model: comon pairs the
        // tables by model name and renames, Prisma drops and creates.
        if kind == 4 && model_number % 20 == 3 {
            let _ = writeln!(text, "  @@map(\"tbl_{model_number}_renamed\")");
        } else {
            let _ = writeln!(text, "  @@map(\"tbl_{model_number}\")");
        }
        text.push_str("}\n\n");
    }
    if next {
        for new_number in 0..new_model_count(model_count) {
            let _ = write!(
                text,
                "model Added{new_number} {{\n  id        Int      @id @default(autoincrement())\n  name      String\n  createdAt DateTime @default(now())\n\n  @@index([name])\n}}\n\n"
            );
        }
    }
    text
}
