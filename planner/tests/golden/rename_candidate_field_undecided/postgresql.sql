-- warning[data-loss]: Potential data loss: field User.email is removed from the target schema.
-- warning[may-fail]: Adding required field User.mail without default requires manual migration.
-- rename-candidate[rename-field]: User.email=mail
-- decision[rename-field]: --rename User.email=mail or --no-rename User.email=mail
-- decision[data-loss]: --accept-data-loss
-- decision[may-fail]: --accept-may-fail

ALTER TABLE "User" DROP COLUMN "email";
ALTER TABLE "User" ADD COLUMN "mail" TEXT NOT NULL;
