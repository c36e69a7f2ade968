ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";
