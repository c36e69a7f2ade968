ALTER TABLE "Customer" RENAME TO "Client";
DROP INDEX "Customer_email_key";
CREATE UNIQUE INDEX "Client_email_key" ON "Client" ("email");
DROP INDEX "Customer_name_idx";
CREATE INDEX "Client_name_idx" ON "Client" ("name");
