CREATE SEQUENCE "Invoice_id_seq" AS integer OWNED BY "Invoice"."id";
ALTER TABLE "Invoice" ALTER COLUMN "id" SET DEFAULT nextval('"Invoice_id_seq"'::regclass);
SELECT setval(pg_get_serial_sequence('"Invoice"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "Invoice";
