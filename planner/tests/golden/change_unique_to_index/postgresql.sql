DROP INDEX "Post_title_key";
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post" ("title");
