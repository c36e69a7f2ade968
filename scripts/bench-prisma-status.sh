#!/usr/bin/env bash
# `comon migrate status` (with its drift check) on a generated Prisma Migrate project of N
# folders, from the migration SQL interpreter: release build, the history deployed once, then
# status run RUNS times; prints each wall-clock time and the median. The figure goes in
# BENCHMARKS.md ("migrate status over 200 Prisma folders").
#
#   scripts/bench-prisma-status.sh [sqlite|postgresql] [FOLDERS] [RUNS]
#
# PostgreSQL uses a database of its own on COMON_TEST_POSTGRES_URL's server (default
# postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end.
set -euo pipefail

provider="${1:-sqlite}"
folders="${2:-200}"
runs="${3:-10}"
workspace="$(cd "$(dirname "$0")/.." && pwd)"
cd "$workspace"

cargo build --release -q -p comon-cli --bin comon
cargo build --release -q -p tests --example generate_prisma_history
comon="$workspace/target/release/comon"
project="$(mktemp -d)"
admin_url="${COMON_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
database="comon_bench_prisma_status_$$"
cleanup() {
  # Out of the project first: psql refuses to start in a folder that no longer exists.
  cd "$workspace"
  rm -rf "$project"
  if [ "$provider" = postgresql ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null || true
  fi
}
trap cleanup EXIT

mkdir -p "$project/prisma"
"$workspace/target/release/examples/generate_prisma_history" "$project/prisma/migrations" "$folders" "$provider"
case "$provider" in
  sqlite) url="file:./dev.db" ;;
  postgresql)
    psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null
    url="${admin_url%/*}/$database"
    ;;
  *) echo "provider: sqlite or postgresql" >&2; exit 64 ;;
esac
printf 'datasource db {\n  provider = "%s"\n  url      = env("DATABASE_URL")\n}\n' "$provider" >"$project/prisma/schema.prisma"

cd "$project"
export DATABASE_URL="$url"
"$comon" migrate deploy >/dev/null
"$comon" migrate status | grep -q "Issues: 0" || { "$comon" migrate status; exit 1; }
if "$comon" migrate status | grep -q "Drift not checked\|scratch database"; then
  echo "status did not check drift from the interpreter alone" >&2
  exit 1
fi

times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$comon" migrate status >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "migrate status, $provider, $folders Prisma folders, $runs runs (ms): ${times[*]}"
echo "min ${sorted[0]} ms, median ${sorted[$(( runs / 2 ))]} ms, max ${sorted[$(( runs - 1 ))]} ms"
