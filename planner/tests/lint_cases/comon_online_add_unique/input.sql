-- warning[may-fail]: A unique constraint covering the columns [row,number] on the table Seat will be added. If there are existing duplicate values, this will fail.

-- comon:after-commit
-- Online DDL: each statement below runs on its own, outside a transaction, after the statements above committed.
CREATE UNIQUE INDEX CONCURRENTLY "Seat_row_number_key" ON "Seat" ("row", "number");
