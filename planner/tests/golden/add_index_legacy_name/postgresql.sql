-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "post_author_index" ON "Post" ("authorId");
