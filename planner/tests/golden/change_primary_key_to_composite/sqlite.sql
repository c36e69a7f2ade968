-- warning[data-loss]: Potential data loss: field Membership.id is removed from the target schema.
-- warning[may-fail]: The primary key of the table Membership changes to (userId, teamId): the migration fails if existing rows hold duplicate values in these columns.
-- warning[rebuild]: The table Membership is rebuilt because a column is dropped and the primary key changes: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Membership" (
    "userId" INTEGER NOT NULL,
    "teamId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    PRIMARY KEY ("userId", "teamId")
);
INSERT INTO "new_Membership" ("userId", "teamId", "role") SELECT "userId", "teamId", "role" FROM "Membership";
DROP TABLE "Membership";
ALTER TABLE "new_Membership" RENAME TO "Membership";
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
