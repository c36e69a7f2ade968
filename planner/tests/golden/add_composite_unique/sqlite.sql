-- warning[may-fail]: A unique constraint covering the columns [row,number] on the table Seat will be added. If there are existing duplicate values, this will fail.

CREATE UNIQUE INDEX "Seat_row_number_key" ON "Seat" ("row", "number");
