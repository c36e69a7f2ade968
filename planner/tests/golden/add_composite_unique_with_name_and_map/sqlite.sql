-- warning[may-fail]: A unique constraint covering the columns [followerId,followingId] on the table Follow will be added. If there are existing duplicate values, this will fail.

CREATE UNIQUE INDEX "follow_pair_key" ON "Follow" ("followerId", "followingId");
