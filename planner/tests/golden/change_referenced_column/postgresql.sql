-- warning[data-loss]: Potential data loss: field Order.userEmail is removed from the target schema.
-- warning[may-fail]: Adding required field Order.userId without default requires manual migration.

ALTER TABLE "Order" DROP CONSTRAINT "Order_userEmail_fkey";
ALTER TABLE "Order" DROP COLUMN "userEmail";
ALTER TABLE "Order" ADD COLUMN "userId" INTEGER NOT NULL;
ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_userId_fkey";
