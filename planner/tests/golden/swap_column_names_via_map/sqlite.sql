ALTER TABLE "Person" RENAME COLUMN "a" TO "_comon_rename_0";
ALTER TABLE "Person" RENAME COLUMN "b" TO "_comon_rename_1";
ALTER TABLE "Person" RENAME COLUMN "_comon_rename_0" TO "b";
ALTER TABLE "Person" RENAME COLUMN "_comon_rename_1" TO "a";
