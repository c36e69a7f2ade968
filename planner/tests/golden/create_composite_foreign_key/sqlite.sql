CREATE TABLE "Bin" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "warehouseReg" TEXT NOT NULL,
    "warehouseCode" TEXT NOT NULL,
    FOREIGN KEY ("warehouseReg", "warehouseCode") REFERENCES "Warehouse"("region", "code") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE TABLE "Warehouse" (
    "region" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    PRIMARY KEY ("region", "code")
);
CREATE INDEX "Bin_warehouseReg_warehouseCode_idx" ON "Bin" ("warehouseReg", "warehouseCode");
