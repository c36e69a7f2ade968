ALTER TABLE "Customer" RENAME TO "Client";
ALTER TABLE "Order" RENAME COLUMN "customerId" TO "clientId";
ALTER INDEX "Customer_email_key" RENAME TO "Client_email_key";
ALTER INDEX "Order_customerId_idx" RENAME TO "Order_clientId_idx";
ALTER TABLE "Client" RENAME CONSTRAINT "Customer_pkey" TO "Client_pkey";
ALTER SEQUENCE IF EXISTS "Customer_id_seq" RENAME TO "Client_id_seq";
ALTER TABLE "Order" RENAME CONSTRAINT "Order_customerId_fkey" TO "Order_clientId_fkey";
