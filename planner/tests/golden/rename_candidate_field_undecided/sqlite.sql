-- warning[data-loss]: Potential data loss: field User.email is removed from the target schema.
-- warning[may-fail]: Adding required field User.mail without default requires manual migration.
-- warning[rebuild]: The table User is rebuilt because a column is dropped and a new column cannot be added in place: SQLite cannot alter it in place, so its rows are copied into a new table.
-- rename-candidate[rename-field]: User.email=mail
-- decision[rename-field]: --rename User.email=mail or --no-rename User.email=mail
-- decision[data-loss]: --accept-data-loss
-- decision[may-fail]: --accept-may-fail

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mail" TEXT NOT NULL
);
INSERT INTO "new_User" ("id") SELECT "id" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
