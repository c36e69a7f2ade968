-- warning[data-loss]: Potential data loss: enum values MID of Level are removed from the target schema. Rows that still use them make the migration fail.

ALTER TABLE "Alert" RENAME TO "alerts";
ALTER TABLE "alerts" RENAME COLUMN "level" TO "alert_level";
ALTER TYPE "Level" RENAME TO "Level_old";
CREATE TYPE "Level" AS ENUM ('LOW', 'HIGH');
ALTER TABLE "alerts" ALTER COLUMN "alert_level" DROP DEFAULT, ALTER COLUMN "alert_level" SET DATA TYPE "Level" USING ("alert_level"::text::"Level"), ALTER COLUMN "alert_level" SET DEFAULT 'LOW';
DROP TYPE "Level_old";
ALTER TABLE "alerts" RENAME CONSTRAINT "Alert_pkey" TO "alerts_pkey";
