DROP INDEX "event_lookup";
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE INDEX CONCURRENTLY "event_lookup" ON "Event" ("kind", "happened");
