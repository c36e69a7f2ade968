-- warning[rebuild]: The table Tag is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.
-- warning[rebuild]: The table _comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM is rebuilt because a column changes: SQLite cannot alter it in place, so its rows are copied into a new table.

PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new_Tag" (
    "id" TEXT NOT NULL,
    PRIMARY KEY ("id")
);
INSERT INTO "new_Tag" ("id") SELECT "id" FROM "Tag";
DROP TABLE "Tag";
ALTER TABLE "new_Tag" RENAME TO "Tag";
CREATE TABLE "new__comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" (
    "A" INTEGER NOT NULL,
    "B" TEXT NOT NULL,
    PRIMARY KEY ("A", "B"),
    FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new__comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ("A", "B") SELECT "A", "B" FROM "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM";
DROP TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM";
ALTER TABLE "new__comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" RENAME TO "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM";
CREATE INDEX "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_idx" ON "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ("B");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
