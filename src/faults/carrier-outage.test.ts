import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createFedexClient } from '../adapters/carriers/fedex/fedex.client.js';
import { CircuitBreaker, type CircuitState } from '../adapters/carriers/shared/circuit-breaker.js';
import { RateLimiter } from '../adapters/carriers/shared/rate-limiter.js';
import { createUpsClient } from '../adapters/carriers/ups/ups.client.js';
import type { CarrierClient } from '../core/ports/carrier.port.js';
import { buildWorkers } from '../jobs/build-workers.js';
import type { Worker } from '../jobs/worker-loop.js';
import {
  createTestStorage,
  FIXED_NOW,
  ManualClock,
  orderFields,
  seedStore,
  shipmentFields,
  type TestStorage,
} from '../test-support/factories.js';
import { CarrierHealth, FAKE_CREDENTIALS, FakeFedexApi, FakeUpsApi } from './carrier-fakes.js';

/**
 * UPS is down for an hour and a half of simulated time — 5xx and dropped
 * connections, then 429s, then answers too slow to wait for — while FedEx
 * stays healthy. The real shipment worker loop, the real UPS and FedEx
 * clients with their circuit breakers and rate limiters, the real storage;
 * only time is simulated (a manual clock moved 30 s per tick, and a
 * limiter whose sleeps move that clock, so a worker sitting idle shows as
 * time that passed). The real-time, minutes-long version is
 * carrier-outage.soak.test.ts.
 */

const TICK_MS = 30_000;
const MINUTE = 60_000;
const UPS_SHIPMENTS = 30;
const FEDEX_SHIPMENTS = 30;
/** UPS client's timeout; the fake's slow answers take longer. Real milliseconds. */
const UPS_TIMEOUT_MS = 250;

const PHASES = [
  { health: CarrierHealth.Unavailable, minutes: 30 },
  { health: CarrierHealth.RateLimited, minutes: 30 },
  { health: CarrierHealth.TimingOut, minutes: 30 },
  { health: CarrierHealth.Healthy, minutes: 75 },
] as const;

type PhaseReport = {
  health: CarrierHealth;
  /** Every request that reached the UPS fake: token and track calls. */
  upsCalls: number;
  fedexNumbersRefreshed: number;
  maxPassesInATick: number;
  /** Simulated time the worker spent asleep inside carrier calls, summed over the phase. */
  sleptMs: number;
  fedexLeftDue: number;
};

