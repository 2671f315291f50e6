import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildCarrierRegistry } from '../cli/carriers.js';
import { parseConfig } from '../config/config.js';
import { systemClock } from '../core/ports/clock.port.js';
import { buildWorkers } from '../jobs/build-workers.js';
import type { Worker } from '../jobs/worker-loop.js';
import {
  createTestStorage,
  orderFields,
  seedStore,
  shipmentFields,
  type TestStorage,
} from '../test-support/factories.js';
import { CarrierHealth, FAKE_CREDENTIALS, FakeFedexApi, FakeUpsApi } from './carrier-fakes.js';
import { sleep, waitFor } from './waymark-process.js';

/**
 * The long version of carrier-outage.test.ts, in real time and with the
 * production wiring (the composition root's carrier registry: default
 * timeouts, circuit breakers and the rate budget shared through the
 * database): UPS is down for three minutes — a minute of 5xx and dropped
 * connections, a minute of 429s, a minute of answers slower than the 10 s
 * timeout — while FedEx parcels keep coming due. FedEx must be refreshed
 * promptly throughout, UPS must be asked a bounded number of times, and every
 * UPS parcel must be refreshed once UPS is back.
 */

const UPS_SHIPMENTS = 200;
const FEDEX_SHIPMENTS = 40;
const PHASE_MS = 60_000;

