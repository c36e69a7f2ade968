-- warning[may-fail]: Field Author.name changes from optional to required: the migration fails if existing rows hold NULL in it.
-- warning[rebuild]: The table Author is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.
-- warning[may-fail]: A foreign key on Book(authorId) referencing Author will be added. If existing rows reference rows that do not exist, this will fail.
-- warning[rebuild]: The table Book is rebuilt because a foreign key changes: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Author" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);
INSERT INTO "new_Author" ("id", "name") SELECT "id", "name" FROM "Author";
DROP TABLE "Author";
ALTER TABLE "new_Author" RENAME TO "Author";
CREATE TABLE "new_Book" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Book" ("id", "title", "authorId") SELECT "id", "title", "authorId" FROM "Book";
DROP TABLE "Book";
ALTER TABLE "new_Book" RENAME TO "Book";
CREATE INDEX "Book_authorId_idx" ON "Book" ("authorId");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
