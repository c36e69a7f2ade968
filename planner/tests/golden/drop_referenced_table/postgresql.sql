-- warning[data-loss]: Potential data loss: model Category is removed from the target schema.

ALTER TABLE "Product" DROP CONSTRAINT "Product_categoryId_fkey";
DROP TABLE "Category";
