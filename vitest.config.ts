import { defineConfig } from 'vitest/config';

// Two projects: fast logic tests in Node, and browser tests that build the site
// once (tests/browser/global-setup.ts) and drive Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/{emulator,site,lab,lessons,oracle}/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/property-seed.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
