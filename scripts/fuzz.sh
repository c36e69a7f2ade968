#!/usr/bin/env bash
# Runs one cargo-fuzz target (fuzz/fuzz_targets/TARGET.rs) for SECONDS seconds:
#
#   scripts/fuzz.sh TARGET SECONDS [more libFuzzer options]
#   scripts/fuzz.sh save TARGET                # minimize fuzz/corpus/TARGET before committing it
#   scripts/fuzz.sh list                       # the targets
#
# Works on the stable toolchain: cargo-fuzz passes rustc -Z flags (AddressSanitizer,
# SanitizerCoverage), and RUSTC_BOOTSTRAP=1 lets a stable rustc accept them. Installs the
# pinned cargo-fuzz with `cargo install` when it is missing (about 2 minutes). Before a
# target's first run its corpus (fuzz/corpus/TARGET) is seeded from the golden cases, the format
# cases, the shared schema corpus when present, and real databases built from them
# (`cargo run -p trials -- fuzz-seeds`, which needs PostgreSQL for some seeds).
#
# A crash is written to fuzz/artifacts/TARGET/. Reproduce it with
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -O TARGET artifacts/TARGET/crash-...
# and, once fixed, copy the input to fuzz/regressions/TARGET/ so that `cargo test -p fuzz-checks`
# replays it forever. `save` minimizes the corpus (cargo fuzz cmin) and drops inputs over 8 KB
# (mostly the shared corpus's real schemas, which the seeding puts back), so that the committed
# corpus stays small; `cargo test -p fuzz-checks` replays what is committed.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo_fuzz_version=0.13.2
if [ "${1:-}" = "list" ]; then
  ls fuzz/fuzz_targets | sed 's/\.rs$//'
  exit 0
fi
if [ "${1:-}" = "save" ]; then
  target=${2:?usage: scripts/fuzz.sh save TARGET}
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  before=$(ls "fuzz/corpus/$target" | wc -l)
  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz cmin -O "$target")
  find "fuzz/corpus/$target" -type f -size +8k -delete
  echo "fuzz/corpus/$target: $before inputs, $(ls "fuzz/corpus/$target" | wc -l) kept"
  exit 0
fi
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options] (scripts/fuzz.sh list shows the targets)}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options]}
shift 2
if [ ! -f "fuzz/fuzz_targets/$target.rs" ]; then
  echo "No fuzz target $target. Targets: $(ls fuzz/fuzz_targets | sed 's/\.rs$//' | tr '\n' ' ')" >&2
  exit 64
fi

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! cargo fuzz --version 2>/dev/null | grep -q "$cargo_fuzz_version"; then
  echo "==> installing cargo-fuzz $cargo_fuzz_version"
  cargo install cargo-fuzz --version "$cargo_fuzz_version"
fi

if [ -z "$(ls -A "fuzz/corpus/$target" 2>/dev/null)" ]; then
  echo "==> seeding fuzz/corpus"
  cargo run -q -p trials -- fuzz-seeds --output fuzz/corpus
fi

cd fuzz
echo "==> cargo fuzz run $target for $seconds s ($(ls "corpus/$target" | wc -l) corpus inputs)"
# -timeout: an input that takes this long is reported as a hang (planning is linear; a slow
# input is a bug too). -max_len: schemas of a few thousand lines.
RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 "$@"
