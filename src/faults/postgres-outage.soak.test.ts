import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../test-support/databases.js';
import { proxyDatabase, type TcpProxy } from '../test-support/tcp-proxy.js';
import { OrderLoad } from './order-load.js';
import {
  createApiStore,
  httpGet,
  runCliJson,
  sleep,
  startServer,
  waitFor,
  waymarkEnv,
  WaymarkProcess,
} from './waymark-process.js';

/**
 * The long version of postgres-outage.test.ts, in the scale-out layout: one
 * `waymark serve` and two `waymark worker` processes over PostgreSQL (through
 * a TCP proxy that stands in for the server), steady API traffic, and the
 * database taken away again and again for two to eight seconds over five
 * minutes. Nobody restarts anything; after each outage the server must be
 * ready again, and at the end nothing acknowledged may be missing and every
 * parcel must have been polled.
 */

const RUN_MS = 5 * 60_000;

describe.skipIf(!POSTGRES_URL)('PostgreSQL going away again and again under load [postgres, soak]', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: WaymarkProcess;
  const workers: WaymarkProcess[] = [];
  let baseUrl: string;
  let apiKey: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { migrate: false });
    let url: string;
    ({ proxy, url } = await proxyDatabase(database.url));
    const env = waymarkEnv(url, {
      WAYMARK_POLL_INTERVAL_MS: '200',
      WAYMARK_LEASE_MS: '5000',
      WAYMARK_SANDBOX_STEP_SECONDS: '2',
    });
    // The scale-out layout: migrations are an operator's step before `serve` and `worker` start.
    await runCliJson(['migrate'], env);
    ({ process: server, baseUrl } = await startServer('serve', env));
    for (let i = 0; i < 2; i += 1) workers.push(new WaymarkProcess(['worker'], env));
    ({ key: apiKey } = await createApiStore(env, 'Soak Shop'));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), ...workers.map((w) => w.stop())]);
    await proxy?.stop();
    await database?.drop();
  });

  it('recovers from every outage by itself and loses nothing it acknowledged', async () => {
    const load = new OrderLoad({ baseUrl, apiKey, prefix: 'pg-soak', concurrency: 3, pauseMs: 200 });
    load.start();
    const outages: { cutAt: number; restoredAt: number; sawNotReady: boolean; readyAgainMs: number }[] = [];
    try {
      const endAt = Date.now() + RUN_MS;
      while (Date.now() < endAt) {
        await sleep(20_000 + Math.random() * 20_000);
        const outageMs = 2_000 + Math.random() * 6_000;
        const cutAt = Date.now();
        await proxy.cut();
        let sawNotReady = false;
        while (Date.now() < cutAt + outageMs) {
          const readiness = await httpGet(`${baseUrl}/readyz`).catch(() => null);
          if (readiness?.status === 503) sawNotReady = true;
          await sleep(250);
        }
        await proxy.restore();
        const restoredAt = Date.now();
        await waitFor(
          `/readyz 200 after outage ${outages.length + 1}`,
          async () => ((await httpGet(`${baseUrl}/readyz`)).status === 200 ? true : undefined),
          30_000,
        );
        outages.push({ cutAt, restoredAt, sawNotReady, readyAgainMs: Date.now() - restoredAt });
        for (const process of [server, ...workers]) expect(process.hasExited, process.describe()).toBe(false);
      }
      await waitFor(
        'orders acknowledged after the last outage',
        () => (load.countAcknowledgedSince(outages.at(-1)!.restoredAt) >= 20 ? true : undefined),
        60_000,
      );
    } finally {
      await load.stop();
    }

    const byOutcome = new Map<string, number>();
    for (const attempt of load.attempts) {
      const key =
        attempt.status === null ? `no answer: ${attempt.failure}` : `${attempt.status} ${attempt.errorCode ?? ''}`;
      byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
    }
    const report = JSON.stringify({ outcomes: Object.fromEntries(byOutcome), outages });
    process.stdout.write(`[postgres outage soak] ${report}\n`);

    expect(outages.length, report).toBeGreaterThanOrEqual(5);
    expect(
      outages.every((outage) => outage.sawNotReady),
      report,
    ).toBe(true);
    expect(
      [...byOutcome.keys()].filter((k) => !/^20[01] $/.test(k) && k !== '503 not_ready'),
      report,
    ).toEqual([]);
    for (const process of [server, ...workers]) expect(process.hasExited, process.describe()).toBe(false);

    const acknowledged = load.acknowledged();
    const stored = await database.db
      .selectFrom('sales_order')
      .innerJoin('shipment', 'shipment.order_id', 'sales_order.id')
      .select('sales_order.external_id')
      .where('sales_order.external_id', 'like', 'pg-soak-%')
      .execute();
    const storedIds = new Set(stored.map((row) => row.external_id));
    expect(
      acknowledged.filter((a) => !storedIds.has(a.externalId)).map((a) => a.externalId),
      report,
    ).toEqual([]);

    await waitFor(
      'every parcel polled at least once',
      async () => {
        const row = await sql<{ waiting: number }>`
          select count(*)::int as waiting from shipment s
          where not exists (select 1 from tracking_event e where e.shipment_id = s.id)`.execute(database.db);
        return row.rows[0]?.waiting === 0 ? true : undefined;
      },
      120_000,
      1_000,
    );
  });
});
