ALTER TABLE "Post" RENAME TO "posts";
ALTER TABLE "User" RENAME TO "users";
ALTER INDEX "Post_authorId_idx" RENAME TO "posts_authorId_idx";
ALTER INDEX "User_email_key" RENAME TO "users_email_key";
ALTER TABLE "posts" RENAME CONSTRAINT "Post_pkey" TO "posts_pkey";
ALTER TABLE "posts" RENAME CONSTRAINT "Post_authorId_fkey" TO "posts_authorId_fkey";
ALTER SEQUENCE IF EXISTS "Post_id_seq" RENAME TO "posts_id_seq";
ALTER TABLE "users" RENAME CONSTRAINT "User_pkey" TO "users_pkey";
ALTER SEQUENCE IF EXISTS "User_id_seq" RENAME TO "users_id_seq";
