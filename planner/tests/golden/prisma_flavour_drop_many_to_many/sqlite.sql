-- warning[data-loss]: Potential data loss: model _PostToTag is removed from the target schema.

DROP TABLE "_PostToTag";
