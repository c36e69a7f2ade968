#!/usr/bin/env bash
# The benchmark suite of BENCHMARKS.md, in one run on the same generated files:
#   1. `comon migrate diff --script` whole process against Prisma's CLI (the offline peer in
#      ../shared/tools/prisma-peer, copied to a writable folder), both providers, empty -> 500
#      models and 500 models -> 10% changed; runs interleaved, median of RUNS;
#   2. the npm package in Node against Prisma's Wasm engine in Node (the peer's `direct` mode);
#   3. callgrind instruction counts of the same comon runs, and of the 1,000-model pair;
#   4. PostgreSQL introspection of 1,000 tables / 10,000 columns;
#   5. `migrate deploy` of 200 small migrations (SQLite and PostgreSQL);
#   6. peak memory at 5,000 models (/usr/bin/time -v);
#   7. the curve from 100 to 5,000 models, written as an SVG (bench-curve.svg in OUT and, with
#      --write-svg, docs/bench-curve.svg, which BENCHMARKS.md embeds).
#
# Usage: scripts/bench.sh [--smoke] [--write-svg]
#   --smoke      one run each, small sizes, no Prisma unless SKIP_PRISMA=0: checks that the
#                script works (seconds).
# Environment:
#   RUNS=5                 runs per whole-process figure (median)
#   OUT=target/bench       where the inputs and outputs go
#   PRISMA_PEER=/tmp/comon-bench-prisma-peer/prisma-peer   the writable copy of the peer
#                          (made with `npm ci` when missing; SKIP_PRISMA=1 leaves Prisma out)
#   PG_URL=postgresql://postgres@127.0.0.1:5432            the server for sections 4 and 5
#   SKIP_PG=1              leaves PostgreSQL out
#   COMON_BIN, GENERATOR_BIN   measure these binaries instead of building target/release ones
#   NPM_DIR=npm            the npm package folder for section 2 (its pkg/ built by build-npm.sh)
#                          (to measure an older build while the tree changes)
#   NODE_CALLS=6           section 2's plan calls in one Node process, for the first call
#                          against the later ones
#   SECTIONS="1 2 3 4 5 6 7"   the sections to run, e.g. SECTIONS=2 for the Node comparison
#                          alone (which needs only the schema generator, not the comon binary)
# Not part of scripts/test-all.sh: it takes minutes, and its figures are timings.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

smoke=0
write_svg=0
for argument in "$@"; do
  case "$argument" in
    --smoke) smoke=1 ;;
    --write-svg) write_svg=1 ;;
    *) echo "usage: scripts/bench.sh [--smoke] [--write-svg]" >&2; exit 64 ;;
  esac
done

RUNS=${RUNS:-5}
OUT=${OUT:-$root/target/bench}
PRISMA_PEER=${PRISMA_PEER:-/tmp/comon-bench-prisma-peer/prisma-peer}
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432}
prisma_choice=${SKIP_PRISMA:-}
SKIP_PRISMA=${SKIP_PRISMA:-0}
SKIP_PG=${SKIP_PG:-0}
SECTIONS=${SECTIONS:-1 2 3 4 5 6 7}
NODE_CALLS=${NODE_CALLS:-6}
pair_size=500
callgrind_size=1000
memory_size=5000
curve_sizes="100 250 500 1000 2000 5000"
introspect_tables=1000
deploy_count=200
if [ "$smoke" = 1 ]; then
  RUNS=1 pair_size=20 callgrind_size=50 memory_size=100 curve_sizes="10 20 50"
  introspect_tables=20 deploy_count=5 SKIP_PRISMA=${prisma_choice:-1}
fi
mkdir -p "$OUT"
comon=${COMON_BIN:-$root/target/release/comon}

