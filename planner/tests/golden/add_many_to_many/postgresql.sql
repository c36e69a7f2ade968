CREATE TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_pkey" PRIMARY KEY ("A", "B")
);
CREATE INDEX "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_idx" ON "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ("B");
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ADD CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_A_fkey" FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ADD CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
