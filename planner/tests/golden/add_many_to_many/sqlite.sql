CREATE TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    PRIMARY KEY ("A", "B"),
    FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_idx" ON "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ("B");
