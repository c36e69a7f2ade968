ALTER TABLE "Counter" ALTER COLUMN "id" DROP DEFAULT;
CREATE SEQUENCE "Counter_id_seq" AS integer OWNED BY "Counter"."id";
ALTER TABLE "Counter" ALTER COLUMN "id" SET DEFAULT nextval('"Counter_id_seq"'::regclass);
SELECT setval(pg_get_serial_sequence('"Counter"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "Counter";
