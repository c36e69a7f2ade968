-- warning[rebuild]: The table Invoice is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Invoice" (
    "id" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    PRIMARY KEY ("id")
);
INSERT INTO "new_Invoice" ("id", "number") SELECT "id", "number" FROM "Invoice";
DROP TABLE "Invoice";
ALTER TABLE "new_Invoice" RENAME TO "Invoice";
CREATE UNIQUE INDEX "Invoice_number_key" ON "Invoice" ("number");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
