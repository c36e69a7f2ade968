-- warning[data-loss]: Potential data loss: model Tag is removed from the target schema.
-- warning[data-loss]: Potential data loss: the many-to-many relation table _comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM is removed from the target schema.

ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" DROP CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_A_fkey";
ALTER TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM" DROP CONSTRAINT "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM_B_fkey";
DROP TABLE "Tag";
DROP TABLE "_comon_orm_m2m__UG9zdA__dGFncw__VGFn__cG9zdHM";
