-- warning[data-loss]: Potential data loss: field Payment.rate changes type from numeric(10,4) to numeric(6,2); values that do not fit exactly are rounded or cut.

ALTER TABLE "Payment" ALTER COLUMN "amount" SET DATA TYPE NUMERIC(12,2),
    ALTER COLUMN "rate" SET DATA TYPE NUMERIC(6,2),
    ALTER COLUMN "paidAt" SET DATA TYPE TIMESTAMPTZ(3);
