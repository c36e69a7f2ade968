-- warning[may-fail]: A unique constraint covering the columns [followerId,followingId] on the table Follow will be added. If there are existing duplicate values, this will fail.

-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE UNIQUE INDEX CONCURRENTLY "follow_pair_key" ON "Follow" ("followerId", "followingId");
