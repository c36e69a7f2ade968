-- warning[may-fail]: The primary key of the table Country changes to (id): the migration fails if existing rows hold duplicate values in these columns.
-- warning[rebuild]: The table Country is rebuilt because the primary key changes and a new column cannot be added in place: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Country" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "iso" TEXT NOT NULL,
    "name" TEXT NOT NULL
);
INSERT INTO "new_Country" ("iso", "name") SELECT "iso", "name" FROM "Country";
DROP TABLE "Country";
ALTER TABLE "new_Country" RENAME TO "Country";
CREATE UNIQUE INDEX "Country_iso_key" ON "Country" ("iso");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
