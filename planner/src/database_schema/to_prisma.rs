//! Renders a database schema back to `schema.prisma` text (for `db pull` and `before.prisma`).
//! (Being written.)
