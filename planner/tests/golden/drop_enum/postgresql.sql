-- warning[data-loss]: Potential data loss: field User.role is removed from the target schema.

ALTER TABLE "User" DROP COLUMN "role";
DROP TYPE "Role";
