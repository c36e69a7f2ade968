-- warning[data-loss]: Potential data loss: enum values REVIEW of Status are removed from the target schema. Rows that still use them make the migration fail.

ALTER TYPE "Status" RENAME TO "page_status";
ALTER TYPE "page_status" RENAME TO "page_status_old";
CREATE TYPE "page_status" AS ENUM ('DRAFT', 'LIVE');
ALTER TABLE "Page" ALTER COLUMN "status" DROP DEFAULT, ALTER COLUMN "status" SET DATA TYPE "page_status" USING ("status"::text::"page_status"), ALTER COLUMN "status" SET DEFAULT 'DRAFT';
DROP TYPE "page_status_old";
