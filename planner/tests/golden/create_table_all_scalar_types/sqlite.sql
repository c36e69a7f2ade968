CREATE TABLE "Sample" (
    "id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL,
    "count" INTEGER NOT NULL,
    "bigCount" TEXT NOT NULL,
    "ratio" REAL NOT NULL,
    "price" REAL NOT NULL,
    "happenedAt" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "blob" BLOB NOT NULL,
    "note" TEXT,
    "maybeCount" TEXT,
    "maybeData" TEXT,
    PRIMARY KEY ("id")
);
