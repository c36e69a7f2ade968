ALTER TABLE "Tag" RENAME TO "Topic";
ALTER TABLE "_PostToTag" RENAME TO "_PostToTopic";
ALTER INDEX "_PostToTag_B_index" RENAME TO "_PostToTopic_B_index";
ALTER TABLE "Topic" RENAME CONSTRAINT "Tag_pkey" TO "Topic_pkey";
ALTER SEQUENCE IF EXISTS "Tag_id_seq" RENAME TO "Topic_id_seq";
ALTER TABLE "_PostToTopic" RENAME CONSTRAINT "_PostToTag_AB_pkey" TO "_PostToTopic_AB_pkey";
ALTER TABLE "_PostToTopic" RENAME CONSTRAINT "_PostToTag_A_fkey" TO "_PostToTopic_A_fkey";
ALTER TABLE "_PostToTopic" RENAME CONSTRAINT "_PostToTag_B_fkey" TO "_PostToTopic_B_fkey";
