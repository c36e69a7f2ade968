-- warning[blocking]: The table Currency gets a new primary key (code): PostgreSQL builds its unique index and checks the columns for NULLs under an ACCESS EXCLUSIVE lock, so every read and write of the table waits while the whole table is scanned. On a busy table, build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then add the key with ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.

DROP INDEX "Currency_code_key";
ALTER TABLE "Currency" DROP CONSTRAINT "Currency_pkey";
ALTER TABLE "Currency" ADD CONSTRAINT "Currency_pkey" PRIMARY KEY ("code");
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE UNIQUE INDEX CONCURRENTLY "Currency_id_key" ON "Currency" ("id");
