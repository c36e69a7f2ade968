-- warning[data-loss]: Potential data loss: enum values DELETE of Permission are removed from the target schema. Rows that still use them make the migration fail.
-- warning[blocking]: The enum Permission is re-created to remove values: the field ApiToken.permissions changes to the new type through text, which rewrites the table ApiToken under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: create the new enum under another name, add a column of it, backfill it in batches, switch the application to it, then drop the old column and type.

ALTER TYPE "Permission" RENAME TO "Permission_old";
CREATE TYPE "Permission" AS ENUM ('READ', 'WRITE');
ALTER TABLE "ApiToken" ALTER COLUMN "permissions" DROP DEFAULT, ALTER COLUMN "permissions" SET DATA TYPE "Permission"[] USING ("permissions"::text[]::"Permission"[]), ALTER COLUMN "permissions" SET DEFAULT ARRAY['READ']::"Permission"[];
DROP TYPE "Permission_old";
