ALTER TABLE "Post" ADD COLUMN "authorId" INTEGER;
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";
CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post" ("authorId");
