CREATE TABLE "OrderLine" (
    "orderId" INTEGER NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("orderId", "lineNo")
);