describe('UPS down for three minutes, FedEx healthy [soak]', () => {
  let t: TestStorage;
  let ups: FakeUpsApi;
  let fedex: FakeFedexApi;
  let worker: Worker;
  let storeId: string;
  const upsNumbers = Array.from({ length: UPS_SHIPMENTS }, (_, i) => `1ZSOAK${String(i).padStart(12, '0')}`);
  const fedexNumbers = Array.from({ length: FEDEX_SHIPMENTS }, (_, i) => `7947${String(i).padStart(8, '0')}`);

  beforeAll(async () => {
    t = await createTestStorage('sqlite');
    ups = await new FakeUpsApi().start();
    ups.knows(upsNumbers);
    ups.retryAfterSeconds = 20;
    ups.slowAnswerMs = 12_000;
    fedex = await new FakeFedexApi().start();
    const config = parseConfig({
      DATABASE_URL: t.database.url,
      WAYMARK_UPS_CLIENT_ID: FAKE_CREDENTIALS.clientId,
      WAYMARK_UPS_CLIENT_SECRET: FAKE_CREDENTIALS.clientSecret,
      WAYMARK_UPS_BASE_URL: ups.url,
      WAYMARK_FEDEX_CLIENT_ID: FAKE_CREDENTIALS.clientId,
      WAYMARK_FEDEX_CLIENT_SECRET: FAKE_CREDENTIALS.clientSecret,
      WAYMARK_FEDEX_BASE_URL: fedex.url,
      // Enough budget that UPS pacing is not what the test measures.
      WAYMARK_UPS_RATE_PER_SECOND: '50',
    });
    const logger = pino({ level: 'silent' });
    const carriers = buildCarrierRegistry(config, logger, t.storage.repositories.rateBudget);

    const store = await seedStore(t.storage);
    storeId = store.id;
    const order = await t.storage.repositories.orders.insertOrder(store.id, orderFields(), systemClock.now());
    for (const [carrier, numbers] of [
      ['ups', upsNumbers],
      ['fedex', fedexNumbers],
    ] as const) {
      for (const trackingNumber of numbers) {
        await t.storage.repositories.shipments.insertShipment(
          store.id,
          shipmentFields(order.id, trackingNumber, {
            carrier,
            shippedAt: systemClock.now(),
            // FedEx parcels are made due by the probe below; UPS ones are due from the start.
            nextCheckAt: carrier === 'ups' ? systemClock.now() : null,
          }),
          systemClock.now(),
        );
      }
    }
    [, worker] = buildWorkers({
      uow: t.storage,
      clock: systemClock,
      logger,
      queues: { inbox: t.storage.claimer('inbound_webhook'), shipments: t.storage.claimer('shipment') },
      processors: new Map(),
      carriers,
      settings: { batchSize: 50, leaseMs: 120_000, pollIntervalMs: 200, maxAttempts: 10 },
    }) as [Worker, Worker];
  });

  afterAll(async () => {
    await worker?.stop();
    await ups?.server.stop();
    await fedex?.server.stop();
    await t?.drop();
  });

  it('keeps FedEx prompt, bounds the calls to UPS, and refreshes every UPS parcel once UPS is back', async () => {
    // Every two seconds a few FedEx parcels come due; how long until FedEx is asked about each is the lateness.
    const dueSince = new Map<string, number>();
    const lateness: number[] = [];
    let probing = true;
    let probeIndex = 0;
    const probe = (async () => {
      while (probing) {
        for (let i = 0; i < 3; i += 1) {
          const number = fedexNumbers[probeIndex % FEDEX_SHIPMENTS]!;
          probeIndex += 1;
          if (dueSince.has(number)) continue;
          dueSince.set(number, Date.now());
          await t.storage.db
            .updateTable('shipment')
            .set({ next_check_at: systemClock.now() })
            .where('store_id', '=', storeId)
            .where('tracking_number', '=', number)
            .where('lease_owner', 'is', null)
            .execute();
        }
        await sleep(2_000);
      }
    })();
    let fedexSeen = 0;
    const collectLateness = (): void => {
      for (const call of fedex.trackLog.slice(fedexSeen)) {
        for (const number of call.numbers) {
          const since = dueSince.get(number);
          if (since === undefined) continue;
          lateness.push(call.at - since);
          dueSince.delete(number);
        }
      }
      fedexSeen = fedex.trackLog.length;
    };

    const outageStartedAt = Date.now();
    worker.start();
    const upsCallsPerPhase: Record<string, number> = {};
    for (const health of [CarrierHealth.Unavailable, CarrierHealth.RateLimited, CarrierHealth.TimingOut]) {
      ups.health = health;
      const before = ups.server.requests.length;
      const phaseEnd = Date.now() + PHASE_MS;
      while (Date.now() < phaseEnd) {
        await sleep(1_000);
        collectLateness();
      }
      upsCallsPerPhase[health] = ups.server.requests.length - before;
    }
    ups.health = CarrierHealth.Healthy;
    const outageMs = Date.now() - outageStartedAt;
    const claimsDuringOutage = await t.storage.db
      .selectFrom('shipment')
      .select((eb) => eb.fn.sum<number>('attempts').as('claims'))
      .where('carrier', '=', 'ups')
      .executeTakeFirstOrThrow();

    await waitFor(
      'every UPS parcel refreshed after the outage',
      async () => {
        collectLateness();
        const waiting = await t.storage.db
          .selectFrom('shipment')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('carrier', '=', 'ups')
          .where('status', '!=', 'delivered')
          .executeTakeFirstOrThrow();
        return Number(waiting.n) === 0 ? true : undefined;
      },
      10 * 60_000,
      1_000,
    );
    probing = false;
    await probe;
    collectLateness();

    const sorted = [...lateness].sort((a, b) => a - b);
    const report = JSON.stringify({
      outageMs,
      upsCallsPerPhase,
      upsClaimsDuringOutage: Number(claimsDuringOutage.claims),
      fedexProbes: sorted.length,
      fedexLatenessMs: {
        p50: sorted[Math.floor(sorted.length / 2)],
        p95: sorted[Math.floor(sorted.length * 0.95)],
        max: sorted.at(-1),
      },
    });
    process.stdout.write(`[carrier outage soak] ${report}\n`);

    // FedEx kept being refreshed throughout: most within a poll or two, none held up longer than
    // a few UPS timeouts in a row (the ones it takes to open the circuit).
    expect(sorted.length, report).toBeGreaterThan(100);
    expect(sorted[Math.floor(sorted.length / 2)]!, report).toBeLessThan(5_000);
    expect(sorted.at(-1)!, report).toBeLessThan(90_000);
    // UPS was asked a bounded number of times — not once per parcel per retry (200 × several).
    const upsCalls = Object.values(upsCallsPerPhase).reduce((sum, n) => sum + n, 0);
    expect(upsCalls, report).toBeLessThan(60);
    // No hot loop: each UPS parcel was claimed a handful of times in three minutes, with backoff.
    expect(Number(claimsDuringOutage.claims), report).toBeLessThan(UPS_SHIPMENTS * 7);
  });
});
