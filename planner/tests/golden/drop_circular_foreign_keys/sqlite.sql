-- warning[data-loss]: Potential data loss: model Team is removed from the target schema.
-- warning[data-loss]: Potential data loss: model User is removed from the target schema.

DROP TABLE "Team";
DROP TABLE "User";
