CREATE INDEX "Post_title_idx" ON "Post" ("title");
ALTER TABLE "Post" ALTER COLUMN "title" SET STATISTICS 500;
ALTER TABLE "Post" ADD COLUMN "slug" TEXT;
