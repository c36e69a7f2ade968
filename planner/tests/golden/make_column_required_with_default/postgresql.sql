-- warning[may-fail]: Field Task.done changes from optional to required: the migration fails if existing rows hold NULL in it.

ALTER TABLE "Task" ALTER COLUMN "done" SET NOT NULL,
    ALTER COLUMN "done" SET DEFAULT false;
