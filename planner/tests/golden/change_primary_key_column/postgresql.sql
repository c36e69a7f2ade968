DROP INDEX "Currency_code_key";
ALTER TABLE "Currency" DROP CONSTRAINT "Currency_pkey";
ALTER TABLE "Currency" ADD CONSTRAINT "Currency_pkey" PRIMARY KEY ("code");
CREATE UNIQUE INDEX "Currency_id_key" ON "Currency" ("id");
