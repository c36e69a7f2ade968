ALTER TABLE "Measurement" RENAME COLUMN "value" TO "reading";
ALTER TABLE "Measurement" ALTER COLUMN "reading" DROP DEFAULT,
    ALTER COLUMN "reading" SET DATA TYPE DOUBLE PRECISION,
    ALTER COLUMN "reading" SET DEFAULT 0.5;
ALTER INDEX "Measurement_value_idx" RENAME TO "Measurement_reading_idx";
