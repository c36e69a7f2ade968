ALTER TABLE "Team" RENAME TO "teams";
ALTER TABLE "teams" RENAME CONSTRAINT "Team_pkey" TO "teams_pkey";
