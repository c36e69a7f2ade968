-- warning[data-loss]: Potential data loss: field Membership.id is removed from the target schema.

ALTER TABLE "Membership" DROP CONSTRAINT "Membership_pkey",
    DROP COLUMN "id",
    ADD CONSTRAINT "Membership_pkey" PRIMARY KEY ("userId", "teamId");
