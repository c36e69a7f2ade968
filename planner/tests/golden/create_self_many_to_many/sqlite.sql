CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "handle" TEXT NOT NULL
);
CREATE TABLE "_comon_orm_m2m__VXNlcg__Zm9sbG93ZXJz__VXNlcg__Zm9sbG93aW5n" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    PRIMARY KEY ("A", "B"),
    FOREIGN KEY ("A") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "User_handle_key" ON "User" ("handle");
CREATE INDEX "_comon_orm_m2m__VXNlcg__Zm9sbG93ZXJz__VXNlcg__Zm9sbG93aW5n_B_idx" ON "_comon_orm_m2m__VXNlcg__Zm9sbG93ZXJz__VXNlcg__Zm9sbG93aW5n" ("B");
