-- warning[blocking]: Field Address.zipCode changes type from integer to text, which has no binary-compatible cast: PostgreSQL rewrites the table Address under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "Address" ALTER COLUMN "zipCode" DROP DEFAULT,
    ALTER COLUMN "zipCode" SET DATA TYPE TEXT,
    ALTER COLUMN "zipCode" SET DEFAULT '00000';
