import { afterEach, beforeEach, expect, it } from 'vitest';

import { openDatabase, type OpenDatabase } from '../../../storage/create-database.js';
import { RateBudgetRepository } from '../../../storage/repositories/rate-budget.repository.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../../test-support/databases.js';
import { SharedRateLimiter } from './shared-rate-limiter.js';

describeEachDatabase('SharedRateLimiter', (dialect) => {
  let database: TestDatabase;
  const workers: OpenDatabase[] = [];

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await database.drop();
  });

  it('should hold one credential to its rate across three workers with their own connections', async () => {
    let clock = Date.parse('2026-11-26T12:00:00.000Z');
    const now = () => clock;
    const sleep = (ms: number) => {
      clock += ms;
      return Promise.resolve();
    };
    const callsPerSecond = new Map<number, number>();
    const limiters = Array.from({ length: 3 }, () => {
      const worker = openDatabase(database.url, { poolSize: 2 });
      workers.push(worker);
      return new SharedRateLimiter(new RateBudgetRepository(worker.db), {
        key: 'ups:abc',
        ratePerSecond: 5,
        now,
        sleep,
        onGranted: (windowStart) => callsPerSecond.set(windowStart, (callsPerSecond.get(windowStart) ?? 0) + 1),
      });
    });

    await Promise.all(
      limiters.map(async (limiter) => {
        for (let call = 0; call < 10; call += 1) {
          await limiter.acquire();
        }
      }),
    );

    expect([...callsPerSecond.values()].reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...callsPerSecond.values())).toBeLessThanOrEqual(5);
  });

  it('should count budgets below one call a second in longer windows (USPS: 60 an hour)', async () => {
    let clock = Date.parse('2026-11-26T12:00:00.000Z');
    const limiter = new SharedRateLimiter(new RateBudgetRepository(database.db), {
      key: 'usps:x',
      ratePerSecond: 60 / 3600,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    });
    const start = clock;

    for (let call = 0; call < 3; call += 1) await limiter.acquire();

    expect(clock - start).toBeGreaterThanOrEqual(2 * 60_000);
  });

  it('should fall back to local pacing when the database is unreachable', async () => {
    const failing = { take: () => Promise.reject(new Error('connection refused')), prune: () => Promise.resolve(0) };
    const limiter = new SharedRateLimiter(failing, { key: 'dhl:x', ratePerSecond: 100 });

    await expect(limiter.acquire()).resolves.toBeUndefined();
  });
});
