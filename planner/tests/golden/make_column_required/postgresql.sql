-- warning[may-fail]: Field User.email changes from optional to required: the migration fails if existing rows hold NULL in it.

ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
