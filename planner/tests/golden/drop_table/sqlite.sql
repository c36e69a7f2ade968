-- warning[data-loss]: Potential data loss: model AuditLog is removed from the target schema.

DROP TABLE "AuditLog";
