ALTER TABLE "Post" RENAME CONSTRAINT "Post_authorId_fkey" TO "post_author_fk";
