ALTER TABLE "Product" DROP CONSTRAINT "Product_categoryId_fkey";
ALTER TABLE "Product" ADD CONSTRAINT "Product_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE SET NULL ON UPDATE NO ACTION NOT VALID;
-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
ALTER TABLE "Product" VALIDATE CONSTRAINT "Product_categoryId_fkey";
