ALTER TABLE "Customer" RENAME TO "Client";
ALTER TABLE "Order" RENAME COLUMN "customerId" TO "clientId";
DROP INDEX "Customer_email_key";
CREATE UNIQUE INDEX "Client_email_key" ON "Client" ("email");
DROP INDEX "Order_customerId_idx";
CREATE INDEX "Order_clientId_idx" ON "Order" ("clientId");
