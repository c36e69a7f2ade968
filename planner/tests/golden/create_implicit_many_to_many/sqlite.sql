CREATE TABLE "Category" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);
CREATE TABLE "Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL
);
CREATE TABLE "_comon_orm_m2m__Q2F0ZWdvcnk__cG9zdHM__UG9zdA__Y2F0ZWdvcmllcw" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    PRIMARY KEY ("A", "B"),
    FOREIGN KEY ("A") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Category_name_key" ON "Category" ("name");
CREATE INDEX "_comon_orm_m2m__Q2F0ZWdvcnk__cG9zdHM__UG9zdA__Y2F0ZWdvcmllcw_B_idx" ON "_comon_orm_m2m__Q2F0ZWdvcnk__cG9zdHM__UG9zdA__Y2F0ZWdvcmllcw" ("B");
