ALTER TABLE "Bin" RENAME COLUMN "warehouseReg" TO "warehouse_region";
ALTER TABLE "Bin" RENAME COLUMN "warehouseCode" TO "warehouse_code";
ALTER TABLE "Warehouse" RENAME COLUMN "region" TO "region_code";
