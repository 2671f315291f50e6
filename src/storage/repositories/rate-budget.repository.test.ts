import { afterEach, beforeEach, expect, it } from 'vitest';

import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../test-support/databases.js';
import { RateBudgetRepository } from './rate-budget.repository.js';

describeEachDatabase('RateBudgetRepository', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await database.drop();
  });

  it('should count calls per key and window atomically and prune ended windows', async () => {
    const budget = new RateBudgetRepository(database.db);
    const w1 = '2026-11-26T12:00:00.000Z';
    const w2 = '2026-11-26T12:00:01.000Z';

    const counts = await Promise.all(Array.from({ length: 5 }, () => budget.take('ups:a', w1)));
    const other = await budget.take('ups:b', w1);
    const next = await budget.take('ups:a', w2);
    const pruned = await budget.prune(w2);

    expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(other).toBe(1);
    expect(next).toBe(1);
    expect(pruned).toBe(2);
  });

  it('should report the count of a window without adding to it', async () => {
    const budget = new RateBudgetRepository(database.db);
    const w1 = '2026-11-26T12:00:00.000Z';

    expect(await budget.count('lookup:client:1.2.3.4', w1)).toBe(0);
    await budget.take('lookup:client:1.2.3.4', w1);
    await budget.take('lookup:client:1.2.3.4', w1);

    expect(await budget.count('lookup:client:1.2.3.4', w1)).toBe(2);
    expect(await budget.count('lookup:client:1.2.3.4', w1)).toBe(2);
    expect(await budget.count('lookup:client:5.6.7.8', w1)).toBe(0);
  });
});
