-- warning[blocking]: The table _comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw gets a new primary key (A, B): PostgreSQL builds its unique index and checks the columns for NULLs under an ACCESS EXCLUSIVE lock, so every read and write of the table waits while the whole table is scanned. On a busy table, build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then add the key with ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.

DROP INDEX "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_idx";
ALTER TABLE "Tag" RENAME TO "Label";
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" RENAME TO "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" DROP CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_pkey";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" RENAME COLUMN "B" TO "_comon_rename_0";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" RENAME COLUMN "A" TO "_comon_rename_1";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" RENAME COLUMN "_comon_rename_0" TO "A";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" RENAME COLUMN "_comon_rename_1" TO "B";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" ADD CONSTRAINT "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw_pkey" PRIMARY KEY ("A", "B");
ALTER TABLE "Label" RENAME CONSTRAINT "Tag_pkey" TO "Label_pkey";
ALTER SEQUENCE IF EXISTS "Tag_id_seq" RENAME TO "Label_id_seq";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" RENAME CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_A_fkey" TO "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw_B_fkey";
ALTER TABLE "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" RENAME CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey" TO "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw_A_fkey";
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw_B_idx" ON "_comon_orm_m2m__TGFiZWw__cG9zdHM__UG9zdA__dGFncw" ("B");
