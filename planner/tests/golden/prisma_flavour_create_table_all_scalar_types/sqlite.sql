CREATE TABLE "Sample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL,
    "count" INTEGER NOT NULL,
    "bigCount" BIGINT NOT NULL,
    "ratio" REAL NOT NULL,
    "price" DECIMAL NOT NULL,
    "happenedAt" DATETIME NOT NULL,
    "payload" JSONB NOT NULL,
    "blob" BLOB NOT NULL,
    "note" TEXT,
    "maybeCount" BIGINT,
    "maybeData" JSONB
);
