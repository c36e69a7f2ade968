ALTER TABLE "Team" RENAME TO "teams";
