-- warning[may-fail]: A unique constraint covering the columns [externalPaymentProviderReference] on the table CustomerSubscriptionBillingRecord will be added. If there are existing duplicate values, this will fail.

ALTER TABLE "CustomerSubscriptionBillingRecord" ADD COLUMN "invoiceRecipientEmailAddress" TEXT;
CREATE UNIQUE INDEX "CustomerSubscriptionBillingRecord_externalPaymentProvi_b1018346" ON "CustomerSubscriptionBillingRecord" ("externalPaymentProviderReference");
CREATE INDEX "CustomerSubscriptionBillingRecord_externalPaymentProvi_f10bcc43" ON "CustomerSubscriptionBillingRecord" ("externalPaymentProviderReference", "invoiceRecipientEmailAddress");
