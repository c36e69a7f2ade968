CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "Account" (
    "id" SERIAL NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);
