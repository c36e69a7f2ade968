#!/usr/bin/env bash
# Checks that the crates are ready for crates.io, in dependency order (comon-planner,
# comon-database, comon-driver, comon-cli, comon-device-local): metadata (description, licence,
# readme, repository, homepage, documentation), every dependency with a version (no path-only
# dependency), and only what a user needs in each .crate (sources, README, LICENSE).
#
#   scripts/check-packages.sh          packages every crate without building it (~15 s; the
#                                      step scripts/test-all.sh runs)
#   scripts/check-packages.sh --full   `cargo publish --workspace --dry-run`: also builds each
#                                      packaged crate against the others as packaged (a local
#                                      overlay registry, since none is on crates.io yet), a cold
#                                      debug build of every dependency in target/package (about
#                                      as long as a first `cargo build`)
#
# The crates that are not published (publish = false: tests, trials, fuzz-checks and the npm
# package's wasm crate) are left out.
set -euo pipefail
cd "$(dirname "$0")/.."

published=(comon-planner comon-database comon-driver comon-cli comon-device-local)
unpublished=(tests trials fuzz-checks comon-migrate-wasm)
exclude=()
for name in "${unpublished[@]}"; do
  exclude+=(--exclude "$name")
done

# Uncommitted changes are packaged as they are: this checks the working tree, as CI's clone is.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if [ "${1:-}" = "--full" ]; then
  cargo publish --workspace --dry-run --allow-dirty "${exclude[@]}" 2>&1 | tee "$log" \
    | grep -v 'warning: ignoring \(test\|example\|bench\)'
fi
# The .crate files to look into (publish --dry-run leaves none where `cargo package` writes them).
cargo package --workspace --no-verify --allow-dirty "${exclude[@]}" 2>&1 | tee -a "$log" \
  | grep -v 'warning: ignoring \(test\|example\|bench\)'

# Cargo only warns about missing metadata; here it is an error.
if grep -E 'warning: manifest has no' "$log"; then
  echo "A published crate lacks metadata (description, license, documentation, homepage or repository)." >&2
  exit 1
fi
for name in "${published[@]}"; do
  crate="${CARGO_TARGET_DIR:-target}/package/$name-0.1.0.crate"
  if [ ! -f "$crate" ]; then
    echo "$crate was not written." >&2
    exit 1
  fi
  contents="$(tar -tzf "$crate")"
  for required in Cargo.toml README.md LICENSE src/lib.rs; do
    if ! grep -qx "$name-0.1.0/$required" <<<"$contents"; then
      echo "$crate lacks $required." >&2
      exit 1
    fi
  done
  # Tests, benches and golden data stay in the repository.
  if grep -E "^$name-0.1.0/(tests|benches|examples)/" <<<"$contents"; then
    echo "$crate carries test, bench or example files." >&2
    exit 1
  fi
done
echo "Every published crate packages: ${published[*]}"
