-- warning[blocking]: Field Order.userId changes type from integer to bigint, which has no binary-compatible cast: PostgreSQL rewrites the table Order under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[blocking]: Field User.id changes type from integer to bigint, which has no binary-compatible cast: PostgreSQL rewrites the table User under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "Order" DROP CONSTRAINT "Order_userId_fkey";
ALTER TABLE "Order" ALTER COLUMN "userId" SET DATA TYPE BIGINT;
ALTER TABLE "User" ALTER COLUMN "id" SET DATA TYPE BIGINT;
ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_userId_fkey";
