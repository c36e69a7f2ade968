-- warning[blocking]: Field Ticket.priority changes type from text to Priority, which has no binary-compatible cast: PostgreSQL rewrites the table Ticket under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[may-fail]: Field Ticket.priority changes type from text to Priority: the migration fails if existing values cannot be converted.

CREATE TYPE "Priority" AS ENUM ('LOW', 'MEDIUM', 'HIGH');
ALTER TABLE "Ticket" ALTER COLUMN "priority" DROP DEFAULT,
    ALTER COLUMN "priority" SET DATA TYPE "Priority" USING ("priority"::text::"Priority"),
    ALTER COLUMN "priority" SET DEFAULT 'LOW';
