-- warning[may-fail]: A foreign key on Order(userId) referencing User will be added. If existing rows reference rows that do not exist, this will fail.

ALTER TABLE "Order" DROP CONSTRAINT "Order_userId_fkey";
ALTER TABLE "Order" ALTER COLUMN "userId" SET DATA TYPE BIGINT;
ALTER TABLE "User" ALTER COLUMN "id" SET DATA TYPE BIGINT;
ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
