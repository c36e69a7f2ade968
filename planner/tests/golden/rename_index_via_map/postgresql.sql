ALTER INDEX "Post_createdAt_idx" RENAME TO "post_created_at_idx";
ALTER INDEX "Post_slug_key" RENAME TO "post_slug_unique";
