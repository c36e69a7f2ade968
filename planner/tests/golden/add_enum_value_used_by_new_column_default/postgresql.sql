ALTER TYPE "Level" RENAME TO "Level_old";
CREATE TYPE "Level" AS ENUM ('LOW', 'HIGH', 'CRITICAL');
ALTER TABLE "Alert" ALTER COLUMN "level" DROP DEFAULT, ALTER COLUMN "level" SET DATA TYPE "Level" USING ("level"::text::"Level");
ALTER TABLE "Alert" ADD COLUMN "escalate" "Level" NOT NULL DEFAULT 'CRITICAL';
DROP TYPE "Level_old";
