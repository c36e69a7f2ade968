CREATE TABLE "Counter" (
    "id" BIGSERIAL NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "Counter_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Pair" (
    "left" INTEGER NOT NULL,
    "right" INTEGER NOT NULL,

    CONSTRAINT "Pair_pkey" PRIMARY KEY ("left", "right")
);
CREATE TABLE "Plain" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Plain_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Small" (
    "id" SERIAL NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Small_pkey" PRIMARY KEY ("id")
);
