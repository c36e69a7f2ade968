DROP INDEX "Post_title_key";
CREATE INDEX "Post_title_idx" ON "Post" ("title");
