-- warning[data-loss]: Potential data loss: field Document.data changes type from jsonb to text[], which cannot be converted: the column is dropped and re-created, and its values are lost.

DROP INDEX "Document_data_idx";
ALTER TABLE "Document" DROP COLUMN "data";
ALTER TABLE "Document" ADD COLUMN "data" TEXT[];
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "Document_data_idx" ON "Document" USING GIN ("data");
