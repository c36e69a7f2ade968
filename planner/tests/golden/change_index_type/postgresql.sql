DROP INDEX "Link_url_idx";
CREATE INDEX "Link_url_idx" ON "Link" USING HASH ("url");
