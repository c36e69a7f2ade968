-- warning[data-loss]: Potential data loss: enum values REVIEW of Status are removed from the target schema. Rows that still use them make the migration fail.
-- warning[blocking]: The enum Status is re-created to remove values: the field Page.status changes to the new type through text, which rewrites the table Page under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: create the new enum under another name, add a column of it, backfill it in batches, switch the application to it, then drop the old column and type.

ALTER TYPE "Status" RENAME TO "page_status";
ALTER TYPE "page_status" RENAME TO "page_status_old";
CREATE TYPE "page_status" AS ENUM ('DRAFT', 'LIVE');
ALTER TABLE "Page" ALTER COLUMN "status" DROP DEFAULT, ALTER COLUMN "status" SET DATA TYPE "page_status" USING ("status"::text::"page_status"), ALTER COLUMN "status" SET DEFAULT 'DRAFT';
DROP TYPE "page_status_old";
