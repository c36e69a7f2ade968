-- warning[data-loss]: Potential data loss: field Membership.id is removed from the target schema.
-- warning[blocking]: The table Membership gets a new primary key (userId, teamId): PostgreSQL builds its unique index and checks the columns for NULLs under an ACCESS EXCLUSIVE lock, so every read and write of the table waits while the whole table is scanned. On a busy table, build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then add the key with ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.
-- warning[may-fail]: The primary key of the table Membership changes to (userId, teamId): the migration fails if existing rows hold duplicate values in these columns.

ALTER TABLE "Membership" DROP CONSTRAINT "Membership_pkey",
    DROP COLUMN "id";
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_pkey" PRIMARY KEY ("userId", "teamId");
