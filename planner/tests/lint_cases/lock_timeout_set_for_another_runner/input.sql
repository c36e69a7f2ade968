SET lock_timeout = '5s';
ALTER TABLE "User" ADD COLUMN "bio" TEXT;
DROP INDEX "User_name_idx";
