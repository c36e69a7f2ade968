-- warning[data-loss]: Potential data loss: field Invoice.amount changes type from double precision to numeric; values that do not fit exactly are rounded or cut.

ALTER TABLE "Invoice" ALTER COLUMN "amount" SET DATA TYPE NUMERIC;
