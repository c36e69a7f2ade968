-- warning[may-fail]: A unique constraint covering the columns [externalPaymentProviderReference] on the table CustomerSubscriptionBillingRecord will be added. If there are existing duplicate values, this will fail.

ALTER TABLE "CustomerSubscriptionBillingRecord" ADD COLUMN "invoiceRecipientEmailAddress" TEXT;
CREATE INDEX "CustomerSubscriptionBillingRecord_externalPaymentProviderReference_invoiceRecipientEmailAddress_idx" ON "CustomerSubscriptionBillingRecord" ("externalPaymentProviderReference", "invoiceRecipientEmailAddress");
CREATE UNIQUE INDEX "CustomerSubscriptionBillingRecord_externalPaymentProviderReference_key" ON "CustomerSubscriptionBillingRecord" ("externalPaymentProviderReference");
