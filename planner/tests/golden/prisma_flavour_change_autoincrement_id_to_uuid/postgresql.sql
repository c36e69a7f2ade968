-- warning[blocking]: Field Order.id changes type from integer to text, which has no binary-compatible cast: PostgreSQL rewrites the table Order under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "Order" ALTER COLUMN "id" DROP DEFAULT;
DROP SEQUENCE "Order_id_seq";
ALTER TABLE "Order" ALTER COLUMN "id" SET DATA TYPE TEXT;
