// Debian's Chromium, driven by playwright-core (which downloads no browser of its own), with
// the headless flags measured to work on this project's machines (../shared/docs/engineering.md).
// Playwright gives every launch a fresh temporary profile: it refuses a --user-data-dir argument.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: run scripts/test-playground.sh, or apt-get install -y chromium.`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}
