-- warning[data-loss]: Potential data loss: model Comment is removed from the target schema.
-- warning[data-loss]: Potential data loss: model Post is removed from the target schema.

ALTER TABLE "Comment" DROP CONSTRAINT "Comment_postId_fkey";
ALTER TABLE "Comment" DROP CONSTRAINT "Comment_userId_fkey";
DROP TABLE "Comment";
DROP TABLE "Post";
