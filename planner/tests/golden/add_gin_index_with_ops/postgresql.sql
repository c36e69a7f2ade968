CREATE INDEX "Document_data_idx" ON "Document" USING GIN ("data" jsonb_path_ops);
CREATE INDEX "Document_tags_idx" ON "Document" USING GIN ("tags");
