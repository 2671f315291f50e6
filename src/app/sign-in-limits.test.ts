import { afterAll, beforeAll, expect, it } from 'vitest';

import { Storage } from '../storage/storage.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, ManualClock, type TestStorage } from '../test-support/factories.js';
import { takeSignInAttempt, type SignInLimits } from './sign-in-limits.js';

const LIMITS: SignInLimits = { perIp: 5, perEmail: 3, windowMs: 60_000 };

describeEachDatabase('sign-in limits', (dialect) => {
  let t: TestStorage;
  // A second server process: its own connection to the same database.
  let other: Storage;

  beforeAll(async () => {
    t = await createTestStorage(dialect);
    other = Storage.open(t.database.url, t.secretBox);
  });
  afterAll(async () => {
    await other.close();
    await t.drop();
  });

  it('should count one account across server processes, however its email is typed', async () => {
    const clock = new ManualClock('2026-11-26T12:00:10.000Z');
    const processes = [t.storage, other].map((storage) => ({ attempts: storage.repositories.rateBudget, clock }));
    const emails = ['ada@example.com', ' Ada@Example.com', 'ADA@example.com ', 'ada@example.com'];

    const outcomes = [];
    for (const [index, email] of emails.entries())
      outcomes.push(await takeSignInAttempt(processes[index % 2]!, LIMITS, { client: `10.0.0.${index}`, email }));
    clock.advance(60_000);
    const nextWindow = await takeSignInAttempt(processes[1]!, LIMITS, { client: '10.0.0.9', email: 'ada@example.com' });

    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, false]);
    // The window started at 12:00:00; the fourth attempt came 10 s into it.
    expect(outcomes[3]).toEqual({ allowed: false, exceeded: 'account', retryAfterSeconds: 50 });
    expect(nextWindow).toEqual({ allowed: true });
  });

  it('should count one client address across server processes and accounts', async () => {
    const clock = new ManualClock('2026-11-26T13:00:00.000Z');
    const processes = [t.storage, other].map((storage) => ({ attempts: storage.repositories.rateBudget, clock }));

    const outcomes = [];
    for (let index = 0; index < 6; index += 1)
      outcomes.push(
        await takeSignInAttempt(processes[index % 2]!, LIMITS, { client: '192.0.2.7', email: `u${index}@example.com` }),
      );
    const elsewhere = await takeSignInAttempt(processes[0]!, LIMITS, { client: '192.0.2.8', email: 'u9@example.com' });

    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, true, true, false]);
    expect(outcomes[5]).toMatchObject({ allowed: false, exceeded: 'client' });
    expect(elsewhere).toEqual({ allowed: true });
  });

  it('should let only the allowed number through when attempts arrive at once', async () => {
    const clock = new ManualClock('2026-11-26T14:00:00.000Z');
    const processes = [t.storage, other].map((storage) => ({ attempts: storage.repositories.rateBudget, clock }));

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        takeSignInAttempt(processes[index % 2]!, LIMITS, { client: `198.51.100.${index}`, email: 'burst@example.com' }),
      ),
    );

    expect(outcomes.filter((o) => o.allowed)).toHaveLength(LIMITS.perEmail);
  });
});
