ALTER TABLE "recipe" ADD COLUMN "public" boolean;
