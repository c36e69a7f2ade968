-- warning[may-fail]: Field Product.stock changes type from text to integer: the migration fails if existing values cannot be converted.

ALTER TABLE "Product" ALTER COLUMN "stock" SET DATA TYPE INTEGER USING ("stock"::INTEGER);
