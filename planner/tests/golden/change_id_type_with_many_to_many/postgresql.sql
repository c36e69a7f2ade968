-- warning[blocking]: Field Tag.id changes type from integer to text, which has no binary-compatible cast: PostgreSQL rewrites the table Tag under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.
-- warning[blocking]: Field _comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM.B changes type from integer to text, which has no binary-compatible cast: PostgreSQL rewrites the table _comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM under an ACCESS EXCLUSIVE lock, so every read and write of it waits until the rewrite ends (the time grows with the table's size). On a busy table, expand and contract instead: add a column of the new type, backfill it in batches, switch the application to it, then drop the old column.

ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" DROP CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey";
ALTER TABLE "Tag" ALTER COLUMN "id" DROP IDENTITY;
ALTER TABLE "Tag" ALTER COLUMN "id" SET DATA TYPE TEXT;
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ALTER COLUMN "B" SET DATA TYPE TEXT;
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" ADD CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" VALIDATE CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey";