describe('a carrier answering 5xx, 429 and timeouts for an hour and a half [sqlite]', () => {
  let t: TestStorage;
  let ups: FakeUpsApi;
  let fedex: FakeFedexApi;
  let worker: Worker;
  const clock = new ManualClock(FIXED_NOW);
  const virtualNow = (): number => Date.parse(clock.now());
  let sleptMs = 0;
  const upsCircuit: { at: string; state: CircuitState }[] = [];
  const upsNumbers = Array.from({ length: UPS_SHIPMENTS }, (_, i) => `1ZFAULT${String(i).padStart(11, '0')}`);
  const fedexNumbers = Array.from({ length: FEDEX_SHIPMENTS }, (_, i) => `7946${String(i).padStart(8, '0')}`);

  beforeAll(async () => {
    t = await createTestStorage('sqlite');
    ups = await new FakeUpsApi().start();
    ups.knows(upsNumbers);
    ups.slowAnswerMs = UPS_TIMEOUT_MS * 6;
    fedex = await new FakeFedexApi().start();

    // A limiter on the simulated clock: its pauses are simulated time the worker spends waiting.
    const limiter = (ratePerSecond: number): RateLimiter =>
      new RateLimiter({
        ratePerSecond,
        now: virtualNow,
        sleep: (ms) => {
          sleptMs += ms;
          clock.advance(ms);
          return Promise.resolve();
        },
      });
    const upsClient = createUpsClient({
      credentials: FAKE_CREDENTIALS,
      baseUrl: ups.url,
      timeoutMs: UPS_TIMEOUT_MS,
      now: virtualNow,
      limiter: limiter(5),
      breaker: new CircuitBreaker({
        carrier: 'ups',
        now: virtualNow,
        onStateChange: (state) => upsCircuit.push({ at: clock.now(), state }),
      }),
    });
    const fedexClient = createFedexClient({
      credentials: FAKE_CREDENTIALS,
      baseUrl: fedex.url,
      timeoutMs: 5_000,
      now: virtualNow,
      limiter: limiter(10),
    });
    const carriers = new Map<string, CarrierClient>([
      ['ups', upsClient],
      ['fedex', fedexClient],
    ]);

    const store = await seedStore(t.storage);
    const order = await t.storage.repositories.orders.insertOrder(store.id, orderFields(), FIXED_NOW);
    for (const [carrier, numbers] of [
      ['ups', upsNumbers],
      ['fedex', fedexNumbers],
    ] as const) {
      for (const trackingNumber of numbers) {
        await t.storage.repositories.shipments.insertShipment(
          store.id,
          shipmentFields(order.id, trackingNumber, { carrier, nextCheckAt: FIXED_NOW }),
          FIXED_NOW,
        );
      }
    }

    [, worker] = buildWorkers({
      uow: t.storage,
      clock,
      logger: pino({ level: 'silent' }),
      queues: { inbox: t.storage.claimer('inbound_webhook'), shipments: t.storage.claimer('shipment') },
      processors: new Map(),
      carriers,
      settings: { batchSize: 10, leaseMs: 5 * MINUTE, pollIntervalMs: 1000, maxAttempts: 10 },
    }) as [Worker, Worker];
  });

  afterAll(async () => {
    await ups?.server.stop();
    await fedex?.server.stop();
    await t?.drop();
  });

  async function fedexDueNow(): Promise<number> {
    const result = await sql<{ due: number }>`
      select count(*) as due from shipment where carrier = 'fedex' and next_check_at <= ${clock.now()}`.execute(
      t.storage.db,
    );
    return Number(result.rows[0]!.due);
  }

  async function upsRows(): Promise<{ attempts: number; next_check_at: string | null; status: string }[]> {
    return t.storage.db
      .selectFrom('shipment')
      .select(['attempts', 'next_check_at', 'status'])
      .where('carrier', '=', 'ups')
      .execute();
  }

  /** Every worker pass the worker would make in one tick, as a loop polling every second would. */
  async function runTick(): Promise<number> {
    clock.advance(TICK_MS);
    let passes = 0;
    while (passes < 100 && (await worker.runOnce()) > 0) passes += 1;
    return passes;
  }

  it('backs off, opens and closes the circuit, never holds FedEx up, and refreshes UPS once it is back', async () => {
    const reports: PhaseReport[] = [];
    const upsAtOutageEnd: { attempts: number; next_check_at: string | null }[] = [];
    for (const [index, phase] of PHASES.entries()) {
      ups.health = phase.health;
      const upsCallsBefore = ups.server.requests.length;
      const fedexBefore = fedex.trackNumbersAsked().length;
      const sleptBefore = sleptMs;
      let maxPasses = 0;
      let fedexLeftDue = 0;
      for (let tick = 0; tick < (phase.minutes * MINUTE) / TICK_MS; tick += 1) {
        maxPasses = Math.max(maxPasses, await runTick());
        fedexLeftDue = Math.max(fedexLeftDue, await fedexDueNow());
      }
      reports.push({
        health: phase.health,
        upsCalls: ups.server.requests.length - upsCallsBefore,
        fedexNumbersRefreshed: fedex.trackNumbersAsked().length - fedexBefore,
        maxPassesInATick: maxPasses,
        sleptMs: sleptMs - sleptBefore,
        fedexLeftDue,
      });
      if (index === PHASES.length - 2) upsAtOutageEnd.push(...(await upsRows()));
    }
    const [down, throttled, slow, after] = reports as [PhaseReport, PhaseReport, PhaseReport, PhaseReport];
    const summary = JSON.stringify(reports, null, 1);

    // FedEx never waits for UPS: nothing FedEx is left due after a tick, in any phase, and the
    // worker never sits out a UPS pause (it fails those shipments fast and moves on).
    for (const report of reports) {
      expect(report.fedexLeftDue, summary).toBe(0);
      expect(report.sleptMs, summary).toBeLessThan(5_000);
      // No hot loop: failed rows leave the due range, so a tick needs few passes.
      expect(report.maxPassesInATick, summary).toBeLessThan(10);
    }
    // FedEx parcels out for delivery are asked every ~30 min: about one refresh each per phase.
    for (const report of [down, throttled, slow]) {
      expect(report.fedexNumbersRefreshed, summary).toBeGreaterThanOrEqual(FEDEX_SHIPMENTS / 2);
    }

    // UPS calls during the outage are bounded by the circuit (5 failures open it, then one probe
    // per cool-down, which doubles) and by Retry-After — not by shipments times polls (30 × ~8).
    expect(down.upsCalls, summary).toBeLessThanOrEqual(5 + 10);
    expect(throttled.upsCalls, summary).toBeLessThanOrEqual((30 * MINUTE) / (ups.retryAfterSeconds * 1000) + 5);
    expect(slow.upsCalls, summary).toBeLessThanOrEqual(5 + 10);

    // The circuit opened during the 5xx and the timeouts, and is closed at the end.
    const opened = upsCircuit.filter((change) => change.state === 'open');
    expect(opened.length, JSON.stringify(upsCircuit)).toBeGreaterThanOrEqual(2);
    expect(upsCircuit.at(-1)?.state, JSON.stringify(upsCircuit)).toBe('closed');

    // Each UPS shipment backed off: a handful of attempts over 90 minutes, the next one far out.
    const outageEnd = Date.parse(FIXED_NOW) + 90 * MINUTE;
    for (const row of upsAtOutageEnd) {
      expect(row.attempts, summary).toBeGreaterThanOrEqual(3);
      expect(row.attempts, summary).toBeLessThanOrEqual(12);
    }
    const farthest = Math.max(...upsAtOutageEnd.map((row) => Date.parse(row.next_check_at!) - outageEnd));
    expect(farthest).toBeGreaterThan(10 * MINUTE);

    // Back to normal: every UPS parcel refreshed (the fake says delivered), errors cleared.
    expect(ups.trackNumbersAsked().slice(-UPS_SHIPMENTS).length, summary).toBe(UPS_SHIPMENTS);
    expect(after.upsCalls, summary).toBeGreaterThanOrEqual(UPS_SHIPMENTS);
    const finalRows = await t.storage.db
      .selectFrom('shipment')
      .select(['status', 'attempts', 'last_error'])
      .where('carrier', '=', 'ups')
      .execute();
    expect(
      finalRows.filter((row) => row.status !== 'delivered' || row.attempts !== 0 || row.last_error !== null),
    ).toEqual([]);
  }, 60_000);
});
