-- warning[data-loss]: Potential data loss: field Author.bio is removed from the target schema.

ALTER TABLE "Author" DROP COLUMN "bio";
ALTER TABLE "Author" ADD COLUMN "born" INTEGER;
