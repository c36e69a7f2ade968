ALTER TABLE "User" RENAME COLUMN "firstName" TO "first_name";
ALTER TABLE "User" RENAME COLUMN "createdAt" TO "created_at";
