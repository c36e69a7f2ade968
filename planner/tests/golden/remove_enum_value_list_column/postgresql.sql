-- warning[data-loss]: Potential data loss: enum values DELETE of Permission are removed from the target schema. Rows that still use them make the migration fail.

ALTER TYPE "Permission" RENAME TO "Permission_old";
CREATE TYPE "Permission" AS ENUM ('READ', 'WRITE');
ALTER TABLE "ApiToken" ALTER COLUMN "permissions" DROP DEFAULT, ALTER COLUMN "permissions" SET DATA TYPE "Permission"[] USING ("permissions"::text[]::"Permission"[]), ALTER COLUMN "permissions" SET DEFAULT ARRAY['READ']::"Permission"[];
DROP TYPE "Permission_old";
