CREATE TABLE "Product" (
    "id" UUID NOT NULL,
    "sku" VARCHAR(32) NOT NULL,
    "code" CHAR(4) NOT NULL,
    "description" TEXT NOT NULL,
    "price" NUMERIC(10,2) NOT NULL,
    "weight" REAL NOT NULL,
    "stock" SMALLINT NOT NULL,
    "views" BIGINT NOT NULL,
    "attributes" JSONB NOT NULL,
    "rawData" JSON,
    "releasedOn" DATE NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "syncedAt" TIMESTAMPTZ(6) NOT NULL,
    "opensAt" TIME(0) NOT NULL,
    "thumbnail" BYTEA,
    "ip" INET,
    "flags" VARBIT(8),
    "doc" XML,
    "balance" MONEY,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);
