-- warning[may-fail]: Adding required field Note.updatedAt without default requires manual migration.

ALTER TABLE "Note" ADD COLUMN "updatedAt" TIMESTAMPTZ NOT NULL;
