-- warning[rebuild]: The table Account is rebuilt because a UNIQUE constraint inside its CREATE TABLE changes: SQLite cannot alter it in place, so its rows are copied into a new table.
-- warning[may-fail]: A unique constraint covering the columns [name] on the table Account will be added. If there are existing duplicate values, this will fail.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Account" (
    "id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    PRIMARY KEY ("id")
);
INSERT INTO "new_Account" ("id", "email", "name") SELECT "id", "email", "name" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
CREATE UNIQUE INDEX "Account_name_key" ON "Account" ("name");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
