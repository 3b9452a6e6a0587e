import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/chromium.ts';
import { E2E_PORT, SUBPATH_PORT } from './test/ports.ts';

export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}/`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: [
    {
      command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${E2E_PORT} --strictPort`,
      url: `http://127.0.0.1:${E2E_PORT}/`,
      reuseExistingServer: false,
    },
    {
      // dist/ under a sub-path of a plain static server: proves the build needs no particular host.
      command: `rm -rf .subpath && mkdir -p .subpath/app/v1 && cp -r dist/. .subpath/app/v1/ && python3 -m http.server ${SUBPATH_PORT} --bind 127.0.0.1 --directory .subpath`,
      url: `http://127.0.0.1:${SUBPATH_PORT}/app/v1/`,
      reuseExistingServer: false,
      // http.server logs every request on stderr; the tests check requests themselves.
      stderr: 'ignore',
    },
  ],
});
