CREATE TABLE "Settings" (
    "id" INTEGER NOT NULL,
    "theme" TEXT NOT NULL DEFAULT 'light',
    "greeting" TEXT NOT NULL DEFAULT 'it''s me',
    "pageSize" INTEGER NOT NULL DEFAULT 25,
    "offset" INTEGER NOT NULL DEFAULT -1,
    "quota" TEXT NOT NULL DEFAULT 10000000000,
    "ratio" REAL NOT NULL DEFAULT 0.75,
    "fee" REAL NOT NULL DEFAULT 9.99,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "emptyNote" TEXT NOT NULL DEFAULT '',
    PRIMARY KEY ("id")
);
