-- warning[may-fail]: A unique constraint covering the columns [externalPaymentProviderReference] on the table CustomerSubscriptionBillingRecord will be added. If there are existing duplicate values, this will fail.

ALTER TABLE "CustomerSubscriptionBillingRecord" ADD COLUMN "invoiceRecipientEmailAddress" TEXT;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE UNIQUE INDEX CONCURRENTLY "CustomerSubscriptionBillingRecord_externalPaymentProvi_b1018346" ON "CustomerSubscriptionBillingRecord" ("externalPaymentProviderReference");
CREATE INDEX CONCURRENTLY "CustomerSubscriptionBillingRecord_externalPaymentProvi_f10bcc43" ON "CustomerSubscriptionBillingRecord" ("externalPaymentProviderReference", "invoiceRecipientEmailAddress");
