-- warning[data-loss]: Potential data loss: field Country.code changes type from character varying(255) to character varying(10).

ALTER TABLE "Country" ALTER COLUMN "code" SET DATA TYPE VARCHAR(10) USING ("code"::VARCHAR(10));
