ALTER TABLE "Country" ADD COLUMN "id" SERIAL NOT NULL;
CREATE INDEX "Country_id_idx" ON "Country" ("id");
CREATE INDEX "City_name_idx" ON "City" ("name");
