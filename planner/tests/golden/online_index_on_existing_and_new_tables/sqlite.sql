-- warning[may-fail]: A unique constraint covering the columns [slug] on the table Post will be added. If there are existing duplicate values, this will fail.

CREATE TABLE "Comment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "postId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Post_slug_key" ON "Post" ("slug");
CREATE INDEX "Post_status_title_idx" ON "Post" ("status", "title");
CREATE INDEX "Comment_postId_idx" ON "Comment" ("postId");
