-- warning[may-fail]: Field Author.name changes from optional to required: the migration fails if existing rows hold NULL in it.
-- warning[may-fail]: A foreign key on Book(authorId) referencing Author will be added. If existing rows reference rows that do not exist, this will fail.

ALTER TABLE "Author" ALTER COLUMN "name" SET NOT NULL;
CREATE INDEX "Book_authorId_idx" ON "Book" ("authorId");
ALTER TABLE "Book" ADD CONSTRAINT "Book_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE CASCADE ON UPDATE CASCADE;
