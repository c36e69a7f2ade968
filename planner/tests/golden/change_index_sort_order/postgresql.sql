DROP INDEX "Score_points_idx";
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "Score_points_idx" ON "Score" ("points" DESC);
