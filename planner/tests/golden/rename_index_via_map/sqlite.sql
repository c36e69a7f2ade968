DROP INDEX "Post_createdAt_idx";
CREATE INDEX "post_created_at_idx" ON "Post" ("createdAt");
DROP INDEX "Post_slug_key";
CREATE UNIQUE INDEX "post_slug_unique" ON "Post" ("slug");
