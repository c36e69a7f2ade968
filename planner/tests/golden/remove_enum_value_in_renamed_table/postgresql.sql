-- warning[data-loss]: Potential data loss: enum values MID of Level are removed from the target schema. Rows that still use them make the migration fail.

ALTER TYPE "Level" RENAME TO "Level_old";
CREATE TYPE "Level" AS ENUM ('LOW', 'HIGH');
ALTER TABLE "Alert" ALTER COLUMN "level" DROP DEFAULT, ALTER COLUMN "level" SET DATA TYPE "Level" USING ("level"::text::"Level"), ALTER COLUMN "level" SET DEFAULT 'LOW';
ALTER TABLE "Alert" RENAME TO "alerts";
ALTER TABLE "alerts" RENAME COLUMN "level" TO "alert_level";
DROP TYPE "Level_old";
ALTER TABLE "alerts" RENAME CONSTRAINT "Alert_pkey" TO "alerts_pkey";
ALTER SEQUENCE IF EXISTS "Alert_id_seq" RENAME TO "alerts_id_seq";
