-- warning[data-loss]: Potential data loss: enum values MID of Level are removed from the target schema. Rows that still use them make the migration fail.
-- warning[blocking]: The enum Level is re-created to remove values and because a default uses a value added by the same migration, which ADD VALUE would not allow inside the migration's transaction: the field Alert.level changes to the new type through text, which rewrites the table Alert under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: create the new enum under another name, add a column of it, backfill it in batches, switch the application to it, then drop the old column and type.

ALTER TYPE "Level" RENAME TO "Level_old";
CREATE TYPE "Level" AS ENUM ('LOW', 'HIGH', 'CRITICAL');
ALTER TABLE "Alert" ALTER COLUMN "level" DROP DEFAULT, ALTER COLUMN "level" SET DATA TYPE "Level" USING ("level"::text::"Level");
ALTER TABLE "Alert" ADD COLUMN "escalate" "Level" NOT NULL DEFAULT 'CRITICAL';
DROP TYPE "Level_old";
