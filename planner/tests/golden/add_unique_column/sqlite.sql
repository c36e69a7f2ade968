-- warning[may-fail]: A unique constraint covering the columns [username] on the table User will be added. If there are existing duplicate values, this will fail.

ALTER TABLE "User" ADD COLUMN "username" TEXT;
CREATE UNIQUE INDEX "User_username_key" ON "User" ("username");
