// npm test needs a real Chromium for the browser and end-to-end layers; say how to get one if it is missing.
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(
    `predlens tests need Chromium at ${path} (or set CHROMIUM_PATH).\n` +
      `On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n` +
      `Playwright's own browser download is not used.`,
  );
  process.exit(1);
}
