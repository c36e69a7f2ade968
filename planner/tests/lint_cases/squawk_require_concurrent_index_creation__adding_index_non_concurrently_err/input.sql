-- instead of
CREATE INDEX "field_name_idx" ON "table_name" ("field_name");
