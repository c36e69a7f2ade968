-- warning[data-loss]: Potential data loss: field Product.stock changes type from text to integer.

ALTER TABLE "Product" ALTER COLUMN "stock" SET DATA TYPE INTEGER USING ("stock"::INTEGER);
