#!/usr/bin/env bash
# Builds the npm distribution of the native `comon` binary for this machine, in the shape esbuild
# and biome use: the package `comon` (npm/cli: a small launcher, bin/comon, whose optional
# dependencies are the per-platform packages) and the package `@comon/cli-<platform>-<arch>`
# that carries the binary, both packed by `npm pack`.
#
#   scripts/build-npm-cli.sh [--release | --debug] [OUT_DIR]
#
# --release (the default) builds what would be published; --debug reuses the debug binary that
# the tests build anyway (npm/test/native-cli.test.mjs). OUT_DIR (default target/npm-cli) gets
# the staged package folders and the two tarballs, whose paths are printed last, one a line.
# Publishing runs this once per platform (on a machine of that platform) and publishes the
# platform packages before `comon`.
set -euo pipefail
cd "$(dirname "$0")/.."
workspace="$(pwd)"

profile=release
if [ "${1:-}" = "--release" ] || [ "${1:-}" = "--debug" ]; then
  profile="${1#--}"
  shift
fi
out="${1:-$workspace/target/npm-cli}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

platform="$(node -p 'process.platform + "-" + process.arch')"
package_name="$(node -p "require('./npm/cli/lib/platform.js').platformPackage() || ''")"
if [ -z "$package_name" ]; then
  echo "No comon platform package is defined for $platform (see npm/cli/lib/platform.js)." >&2
  exit 1
fi
binary_name="$(node -p "require('./npm/cli/lib/platform.js').binaryName()")"

echo "==> comon binary ($profile profile) for $platform" >&2
cargo_profile=()
if [ "$profile" = "release" ]; then
  cargo_profile=(--release)
fi
cargo build --quiet --locked -p comon-cli --bin comon "${cargo_profile[@]}" >&2
binary="${CARGO_TARGET_DIR:-$workspace/target}/$profile/$binary_name"
if [ ! -x "$binary" ]; then
  echo "cargo build did not write $binary" >&2
  exit 1
fi

echo "==> Staging comon and $package_name in $out" >&2
main_stage="$out/comon"
platform_stage="$out/cli-$platform"
rm -rf "$main_stage" "$platform_stage"
mkdir -p "$main_stage" "$platform_stage/bin"
cp -R npm/cli/bin npm/cli/lib npm/cli/package.json npm/cli/README.md "$main_stage/"
cp LICENSE "$main_stage/LICENSE"
cp LICENSE "$platform_stage/LICENSE"
cp "$binary" "$platform_stage/bin/$binary_name"
chmod 755 "$platform_stage/bin/$binary_name"

# The platform package's manifest: the main package's version and links, this machine's os,
# cpu (and C library), and the binary.
node - "$platform_stage" "$package_name" "$platform" <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const [stage, name, platform] = process.argv.slice(2);
const main = JSON.parse(fs.readFileSync('npm/cli/package.json', 'utf8'));
const wanted = main.optionalDependencies?.[name];
if (wanted !== main.version) {
  console.error(`npm/cli/package.json must depend on ${name} at its own version ${main.version} (it says ${wanted}).`);
  process.exit(1);
}
const [os, cpu] = platform.split('-');
const manifest = {
  name,
  version: main.version,
  description: `The comon command line's native binary for ${platform}; install the package comon, which uses it.`,
  license: main.license,
  repository: main.repository,
  homepage: main.homepage,
  bugs: main.bugs,
  os: [os],
  cpu: [cpu],
  ...(os === 'linux' ? { libc: ['glibc'] } : {}),
  files: ['bin/', 'README.md'],
  preferUnplugged: true,
};
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.writeFileSync(
  path.join(stage, 'README.md'),
  `# ${name}\n\nThe native \`comon\` binary for ${platform}. Install [comon](https://www.npmjs.com/package/comon) instead: it depends on this package and runs the binary.\n`,
);
NODE

echo "==> npm pack" >&2
for stage in "$platform_stage" "$main_stage"; do
  tarball="$(cd "$stage" && npm pack --silent --pack-destination "$out" | tail -n 1)"
  echo "$out/$tarball"
done
