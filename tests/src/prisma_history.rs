//! A generated Prisma Migrate project of any length, for the speed of `migrate status` over a
//! long folder history (`scripts/bench-prisma-status.sh`) and the test that such a history is
//! read without a scratch database (`cli/tests/cli_prisma_replay.rs`).
//!
//! Each folder's `migration.sql` is what `prisma migrate dev` writes for one schema change, in
//! its layout (`-- CreateTable` comments, quoted names, `_pkey`/`_idx`/`_fkey` names, separate
//! `ALTER TABLE ... ADD CONSTRAINT` foreign keys on PostgreSQL, inline ones on SQLite): folder
//! `i` creates table `Model<i>` with a key, text, time and reference columns, an index and a
//! foreign key to the table before it; every fifth folder also adds a column to an earlier
//! table, and every tenth (PostgreSQL) creates an enum and a column of it.

use planner::Provider;
use std::path::Path;

/// `(folder name, migration.sql)` of a history of `folders` migrations, oldest first. Folder
/// names are Prisma's `<14-digit UTC time>_<name>`, one second apart.
pub fn prisma_history(provider: Provider, folders: usize) -> Vec<(String, String)> {
    (0..folders)
        .map(|index| {
            let name = format!("{}_model_{index}", 20_260_101_000_000u64 + index as u64);
            (name, migration_sql(provider, index))
        })
        .collect()
}

/// The `migration.sql` of folder `index`.
pub fn migration_sql(provider: Provider, index: usize) -> String {
    let table = format!("Model{index}");
    let mut sql = String::new();
    match provider {
        Provider::Postgresql => {
            if index % 10 == 9 {
                sql.push_str(&format!(
                    "-- CreateEnum\nCREATE TYPE \"Status{index}\" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');\n\n"
                ));
            }
            sql.push_str(&format!(
                "-- CreateTable\nCREATE TABLE \"{table}\" (\n    \"id\" SERIAL NOT NULL,\n    \"name\" TEXT NOT NULL,\n    \"score\" DECIMAL(65,30) NOT NULL DEFAULT 0,\n    \"createdAt\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    \"updatedAt\" TIMESTAMP(3) NOT NULL,\n    \"parentId\" INTEGER,\n{}\n    CONSTRAINT \"{table}_pkey\" PRIMARY KEY (\"id\")\n);\n\n",
                if index % 10 == 9 {
                    format!("    \"status\" \"Status{index}\" NOT NULL DEFAULT 'DRAFT',")
                } else {
                    "    \"note\" VARCHAR(255),".to_string()
                }
            ));
            sql.push_str(&format!(
                "-- CreateIndex\nCREATE INDEX \"{table}_name_idx\" ON \"{table}\"(\"name\");\n\n-- CreateIndex\nCREATE UNIQUE INDEX \"{table}_name_parentId_key\" ON \"{table}\"(\"name\", \"parentId\");\n"
            ));
            if index > 0 {
                sql.push_str(&format!(
                    "\n-- AddForeignKey\nALTER TABLE \"{table}\" ADD CONSTRAINT \"{table}_parentId_fkey\" FOREIGN KEY (\"parentId\") REFERENCES \"Model{}\"(\"id\") ON DELETE SET NULL ON UPDATE CASCADE;\n",
                    index - 1
                ));
            }
            if index % 5 == 4 {
                sql.push_str(&format!(
                    "\n-- AlterTable\nALTER TABLE \"Model{}\" ADD COLUMN     \"extra{index}\" BOOLEAN NOT NULL DEFAULT false;\n",
                    index - 4
                ));
            }
        }
        Provider::Sqlite => {
            let reference = if index > 0 {
                format!(
                    ",\n    CONSTRAINT \"{table}_parentId_fkey\" FOREIGN KEY (\"parentId\") REFERENCES \"Model{}\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE",
                    index - 1
                )
            } else {
                String::new()
            };
            sql.push_str(&format!(
                "-- CreateTable\nCREATE TABLE \"{table}\" (\n    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \"name\" TEXT NOT NULL,\n    \"score\" DECIMAL NOT NULL DEFAULT 0,\n    \"createdAt\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    \"updatedAt\" DATETIME NOT NULL,\n    \"note\" TEXT,\n    \"parentId\" INTEGER{reference}\n);\n\n"
            ));
            sql.push_str(&format!(
                "-- CreateIndex\nCREATE INDEX \"{table}_name_idx\" ON \"{table}\"(\"name\");\n\n-- CreateIndex\nCREATE UNIQUE INDEX \"{table}_name_parentId_key\" ON \"{table}\"(\"name\", \"parentId\");\n"
            ));
            if index % 5 == 4 {
                sql.push_str(&format!(
                    "\n-- AlterTable\nALTER TABLE \"Model{}\" ADD COLUMN \"extra{index}\" BOOLEAN NOT NULL DEFAULT false;\n",
                    index - 4
                ));
            }
        }
    }
    sql
}

/// Writes the history into `migrations` (created when missing) with Prisma's
/// `migration_lock.toml`.
pub fn write_prisma_history(
    migrations: &Path,
    provider: Provider,
    folders: usize,
) -> std::io::Result<()> {
    std::fs::create_dir_all(migrations)?;
    std::fs::write(
        migrations.join("migration_lock.toml"),
        format!(
            "# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = \"{provider}\"\n"
        ),
    )?;
    for (name, sql) in prisma_history(provider, folders) {
        let folder = migrations.join(name);
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join("migration.sql"), sql)?;
    }
    Ok(())
}
