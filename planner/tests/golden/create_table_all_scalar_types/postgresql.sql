CREATE TABLE "Sample" (
    "id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL,
    "count" INTEGER NOT NULL,
    "bigCount" BIGINT NOT NULL,
    "ratio" DOUBLE PRECISION NOT NULL,
    "price" NUMERIC NOT NULL,
    "happenedAt" TIMESTAMPTZ NOT NULL,
    "payload" JSONB NOT NULL,
    "blob" BYTEA NOT NULL,
    "note" TEXT,
    "maybeCount" BIGINT,
    "maybeData" JSONB,

    CONSTRAINT "Sample_pkey" PRIMARY KEY ("id")
);
