-- warning[data-loss]: Potential data loss: field Product.price changes type from REAL to INTEGER; values that do not fit exactly are rounded or cut.
-- warning[rebuild]: The table Product is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Product" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sku" TEXT NOT NULL,
    "price" INTEGER NOT NULL,
    "category" TEXT
);
INSERT INTO "new_Product" ("id", "sku", "price", "category") SELECT "id", "sku", "price", "category" FROM "Product";
DROP TABLE "Product";
ALTER TABLE "new_Product" RENAME TO "Product";
CREATE INDEX "Product_category_idx" ON "Product" ("category");
CREATE UNIQUE INDEX "Product_sku_key" ON "Product" ("sku");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
