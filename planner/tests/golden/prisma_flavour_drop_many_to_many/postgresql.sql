-- warning[data-loss]: Potential data loss: model _PostToTag is removed from the target schema.

ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_A_fkey";
ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_B_fkey";
DROP TABLE "_PostToTag";
