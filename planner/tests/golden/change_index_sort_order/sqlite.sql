DROP INDEX "Score_points_idx";
CREATE INDEX "Score_points_idx" ON "Score" ("points" DESC);
