CREATE TABLE "Sample" (
    "id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL,
    "count" INTEGER NOT NULL,
    "bigCount" BIGINT NOT NULL,
    "ratio" DOUBLE PRECISION NOT NULL,
    "price" NUMERIC(65,30) NOT NULL,
    "happenedAt" TIMESTAMP(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "blob" BYTEA NOT NULL,
    "note" TEXT,
    "maybeCount" BIGINT,
    "maybeData" JSONB,

    CONSTRAINT "Sample_pkey" PRIMARY KEY ("id")
);
