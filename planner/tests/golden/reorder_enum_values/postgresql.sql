-- warning[blocking]: The enum Size is re-created to reorder its values: the field Shirt.size changes to the new type through text, which rewrites the table Shirt under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: create the new enum under another name, add a column of it, backfill it in batches, switch the application to it, then drop the old column and type.

ALTER TYPE "Size" RENAME TO "Size_old";
CREATE TYPE "Size" AS ENUM ('SMALL', 'MEDIUM', 'LARGE');
ALTER TABLE "Shirt" ALTER COLUMN "size" DROP DEFAULT, ALTER COLUMN "size" SET DATA TYPE "Size" USING ("size"::text::"Size");
DROP TYPE "Size_old";
