#!/usr/bin/env bash
# Runs every test of the project on a fresh machine, installing what the tests need first.
# This is the README's test command, and .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust toolchain, rustfmt, clippy and the WebAssembly target"
rustup component add rustfmt clippy >/dev/null
rustup target add wasm32-unknown-unknown >/dev/null

# The habits come before the tests, so that a run stops within a minute on what a command fixes.
step "Formatting: rustfmt.toml states the style, and every file follows it"
if [ ! -f rustfmt.toml ]; then
  echo "rustfmt.toml is missing: restore it with: git checkout -- rustfmt.toml" >&2
  exit 1
fi
if ! cargo fmt --all --check; then
  echo "Some files are not formatted: run cargo fmt --all" >&2
  exit 1
fi

step "Lints: clippy on every crate and target, warnings denied"
if ! cargo clippy --workspace --all-targets -- -D warnings; then
  echo "clippy found warnings: run cargo clippy --workspace --all-targets --fix, then fix the rest by hand" >&2
  exit 1
fi

step "PostgreSQL at 127.0.0.1:5432 (the tests create and drop their own databases)"
if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
fi
if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432." >&2
  echo "Start it with: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  echo "or install one: apt-get install -y postgresql (trust auth for user postgres on 127.0.0.1)." >&2
  exit 1
fi

step "The planner builds for wasm32-unknown-unknown (it must stay free of IO)"
cargo build -p comon-planner --target wasm32-unknown-unknown --release

step "The crates package for crates.io: metadata, versioned dependencies, only what users need"
bash scripts/check-packages.sh

step "The device-local library builds without the command line's crates (clap, indicatif)"
if cargo tree -p comon-device-local -e normal --prefix none | grep -E '^(clap|indicatif) '; then
  echo "comon-device-local depends on clap or indicatif: an app embedding it would compile them." >&2
  exit 1
fi

step "Rust tests: planner, runner, integration tests on real SQLite and PostgreSQL"
cargo test --workspace

step "Install from a clean clone: cargo install --path cli (debug profile, this target folder)"
bash scripts/test-install.sh

step "npm package: build the WebAssembly planner and run its tests (Node, TypeScript, browsers)"
bash scripts/test-npm.sh

step "Web playground: build the site and drive it in headless Chromium"
COMON_REBUILD_NPM=0 bash scripts/test-playground.sh
