ALTER TABLE "Post" ADD COLUMN "authorId" INTEGER;
CREATE INDEX "Post_authorId_idx" ON "Post" ("authorId");
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
