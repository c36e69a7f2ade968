-- warning[rebuild]: The table _comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw is rebuilt because the primary key changes: SQLite cannot alter it in place, so its rows are copied into a new table.

ALTER TABLE "Tag" RENAME TO "Label";
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" RENAME TO "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw";
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
PRAGMA legacy_alter_table=ON;
CREATE TABLE "new__comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    PRIMARY KEY ("A", "B"),
    FOREIGN KEY ("A") REFERENCES "Label"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new__comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" ("A", "B") SELECT "B", "A" FROM "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw";
DROP TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw";
ALTER TABLE "new__comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" RENAME TO "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw";
CREATE INDEX "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw_B_idx" ON "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" ("B");
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
