-- warning[data-loss]: Potential data loss: model _PostToTag is removed from the target schema.
-- rename-candidate[rename-model]: _PostToTag=_PostTags

ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_A_fkey";
ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_B_fkey";
DROP TABLE "_PostToTag";
CREATE TABLE "_PostTags" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_PostTags_AB_pkey" PRIMARY KEY ("A", "B")
);
CREATE INDEX "_PostTags_B_index" ON "_PostTags" ("B");
ALTER TABLE "_PostTags" ADD CONSTRAINT "_PostTags_A_fkey" FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_PostTags" ADD CONSTRAINT "_PostTags_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
