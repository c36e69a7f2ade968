-- warning[data-loss]: Potential data loss: field Order.region is removed from the target schema.

DROP INDEX "Order_region_placedAt_idx";
ALTER TABLE "Order" DROP COLUMN "region";
