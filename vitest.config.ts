import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import viteConfig from './vite.config.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/chromium.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'node',
            include: ['test/unit/**/*.test.ts', 'test/malformed/**/*.test.ts'],
            exclude: ['**/*.svelte.test.ts'],
            testTimeout: 60_000,
          },
        },
        {
          extends: true,
          resolve: { conditions: ['browser'] },
          test: { name: 'runes', environment: './test/node-client-env.ts', include: ['test/unit/**/*.svelte.test.ts'] },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            testTimeout: 60_000,
            browser: {
              enabled: true,
              headless: true,
              instances: [{ browser: 'chromium' }],
              provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
            },
          },
        },
      ],
    },
  }),
);
