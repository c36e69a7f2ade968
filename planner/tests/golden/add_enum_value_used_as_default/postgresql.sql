ALTER TYPE "OrderStatus" RENAME TO "OrderStatus_old";
CREATE TYPE "OrderStatus" AS ENUM ('DRAFT', 'PENDING', 'PAID');
ALTER TABLE "Order" ALTER COLUMN "status" DROP DEFAULT, ALTER COLUMN "status" SET DATA TYPE "OrderStatus" USING ("status"::text::"OrderStatus"), ALTER COLUMN "status" SET DEFAULT 'DRAFT';
DROP TYPE "OrderStatus_old";
