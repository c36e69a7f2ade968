-- warning[data-loss]: Potential data loss: field Enrollment.id is removed from the target schema.
-- warning[may-fail]: The primary key of the table enrollments changes to (studentId, courseId): the migration fails if existing rows hold duplicate values in these columns.
-- warning[rebuild]: The table enrollments is rebuilt because a column is dropped and the primary key changes: SQLite cannot alter it in place, so its rows are copied into a new table.

ALTER TABLE "Enrollment" RENAME TO "enrollments";
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_enrollments" (
    "studentId" INTEGER NOT NULL,
    "courseId" INTEGER NOT NULL,
    PRIMARY KEY ("studentId", "courseId")
);
INSERT INTO "new_enrollments" ("studentId", "courseId") SELECT "studentId", "courseId" FROM "enrollments";
DROP TABLE "enrollments";
ALTER TABLE "new_enrollments" RENAME TO "enrollments";
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
