-- warning[data-loss]: Potential data loss: field Enrollment.id is removed from the target schema.
-- warning[may-fail]: The primary key of the table enrollments changes to (studentId, courseId): the migration fails if existing rows hold duplicate values in these columns.

ALTER TABLE "Enrollment" RENAME TO "enrollments";
ALTER TABLE "enrollments" DROP CONSTRAINT "Enrollment_pkey",
    DROP COLUMN "id";
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_pkey" PRIMARY KEY ("studentId", "courseId");
