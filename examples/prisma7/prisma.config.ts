// A Prisma 7 project as `prisma init` lays it out: the URL lives here, not in the schema.
// comon reads this file without running it.
import "dotenv/config";
import { defineConfig, env } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
  migrations: {
    path: "prisma/migrations",
    seed: "sh prisma/seed.sh",
  },
  datasource: {
    url: env("DATABASE_URL"),
  },
});
