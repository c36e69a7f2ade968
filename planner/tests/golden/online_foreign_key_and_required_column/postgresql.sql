-- warning[may-fail]: Field Author.name changes from optional to required: the migration fails if existing rows hold NULL in it.
-- warning[may-fail]: A foreign key on Book(authorId) referencing Author will be added. If existing rows reference rows that do not exist, this will fail.

ALTER TABLE "Book" ADD CONSTRAINT "Book_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
ALTER TABLE "Author" ADD CONSTRAINT "Author_name_comon_not_null" CHECK ("name" IS NOT NULL) NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Author" VALIDATE CONSTRAINT "Author_name_comon_not_null";
ALTER TABLE "Book" VALIDATE CONSTRAINT "Book_authorId_fkey";
ALTER TABLE "Author" ALTER COLUMN "name" SET NOT NULL;
ALTER TABLE "Author" DROP CONSTRAINT "Author_name_comon_not_null";
CREATE INDEX CONCURRENTLY "Book_authorId_idx" ON "Book" ("authorId");
