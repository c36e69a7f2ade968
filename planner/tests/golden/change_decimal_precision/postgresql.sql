-- warning[blocking]: Field Payment.rate changes type from numeric(10,4) to numeric(6,2), which has no binary-compatible cast: PostgreSQL rewrites the table Payment under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[data-loss]: Potential data loss: field Payment.rate changes type from numeric(10,4) to numeric(6,2); values that do not fit exactly are rounded or cut.
-- warning[blocking]: Field Payment.paidAt changes type from timestamp(3) without time zone to timestamp(3) with time zone, which has no binary-compatible cast: PostgreSQL rewrites the table Payment under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "Payment" ALTER COLUMN "amount" SET DATA TYPE NUMERIC(12,2),
    ALTER COLUMN "rate" SET DATA TYPE NUMERIC(6,2),
    ALTER COLUMN "paidAt" SET DATA TYPE TIMESTAMPTZ(3);
