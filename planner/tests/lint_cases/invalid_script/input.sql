ALTER TABLE "Post" ADD COLUMN "slug" TEXT DEFAULT 'unterminated;
