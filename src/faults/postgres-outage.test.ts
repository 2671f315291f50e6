import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../test-support/databases.js';
import { proxyDatabase, type TcpProxy } from '../test-support/tcp-proxy.js';
import { OrderLoad } from './order-load.js';
import {
  createApiStore,
  httpGet,
  sleep,
  startServer,
  waitFor,
  waymarkEnv,
  type WaymarkProcess,
} from './waymark-process.js';

/**
 * PostgreSQL goes away for five seconds under load and comes back; Waymark
 * must get through it on its own. A TCP proxy stands in for the database
 * server (the shared test cluster cannot be restarted): cutting it breaks
 * every pooled connection and refuses new ones, as a restart does.
 * `waymark start` (HTTP and workers in one process) runs from dist/.
 */

const OUTAGE_MS = 5_000;

describe.skipIf(!POSTGRES_URL)('PostgreSQL restarted mid-run [postgres]', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: WaymarkProcess;
  let baseUrl: string;
  let apiKey: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { migrate: false });
    let url: string;
    ({ proxy, url } = await proxyDatabase(database.url));
    const env = waymarkEnv(url, {
      WAYMARK_POLL_INTERVAL_MS: '200',
      WAYMARK_LEASE_MS: '5000',
      WAYMARK_SANDBOX_STEP_SECONDS: '1',
    });
    // `start` migrates the empty database itself.
    ({ process: server, baseUrl } = await startServer('start', env, ['--no-demo']));
    ({ key: apiKey } = await createApiStore(env, 'Outage Shop'));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.stop();
    await database?.drop();
  });

  it('answers 503 during the outage, becomes ready again by itself, and loses nothing it acknowledged', async () => {
    const load = new OrderLoad({ baseUrl, apiKey, prefix: 'pg-outage', concurrency: 3, pauseMs: 200 });
    load.start();
    try {
      await waitFor(
        'orders acknowledged before the outage',
        () => (load.acknowledged().length >= 20 ? true : undefined),
        30_000,
      );
      expect((await httpGet(`${baseUrl}/readyz`)).status).toBe(200);

      const cutAt = Date.now();
      await proxy.cut();
      const notReady = await waitFor(
        '/readyz to answer 503 while the database is away',
        async () => {
          const readiness = await httpGet(`${baseUrl}/readyz`);
          return readiness.status === 503 ? readiness : undefined;
        },
        15_000,
      );
      expect(JSON.parse(notReady.body)).toMatchObject({ status: 'not_ready', error: { code: 'not_ready' } });
      await sleep(Math.max(0, cutAt + OUTAGE_MS - Date.now()));
      const restoredAt = Date.now();
      await proxy.restore();

      await waitFor(
        '/readyz to answer 200 again without a restart',
        async () => ((await httpGet(`${baseUrl}/readyz`)).status === 200 ? true : undefined),
        30_000,
      );
      await waitFor(
        'orders acknowledged after the outage',
        () => (load.countAcknowledgedSince(restoredAt) >= 20 ? true : undefined),
        30_000,
      );
      await load.stop();

      expect(server.hasExited, server.describe()).toBe(false);

      // Every answer was a 2xx or a clean 503: no 500, no hang, no dropped connection.
      const byOutcome = new Map<string, number>();
      for (const attempt of load.attempts) {
        const key =
          attempt.status === null ? `no answer: ${attempt.failure}` : `${attempt.status} ${attempt.errorCode ?? ''}`;
        byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
      }
      const unexpected = [...byOutcome.keys()].filter((k) => !/^20[01] $/.test(k) && k !== '503 not_ready');
      expect(unexpected, JSON.stringify(Object.fromEntries(byOutcome))).toEqual([]);
      const refusedDuringOutage = load.attempts.filter(
        (a) => a.status === 503 && a.startedAt >= cutAt && a.startedAt < restoredAt,
      );
      expect(refusedDuringOutage.length).toBeGreaterThan(0);
      // Refusals were quick: the pool fails fast on a refused connection instead of queueing requests.
      const slowest = Math.max(...refusedDuringOutage.map((a) => a.endedAt - a.startedAt));
      expect(slowest).toBeLessThan(10_000);

      // Nothing acknowledged is lost: every 2xx order is stored with its parcel.
      const acknowledged = load.acknowledged();
      const stored = await database.db
        .selectFrom('sales_order')
        .innerJoin('shipment', 'shipment.order_id', 'sales_order.id')
        .select(['sales_order.external_id', 'shipment.tracking_number'])
        .where('sales_order.external_id', 'like', 'pg-outage-%')
        .execute();
      const storedIds = new Set(stored.map((row) => row.external_id));
      expect(acknowledged.filter((a) => !storedIds.has(a.externalId)).map((a) => a.externalId)).toEqual([]);

      // The workers came back too: every acknowledged parcel gets polled and moves.
      await waitFor(
        'every acknowledged parcel to have tracking events',
        async () => {
          const row = await sql<{ waiting: number }>`
            select count(*)::int as waiting from shipment s
            where s.tracking_number like 'SBX1%'
              and not exists (select 1 from tracking_event e where e.shipment_id = s.id)`.execute(database.db);
          return row.rows[0]?.waiting === 0 ? true : undefined;
        },
        60_000,
        500,
      );
      expect(server.hasExited, server.describe()).toBe(false);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${server.describe()}`, { cause: error });
    } finally {
      await load.stop();
    }
  }, 180_000);
});
