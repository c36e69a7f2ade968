ALTER TABLE "Post" RENAME COLUMN "slug" TO "url_slug";
ALTER TABLE "Post" RENAME COLUMN "authorId" TO "author_id";
ALTER TABLE "User" RENAME COLUMN "email" TO "email_address";
DROP INDEX "Post_authorId_title_idx";
CREATE INDEX "Post_author_id_title_idx" ON "Post" ("author_id", "title");
DROP INDEX "Post_slug_key";
CREATE UNIQUE INDEX "Post_url_slug_key" ON "Post" ("url_slug");
DROP INDEX "User_email_key";
CREATE UNIQUE INDEX "User_email_address_key" ON "User" ("email_address");
