-- warning[data-loss]: Potential data loss: enum values GREEN of Color are removed from the target schema. Rows that still use them make the migration fail.
-- warning[blocking]: The enum Color is re-created to remove values: the field Widget.color changes to the new type through text, which rewrites the table Widget under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: create the new enum under another name, add a column of it, backfill it in batches, switch the application to it, then drop the old column and type.

ALTER TYPE "Color" RENAME TO "Color_old";
CREATE TYPE "Color" AS ENUM ('RED', 'BLUE');
ALTER TABLE "Widget" ALTER COLUMN "color" DROP DEFAULT, ALTER COLUMN "color" SET DATA TYPE "Color" USING ("color"::text::"Color");
DROP TYPE "Color_old";
