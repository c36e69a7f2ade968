CREATE TABLE "Preference" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "settings" TEXT NOT NULL DEFAULT '{"theme": "dark"}',
    "validFrom" TEXT NOT NULL DEFAULT '2024-01-01T00:00:00Z',
    "path" TEXT NOT NULL DEFAULT 'C:\temp'
);
