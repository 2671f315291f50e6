import { defineConfig } from 'vitest/config';

/**
 * The long fault runs (`npm run test:soak`): minutes of carrier outage,
 * repeated PostgreSQL outages under load, worker kills during a status
 * storm. One file at a time, so they do not compete for the machine.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.soak.test.ts'],
    globalSetup: ['src/test-support/global-setup.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    allowOnly: false,
  },
});
