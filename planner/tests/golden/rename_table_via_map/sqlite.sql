ALTER TABLE "Post" RENAME TO "posts";
ALTER TABLE "User" RENAME TO "users";
DROP INDEX "Post_authorId_idx";
CREATE INDEX "posts_authorId_idx" ON "posts" ("authorId");
DROP INDEX "User_email_key";
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
