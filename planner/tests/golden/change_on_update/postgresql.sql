-- warning[may-fail]: A foreign key on Product(categoryId) referencing Category will be added. If existing rows reference rows that do not exist, this will fail.

ALTER TABLE "Product" DROP CONSTRAINT "Product_categoryId_fkey";
ALTER TABLE "Product" ADD CONSTRAINT "Product_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE SET NULL ON UPDATE NO ACTION;
