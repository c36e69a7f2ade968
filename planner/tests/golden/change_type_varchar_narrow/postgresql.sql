-- warning[may-fail]: Field Country.code changes type from character varying(255) to character varying(10): the migration fails if existing values cannot be converted.

ALTER TABLE "Country" ALTER COLUMN "code" SET DATA TYPE VARCHAR(10);
