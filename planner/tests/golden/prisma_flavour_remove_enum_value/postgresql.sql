-- warning[data-loss]: Potential data loss: enum values GREEN of Color are removed from the target schema. Rows that still use them make the migration fail.

ALTER TYPE "Color" RENAME TO "Color_old";
CREATE TYPE "Color" AS ENUM ('RED', 'BLUE');
ALTER TABLE "Widget" ALTER COLUMN "color" DROP DEFAULT, ALTER COLUMN "color" SET DATA TYPE "Color" USING ("color"::text::"Color");
DROP TYPE "Color_old";
