#!/usr/bin/env bash
# Regenerates tests/fixtures/prisma_peer/: the SQL that Prisma's own planner writes to build
# each schema of the shared corpus (../shared/corpus/prisma/<app>/schemas/*.prisma) from empty,
# and each schema of tests/fixtures/prisma_peer_schemas/.
# `tests/tests/prisma_flavour_oracle.rs` builds one database from that SQL and one from comon's
# plan in the Prisma flavour, and compares their catalogs. The peer is a Node program that takes
# seconds per schema, too slow for every test run, so its output is committed here.
#
# Usage: scripts/prisma-peer-fixtures.sh PEER_DIRECTORY [CORPUS_DIRECTORY]
#   PEER_DIRECTORY: a writable copy of ../shared/tools/prisma-peer on which `npm ci` has run
#     (see its README): `d=$(mktemp -d) && cp -r ../shared/tools/prisma-peer "$d" &&
#     (cd "$d/prisma-peer" && npm ci)`, then pass "$d/prisma-peer".
#   CORPUS_DIRECTORY: default ../shared/corpus/prisma beside the workspace.
#
# The same is done for the schemas of tests/fixtures/prisma_peer_schemas/, as the application
# `mapping-rules`. Per application, the folder tests/fixtures/prisma_peer/<app>/ holds:
#   <stem>.prisma  the schema as the peer read it: the corpus file without its datasource `url`,
#                  `directUrl` and `shadowDatabaseUrl` lines, which Prisma 7 rejects (P1012);
#   <stem>.sql     the peer's output for `prisma-diff.sh empty <stem>.prisma`;
#   index.tsv      one line per corpus schema: its stem, then the stem of the fixture that
#                  stands for it. Schemas whose SQL is byte-identical to an earlier one's share
#                  that one's fixture, which keeps the folder small; a schema the peer rejects
#                  is listed with `rejected` and the first line of Prisma's error.
set -euo pipefail

peer_directory=${1:?"usage: $0 PEER_DIRECTORY [CORPUS_DIRECTORY]"}
workspace=$(cd "$(dirname "$0")/.." && pwd)
corpus_directory=${2:-"$workspace/../shared/corpus/prisma"}
output_directory="$workspace/tests/fixtures/prisma_peer"

if [ ! -x "$peer_directory/prisma-diff.sh" ] || [ ! -d "$peer_directory/node_modules" ]; then
  echo "$peer_directory is not an installed prisma-peer (no prisma-diff.sh or node_modules); see its README." >&2
  exit 1
fi
if [ ! -d "$corpus_directory" ]; then
  echo "The corpus is not at $corpus_directory." >&2
  exit 1
fi
peer_directory=$(cd "$peer_directory" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# generate APPLICATION SCHEMA...: the fixtures of one application from its schema files.
generate() {
  local application=$1
  shift
  local target="$output_directory/$application"
  rm -rf "$target"
  mkdir -p "$target"
  declare -A fixture_of_digest=()
  local index="$target/index.tsv"
  : >"$index"
  local schema stem stripped reason digest
  for schema in "$@"; do
    stem=$(basename "$schema" .prisma)
    stripped="$scratch/$stem.prisma"
    sed -E '/^[[:space:]]*(url|directUrl|shadowDatabaseUrl)[[:space:]]*=/d' "$schema" >"$stripped"
    # The peer's direct mode skips the CLI wrapper and prints the same bytes, faster.
    if ! (cd "$peer_directory" && PRISMA_DIFF_MODE=direct ./prisma-diff.sh empty "$stripped") \
      >"$scratch/out.sql" 2>"$scratch/err.txt"; then
      reason=$(grep -m1 -E 'error|Error' "$scratch/err.txt" || head -n1 "$scratch/err.txt")
      printf '%s\trejected\t%s\n' "$stem" "$reason" >>"$index"
      echo "$application/$stem: rejected by Prisma: $reason" >&2
      continue
    fi
    digest=$(sha256sum "$scratch/out.sql" | cut -d' ' -f1)
    if [ -z "${fixture_of_digest[$digest]:-}" ]; then
      fixture_of_digest[$digest]=$stem
      cp "$stripped" "$target/$stem.prisma"
      cp "$scratch/out.sql" "$target/$stem.sql"
    fi
    printf '%s\t%s\n' "$stem" "${fixture_of_digest[$digest]}" >>"$index"
    echo "$application/$stem -> ${fixture_of_digest[$digest]}"
  done
}

for application_directory in "$corpus_directory"/*/; do
  [ -d "$application_directory/schemas" ] || continue
  generate "$(basename "$application_directory")" "$application_directory"/schemas/*.prisma
done
# Small schemas written for the mapping rules the corpus does not exercise (native types,
# enums and many-to-many tables on SQLite, default referential actions, integer ids).
generate mapping-rules "$workspace"/tests/fixtures/prisma_peer_schemas/*.prisma
du -sh "$output_directory"
