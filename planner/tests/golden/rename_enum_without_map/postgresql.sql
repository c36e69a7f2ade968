-- warning[blocking]: Field Item.kind changes type from Kind to MediaKind, which has no binary-compatible cast: PostgreSQL rewrites the table Item under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[may-fail]: Field Item.kind changes type from Kind to MediaKind: the migration fails if existing values cannot be converted.

CREATE TYPE "MediaKind" AS ENUM ('BOOK', 'MOVIE');
ALTER TABLE "Item" ALTER COLUMN "kind" DROP DEFAULT,
    ALTER COLUMN "kind" SET DATA TYPE "MediaKind" USING ("kind"::text::"MediaKind"),
    ALTER COLUMN "kind" SET DEFAULT 'BOOK';
DROP TYPE "Kind";
