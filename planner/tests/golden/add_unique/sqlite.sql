-- warning[may-fail]: A unique constraint covering the columns [email] on the table User will be added. If there are existing duplicate values, this will fail.

CREATE UNIQUE INDEX "User_email_key" ON "User" ("email");
