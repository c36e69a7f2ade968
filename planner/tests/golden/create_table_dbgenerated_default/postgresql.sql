CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "label" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ NOT NULL DEFAULT now() + interval '30 days',

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);
