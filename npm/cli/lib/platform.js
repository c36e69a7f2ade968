'use strict';
// Which package carries the native `comon` binary for this machine, and where its binary is.
// The `comon` package lists one optional dependency per platform (as esbuild and biome do);
// npm installs only the one whose `os` and `cpu` match, so resolving it finds the binary.

const path = require('node:path');

/** The platforms a binary is published for: `${process.platform}-${process.arch}` to package. */
const PLATFORM_PACKAGES = {
  'linux-x64': '@comon/cli-linux-x64',
  'linux-arm64': '@comon/cli-linux-arm64',
  'darwin-x64': '@comon/cli-darwin-x64',
  'darwin-arm64': '@comon/cli-darwin-arm64',
  'win32-x64': '@comon/cli-win32-x64',
};

/** The package for `platform` and `arch`, or undefined when none is published. */
function platformPackage(platform = process.platform, arch = process.arch) {
  return PLATFORM_PACKAGES[`${platform}-${arch}`];
}

/** The binary's file name inside its package. */
function binaryName(platform = process.platform) {
  return platform === 'win32' ? 'comon.exe' : 'comon';
}

/**
 * The path of the native binary: COMON_BINARY_PATH when set (a binary built or installed some
 * other way), else the one in this platform's package. Throws an Error whose message says what
 * to do when there is none.
 */
function binaryPath() {
  if (process.env.COMON_BINARY_PATH) {
    return process.env.COMON_BINARY_PATH;
  }
  const name = platformPackage();
  if (!name) {
    throw new Error(
      `comon has no prebuilt binary for ${process.platform}-${process.arch} (published: ${Object.keys(PLATFORM_PACKAGES).join(', ')}). ` +
        'Build it with `cargo install comon-cli` and set COMON_BINARY_PATH to it.',
    );
  }
  let manifest;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    throw new Error(
      `The package ${name}, which carries comon's binary for ${process.platform}-${process.arch}, is not installed. ` +
        'It is an optional dependency of comon: reinstall without --omit=optional (or --no-optional), ' +
        `or add it yourself: npm install ${name}.`,
    );
  }
  return path.join(path.dirname(manifest), 'bin', binaryName());
}

module.exports = { PLATFORM_PACKAGES, platformPackage, binaryName, binaryPath };
