ALTER TYPE "Role" RENAME TO "user_role";
