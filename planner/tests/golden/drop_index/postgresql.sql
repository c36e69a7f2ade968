DROP INDEX "Post_createdAt_idx";
