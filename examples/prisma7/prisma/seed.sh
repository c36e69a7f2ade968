#!/bin/sh
# The project's seed. A real project seeds with its client (`tsx prisma/seed.ts`); this one
# only records that it ran and which database it was given, so that the example needs no Node.
echo "seeded ${DATABASE_URL}" > seed-ran.txt
