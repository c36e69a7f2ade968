-- warning[blocking]: Field LogEntry.id changes type from integer to bigint, which has no binary-compatible cast: PostgreSQL rewrites the table LogEntry under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "LogEntry" ALTER COLUMN "id" SET DATA TYPE BIGINT;
ALTER SEQUENCE "LogEntry_id_seq" AS bigint;
