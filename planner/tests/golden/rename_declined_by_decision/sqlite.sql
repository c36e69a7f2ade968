-- warning[data-loss]: Potential data loss: model Customer is removed from the target schema.
-- decision[data-loss]: --accept-data-loss

DROP TABLE "Customer";
CREATE TABLE "Client" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL
);
CREATE UNIQUE INDEX "Client_email_key" ON "Client" ("email");
CREATE INDEX "Client_name_idx" ON "Client" ("name");
