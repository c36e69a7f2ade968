DROP INDEX "event_lookup";
CREATE INDEX "event_lookup" ON "Event" ("kind", "happened");
