ALTER TABLE "Tag" RENAME TO "Topic";
ALTER TABLE "_PostToTag" RENAME TO "_PostToTopic";
DROP INDEX "_PostToTag_AB_unique";
CREATE UNIQUE INDEX "_PostToTopic_AB_unique" ON "_PostToTopic" ("A", "B");
DROP INDEX "_PostToTag_B_index";
CREATE INDEX "_PostToTopic_B_index" ON "_PostToTopic" ("B");
