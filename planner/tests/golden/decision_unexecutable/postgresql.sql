-- warning[unexecutable]: Adding required field Post.slug without default requires manual migration.
-- decision[unexecutable]: --create-only

ALTER TABLE "Post" ADD COLUMN "slug" TEXT NOT NULL;
