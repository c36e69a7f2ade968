-- warning[data-loss]: Potential data loss: field Membership.id is removed from the target schema.
-- warning[may-fail]: The primary key of the table Membership changes to (userId, teamId): the migration fails if existing rows hold duplicate values in these columns.

ALTER TABLE "Membership" DROP CONSTRAINT "Membership_pkey",
    DROP COLUMN "id";
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_pkey" PRIMARY KEY ("userId", "teamId");
