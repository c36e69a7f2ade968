-- warning[rebuild]: The table Comment is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Comment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "body" TEXT NOT NULL,
    "postedAt" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Comment" ("id", "body", "postedAt") SELECT "id", "body", "postedAt" FROM "Comment";
DROP TABLE "Comment";
ALTER TABLE "new_Comment" RENAME TO "Comment";
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
