-- warning[data-loss]: Potential data loss: model Tag is removed from the target schema.
-- warning[data-loss]: Potential data loss: model _PostToTag is removed from the target schema.
-- rename-candidate[rename-model]: Tag=Label

ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_A_fkey";
ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_B_fkey";
DROP TABLE "Tag";
DROP TABLE "_PostToTag";
CREATE TABLE "Label" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Label_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "_LabelToPost" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_LabelToPost_AB_pkey" PRIMARY KEY ("A", "B")
);
CREATE INDEX "_LabelToPost_B_index" ON "_LabelToPost" ("B");
ALTER TABLE "_LabelToPost" ADD CONSTRAINT "_LabelToPost_A_fkey" FOREIGN KEY ("A") REFERENCES "Label"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_LabelToPost" ADD CONSTRAINT "_LabelToPost_B_fkey" FOREIGN KEY ("B") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
