// The package as npm installs it: `npm pack` of this folder, installed from the tarball into a
// fresh project in a temporary folder (no registry: the package has no dependencies).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageDirectory } from './paths.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A temporary project with comon-migrate installed from its packed tarball; returns its folder. */
export function projectWithPackedPackage(prefix, manifest = {}) {
  const workDirectory = mkdtempSync(join(tmpdir(), prefix));
  execFileSync(npm, ['pack', '--silent', '--pack-destination', workDirectory], { cwd: packageDirectory, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(workDirectory).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${workDirectory}`);
  const projectDirectory = join(workDirectory, 'app');
  execFileSync('mkdir', ['-p', projectDirectory]);
  writeFileSync(join(projectDirectory, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, ...manifest }, null, 2));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--silent', join(workDirectory, tarball)], {
    cwd: projectDirectory,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { workDirectory, projectDirectory };
}