section() { printf '\n## %s\n\n' "$*"; }
# Whether section $1 is one of $SECTIONS.
wanted() { case " $SECTIONS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# The median of the numbers on stdin.
median() { sort -g | awk '{value[NR] = $1} END {if (NR % 2) print value[(NR + 1) / 2]; else printf "%.1f\n", (value[NR / 2] + value[NR / 2 + 1]) / 2}'; }
# Runs the command and prints its wall time in ms; its output goes to $run_output. The clock is
# bash's own (EPOCHREALTIME, microseconds), so no process is started to read it. With
# $cpu_series set, the command's CPU time (user + system, its children included, from the
# `times` builtin) is appended to that file: on a machine shared with other work, CPU time
# moves less than wall time. Call it as $(time_ms ...), so that the subshell's children are the
# command alone.
run_output=/dev/null
cpu_series=
time_ms() {
  local start end
  start=${EPOCHREALTIME/[.,]/}
  "$@" > "$run_output" 2>> "$OUT/errors.log" || { echo "failed: $*" >&2; tail -5 "$OUT/errors.log" >&2; exit 1; }
  end=${EPOCHREALTIME/[.,]/}
  if [ -n "$cpu_series" ]; then
    times > "$OUT/times.last"
    awk 'NR == 2 {
      split($1, user_time, /[ms]/); split($2, system_time, /[ms]/)
      printf "%.1f\n", (user_time[1] * 60 + user_time[2] + system_time[1] * 60 + system_time[2]) * 1000
    }' "$OUT/times.last" >> "$cpu_series"
  fi
  printf '%d.%d\n' $(((end - start) / 1000)) $(((end - start) % 1000 / 100))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.1f", a / b; else print "-"}'; }

echo "# comon benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/{printf "%.1f GB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "comon $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- planner cli database driver || echo ' (uncommitted changes)'), runs per figure: $RUNS"

section "Build"
# Section 2 runs the npm package, not the comon binary: alone, it needs only the generator.
build_packages=()
if [ -z "${GENERATOR_BIN:-}" ]; then build_packages+=(-p comon-planner --example generate_schema); fi
if [ -z "${COMON_BIN:-}" ] && [ "$SECTIONS" != 2 ]; then build_packages+=(-p comon-cli); fi
if [ ${#build_packages[@]} -gt 0 ]; then
  cargo build --release --quiet "${build_packages[@]}"
fi
generator=${GENERATOR_BIN:-$root/target/release/examples/generate_schema}
echo "comon: $comon"
sizes=$(printf '%s\n' $pair_size $callgrind_size $memory_size $curve_sizes | sort -n | uniq)
for provider in postgresql sqlite; do
  for size in $sizes; do
    "$generator" $provider "$size" previous > "$OUT/s$size.$provider.prisma"
    "$generator" $provider "$size" next > "$OUT/s${size}c.$provider.prisma"
  done
done
echo "inputs: $OUT/s<N>.<provider>.prisma (previous) and s<N>c.<provider>.prisma (next, 10% of models changed)"
echo "$pair_size models: $(wc -c < "$OUT/s$pair_size.postgresql.prisma") bytes per side (postgresql)"

# The comon command of a pair: from a file or from empty.
comon_diff() { # from to
  local from=(--from-schema "$1")
  [ "$1" = empty ] && from=(--from-empty)
  "$comon" migrate diff "${from[@]}" --to-schema "$2" --script
}

prisma_ready=0
if [ "$SKIP_PRISMA" != 1 ]; then
  if [ ! -d "$PRISMA_PEER/node_modules" ]; then
    echo "installing the Prisma peer into $PRISMA_PEER (npm ci, about 75 s)"
    peer_source="$root/../shared/tools/prisma-peer"
    [ -d "$peer_source" ] || { echo "no peer at $peer_source: set SKIP_PRISMA=1" >&2; exit 1; }
    mkdir -p "$(dirname "$PRISMA_PEER")"
    cp -r "$peer_source" "$PRISMA_PEER"
    chmod -R u+w "$PRISMA_PEER"
    (cd "$PRISMA_PEER" && npm ci --no-audit --no-fund > "$OUT/prisma-npm-ci.log" 2>&1)
  fi
  prisma_ready=1
fi
prisma_diff() { PRISMA_DIFF_MODE=${PRISMA_MODE:-cli} "$PRISMA_PEER/prisma-diff.sh" "$@"; }

if wanted 1; then
  section "1. migrate diff, whole process: comon against Prisma's CLI (median of $RUNS, interleaved)"
  echo "Wall time, and CPU time (user + system, child processes included) in parentheses."
  echo
  printf '| case | comon | Prisma CLI | Prisma / comon, wall (CPU) |\n|---|---|---|---|\n'
  for provider in postgresql sqlite; do
    for case in "empty s$pair_size" "s$pair_size s${pair_size}c"; do
      set -- $case
      from=$1; to=$OUT/$2.$provider.prisma
      [ "$from" != empty ] && from=$OUT/$from.$provider.prisma
      comon_times=() prisma_times=()
      : > "$OUT/cpu.comon"; : > "$OUT/cpu.prisma"
      for _ in $(seq "$RUNS"); do
        comon_times+=("$(cpu_series=$OUT/cpu.comon time_ms comon_diff "$from" "$to")")
        if [ "$prisma_ready" = 1 ]; then prisma_times+=("$(cpu_series=$OUT/cpu.prisma time_ms prisma_diff "$from" "$to")"); fi
      done
      comon_median=$(printf '%s\n' "${comon_times[@]}" | median)
      comon_cpu=$(median < "$OUT/cpu.comon")
      prisma_median=- prisma_cpu=-
      if [ "$prisma_ready" = 1 ]; then
        prisma_median=$(printf '%s\n' "${prisma_times[@]}" | median)
        prisma_cpu=$(median < "$OUT/cpu.prisma")
      fi
      printf '| %s %s → %s | %s ms (%s ms) | %s ms (%s ms) | %s (%s) |\n' "$provider" "$1" "$2" \
        "$comon_median" "$comon_cpu" "$prisma_median" "$prisma_cpu" \
        "$(ratio "$prisma_median" "$comon_median")" "$(ratio "$prisma_cpu" "$comon_cpu")"
    done
  done
fi

if wanted 2; then
  section "2. In Node: the npm package against Prisma's Wasm engine (peer's direct mode)"
  npm_folder=${NPM_DIR:-$root/npm}
  npm_entry="$npm_folder/node.js"
  if [ ! -f "$npm_folder/pkg/comon_migrate_wasm_bg.wasm" ]; then
    echo "skipped: npm/pkg is not built (scripts/build-npm.sh builds it)"
  elif [ "$prisma_ready" != 1 ]; then
    echo "skipped: no Prisma peer (SKIP_PRISMA=1)"
  else
    printf '| case | comon-migrate in Node: process (plan call) | Prisma Wasm in Node: process (diff call) | Prisma / comon, process (call) |\n|---|---|---|---|\n'
    for provider in postgresql sqlite; do
      for case in "empty s$pair_size" "s$pair_size s${pair_size}c"; do
        set -- $case
        from=$1; to=$OUT/$2.$provider.prisma
        [ "$from" != empty ] && from=$OUT/$from.$provider.prisma
        comon_times=() comon_calls=() prisma_times=() prisma_calls=()
        for _ in $(seq "$RUNS"); do
          run_output=$OUT/node-comon.out
          comon_times+=("$(time_ms node "$root/scripts/bench-node.mjs" "$npm_entry" "$from" "$to")")
          comon_calls+=("$(sed -n 's/^call_ms=//p' "$OUT/node-comon.out")")
          run_output=$OUT/node-prisma.out
          prisma_times+=("$(time_ms env PRISMA_DIFF_TIMING=1 PRISMA_DIFF_MODE=direct bash -c '"$0" "$1" "$2" 2>&1' "$PRISMA_PEER/prisma-diff.sh" "$from" "$to")")
          prisma_calls+=("$(awk '/\[timing\] engine ready/{ready=$(NF-1)} /\[timing\] diff done/{print $(NF-1) - ready}' "$OUT/node-prisma.out")")
          run_output=/dev/null
        done
        cm=$(printf '%s\n' "${comon_times[@]}" | median) cc=$(printf '%s\n' "${comon_calls[@]}" | median)
        pm=$(printf '%s\n' "${prisma_times[@]}" | median) pc=$(printf '%s\n' "${prisma_calls[@]}" | median)
        printf '| %s %s → %s | %s ms (%s ms) | %s ms (%s ms) | %s (%s) |\n' "$provider" "$1" "$2" "$cm" "$cc" "$pm" "$pc" "$(ratio "$pm" "$cm")" "$(ratio "$pc" "$cc")"
      done
    done
  fi

  # Issue 14: the first large plan in a process no slower than twice the later ones (the first
  # pays for V8 compiling the module's functions). No Prisma here, so it runs without the peer.
  if [ -f "$npm_folder/pkg/comon_migrate_wasm_bg.wasm" ]; then
    echo
    echo "The first \`plan\` call in a Node process against the later ones: $NODE_CALLS calls of the same pair per process, median over $RUNS processes; wall time, and in parentheses the process's CPU time during the call (\`process.cpuUsage\`)."
    echo
    # The median of one key's values over the runs of a case.
    of() { sed -n "s/^$1=//p" "$OUT/node-calls.series" | median; }
    printf '| case | first call | later calls (median) | first / later, wall (CPU) |\n|---|---|---|---|\n'
    for provider in postgresql sqlite; do
      for case in "empty s$pair_size" "s$pair_size s${pair_size}c"; do
        set -- $case
        from=$1; to=$OUT/$2.$provider.prisma
        [ "$from" != empty ] && from=$OUT/$from.$provider.prisma
        : > "$OUT/node-calls.series"
        for _ in $(seq "$RUNS"); do
          node "$root/scripts/bench-node.mjs" "$npm_entry" "$from" "$to" "$NODE_CALLS" > "$OUT/node-calls.out"
          grep -E '^(call|call_cpu|later_call|later_call_cpu|first_over_later|first_over_later_cpu)(_ms)?=' "$OUT/node-calls.out" >> "$OUT/node-calls.series"
        done
        printf '| %s %s → %s | %s ms (%s ms) | %s ms (%s ms) | %s (%s) |\n' "$provider" "$1" "$2" \
          "$(of call_ms)" "$(of call_cpu_ms)" "$(of later_call_ms)" "$(of later_call_cpu_ms)" \
          "$(of first_over_later)" "$(of first_over_later_cpu)"
      done
    done
  fi
fi

# The instruction count of a comon run (callgrind), for sections 3 and 7.
instructions() { # from to
  local from=(--from-schema "$1")
  [ "$1" = empty ] && from=(--from-empty)
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$comon" migrate diff "${from[@]}" --to-schema "$2" --script 2>&1 > /dev/null |
    awk '/Collected :/{print $NF}'
}
millions() { awk -v n="$1" 'BEGIN {printf "%.1f M", n / 1e6}'; }

if wanted 3; then
  section "3. Instructions (callgrind, whole comon process)"
  if command -v valgrind > /dev/null; then
    printf '| case | instructions |\n|---|---|\n'
    for provider in postgresql sqlite; do
      for case in "empty s$pair_size" "s$pair_size s${pair_size}c" "empty s$callgrind_size" "s$callgrind_size s${callgrind_size}c"; do
        set -- $case
        from=$1; to=$OUT/$2.$provider.prisma
        [ "$from" != empty ] && from=$OUT/$from.$provider.prisma
        printf '| %s %s → %s | %s |\n' "$provider" "$1" "$2" "$(millions "$(instructions "$from" "$to")")"
      done
    done
  else
    echo "skipped: valgrind is not installed"
  fi
fi

# A database of its own on the server, dropped at the end.
pg_database=comon_bench_$$
pg_ready=0
if [ "$SKIP_PG" != 1 ] && { wanted 4 || wanted 5; }; then
  if psql "$PG_URL/postgres" -qAtc 'select 1' > /dev/null 2>&1; then
    pg_ready=1
    trap 'psql "$PG_URL/postgres" -qc "drop database if exists $pg_database" > /dev/null 2>&1 || true' EXIT
  else
    echo "no PostgreSQL server at $PG_URL: sections 4 and 5 leave PostgreSQL out (start one, or set PG_URL)"
  fi
fi
export PGOPTIONS='-c client_min_messages=warning'
fresh_pg_database() {
  psql "$PG_URL/postgres" -qc "drop database if exists $pg_database" > /dev/null
  psql "$PG_URL/postgres" -qc "create database $pg_database" > /dev/null
}

if wanted 4; then
  section "4. PostgreSQL introspection: $introspect_tables tables, $((introspect_tables * 10)) columns"
  if [ "$pg_ready" = 1 ]; then
    fresh_pg_database
    awk -v tables="$introspect_tables" 'BEGIN {
      for (t = 0; t < tables; t++) {
        printf "create table t%d (id serial primary key", t
        for (c = 1; c < 10; c++) printf ", c%d %s", c, (c % 3 == 0 ? "integer not null default 0" : (c % 3 == 1 ? "text" : "timestamp(3)"))
        printf ");\ncreate index t%d_c1 on t%d (c1);\n", t, t
      }
    }' > "$OUT/introspection.sql"
    psql "$PG_URL/$pg_database" -q -f "$OUT/introspection.sql" > /dev/null
    times=()
    for _ in $(seq "$RUNS"); do
      times+=("$(time_ms "$comon" migrate diff --from-url "$PG_URL/$pg_database" --to-empty --script)")
    done
    echo "\`comon migrate diff --from-url <database> --to-empty --script\`, whole process, median: $(printf '%s\n' "${times[@]}" | median) ms"
  else
    echo "skipped: no PostgreSQL"
  fi
fi

if wanted 5; then
  section "5. migrate deploy of $deploy_count small migrations (a Prisma Migrate folder)"
  project=$OUT/deploy-project
  make_project() { # provider
    rm -rf "$project"
    mkdir -p "$project/prisma/migrations"
    printf 'datasource db {\n  provider = "%s"\n}\n' "$1" > "$project/prisma/schema.prisma"
    printf '# Please do not edit this file manually\nprovider = "%s"\n' "$1" > "$project/prisma/migrations/migration_lock.toml"
    for number in $(seq -w 1 "$deploy_count"); do
      folder="$project/prisma/migrations/20260101000${number}_step_$number"
      mkdir -p "$folder"
      printf 'CREATE TABLE "Step%s" (\n    "id" INTEGER NOT NULL,\n    "name" TEXT NOT NULL,\n    CONSTRAINT "Step%s_pkey" PRIMARY KEY ("id")\n);\n\nCREATE INDEX "Step%s_name_idx" ON "Step%s"("name");\n' \
        "$number" "$number" "$number" "$number" > "$folder/migration.sql"
    done
  }
  printf '| database | whole process, median |\n|---|---|\n'
  make_project sqlite
  times=()
  for _ in $(seq "$RUNS"); do
    rm -f "$OUT/deploy.db"
    times+=("$(time_ms "$comon" --schema "$project/prisma/schema.prisma" --url "file:$OUT/deploy.db" --flavour prisma migrate deploy)")
  done
  printf '| SQLite | %s ms |\n' "$(printf '%s\n' "${times[@]}" | median)"
  if [ "$pg_ready" = 1 ]; then
    make_project postgresql
    times=()
    for _ in $(seq "$RUNS"); do
      fresh_pg_database
      times+=("$(time_ms "$comon" --schema "$project/prisma/schema.prisma" --url "$PG_URL/$pg_database" --flavour prisma migrate deploy)")
    done
    printf '| PostgreSQL | %s ms |\n' "$(printf '%s\n' "${times[@]}" | median)"
  fi
fi

if wanted 6; then
  section "6. Peak memory at $memory_size models (/usr/bin/time -v, maximum resident set)"
  printf '| case | comon | Prisma CLI |\n|---|---|---|\n'
  # The largest resident set of the command and its children (Prisma's CLI runs the engine in a
  # child process), from /usr/bin/time -v.
  peak_mb() { /usr/bin/time -v "$@" 2>&1 > /dev/null | awk '/Maximum resident/{printf "%.1f MB", $NF / 1024}'; }
  for provider in postgresql sqlite; do
    previous=$OUT/s$memory_size.$provider.prisma next=$OUT/s${memory_size}c.$provider.prisma
    prisma_peak=-
    # Prisma at 5,000 models takes minutes; PRISMA_MEMORY=1 measures it too.
    if [ "$prisma_ready" = 1 ] && [ "${PRISMA_MEMORY:-0}" = 1 ]; then prisma_peak=$(peak_mb "$PRISMA_PEER/prisma-diff.sh" "$previous" "$next"); fi
    printf '| %s s%s → s%sc | %s | %s |\n' "$provider" "$memory_size" "$memory_size" "$(peak_mb "$comon" migrate diff --from-schema "$previous" --to-schema "$next" --script)" "$prisma_peak"
  done
fi

if wanted 7; then
  section "7. The curve: comon migrate diff, whole process, previous → next (PostgreSQL, median of $RUNS)"
  printf '| models | bytes per side | wall | CPU | instructions | instructions per model |\n|---|---|---|---|---|---|\n'
  curve_data=$OUT/curve.tsv
  : > "$curve_data"
  for size in $curve_sizes; do
    previous=$OUT/s$size.postgresql.prisma next=$OUT/s${size}c.postgresql.prisma
    times=()
    : > "$OUT/cpu.curve"
    for _ in $(seq "$RUNS"); do times+=("$(cpu_series=$OUT/cpu.curve time_ms comon_diff "$previous" "$next")"); done
    wall=$(printf '%s\n' "${times[@]}" | median)
    cpu=$(median < "$OUT/cpu.curve")
    count=0
    if command -v valgrind > /dev/null; then count=$(instructions "$previous" "$next"); fi
    printf '%s\t%s\t%s\n' "$size" "$cpu" "$count" >> "$curve_data"
    printf '| %s | %s | %s ms | %s ms | %s | %s k |\n' "$size" "$(wc -c < "$previous")" "$wall" "$cpu" "$(millions "$count")" "$(awk -v c="$count" -v n="$size" 'BEGIN {printf "%.0f", c / n / 1000}')"
  done

  # The SVG: CPU time and instructions against the model count, each on its own scale, with the
  # straight line through the origin and the largest point (what linear growth would give).
  awk -F'\t' -v date="$(date -u +%Y-%m-%d)" '
    { size[NR] = $1; wall[NR] = $2; count[NR] = $3 / 1e6; n = NR
      if ($1 > max_size) max_size = $1; if ($2 > max_wall) max_wall = $2; if ($3 / 1e6 > max_count) max_count = $3 / 1e6 }
    END {
      width = 640; height = 400; left = 70; right = 70; top = 40; bottom = 60
      plot_w = width - left - right; plot_h = height - top - bottom
      max_wall *= 1.1; max_count *= 1.1; if (max_count == 0) max_count = 1
      printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height
      printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
      printf "<text x=\"%d\" y=\"22\" font-size=\"14\">comon migrate diff --script, whole process, PostgreSQL, 10%% of models changed (%s)</text>\n", left - 40, date
      printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, top + plot_h, left + plot_w, top + plot_h
      printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, top, left, top + plot_h
      printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left + plot_w, top, left + plot_w, top + plot_h
      for (i = 0; i <= 5; i++) {
        x = left + plot_w * i / 5; y = top + plot_h - plot_h * i / 5
        printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", x, top + plot_h + 18, max_size * i / 5
        printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#1f5fbf\">%.0f</text>\n", left - 6, y + 4, max_wall * i / 5
        printf "<text x=\"%d\" y=\"%.1f\" fill=\"#c0392b\">%.0f</text>\n", left + plot_w + 6, y + 4, max_count * i / 5
        printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>\n", left, y, left + plot_w, y
      }
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">models</text>\n", left + plot_w / 2, height - 20
      printf "<text x=\"16\" y=\"%d\" fill=\"#1f5fbf\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">CPU time, ms</text>\n", top + plot_h / 2, top + plot_h / 2
      printf "<text x=\"%d\" y=\"%d\" fill=\"#c0392b\" transform=\"rotate(90 %d %d)\" text-anchor=\"middle\">instructions, millions</text>\n", width - 12, top + plot_h / 2, width - 12, top + plot_h / 2
      # Linear growth through the largest point.
      printf "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n", left, top + plot_h, left + plot_w * size[n] / max_size, top + plot_h - plot_h * wall[n] / max_wall
      wall_points = ""; count_points = ""
      for (i = 1; i <= n; i++) {
        x = left + plot_w * size[i] / max_size
        wall_points = wall_points sprintf("%.1f,%.1f ", x, top + plot_h - plot_h * wall[i] / max_wall)
        count_points = count_points sprintf("%.1f,%.1f ", x, top + plot_h - plot_h * count[i] / max_count)
      }
      printf "<polyline points=\"%s\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>\n", wall_points
      printf "<polyline points=\"%s\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n", count_points
      for (i = 1; i <= n; i++) {
        x = left + plot_w * size[i] / max_size
        printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f5fbf\"/>\n", x, top + plot_h - plot_h * wall[i] / max_wall
        printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#c0392b\"/>\n", x, top + plot_h - plot_h * count[i] / max_count
      }
      printf "<text x=\"%d\" y=\"%d\" fill=\"#1f5fbf\">— CPU time, user + system (ms)</text>\n", left + 10, top + 16
      printf "<text x=\"%d\" y=\"%d\" fill=\"#c0392b\">- - instructions (millions)</text>\n", left + 10, top + 32
      printf "<text x=\"%d\" y=\"%d\" fill=\"#777\">· · linear through the largest size</text>\n", left + 10, top + 48
      printf "</svg>\n"
    }' "$curve_data" > "$OUT/bench-curve.svg"
  echo
  echo "curve: $OUT/bench-curve.svg"
  if [ "$write_svg" = 1 ]; then
    cp "$OUT/bench-curve.svg" "$root/docs/bench-curve.svg"
    echo "copied to docs/bench-curve.svg"
  fi
fi
