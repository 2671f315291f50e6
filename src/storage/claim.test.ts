import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { addMs } from '../core/scheduling/backoff.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../test-support/databases.js';
import { WorkClaimer } from './claim.js';
import { openDatabase } from './create-database.js';
import { newId } from './ids.js';

const T0 = '2026-11-26T10:00:00.000Z';

async function seedInbox(database: TestDatabase, count: number, dueAt: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, i) => {
      const id = newId();
      ids.push(id);
      return {
        id,
        store_id: null,
        source: 'test',
        topic: 'test',
        provider_event_id: `e${start + i}`,
        dedupe_key: `test:-:${id}`,
        headers: '{}',
        raw_body: '{}',
        received_at: dueAt,
        next_attempt_at: dueAt,
        processed_at: null,
        state: 'pending',
        lease_owner: null,
        lease_until: null,
        last_error: null,
      };
    });
    await database.db.insertInto('inbound_webhook').values(rows).execute();
  }
  return ids;
}

describeEachDatabase('WorkClaimer', (dialect) => {
  let database: TestDatabase;
  let claimer: WorkClaimer<'inbound_webhook'>;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    claimer = new WorkClaimer(database.db, database.dialect, 'inbound_webhook');
  });
  afterEach(async () => {
    await database.drop();
  });

  it('should claim only due rows, oldest first, up to the limit', async () => {
    await seedInbox(database, 3, T0);
    const [later] = await seedInbox(database, 1, addMs(T0, 60_000));

    const claimed = await claimer.claim({ owner: 'w1', limit: 2, leaseMs: 30_000, now: addMs(T0, 1000) });
    const rest = await claimer.claim({ owner: 'w2', limit: 10, leaseMs: 30_000, now: addMs(T0, 1000) });

    expect(claimed).toHaveLength(2);
    expect(rest).toHaveLength(1);
    expect([...claimed, ...rest].map((r) => r.id)).not.toContain(later);
    expect(claimed.every((r) => r.lease_owner === 'w1' && r.attempts === 1)).toBe(true);
  });

  it('should not let another claimer take a leased row until the lease expires', async () => {
    await seedInbox(database, 1, T0);

    const first = await claimer.claim({ owner: 'w1', limit: 10, leaseMs: 30_000, now: T0 });
    const during = await claimer.claim({ owner: 'w2', limit: 10, leaseMs: 30_000, now: addMs(T0, 29_000) });
    const after = await claimer.claim({ owner: 'w2', limit: 10, leaseMs: 30_000, now: addMs(T0, 30_001) });

    expect(first).toHaveLength(1);
    expect(during).toHaveLength(0);
    expect(after.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(after[0]?.attempts).toBe(2);
  });

  it('should refuse a completion from a worker whose lease was taken over', async () => {
    await seedInbox(database, 1, T0);
    const [row] = await claimer.claim({ owner: 'slow', limit: 1, leaseMs: 1000, now: T0 });
    await claimer.claim({ owner: 'fast', limit: 1, leaseMs: 1000, now: addMs(T0, 2000) });

    const slowWrote = await claimer.complete(row!.id, 'slow', { next_attempt_at: null, state: 'processed' });
    const fastWrote = await claimer.complete(row!.id, 'fast', { next_attempt_at: null, state: 'processed' });

    expect(slowWrote).toBe(false);
    expect(fastWrote).toBe(true);
  });

  it('should retry with growing backoff and park the row as dead with its last error after the last attempt', async () => {
    await seedInbox(database, 1, T0);
    const options = {
      maxAttempts: 3,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      random: () => 0.5,
      deadChanges: { state: 'dead' },
    };
    let now = T0;
    const outcomes: string[] = [];
    const delays: number[] = [];

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [row] = await claimer.claim({ owner: 'w', limit: 1, leaseMs: 10_000, now });
      expect(row?.attempts).toBe(attempt);
      outcomes.push(await claimer.fail(row!.id, 'w', `boom ${attempt}`, { ...options, now }));
      const stored = await database.db.selectFrom('inbound_webhook').selectAll().executeTakeFirstOrThrow();
      if (stored.next_attempt_at) {
        delays.push(Date.parse(stored.next_attempt_at) - Date.parse(now));
        now = stored.next_attempt_at;
      }
    }
    const dead = await database.db.selectFrom('inbound_webhook').selectAll().executeTakeFirstOrThrow();
    const again = await claimer.claim({ owner: 'w', limit: 1, leaseMs: 10_000, now: addMs(now, 86_400_000) });

    expect(outcomes).toEqual(['retry', 'retry', 'dead']);
    expect(delays).toEqual([750, 1500]);
    expect(dead).toMatchObject({ state: 'dead', next_attempt_at: null, last_error: 'boom 3', lease_owner: null });
    expect(again).toHaveLength(0);
  });

  it('should give rows back at once on release without counting an attempt', async () => {
    await seedInbox(database, 2, T0);
    await claimer.claim({ owner: 'stopping', limit: 2, leaseMs: 60_000, now: T0 });

    const released = await claimer.release('stopping', addMs(T0, 10));
    const reclaimed = await claimer.claim({ owner: 'other', limit: 10, leaseMs: 60_000, now: addMs(T0, 10) });

    expect(released).toBe(2);
    expect(reclaimed).toHaveLength(2);
    expect(reclaimed.every((r) => r.attempts === 1)).toBe(true);
  });

  it(
    'should process each of 10,000 due rows exactly once with 4 concurrent claimers',
    { timeout: 120_000 },
    async () => {
      const ids = await seedInbox(database, 10_000, T0);
      // Four independent connections (pools on PostgreSQL, handles on SQLite), as four worker processes would have.
      const workers = Array.from({ length: 4 }, () => openDatabase(database.url, { poolSize: 2 }));
      const processed: string[] = [];
      const perWorker = [0, 0, 0, 0];

      try {
        await Promise.all(
          workers.map(async (worker, index) => {
            const own = new WorkClaimer(worker.db, worker.dialect, 'inbound_webhook');
            const owner = `worker-${index}`;
            for (;;) {
              const rows = await own.claim({ owner, limit: 100, leaseMs: 600_000, now: addMs(T0, 1) });
              if (rows.length === 0) return;
              for (const row of rows) {
                processed.push(row.id);
                perWorker[index]! += 1;
                const ok = await own.complete(row.id, owner, { next_attempt_at: null, state: 'processed' });
                if (!ok) throw new Error(`lost lease on ${row.id}`);
              }
            }
          }),
        );
      } finally {
        await Promise.all(workers.map((w) => w.close()));
      }

      expect(processed).toHaveLength(10_000);
      expect(new Set(processed).size).toBe(10_000);
      expect(new Set(processed)).toEqual(new Set(ids));
      expect(perWorker.filter((n) => n > 0).length).toBeGreaterThan(1);
    },
  );

  it(
    'should hand the rows of a claimer killed mid-lease to another once the lease expires',
    { timeout: 60_000 },
    async () => {
      const ids = await seedInbox(database, 50, addMs(new Date().toISOString(), -1000));
      const leaseMs = 1500;
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('../test-support/claim-and-hang.ts', import.meta.url)),
          database.url,
          'doomed',
          '50',
          String(leaseMs),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const claimedByChild = JSON.parse(line) as string[];
      child.kill('SIGKILL');
      await once(child, 'exit');

      const whileLeased = await claimer.claim({
        owner: 'survivor',
        limit: 100,
        leaseMs: 60_000,
        now: new Date().toISOString(),
      });
      await new Promise((resolve) => setTimeout(resolve, leaseMs + 200));
      const afterExpiry = await claimer.claim({
        owner: 'survivor',
        limit: 100,
        leaseMs: 60_000,
        now: new Date().toISOString(),
      });

      expect(claimedByChild.sort()).toEqual([...ids].sort());
      expect(whileLeased).toHaveLength(0);
      expect(afterExpiry.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(afterExpiry.every((r) => r.attempts === 2)).toBe(true);
    },
  );
});
