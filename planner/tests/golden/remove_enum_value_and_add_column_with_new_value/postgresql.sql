-- warning[data-loss]: Potential data loss: enum values MID of Level are removed from the target schema. Rows that still use them make the migration fail.

ALTER TYPE "Level" RENAME TO "Level_old";
CREATE TYPE "Level" AS ENUM ('LOW', 'HIGH', 'CRITICAL');
ALTER TABLE "Alert" ALTER COLUMN "level" DROP DEFAULT, ALTER COLUMN "level" SET DATA TYPE "Level" USING ("level"::text::"Level");
ALTER TABLE "Alert" ADD COLUMN "escalate" "Level" NOT NULL DEFAULT 'CRITICAL';
DROP TYPE "Level_old";
