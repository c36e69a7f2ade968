ALTER TABLE "Country" RENAME CONSTRAINT "Country_pkey" TO "country_pk";
ALTER TABLE "Region" RENAME CONSTRAINT "Region_pkey" TO "region_pk";
