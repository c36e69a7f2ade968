#!/usr/bin/env bash
# Builds the npm package comon-migrate and runs its tests: API behaviour and errors, every golden
# case against the native output, TypeScript types (tsc --noEmit), SQLite introspection through
# better-sqlite3 (and PostgreSQL through pg, when one answers) against the native runner, the
# build-script example against the native CLI, the .wasm size limit, require() from a CommonJS
# project and bundles by esbuild and webpack (both from the packed tarball), a plain browser
# page, a Vite app and those bundles in headless Chromium, the package on Node 18, and the npm
# distribution of the native binary (npm/cli: `comon` and @comon/cli-<platform>, packed by
# scripts/build-npm-cli.sh and installed from the tarballs, where `npx comon migrate dev` runs).
#
# Optional: COMON_SKIP_BROWSER=1 skips installing Chromium (the page runs are then skipped);
# COMON_SKIP_NODE18=1 skips the Node 18 run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# First, so that the build finds wasm-opt in the devDependency `binaryen`.
step "npm dependencies"
(
  cd npm
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
)

bash scripts/build-npm.sh

step "Native programs the tests compare with (comon-database: example snapshot; comon-cli: comon)"
cargo build --quiet -p comon-database -p comon-cli --example snapshot --bin comon

cd npm

if [ "${COMON_SKIP_BROWSER:-0}" != "1" ] && [ -z "${COMON_CHROMIUM:-}" ] \
  && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  step "Chromium for the browser tests"
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "No Chromium and no way to install it here: the browser page runs will be skipped."
  fi
fi

step "node --test (Node $(node --version))"
node --test --test-reporter=spec test/*.test.mjs

if [ "${COMON_SKIP_NODE18:-0}" != "1" ]; then
  step "The package on Node 18 (the node@18 package from the npm registry)"
  # The tests that need no native addon: better-sqlite3 is built for the Node above.
  npx --yes node@18 --test test/api.test.mjs test/golden.test.mjs test/size.test.mjs test/commonjs.test.mjs
fi
