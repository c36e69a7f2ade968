-- warning[data-loss]: Potential data loss: model Team is removed from the target schema.
-- warning[data-loss]: Potential data loss: model User is removed from the target schema.

ALTER TABLE "Team" DROP CONSTRAINT "Team_ownerId_fkey";
ALTER TABLE "User" DROP CONSTRAINT "User_teamId_fkey";
DROP TABLE "Team";
DROP TABLE "User";
