-- warning[may-fail]: A foreign key on _comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM(B) referencing Tag will be added. If existing rows reference rows that do not exist, this will fail.

ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" DROP CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey";
ALTER TABLE "Tag" ALTER COLUMN "id" DROP IDENTITY;
ALTER TABLE "Tag" ALTER COLUMN "id" SET DATA TYPE TEXT;
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ALTER COLUMN "B" SET DATA TYPE TEXT;
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ADD CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
