-- warning[data-loss]: Potential data loss: enum Status is removed from the target schema.

ALTER TABLE "Account" ALTER COLUMN "status" DROP DEFAULT,
    ALTER COLUMN "status" SET DATA TYPE TEXT USING ("status"::text::TEXT),
    ALTER COLUMN "status" SET DEFAULT 'ACTIVE';
DROP TYPE "Status";
