ALTER TABLE "Comment" DROP CONSTRAINT "Comment_postId_fkey";
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Comment" VALIDATE CONSTRAINT "Comment_postId_fkey";
