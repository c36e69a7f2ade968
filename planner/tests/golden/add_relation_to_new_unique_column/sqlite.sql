-- warning[may-fail]: A foreign key on Mention(userHandle) referencing User will be added. If existing rows reference rows that do not exist, this will fail.
-- warning[rebuild]: The table Mention is rebuilt because a foreign key changes: SQLite cannot alter it in place, so its rows are copied into a new table.
-- warning[may-fail]: A unique constraint covering the columns [handle] on the table User will be added. If there are existing duplicate values, this will fail.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Mention" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userHandle" TEXT NOT NULL,
    FOREIGN KEY ("userHandle") REFERENCES "User"("handle") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Mention" ("id", "userHandle") SELECT "id", "userHandle" FROM "Mention";
DROP TABLE "Mention";
ALTER TABLE "new_Mention" RENAME TO "Mention";
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
CREATE UNIQUE INDEX "User_handle_key" ON "User" ("handle");
