ALTER TABLE "Post" RENAME COLUMN "slug" TO "url_slug";
ALTER TABLE "Post" RENAME COLUMN "authorId" TO "author_id";
ALTER TABLE "User" RENAME COLUMN "email" TO "email_address";
ALTER INDEX "Post_authorId_title_idx" RENAME TO "Post_author_id_title_idx";
ALTER INDEX "Post_slug_key" RENAME TO "Post_url_slug_key";
ALTER INDEX "User_email_key" RENAME TO "User_email_address_key";
ALTER TABLE "Post" RENAME CONSTRAINT "Post_authorId_fkey" TO "Post_author_id_fkey";
