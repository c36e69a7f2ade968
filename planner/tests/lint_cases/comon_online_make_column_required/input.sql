-- warning[may-fail]: Field Post.authorId changes from optional to required: the migration fails if existing rows hold NULL in it.

ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_comon_not_null" CHECK ("authorId" IS NOT NULL) NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";
ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_comon_not_null";
ALTER TABLE "Post" ALTER COLUMN "authorId" SET NOT NULL;
ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_comon_not_null";
