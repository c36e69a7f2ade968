-- warning[blocking]: The new field Device.token is filled by gen_random_uuid(), which gives every row its own value: PostgreSQL rewrites the table Device under an ACCESS EXCLUSIVE lock to fill the existing rows, so every read and write of it waits until the rewrite ends. On a busy table, add the column without it (nullable), set the default for new rows, backfill the existing rows in batches, then make the field required.

ALTER TABLE "Device" ADD COLUMN "token" UUID NOT NULL DEFAULT gen_random_uuid();
