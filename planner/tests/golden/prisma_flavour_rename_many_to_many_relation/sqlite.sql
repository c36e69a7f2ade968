-- warning[data-loss]: Potential data loss: model _PostToTag is removed from the target schema.
-- rename-candidate[rename-model]: _PostToTag=_PostTags

DROP TABLE "_PostToTag";
CREATE TABLE "_PostTags" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "_PostTags_AB_unique" ON "_PostTags" ("A", "B");
CREATE INDEX "_PostTags_B_index" ON "_PostTags" ("B");
