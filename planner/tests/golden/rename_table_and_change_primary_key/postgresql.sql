-- warning[data-loss]: Potential data loss: field Enrollment.id is removed from the target schema.
-- warning[blocking]: The table enrollments gets a new primary key (studentId, courseId): PostgreSQL builds its unique index and checks the columns for NULLs under an ACCESS EXCLUSIVE lock, so every read and write of the table waits while the whole table is scanned. On a busy table, build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then add the key with ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.
-- warning[may-fail]: The primary key of the table enrollments changes to (studentId, courseId): the migration fails if existing rows hold duplicate values in these columns.

ALTER TABLE "Enrollment" RENAME TO "enrollments";
ALTER TABLE "enrollments" DROP CONSTRAINT "Enrollment_pkey",
    DROP COLUMN "id";
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_pkey" PRIMARY KEY ("studentId", "courseId");
