-- warning[data-loss]: Potential data loss: field Post.body is removed from the target schema.
-- decision[data-loss]: --accept-data-loss

ALTER TABLE "Post" DROP COLUMN "body";
