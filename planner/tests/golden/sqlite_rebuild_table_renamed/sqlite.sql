-- warning[rebuild]: The table orders is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.

ALTER TABLE "Order" RENAME TO "orders";
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_orders" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "total" REAL NOT NULL
);
INSERT INTO "new_orders" ("id", "code", "total") SELECT "id", "code", "total" FROM "orders";
DROP TABLE "orders";
ALTER TABLE "new_orders" RENAME TO "orders";
CREATE UNIQUE INDEX "orders_code_key" ON "orders" ("code");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
