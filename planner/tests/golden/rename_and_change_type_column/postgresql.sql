-- warning[blocking]: Field Measurement.value changes type from integer to double precision, which has no binary-compatible cast: PostgreSQL rewrites the table Measurement under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "Measurement" RENAME COLUMN "value" TO "reading";
ALTER TABLE "Measurement" ALTER COLUMN "reading" DROP DEFAULT,
    ALTER COLUMN "reading" SET DATA TYPE DOUBLE PRECISION,
    ALTER COLUMN "reading" SET DEFAULT 0.5;
ALTER INDEX "Measurement_value_idx" RENAME TO "Measurement_reading_idx";
