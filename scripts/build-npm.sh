#!/usr/bin/env bash
# Builds the npm package comon-migrate (npm/) from a fresh clone, using only the package
# registries: the wasm32 target through rustup, the wasm-bindgen CLI through `cargo install`
# (pinned to the wasm-bindgen version in Cargo.toml; skipped when that version is installed),
# then the cdylib adapter with the release profile's LTO, optimized for size.
#
# Output: npm/pkg/comon_migrate_wasm.js, npm/pkg/comon_migrate_wasm_bg.wasm and the CommonJS
# entry point npm/pkg/node.cjs (bundled by esbuild: npm's devDependency, else through npx).
# wasm-opt is optional: the one on PATH, else npm's `binaryen` once `npm ci` has run in npm/
# (scripts/test-npm.sh runs it first); without either it is skipped. COMON_WASM_OPT=0 skips it.
# COMON_WASM_OPT_LEVEL sets the Rust opt-level of the wasm build (default z: with wasm-opt the
# .wasm is 865 KB raw and 332 KB gzipped, inside the package's budget of 1 MB and 350 KB, where s
# gives 1,109 KB and 390 KB; the plan calls measured no slower, see npm/README.md's Size).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "WebAssembly target"
if command -v rustup >/dev/null 2>&1; then
  rustup target add wasm32-unknown-unknown >/dev/null
fi

# The version the adapter crate is pinned to: `wasm-bindgen = "=X"` in the root Cargo.toml.
wasm_bindgen_version=$(sed -n 's/^wasm-bindgen = "=\([0-9][0-9.]*\)".*/\1/p' Cargo.toml)
if [ -z "$wasm_bindgen_version" ]; then
  echo 'Cargo.toml has no `wasm-bindgen = "=X"` line in [workspace.dependencies].' >&2
  exit 1
fi

step "wasm-bindgen CLI $wasm_bindgen_version"
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$PATH"
installed_version=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$installed_version" = "$wasm_bindgen_version" ]; then
  echo "already installed"
else
  # No --locked: the registry mirror can lag, and the CLI's lock file may pin a missing version.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

step "Adapter crate for wasm32-unknown-unknown (release, LTO, opt-level ${COMON_WASM_OPT_LEVEL:-z})"
# A target directory of its own: the size opt-level would otherwise rebuild the planner that
# scripts/test-all.sh builds for wasm32 at the default opt-level, and back.
target_dir="target/npm"
CARGO_PROFILE_RELEASE_OPT_LEVEL="${COMON_WASM_OPT_LEVEL:-z}" \
  cargo build -p comon-migrate-wasm --target wasm32-unknown-unknown --release --target-dir "$target_dir"

step "JS bindings (wasm-bindgen --target web)"
rm -rf npm/pkg
wasm-bindgen --target web --no-typescript --out-dir npm/pkg --out-name comon_migrate_wasm \
  "$target_dir/wasm32-unknown-unknown/release/comon_migrate_wasm.wasm"

wasm_file=npm/pkg/comon_migrate_wasm_bg.wasm
# wasm-opt from PATH, else the one of the npm devDependency `binaryen` (after `npm ci` in npm/).
wasm_opt=$(command -v wasm-opt || true)
if [ -z "$wasm_opt" ] && [ -x npm/node_modules/.bin/wasm-opt ]; then
  wasm_opt=npm/node_modules/.bin/wasm-opt
fi
if [ "${COMON_WASM_OPT:-1}" != "0" ] && [ -n "$wasm_opt" ]; then
  step "wasm-opt -Oz ($wasm_opt: $("$wasm_opt" --version))"
  # The features Rust enables by default for wasm32-unknown-unknown.
  "$wasm_opt" -Oz \
    --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$wasm_file" -o "$wasm_file.opt"
  mv "$wasm_file.opt" "$wasm_file"
else
  step "no wasm-opt on PATH nor in npm/node_modules (or COMON_WASM_OPT=0): skipped"
fi

step "CommonJS entry point (npm/pkg/node.cjs: npm/src/node-cjs.mjs bundled by esbuild)"
# esbuild from npm/node_modules after `npm ci` there, else the pinned version through npx.
esbuild_version=$(sed -n 's/.*"esbuild": "^\([0-9.]*\)".*/\1/p' npm/package.json)
if [ -x npm/node_modules/.bin/esbuild ]; then
  esbuild=(npm/node_modules/.bin/esbuild)
else
  esbuild=(npx --yes "esbuild@$esbuild_version")
fi
# The bindings' default `init` mentions import.meta.url; node.cjs never calls it (initSync only).
"${esbuild[@]}" npm/src/node-cjs.mjs --bundle --platform=node --format=cjs --target=node18 \
  --outfile=npm/pkg/node.cjs --log-level=error --log-override:empty-import-meta=silent

raw_size=$(wc -c <"$wasm_file")
gzip_size=$(gzip -9 -c "$wasm_file" | wc -c)
printf '\n%s: %s bytes raw, %s bytes gzipped (gzip -9)\n' "$wasm_file" "$raw_size" "$gzip_size"
