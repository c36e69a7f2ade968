-- warning[may-fail]: Field Ticket.priority changes type from text to Priority: the migration fails if existing values cannot be converted.

CREATE TYPE "Priority" AS ENUM ('LOW', 'MEDIUM', 'HIGH');
ALTER TABLE "Ticket" ALTER COLUMN "priority" DROP DEFAULT,
    ALTER COLUMN "priority" SET DATA TYPE "Priority" USING ("priority"::text::"Priority"),
    ALTER COLUMN "priority" SET DEFAULT 'LOW';
