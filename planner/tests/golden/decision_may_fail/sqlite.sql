-- warning[may-fail]: A unique constraint covering the columns [title] on the table Post will be added. If there are existing duplicate values, this will fail.
-- decision[may-fail]: --accept-may-fail

CREATE UNIQUE INDEX "Post_title_key" ON "Post" ("title");
