-- warning[blocking]: The table _PostTags gets a new primary key (A, B): PostgreSQL builds its unique index and checks the columns for NULLs under an ACCESS EXCLUSIVE lock, so every read and write of the table waits while the whole table is scanned. On a busy table, build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then add the key with ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which holds the lock only briefly.

DROP INDEX "_PostTags_B_index";
ALTER TABLE "Tag" RENAME TO "Label";
ALTER TABLE "_PostTags" DROP CONSTRAINT "_PostTags_AB_pkey";
ALTER TABLE "_PostTags" RENAME COLUMN "B" TO "_comon_rename_0";
ALTER TABLE "_PostTags" RENAME COLUMN "A" TO "_comon_rename_1";
ALTER TABLE "_PostTags" RENAME COLUMN "_comon_rename_0" TO "A";
ALTER TABLE "_PostTags" RENAME COLUMN "_comon_rename_1" TO "B";
ALTER TABLE "_PostTags" ADD CONSTRAINT "_PostTags_AB_pkey" PRIMARY KEY ("A", "B");
ALTER TABLE "Label" RENAME CONSTRAINT "Tag_pkey" TO "Label_pkey";
ALTER SEQUENCE IF EXISTS "Tag_id_seq" RENAME TO "Label_id_seq";
ALTER TABLE "_PostTags" RENAME CONSTRAINT "_PostTags_A_fkey" TO "_comon_rename_0";
ALTER TABLE "_PostTags" RENAME CONSTRAINT "_PostTags_B_fkey" TO "_comon_rename_1";
ALTER TABLE "_PostTags" RENAME CONSTRAINT "_comon_rename_0" TO "_PostTags_B_fkey";
ALTER TABLE "_PostTags" RENAME CONSTRAINT "_comon_rename_1" TO "_PostTags_A_fkey";
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "_PostTags_B_index" ON "_PostTags" ("B");
