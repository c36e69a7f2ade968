-- warning[blocking]: Field Product.stock changes type from text to integer, which has no binary-compatible cast: PostgreSQL rewrites the table Product under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[may-fail]: Field Product.stock changes type from text to integer: the migration fails if existing values cannot be converted.

ALTER TABLE "Product" ALTER COLUMN "stock" SET DATA TYPE INTEGER USING ("stock"::INTEGER);
