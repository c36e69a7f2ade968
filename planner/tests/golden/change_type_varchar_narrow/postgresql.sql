-- warning[blocking]: Field Country.code changes type from character varying(255) to character varying(10), which has no binary-compatible cast: PostgreSQL rewrites the table Country under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[may-fail]: Field Country.code changes type from character varying(255) to character varying(10): the migration fails if existing values cannot be converted.

ALTER TABLE "Country" ALTER COLUMN "code" SET DATA TYPE VARCHAR(10);
