-- warning[may-fail]: A unique constraint covering the columns [handle] on the table User will be added. If there are existing duplicate values, this will fail.

CREATE TABLE "Mention" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userHandle" TEXT NOT NULL,
    FOREIGN KEY ("userHandle") REFERENCES "User"("handle") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "User_handle_key" ON "User" ("handle");
