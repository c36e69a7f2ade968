ALTER TABLE "User" RENAME COLUMN "email" TO "mail";
ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";
ALTER TABLE "User" ALTER COLUMN "fullName" DROP NOT NULL;
ALTER INDEX "User_email_key" RENAME TO "User_mail_key";
