-- warning[may-fail]: Field Task.done changes from optional to required: the migration fails if existing rows hold NULL in it.

ALTER TABLE "Task" ALTER COLUMN "done" SET DEFAULT false;
ALTER TABLE "Task" ADD CONSTRAINT "Task_done_comon_not_null" CHECK ("done" IS NOT NULL) NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Task" VALIDATE CONSTRAINT "Task_done_comon_not_null";
ALTER TABLE "Task" ALTER COLUMN "done" SET NOT NULL;
ALTER TABLE "Task" DROP CONSTRAINT "Task_done_comon_not_null";
