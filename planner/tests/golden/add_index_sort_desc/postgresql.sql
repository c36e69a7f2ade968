-- warning[may-fail]: A unique constraint covering the columns [at,playerId] on the table Score will be added. If there are existing duplicate values, this will fail.

CREATE UNIQUE INDEX "Score_at_playerId_key" ON "Score" ("at" DESC, "playerId");
CREATE INDEX "Score_playerId_points_idx" ON "Score" ("playerId", "points" DESC);
