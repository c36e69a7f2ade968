-- warning[data-loss]: Potential data loss: model Tag is removed from the target schema.
-- warning[data-loss]: Potential data loss: model _PostToTag is removed from the target schema.
-- rename-candidate[rename-model]: Tag=Label

DROP TABLE "Tag";
DROP TABLE "_PostToTag";
CREATE TABLE "Label" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);
CREATE TABLE "_LabelToPost" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    FOREIGN KEY ("A") REFERENCES "Label"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "_LabelToPost_AB_unique" ON "_LabelToPost" ("A", "B");
CREATE INDEX "_LabelToPost_B_index" ON "_LabelToPost" ("B");
