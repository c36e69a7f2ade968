-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "Post_authorId_createdAt_idx" ON "Post" ("authorId", "createdAt");
