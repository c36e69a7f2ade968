CREATE TABLE "Invoice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" BIGINT NOT NULL,
    "customer" NVARCHAR(80) NOT NULL,
    "code" VARCHAR(10) NOT NULL,
    "issuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueOn" DATE,
    "total" DECIMAL(10,2) NOT NULL DEFAULT 0,
    "rate" DOUBLE PRECISION NOT NULL,
    "paid" TINYINT NOT NULL DEFAULT false,
    "details" JSON NOT NULL DEFAULT '{}',
    "reference" UUID
);
CREATE UNIQUE INDEX "Invoice_number_key" ON "Invoice" ("number");
