-- warning[data-loss]: Potential data loss: enum values MID of Level are removed from the target schema. Rows that still use them make the migration fail.
-- warning[blocking]: The enum Level is re-created to remove values: the field Alert.level changes to the new type through text, which rewrites the table alerts under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: create the new enum under another name, add a column of it, backfill it in batches, switch the application to it, then drop the old column and type.

ALTER TYPE "Level" RENAME TO "Level_old";
CREATE TYPE "Level" AS ENUM ('LOW', 'HIGH');
ALTER TABLE "Alert" ALTER COLUMN "level" DROP DEFAULT, ALTER COLUMN "level" SET DATA TYPE "Level" USING ("level"::text::"Level"), ALTER COLUMN "level" SET DEFAULT 'LOW';
ALTER TABLE "Alert" RENAME TO "alerts";
ALTER TABLE "alerts" RENAME COLUMN "level" TO "alert_level";
DROP TYPE "Level_old";
ALTER TABLE "alerts" RENAME CONSTRAINT "Alert_pkey" TO "alerts_pkey";
ALTER SEQUENCE IF EXISTS "Alert_id_seq" RENAME TO "alerts_id_seq";
