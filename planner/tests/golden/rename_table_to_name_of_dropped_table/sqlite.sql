-- warning[data-loss]: Potential data loss: model User is removed from the target schema.

DROP TABLE "User";
ALTER TABLE "user_v2" RENAME TO "User";
DROP INDEX "user_v2_email_key";
CREATE UNIQUE INDEX "User_email_key" ON "User" ("email");
