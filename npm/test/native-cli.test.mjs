// The npm distribution of the native binary (npm/cli and scripts/build-npm-cli.sh): the package
// `comon` and this machine's `@comon/cli-<platform>-<arch>`, packed by `npm pack` and installed
// from the tarballs into a fresh JS project without the registry, where `npx comon migrate dev`
// runs on SQLite. The binary is the debug one that scripts/test-npm.sh builds.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { packageDirectory, repositoryDirectory } from './support/paths.mjs';

const require = createRequire(import.meta.url);
const platform = require('../cli/lib/platform.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const schema = 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n';

let workDirectory;
let tarballs;

/** A fresh project with `package.json` and the SQLite schema, the tarballs installed in it. */
function projectWith(name, installed, extraArguments = []) {
  const directory = join(workDirectory, name);
  mkdirSync(join(directory, 'prisma'), { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }, null, 2));
  writeFileSync(join(directory, 'prisma', 'schema.prisma'), schema);
  // --offline: the tarballs are all it needs; the other platforms' optional packages are skipped.
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--silent', ...extraArguments, ...installed], {
    cwd: directory,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return directory;
}

function comon(directory, args, environment = {}) {
  const result = spawnSync(npx, ['--no-install', 'comon', ...args], {
    cwd: directory,
    encoding: 'utf8',
    env: { ...process.env, ...environment },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'comon-native-cli-'));
  const output = execFileSync('bash', [join(repositoryDirectory, 'scripts', 'build-npm-cli.sh'), '--debug', join(workDirectory, 'packages')], {
    cwd: repositoryDirectory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  tarballs = output.trim().split('\n');
});
after(() => rmSync(workDirectory, { recursive: true, force: true }));

test('the build packs the launcher package and this platform’s binary package', () => {
  assert.equal(tarballs.length, 2, `two tarballs: ${tarballs}`);
  const names = tarballs.map((path) => path.split(/[\\/]/).pop());
  assert.deepEqual(names, [`comon-cli-${process.platform}-${process.arch}-0.1.0.tgz`, 'comon-0.1.0.tgz']);
  for (const tarball of tarballs) assert.ok(existsSync(tarball), tarball);
  const launcherFiles = execFileSync('tar', ['-tzf', tarballs[1]], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(launcherFiles, ['package/LICENSE', 'package/README.md', 'package/bin/comon', 'package/lib/platform.js', 'package/package.json']);
  const binaryFiles = execFileSync('tar', ['-tzf', tarballs[0]], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(binaryFiles, ['package/LICENSE', 'package/README.md', `package/bin/${platform.binaryName()}`, 'package/package.json']);
});

test('npx comon migrate dev works in a JS project installed from the packed tarballs (SQLite)', () => {
  const project = projectWith('app', tarballs);
  assert.deepEqual(readdirSync(join(project, 'node_modules', '@comon')), [`cli-${process.platform}-${process.arch}`]);

  const dev = comon(project, ['migrate', 'dev', '--name', 'init']);
  assert.equal(dev.code, 0, dev.stderr);
  assert.match(dev.stdout, /Migration draft written: prisma\/migrations\/\d{14}_init/);
  assert.match(dev.stdout, /Your database is now in sync with your schema\./);
  assert.ok(existsSync(join(project, 'prisma', 'dev.db')), 'the SQLite file sits beside the schema');

  const status = comon(project, ['migrate', 'status', '--json']);
  assert.equal(status.code, 0, status.stderr);
  const document = JSON.parse(status.stdout);
  assert.equal(document.activeMigrationCount, 1);
  assert.deepEqual(document.issues, []);

  // The launcher passes the binary's exit code and streams through: 64 for a usage error.
  const usage = comon(project, ['migrate', 'resolve']);
  assert.equal(usage.code, 64);
  assert.match(usage.stderr, /error\[usage\]: Pass exactly one of --applied/);
});

test('without the platform package, the launcher says which package to install; COMON_BINARY_PATH runs another binary', () => {
  const project = projectWith('no-binary', [tarballs[1]], ['--omit=optional']);
  const missing = comon(project, ['--version']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`error\\[binary-not-installed\\]: The package @comon/cli-${process.platform}-${process.arch}`));
  assert.match(missing.stderr, /--omit=optional/);

  const binary = join(repositoryDirectory, 'target', 'debug', platform.binaryName());
  const other = comon(project, ['--version'], { COMON_BINARY_PATH: binary });
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stdout, /^comon \d+\.\d+\.\d+/);
});

test('one optional dependency per platform the launcher knows, at the package’s own version', () => {
  const manifest = JSON.parse(readFileSync(join(packageDirectory, 'cli', 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.optionalDependencies).sort(), Object.values(platform.PLATFORM_PACKAGES).sort());
  for (const version of Object.values(manifest.optionalDependencies)) assert.equal(version, manifest.version);
  assert.equal(platform.platformPackage('linux', 'x64'), '@comon/cli-linux-x64');
  assert.equal(platform.platformPackage('darwin', 'arm64'), '@comon/cli-darwin-arm64');
  assert.equal(platform.platformPackage('aix', 'ppc64'), undefined);
  assert.equal(platform.binaryName('win32'), 'comon.exe');
});

test('every package.json says where the project lives: repository, homepage, bugs', () => {
  const manifests = [join(packageDirectory, 'package.json'), join(packageDirectory, 'cli', 'package.json')];
  const platformManifest = join(workDirectory, 'packages', `cli-${process.platform}-${process.arch}`, 'package.json');
  manifests.push(platformManifest);
  for (const path of manifests) {
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    assert.match(manifest.repository?.url ?? '', /^git\+https:\/\/github\.com\//, `${path}: repository`);
    assert.match(manifest.homepage ?? '', /^https:\/\//, `${path}: homepage`);
    assert.match(manifest.bugs?.url ?? '', /^https:\/\/.*\/issues$/, `${path}: bugs`);
    assert.equal(manifest.license, 'MIT', `${path}: license`);
  }
});
