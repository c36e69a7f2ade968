-- warning[data-loss]: Potential data loss: field Invoice.amount changes type from double precision to numeric.

ALTER TABLE "Invoice" ALTER COLUMN "amount" SET DATA TYPE NUMERIC USING ("amount"::NUMERIC);
