-- warning[may-fail]: A foreign key on Mention(userHandle) referencing User will be added. If existing rows reference rows that do not exist, this will fail.
-- warning[may-fail]: A unique constraint covering the columns [handle] on the table User will be added. If there are existing duplicate values, this will fail.

-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE UNIQUE INDEX CONCURRENTLY "User_handle_key" ON "User" ("handle");
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_userHandle_fkey" FOREIGN KEY ("userHandle") REFERENCES "User"("handle") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE "Mention" VALIDATE CONSTRAINT "Mention_userHandle_fkey";
