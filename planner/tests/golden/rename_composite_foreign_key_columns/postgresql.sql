ALTER TABLE "Bin" RENAME COLUMN "warehouseReg" TO "warehouse_region";
ALTER TABLE "Bin" RENAME COLUMN "warehouseCode" TO "warehouse_code";
ALTER TABLE "Warehouse" RENAME COLUMN "region" TO "region_code";
ALTER TABLE "Bin" RENAME CONSTRAINT "Bin_warehouseReg_warehouseCode_fkey" TO "Bin_warehouse_region_warehouse_code_fkey";
