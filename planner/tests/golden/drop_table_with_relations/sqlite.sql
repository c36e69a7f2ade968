-- warning[data-loss]: Potential data loss: model Comment is removed from the target schema.
-- warning[data-loss]: Potential data loss: model Post is removed from the target schema.

DROP TABLE "Comment";
DROP TABLE "Post";
