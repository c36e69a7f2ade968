-- warning[data-loss]: Potential data loss: field Customer.name is removed from the target schema.

ALTER TABLE "Customer" DROP COLUMN "name";
ALTER TABLE "Customer" RENAME COLUMN "full_name" TO "name";
