// The examples menu. The first is the README's blog schema (examples/blog), planned from the
// empty database; the others show one kind of change each.

import type { Provider } from 'comon-migrate';
import blogSchema from '../../examples/blog/prisma/schema.prisma?raw';

export interface Example {
  id: string;
  title: string;
  provider: Provider;
  /** The previous schema.prisma ('' for the empty database). */
  previous: string;
  next: string;
  /**
   * When set, the previous side is a SQLite database made in the browser: the `previous` schema
   * applied to an empty database, then these rows inserted.
   */
  seedRows?: string;
}

const blogSqlite = `datasource db {
  provider = "sqlite"
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  posts Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  published Boolean  @default(false)
  author    User     @relation(fields: [authorId], references: [id])
  authorId  Int
  createdAt DateTime @default(now())

  @@index([authorId])
}
`;

const blogWithComments = `datasource db {
  provider = "sqlite"
}

model User {
  id       Int       @id @default(autoincrement())
  email    String    @unique
  name     String
  posts    Post[]
  comments Comment[]
}

model Post {
  id        Int       @id @default(autoincrement())
  slug      String    @unique
  title     String
  published Boolean   @default(false)
  author    User      @relation(fields: [authorId], references: [id])
  authorId  Int
  createdAt DateTime  @default(now())
  comments  Comment[]

  @@index([authorId])
}

model Comment {
  id       Int    @id @default(autoincrement())
  body     String
  post     Post   @relation(fields: [postId], references: [id], onDelete: Cascade)
  postId   Int
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int

  @@index([postId])
}
`;

const blogPostgres = blogSqlite.replace('provider = "sqlite"', 'provider = "postgresql"');

const blogPostgresWithStatus = `datasource db {
  provider = "postgresql"
}

enum PostStatus {
  DRAFT
  PUBLISHED
  ARCHIVED
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique @db.VarChar(320)
  name  String?
  posts Post[]
}

model Post {
  id        Int        @id @default(autoincrement())
  title     String
  status    PostStatus @default(DRAFT)
  author    User       @relation(fields: [authorId], references: [id], onDelete: Cascade)
  authorId  Int
  createdAt DateTime   @default(now())

  @@index([authorId, createdAt(sort: Desc)])
  @@map("posts")
}
`;

const rolesBefore = `datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  EDITOR
  ADMIN
  GUEST
}

model Account {
  id    Int    @id @default(autoincrement())
  email String @unique
  role  Role   @default(USER)
  roles Role[]
}
`;

const rolesAfter = rolesBefore.replace('  GUEST\n', '').replace('  EDITOR\n', '  EDITOR\n  OWNER\n');

const productsBefore = `datasource db {
  provider = "sqlite"
}

model Product {
  id       Int     @id @default(autoincrement())
  sku      String?
  name     String
  price    Float
  discount Float?
}
`;

const productsAfter = `datasource db {
  provider = "sqlite"
}

model Product {
  id      Int     @id @default(autoincrement())
  sku     String  @unique
  name    String
  price   Int
  inStock Boolean @default(true)
}
`;

const blogWithRole = blogSqlite.replace('  name  String?\n', '  name  String?\n  role  String\n');

const schemaWithErrors = `datasource db {
  provider = "sqlite"
}

model User {
  id    Int     @id @default(autoincrement())
  email Strin   @unique
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  author   User @relation(fields: [authorId], references: [id])
}
`;

export const examples: Example[] = [
  {
    id: 'blog',
    title: 'Blog (README): first migration, SQLite',
    provider: 'sqlite',
    previous: '',
    next: blogSchema,
  },
  {
    id: 'blog-comments',
    title: 'Blog: add comments, a unique slug, a required name (SQLite rebuild)',
    provider: 'sqlite',
    previous: blogSqlite,
    next: blogWithComments,
  },
  {
    id: 'blog-postgres',
    title: 'Blog on PostgreSQL: enum status, drop a column, rename a table',
    provider: 'postgresql',
    previous: blogPostgres,
    next: blogPostgresWithStatus,
  },
  {
    id: 'enum-removal',
    title: 'PostgreSQL: remove an enum value',
    provider: 'postgresql',
    previous: rolesBefore,
    next: rolesAfter,
  },
  {
    id: 'sqlite-rebuild',
    title: 'SQLite: change column types (table rebuild)',
    provider: 'sqlite',
    previous: productsBefore,
    next: productsAfter,
  },
  {
    id: 'database-with-rows',
    title: 'SQLite file with rows: add a required column (unexecutable)',
    provider: 'sqlite',
    previous: blogSqlite,
    next: blogWithRole,
    seedRows: `INSERT INTO "User" ("email", "name") VALUES ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace');
INSERT INTO "Post" ("title", "published", "authorId") VALUES ('Notes on the engine', 1, 1), ('Compilers', 0, 2), ('Drafts', 0, 2);`,
  },
  {
    id: 'errors',
    title: 'A schema with errors',
    provider: 'sqlite',
    previous: '',
    next: schemaWithErrors,
  },
];
