-- warning[blocking]: Field Invoice.amount changes type from double precision to numeric, which has no binary-compatible cast: PostgreSQL rewrites the table Invoice under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[data-loss]: Potential data loss: field Invoice.amount changes type from double precision to numeric; values that do not fit exactly are rounded or cut.

ALTER TABLE "Invoice" ALTER COLUMN "amount" SET DATA TYPE NUMERIC;
