-- warning[data-loss]: Potential data loss: field Post.authorId is removed from the target schema.

ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";
DROP INDEX "Post_authorId_idx";
ALTER TABLE "Post" DROP COLUMN "authorId";
