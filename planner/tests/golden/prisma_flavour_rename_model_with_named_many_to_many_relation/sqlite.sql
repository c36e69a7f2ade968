DROP INDEX "_PostTags_AB_unique";
DROP INDEX "_PostTags_B_index";
ALTER TABLE "Tag" RENAME TO "Label";
ALTER TABLE "_PostTags" RENAME COLUMN "B" TO "_comon_rename_0";
ALTER TABLE "_PostTags" RENAME COLUMN "A" TO "_comon_rename_1";
ALTER TABLE "_PostTags" RENAME COLUMN "_comon_rename_0" TO "A";
ALTER TABLE "_PostTags" RENAME COLUMN "_comon_rename_1" TO "B";
CREATE UNIQUE INDEX "_PostTags_AB_unique" ON "_PostTags" ("A", "B");
CREATE INDEX "_PostTags_B_index" ON "_PostTags" ("B");
