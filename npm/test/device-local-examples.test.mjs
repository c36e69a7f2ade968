// The device-local example apps in Rust (device-local/examples/device_local_app.rs) and JS
// (examples/device-local-app.mjs) tell the same story through the two implementations, and
// must print the same lines: same steps, same error message, same cache fingerprints.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageDirectory, repositoryDirectory } from './support/paths.mjs';

test('the Rust and JS device-local examples print the same lines', () => {
  const rust = execFileSync('cargo', ['run', '--quiet', '-p', 'comon-device-local', '--example', 'device_local_app'], {
    cwd: repositoryDirectory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const js = execFileSync(process.execPath, [join(packageDirectory, 'examples', 'device-local-app.mjs')], {
    cwd: packageDirectory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  assert.match(js, /release 1 again: refused \[local-database-newer-than-app\] Local database version 4 is newer than app version 1\./);
  assert.equal(js, rust);
});
