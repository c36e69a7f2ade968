-- warning[blocking]: Field Account.status changes type from Status to text, which has no binary-compatible cast: PostgreSQL rewrites the table Account under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "Account" ALTER COLUMN "status" DROP DEFAULT,
    ALTER COLUMN "status" SET DATA TYPE TEXT,
    ALTER COLUMN "status" SET DEFAULT 'ACTIVE';
DROP TYPE "Status";
