-- warning[data-loss]: Potential data loss: field User.password is removed from the target schema.
-- warning[data-loss]: Potential data loss: field User.legacyId is removed from the target schema.

ALTER TABLE "User" DROP COLUMN "password",
    DROP COLUMN "legacyId";
