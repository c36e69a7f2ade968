CREATE TYPE "Permission" AS ENUM ('READ', 'WRITE');
ALTER TABLE "ApiToken" ADD COLUMN "permissions" "Permission"[] DEFAULT ARRAY['READ']::"Permission"[];
