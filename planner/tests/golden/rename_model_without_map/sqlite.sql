-- warning[data-loss]: Potential data loss: model Customer is removed from the target schema.
-- rename-candidate[rename-model]: Customer=Client

DROP TABLE "Customer";
CREATE TABLE "Client" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL
);
CREATE UNIQUE INDEX "Client_email_key" ON "Client" ("email");
