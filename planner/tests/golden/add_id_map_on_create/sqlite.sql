CREATE TABLE "countries" (
    "iso" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    PRIMARY KEY ("iso")
);
CREATE UNIQUE INDEX "country_name_uq" ON "countries" ("name");
