-- warning[may-fail]: A unique constraint covering the columns [at,playerId] on the table Score will be added. If there are existing duplicate values, this will fail.

-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE UNIQUE INDEX CONCURRENTLY "Score_at_playerId_key" ON "Score" ("at" DESC, "playerId");
CREATE INDEX CONCURRENTLY "Score_playerId_points_idx" ON "Score" ("playerId", "points" DESC);
