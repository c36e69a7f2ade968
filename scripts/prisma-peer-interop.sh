#!/usr/bin/env bash
# Interop with Prisma Migrate itself, both directions, judged by Prisma's own schema engine (the
# Wasm build of ../shared/tools/prisma-peer, driven by scripts/prisma-peer-judge.mjs): what
# `prisma migrate status` and `prisma migrate deploy` say about databases and folders that comon
# wrote, and what comon says about databases that Prisma's deploy wrote.
#
# The CI tests (cli/tests/cli_prisma_dev.rs, cli_prisma_projects.rs) follow Prisma Migrate's
# documented table contract instead: the peer needs `npm ci` (a registry and about 75 s of
# compiling better-sqlite3), which CI does not have. Run this by hand after changing how comon
# writes Prisma folders or `_prisma_migrations`.
#
# Usage: scripts/prisma-peer-interop.sh PEER_DIRECTORY [CORPUS_DIRECTORY]
#   PEER_DIRECTORY: a writable copy of ../shared/tools/prisma-peer on which `npm ci` has run.
#   PostgreSQL at 127.0.0.1:5432, user postgres, trust auth (or POSTGRES_ADMIN_URL).
set -euo pipefail

peer_directory=${1:?"usage: $0 PEER_DIRECTORY [CORPUS_DIRECTORY]"}
workspace=$(cd "$(dirname "$0")/.." && pwd)
corpus_directory=${2:-"$workspace/../shared/corpus/prisma"}
admin_url=${POSTGRES_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
if [ ! -d "$peer_directory/node_modules" ]; then
  echo "$peer_directory is not an installed prisma-peer (no node_modules); see its README." >&2
  exit 1
fi
peer_directory=$(cd "$peer_directory" && pwd)
cargo build --quiet -p comon-cli --manifest-path "$workspace/Cargo.toml"
comon="$workspace/target/debug/comon"
judge="$workspace/scripts/prisma-peer-judge.mjs"
scratch=$(mktemp -d)
suffix="prisma_interop_$$"
databases=()
cleanup() {
  for name in "${databases[@]}"; do
    psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$scratch"
}
trap cleanup EXIT

failures=0
check() { # check DESCRIPTION ACTUAL EXPECTED_SUBSTRING
  if [[ "$2" == *"$3"* ]]; then
    echo "ok   $1"
  else
    echo "FAIL $1: expected $3 in: $2"
    failures=$((failures + 1))
  fi
}
new_postgres() { # new_postgres NAME: a fresh database with rallly's extensions, its URL in $created_url
  # Not called in $(...): the database must be added to `databases` of this shell to be dropped.
  local name="${suffix}_$1"
  databases+=("$name")
  psql -q "$admin_url" -c "CREATE DATABASE \"$name\"" >/dev/null
  created_url="${admin_url%/*}/$name"
  psql -q "$created_url" -c "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;" >/dev/null
}
in_sync='"editedMigrationNames":[],"failedMigrationNames":[],"hasMigrationsTable":true,"history":null'
# Prisma 7 rejects a datasource url in the schema (P1012); the peer reads schemas without it.
without_url() { sed -E '/^[[:space:]]*(url|directUrl|shadowDatabaseUrl)[[:space:]]*=/d' "$1"; }
edit_user() { # edit_user FILE LINES: LINES appended to the body of model User
  python3 - "$1" "$2" <<'PY'
import sys
path, lines = sys.argv[1], sys.argv[2]
text = open(path).read()
start = text.index("model User {")
end = text.index("\n}", start)
open(path, "w").write(text[:end] + "\n" + lines + text[end:])
PY
}

# 1. PostgreSQL, both directions: a Prisma project on rallly's latest schema, two folders
#    written and applied by comon's `migrate dev`; Prisma's status on that database; Prisma's
#    deploy of the folders to a second one, which comon then continues. (rallly's own history
#    cannot be deployed by the peer: its Wasm engine, through @prisma/adapter-pg, fails on the
#    dollar-quoted function body of 20220329102907_add_links, which the native engine runs.)
project="$scratch/rallly-dev"
mkdir -p "$project/prisma/migrations"
cp "$corpus_directory/rallly/migrations/migration_lock.toml" "$project/prisma/migrations/"
without_url "$corpus_directory/rallly/schema.latest.prisma" >"$project/prisma/schema.prisma"
new_postgres first
first=$created_url
new_postgres second
second=$created_url
(cd "$project" && "$comon" migrate dev --name init --url "$first" >/dev/null)
edit_user "$project/prisma/schema.prisma" '  nickname String?
  @@index([name])'
(cd "$project" && "$comon" migrate dev --name nickname --url "$first" >/dev/null)
answer=$(node "$judge" "$peer_directory" status "$first" "$project/prisma/migrations" "$project/prisma/schema.prisma" || true || true)
check "Prisma's status on the database comon migrated (PostgreSQL)" "$answer" "$in_sync"
answer=$(node "$judge" "$peer_directory" deploy "$second" "$project/prisma/migrations" "$project/prisma/schema.prisma" || true || true)
check "Prisma deploys comon's two folders (PostgreSQL)" "$answer" '"appliedMigrationNames":["'
check "Prisma deploys comon's two folders (PostgreSQL), the second too" "$answer" '_nickname"]'
answer=$(cd "$project" && "$comon" migrate status --url "$second" 2>&1 || true)
check "comon's status where Prisma deployed comon's folders" "$answer" "Issues: 0"
edit_user "$project/prisma/schema.prisma" '  pronouns String?'
# An enum value added: ALTER TYPE ... ADD VALUE, inside Prisma's one-script run.
sed -i 's/^  user$/  user\n  moderator/' "$project/prisma/schema.prisma"
(cd "$project" && "$comon" migrate dev --name pronouns --url "$second" >/dev/null)
grep -q "ADD VALUE 'moderator'" "$project"/prisma/migrations/*_pronouns/migration.sql
new_postgres third
third=$created_url
answer=$(node "$judge" "$peer_directory" deploy "$third" "$project/prisma/migrations" "$project/prisma/schema.prisma" || true)
check "Prisma deploys comon's three folders (PostgreSQL), an enum value last" "$answer" '_pronouns"]'
answer=$(node "$judge" "$peer_directory" status "$second" "$project/prisma/migrations" "$project/prisma/schema.prisma" || true || true)
check "Prisma's status after comon continued Prisma's deploy" "$answer" "$in_sync"
answer=$(node "$judge" "$peer_directory" status "$first" "$project/prisma/migrations" "$project/prisma/schema.prisma" || true || true)
check "Prisma's status sees comon's new folder as pending elsewhere" "$answer" '"diagnostic":"databaseIsBehind","unappliedMigrationNames":["'
echo "-- edited" >>"$(ls -d "$project"/prisma/migrations/*_init)/migration.sql"
answer=$(node "$judge" "$peer_directory" status "$first" "$project/prisma/migrations" "$project/prisma/schema.prisma" || true || true)
check "Prisma's status sees an edited comon folder" "$answer" '"editedMigrationNames":["'

# 2. SQLite, comon to Prisma and back: pingvin-share's history deployed by comon, a folder
#    added by comon's `migrate dev`; Prisma's status on it; comon's folders deployed by Prisma
#    to a second file. (Prisma's deploy of pingvin-share's own folders cannot be the judge
#    here: the peer's better-sqlite3 rejects the double-quoted string literal of
#    20221230120407_category_attribute_config.)
pingvin="$scratch/pingvin"
mkdir -p "$pingvin/prisma"
cp -r "$corpus_directory/pingvin-share/migrations" "$pingvin/prisma/"
without_url "$corpus_directory/pingvin-share/schema.latest.prisma" >"$pingvin/prisma/schema.prisma"
(cd "$pingvin" && "$comon" migrate deploy --url "file:$pingvin/first.db" >/dev/null)
edit_user "$pingvin/prisma/schema.prisma" '  nickname String?'
(cd "$pingvin" && "$comon" migrate dev --name nickname --url "file:$pingvin/first.db" >/dev/null)
answer=$(node "$judge" "$peer_directory" status "file:$pingvin/first.db" "$pingvin/prisma/migrations" "$pingvin/prisma/schema.prisma" || true)
check "Prisma's status on the database comon migrated (SQLite)" "$answer" "$in_sync"
small="$scratch/small"
mkdir -p "$small/prisma"
printf 'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id        Int      @id @default(autoincrement())\n  email     String   @unique\n  createdAt DateTime @default(now())\n}\n' >"$small/prisma/schema.prisma"
(cd "$small" && "$comon" --flavour prisma migrate dev --name init --url "file:$small/first.db" >/dev/null)
edit_user "$small/prisma/schema.prisma" '  name String?
  @@index([createdAt])'
(cd "$small" && "$comon" migrate dev --name name --url "file:$small/first.db" >/dev/null)
# A required column: SQLite rebuilds the table, with Prisma's own PRAGMA frame.
sed -i 's/  name String?/  name String @default("")/' "$small/prisma/schema.prisma"
(cd "$small" && "$comon" migrate dev --name required --url "file:$small/first.db" >/dev/null)
grep -q 'CREATE TABLE "new_User"' "$small"/prisma/migrations/*_required/migration.sql
answer=$(node "$judge" "$peer_directory" deploy "file:$small/second.db" "$small/prisma/migrations" "$small/prisma/schema.prisma" || true)
check "Prisma deploys comon's three folders (SQLite), a table rebuild last" "$answer" '_name","'
check "Prisma deploys comon's table rebuild (SQLite)" "$answer" '_required"]'
answer=$(cd "$small" && "$comon" migrate status --url "file:$small/second.db" 2>&1 || true)
check "comon's status where Prisma deployed comon's folders (SQLite)" "$answer" "Issues: 0"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed."
  exit 1
fi
echo "Every check passed."
