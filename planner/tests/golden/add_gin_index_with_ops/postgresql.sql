-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "Document_data_idx" ON "Document" USING GIN ("data" jsonb_path_ops);
CREATE INDEX CONCURRENTLY "Document_tags_idx" ON "Document" USING GIN ("tags");
