-- warning[may-fail]: A unique constraint covering the columns [title] on the table Post will be added. If there are existing duplicate values, this will fail.
-- decision[may-fail]: --accept-may-fail

-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE UNIQUE INDEX CONCURRENTLY "Post_title_key" ON "Post" ("title");
