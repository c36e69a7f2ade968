-- warning[may-fail]: Field User.email changes from optional to required: the migration fails if existing rows hold NULL in it.

ALTER TABLE "User" ADD CONSTRAINT "User_email_comon_not_null" CHECK ("email" IS NOT NULL) NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "User" VALIDATE CONSTRAINT "User_email_comon_not_null";
ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
ALTER TABLE "User" DROP CONSTRAINT "User_email_comon_not_null";
