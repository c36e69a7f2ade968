CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
    "label" TEXT NOT NULL,
    PRIMARY KEY ("id")
);
