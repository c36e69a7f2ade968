ALTER TABLE "Customer" RENAME TO "Client";
ALTER INDEX "Customer_email_key" RENAME TO "Client_email_key";
ALTER INDEX "Customer_name_idx" RENAME TO "Client_name_idx";
ALTER TABLE "Client" RENAME CONSTRAINT "Customer_pkey" TO "Client_pkey";
ALTER SEQUENCE IF EXISTS "Customer_id_seq" RENAME TO "Client_id_seq";
