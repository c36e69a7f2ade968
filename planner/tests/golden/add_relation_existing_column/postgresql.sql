-- warning[may-fail]: A foreign key on Post(authorId) referencing User will be added. If existing rows reference rows that do not exist, this will fail.

ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";
