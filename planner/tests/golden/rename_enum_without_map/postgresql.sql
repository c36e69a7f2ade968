-- warning[may-fail]: Field Item.kind changes type from Kind to MediaKind: the migration fails if existing values cannot be converted.

CREATE TYPE "MediaKind" AS ENUM ('BOOK', 'MOVIE');
ALTER TABLE "Item" ALTER COLUMN "kind" DROP DEFAULT,
    ALTER COLUMN "kind" SET DATA TYPE "MediaKind" USING ("kind"::text::"MediaKind"),
    ALTER COLUMN "kind" SET DEFAULT 'BOOK';
DROP TYPE "Kind";
