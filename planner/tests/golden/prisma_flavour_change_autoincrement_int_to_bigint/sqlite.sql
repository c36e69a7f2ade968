-- warning[rebuild]: The table LogEntry is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_LogEntry" (
    "id" BIGINT NOT NULL,
    "message" TEXT NOT NULL,
    PRIMARY KEY ("id")
);
INSERT INTO "new_LogEntry" ("id", "message") SELECT "id", "message" FROM "LogEntry";
DROP TABLE "LogEntry";
ALTER TABLE "new_LogEntry" RENAME TO "LogEntry";
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
