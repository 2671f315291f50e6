import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Minutes-long fault runs: `npm run test:soak` (vitest.soak.config.ts).
    exclude: [...configDefaults.exclude, 'src/**/*.soak.test.ts'],
    globalSetup: ['src/test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    allowOnly: false,
  },
});
