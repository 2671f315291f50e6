import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { DomainError } from '../core/errors.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, ManualClock, seedStore, type TestStorage } from '../test-support/factories.js';
import { WorkerLoop } from './worker-loop.js';

type InboxRow = { id: string; attempts: number; provider_event_id: string | null };

describeEachDatabase('WorkerLoop', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  const logger = pino({ level: 'silent' });

  async function seed(count: number): Promise<string[]> {
    const store = await seedStore(t.storage);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const { id } = await t.storage.repositories.inbox.acceptWebhook(
        { storeId: store.id, source: 'test', topic: null, providerEventId: `e${i}`, headers: {}, rawBody: '{}' },
        clock.now(),
      );
      ids.push(id);
    }
    return ids;
  }

  function loop(handle: (row: InboxRow) => Promise<Record<string, unknown>>, maxAttempts = 3): WorkerLoop<InboxRow> {
    return new WorkerLoop<InboxRow>({
      queue: t.storage.claimer('inbound_webhook'),
      handle,
      clock,
      logger,
      batchSize: 10,
      leaseMs: 60_000,
      pollIntervalMs: 10,
      maxAttempts,
      backoff: { baseMs: 1000, maxMs: 10_000 },
      deadChanges: { state: 'dead' },
    });
  }

  const done = () => Promise.resolve({ next_attempt_at: null, state: 'processed' });

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock();
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should work every due row once and leave none due', async () => {
    await seed(25);
    const seen: string[] = [];
    const sut = loop(async (row) => {
      seen.push(row.id);
      return done();
    });

    while ((await sut.runOnce()) > 0);

    expect(new Set(seen).size).toBe(25);
    expect(await t.storage.claimer('inbound_webhook').countDue(clock.now())).toBe(0);
  });

  it('should retry a failing row after a backoff and park it as dead after the last attempt', async () => {
    const [id] = await seed(1);
    const sut = loop(() => Promise.reject(new Error('upstream 503')), 2);

    await sut.runOnce();
    const afterFirst = await t.storage.repositories.inbox.findWebhook(id!);
    clock.advance(60_000);
    await sut.runOnce();
    const afterSecond = await t.storage.repositories.inbox.findWebhook(id!);

    expect(afterFirst).toMatchObject({ state: 'pending', attempts: 1, last_error: 'upstream 503', lease_owner: null });
    expect(Date.parse(afterFirst!.next_attempt_at!)).toBeGreaterThan(Date.parse('2026-11-26T12:00:00.000Z'));
    expect(afterSecond).toMatchObject({ state: 'dead', next_attempt_at: null, last_error: 'upstream 503' });
  });

  it('should park a row at once when the failure is permanent', async () => {
    const [id] = await seed(1);
    const sut = loop(
      () => Promise.reject(new DomainError('invalid_input', 'no processor for webhook source "test"')),
      10,
    );

    await sut.runOnce();

    expect(await t.storage.repositories.inbox.findWebhook(id!)).toMatchObject({
      state: 'dead',
      attempts: 1,
      last_error: 'no processor for webhook source "test"',
    });
  });

  it('should finish the row in hand and give the rest of its batch back when stopped', async () => {
    await seed(5);
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (release = resolve));
    let finishedInFlight = false;
    const sut = loop(async () => {
      release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      finishedInFlight = true;
      return done();
    });

    sut.start();
    await started;
    await sut.stop();
    const rows = await t.database.db.selectFrom('inbound_webhook').selectAll().execute();

    expect(finishedInFlight).toBe(true);
    expect(rows.filter((r) => r.state === 'processed')).toHaveLength(1);
    expect(
      rows
        .filter((r) => r.state === 'pending')
        .every((r) => r.lease_owner === null && r.next_attempt_at !== null && r.attempts === 0),
    ).toBe(true);
    expect(await t.storage.claimer('inbound_webhook').countDue(clock.now())).toBe(4);
  });
});
