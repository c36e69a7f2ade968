-- warning[data-loss]: Potential data loss: field User.role is removed from the target schema.
-- warning[data-loss]: Potential data loss: field User.kind is removed from the target schema.
-- warning[data-loss]: Potential data loss: field User.title is removed from the target schema.
-- warning[may-fail]: Adding required field User.bio without default requires manual migration.
-- warning[may-fail]: Adding required field User.status without default requires manual migration.
-- warning[may-fail]: Adding required field User.name without default requires manual migration.
-- rename-candidate[rename-field]: User.title=bio
-- rename-candidate[rename-field]: User.role=status
-- rename-candidate[rename-field]: User.kind=status
-- rename-candidate[rename-field]: User.title=name

ALTER TABLE "User" DROP COLUMN "role",
    DROP COLUMN "kind",
    DROP COLUMN "title";
ALTER TABLE "User" ADD COLUMN "bio" TEXT NOT NULL,
    ADD COLUMN "status" "Role" NOT NULL,
    ADD COLUMN "name" TEXT NOT NULL;
