-- warning[data-loss]: Potential data loss: field User.username is removed from the target schema.

DROP INDEX "User_username_key";
ALTER TABLE "User" DROP COLUMN "username";
