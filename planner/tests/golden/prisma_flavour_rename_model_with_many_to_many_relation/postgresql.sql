-- warning[blocking]: The table _LabelToPost gets a new primary key (A, B): PostgreSQL builds its unique index and checks the columns for NULLs under an ACCESS EXCLUSIVE lock, so every read and write of the table waits while the whole table is scanned. On a busy table, build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then add the key with ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.

DROP INDEX "_PostToTag_B_index";
ALTER TABLE "Tag" RENAME TO "Label";
ALTER TABLE "_PostToTag" RENAME TO "_LabelToPost";
ALTER TABLE "_LabelToPost" DROP CONSTRAINT "_PostToTag_AB_pkey";
ALTER TABLE "_LabelToPost" RENAME COLUMN "B" TO "_comon_rename_0";
ALTER TABLE "_LabelToPost" RENAME COLUMN "A" TO "_comon_rename_1";
ALTER TABLE "_LabelToPost" RENAME COLUMN "_comon_rename_0" TO "A";
ALTER TABLE "_LabelToPost" RENAME COLUMN "_comon_rename_1" TO "B";
ALTER TABLE "_LabelToPost" ADD CONSTRAINT "_LabelToPost_AB_pkey" PRIMARY KEY ("A", "B");
ALTER TABLE "Label" RENAME CONSTRAINT "Tag_pkey" TO "Label_pkey";
ALTER SEQUENCE IF EXISTS "Tag_id_seq" RENAME TO "Label_id_seq";
ALTER TABLE "_LabelToPost" RENAME CONSTRAINT "_PostToTag_A_fkey" TO "_LabelToPost_B_fkey";
ALTER TABLE "_LabelToPost" RENAME CONSTRAINT "_PostToTag_B_fkey" TO "_LabelToPost_A_fkey";
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "_LabelToPost_B_index" ON "_LabelToPost" ("B");
