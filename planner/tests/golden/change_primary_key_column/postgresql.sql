-- warning[may-fail]: A unique constraint covering the columns [id] on the table Currency will be added. If there are existing duplicate values, this will fail.

DROP INDEX "Currency_code_key";
ALTER TABLE "Currency" DROP CONSTRAINT "Currency_pkey",
    ADD CONSTRAINT "Currency_pkey" PRIMARY KEY ("code");
CREATE UNIQUE INDEX "Currency_id_key" ON "Currency" ("id");
