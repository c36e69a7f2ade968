-- warning[data-loss]: Potential data loss: model User is removed from the target schema.

DROP TABLE "User";
ALTER TABLE "user_v2" RENAME TO "User";
ALTER INDEX "user_v2_email_key" RENAME TO "User_email_key";
ALTER TABLE "User" RENAME CONSTRAINT "user_v2_pkey" TO "User_pkey";
ALTER SEQUENCE IF EXISTS "user_v2_id_seq" RENAME TO "User_id_seq";
