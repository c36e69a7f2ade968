#!/usr/bin/env bash
# Builds and tests the web playground (web-playground/) on a fresh machine, installing what it
# needs: Debian's Chromium when /usr/bin/chromium is missing, the npm package comon-migrate
# (npm/pkg, built by scripts/build-npm.sh) when it has not been built, and the playground's npm
# packages (npm ci, which also packs ../npm and installs the result, as users get the package).
# Then `npm test`: a Vite production build and node --test, which drives headless Chromium
# through playwright-core against the built site on localhost.
#
# COMON_REBUILD_NPM=1 rebuilds npm/pkg even when it exists (after a change to the planner).
# Screenshots: web-playground/test-results/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Chromium for the browser tests"
if [ -x /usr/bin/chromium ]; then
  echo "already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
else
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

step "The npm package comon-migrate (npm/pkg)"
if [ "${COMON_REBUILD_NPM:-0}" = "1" ] || [ ! -f npm/pkg/comon_migrate_wasm.js ] || [ ! -f npm/pkg/comon_migrate_wasm_bg.wasm ]; then
  bash scripts/build-npm.sh
else
  echo "already built (COMON_REBUILD_NPM=1 rebuilds it)"
fi

cd web-playground

step "Playground npm packages (npm ci; comon-migrate is packed from ../npm and installed as a copy)"
npm ci --no-audit --no-fund --prefer-offline

step "Build the site and run the browser tests"
npm test
