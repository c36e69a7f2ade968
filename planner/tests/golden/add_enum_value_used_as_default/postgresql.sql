-- warning[blocking]: The enum OrderStatus is re-created because a default uses a value added by the same migration, which ADD VALUE would not allow inside the migration's transaction: the field Order.status changes to the new type through text, which rewrites the table Order under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: create the new enum under another name, add a column of it, backfill it in batches, switch the application to it, then drop the old column and type.

ALTER TYPE "OrderStatus" RENAME TO "OrderStatus_old";
CREATE TYPE "OrderStatus" AS ENUM ('DRAFT', 'PENDING', 'PAID');
ALTER TABLE "Order" ALTER COLUMN "status" DROP DEFAULT, ALTER COLUMN "status" SET DATA TYPE "OrderStatus" USING ("status"::text::"OrderStatus"), ALTER COLUMN "status" SET DEFAULT 'DRAFT';
DROP TYPE "OrderStatus_old";
