#!/usr/bin/env bash
# Regenerates tests/fixtures/prisma_format/: what `prisma format` (Prisma 7.10.1, the offline peer in
# ../shared/tools/prisma-peer) makes of every corpus schema, so that the format test can compare
# `comon format` with Prisma's own formatter without running Node in the test suite.
#
# Usage: scripts/prisma-format-goldens.sh PEER_DIR
#   PEER_DIR: a writable copy of ../shared/tools/prisma-peer after `npm ci` (see its README).
#
# Prisma 7 refuses a datasource `url` in the schema file, so the `url = ...` line is taken out of
# each schema first; the test takes out the same line before `comon format`. For each app it writes
# <app>.tsv (schema file name, SHA-256 of Prisma's output) and, for the schemas whose Prisma output
# differs from the input, the output itself as <app>/<schema file> (to show the difference).
set -euo pipefail
cd "$(dirname "$0")/.."
peer="$(cd "${1:?usage: $0 PEER_DIR}" && pwd)"
corpus="../shared/corpus/prisma"
out="tests/fixtures/prisma_format"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for app in rallly pingvin-share; do
  mkdir -p "$out/$app"
  rm -f "$out/$app"/*.prisma
  : > "$out/$app.tsv"
  for schema in "$corpus/$app"/schemas/*.prisma; do
    name="$(basename "$schema")"
    grep -Ev '^[[:space:]]*(url|directUrl|shadowDatabaseUrl)[[:space:]]*=' "$schema" > "$work/schema.prisma"
    cp "$work/schema.prisma" "$work/input.prisma"
    (cd "$work" && PRISMA_SCHEMA_ENGINE_BINARY="$peer/schema-engine-shim.mjs" PRISMA_HIDE_UPDATE_MESSAGE=1 \
      "$peer/node_modules/.bin/prisma" format --schema schema.prisma >/dev/null 2>"$work/err") || {
      echo "prisma format failed on $schema:" >&2; cat "$work/err" >&2; exit 1; }
    printf '%s\t%s\n' "$name" "$(sha256sum "$work/schema.prisma" | cut -d' ' -f1)" >> "$out/$app.tsv"
    if ! cmp -s "$work/schema.prisma" "$work/input.prisma"; then
      cp "$work/schema.prisma" "$out/$app/$name"
    fi
  done
  echo "$app: $(wc -l < "$out/$app.tsv") schemas, $(ls "$out/$app" | wc -l) changed by prisma format"
done
