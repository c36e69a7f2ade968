-- warning[may-fail]: Adding required field Post.slug without default requires manual migration.

ALTER TABLE "Post" ADD COLUMN "slug" TEXT NOT NULL;
