CREATE TABLE "Audit" ("id" INTEGER NOT NULL);
UPDATE "Audit" SET "id" = 1;
UPDATE "User" SET "active" = true;
UPDATE "User" SET "active" = false WHERE "id" = 1;
DELETE FROM "Session";
DELETE FROM "Session" WHERE "expiresAt" < now();
