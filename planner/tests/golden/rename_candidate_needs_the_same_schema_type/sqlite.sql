-- warning[data-loss]: Potential data loss: field User.role is removed from the target schema.
-- warning[data-loss]: Potential data loss: field User.kind is removed from the target schema.
-- warning[data-loss]: Potential data loss: field User.title is removed from the target schema.
-- warning[may-fail]: Adding required field User.bio without default requires manual migration.
-- warning[may-fail]: Adding required field User.status without default requires manual migration.
-- warning[may-fail]: Adding required field User.name without default requires manual migration.
-- warning[rebuild]: The table User is rebuilt because a column is dropped and a new column cannot be added in place: SQLite cannot alter it in place, so its rows are copied into a new table.
-- rename-candidate[rename-field]: User.title=bio
-- rename-candidate[rename-field]: User.role=status
-- rename-candidate[rename-field]: User.kind=status
-- rename-candidate[rename-field]: User.title=name

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL,
    "bio" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    PRIMARY KEY ("id")
);
INSERT INTO "new_User" ("id") SELECT "id" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
