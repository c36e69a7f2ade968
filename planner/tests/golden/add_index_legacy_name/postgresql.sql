CREATE INDEX "post_author_index" ON "Post" ("authorId");
