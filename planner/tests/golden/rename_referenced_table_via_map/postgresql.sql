ALTER TABLE "Team" RENAME TO "teams";
ALTER TABLE "teams" RENAME CONSTRAINT "Team_pkey" TO "teams_pkey";
ALTER SEQUENCE IF EXISTS "Team_id_seq" RENAME TO "teams_id_seq";
