-- warning[data-loss]: Potential data loss: field Recipe.tag changes type from text to text[], which cannot be converted: the column is dropped and re-created, and its values are lost.

ALTER TABLE "Recipe" DROP COLUMN "tag";
ALTER TABLE "Recipe" ADD COLUMN "tag" TEXT[];
