import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { sandboxTrackingNumber } from '../../../core/detection/index.js';
import { buildWorkers } from '../../../jobs/build-workers.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import {
  createTestStorage,
  FIXED_NOW,
  ManualClock,
  orderFields,
  seedStore,
  type TestStorage,
} from '../../../test-support/factories.js';
import { createSandboxClient } from './sandbox.client.js';
import { normalizeSandboxResponse } from './sandbox.normalize.js';
import { SANDBOX_SCENARIOS } from './sandbox.scenarios.js';
import { SANDBOX_STATUS_MAP } from './sandbox.status-map.js';
import { isSubstatusAllowedUnder } from '../../../core/shipment/shipping-status.js';

const STEP_SECONDS = 20;

describe('sandbox carrier', () => {
  it('should map every code validly under the taxonomy', () => {
    for (const [code, mapping] of Object.entries(SANDBOX_STATUS_MAP)) {
      expect(isSubstatusAllowedUnder(mapping.substatus, mapping.status), code).toBe(true);
    }
    for (const steps of Object.values(SANDBOX_SCENARIOS))
      for (const step of steps) expect(SANDBOX_STATUS_MAP[step.code]).toBeDefined();
  });

  it('should tell the story up to the current step, one step every interval from creation, deterministically', async () => {
    const clock = new ManualClock();
    const client = createSandboxClient({ stepSeconds: STEP_SECONDS, now: () => Date.parse(clock.now()) });
    const number = sandboxTrackingNumber(1, 7);
    const createdAt = new Map([[number, FIXED_NOW]]);

    const first = (await client.track([number], { createdAt })).get(number);
    clock.advance(2 * STEP_SECONDS * 1000);
    const third = (await client.track([number], { createdAt })).get(number);
    const again = (await client.track([number], { createdAt })).get(number);

    expect(first).toMatchObject({ kind: 'found', result: { status: 'info_received', substatus: 'label_created' } });
    expect(third).toMatchObject({ kind: 'found', result: { status: 'in_transit', substatus: 'arrived_at_facility' } });
    expect(third).toEqual(again);
    expect(client.nextUpdateAt?.(number, FIXED_NOW, clock.now())).toBe(
      new Date(Date.parse(FIXED_NOW) + 3 * STEP_SECONDS * 1000 + 500).toISOString(),
    );
  });

  it('should call a non-sandbox number invalid and a malformed answer an upstream error', async () => {
    const client = createSandboxClient({ stepSeconds: STEP_SECONDS });

    expect((await client.track(['SBX900000000'])).get('SBX900000000')).toMatchObject({ kind: 'invalid_number' });
    expect(() => normalizeSandboxResponse({ nope: true })).toThrow(/not a sandbox tracking response/);
  });
});

describeEachDatabase('sandbox shipments through the worker', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock();
  });
  afterEach(async () => {
    await t.drop();
  });

  it.each([
    [1, 'delivered', 'delivered', 0],
    [2, 'delivered', 'delivered', 1],
    [3, 'delivered', 'delivered', 0],
    [4, 'return_to_sender', 'returned', 0],
    [5, 'failure', 'lost', 0],
    [6, 'in_transit', 'arrived_at_facility', 0],
    [7, 'delivered', 'collected_from_pickup_point', 0],
  ] as const)(
    'should walk scenario %i to %s/%s, polled at the pace of its steps',
    async (scenario, status, substatus, attempts) => {
      const store = await seedStore(t.storage);
      const order = await t.storage.repositories.orders.insertOrder(
        store.id,
        orderFields({ orderStatus: 'fulfilled' }),
        FIXED_NOW,
      );
      const { shipment } = await t.storage.repositories.shipments.insertShipment(
        store.id,
        {
          orderId: order.id,
          externalId: null,
          carrier: 'sandbox',
          carrierConfidence: 'detected',
          trackingNumber: sandboxTrackingNumber(scenario, 1),
          service: null,
          trackerState: 'active',
          shippedAt: FIXED_NOW,
          nextCheckAt: FIXED_NOW,
        },
        FIXED_NOW,
      );
      const carriers = new Map([
        ['sandbox', createSandboxClient({ stepSeconds: STEP_SECONDS, now: () => Date.parse(clock.now()) })],
      ]);
      const [, shipmentsLoop] = buildWorkers({
        uow: t.storage,
        clock,
        logger: pino({ level: 'silent' }),
        queues: { inbox: t.storage.claimer('inbound_webhook'), shipments: t.storage.claimer('shipment') },
        processors: new Map(),
        carriers,
        settings: { batchSize: 10, leaseMs: 60_000, pollIntervalMs: 10, maxAttempts: 5 },
      });
      const seen: string[] = [];
      let polls = 0;

      for (let tick = 0; tick < 12; tick += 1) {
        polls += await shipmentsLoop!.runOnce();
        const current = await t.storage.repositories.shipments.findShipmentById(store.id, shipment.id);
        if (seen.at(-1) !== current!.status) seen.push(current!.status);
        // Just past the next step, as real time would be when the worker wakes.
        clock.advance(STEP_SECONDS * 1000 + 1000);
      }
      const final = await t.storage.repositories.shipments.findShipmentById(store.id, shipment.id);

      expect(final).toMatchObject({ status, substatus, attemptNumber: attempts });
      expect(seen[0]).toBe('info_received');
      expect(polls).toBeLessThanOrEqual(SANDBOX_SCENARIOS[scenario]!.length + 1);
      if (scenario === 2) {
        const all = await t.storage.repositories.notifications.listNotificationsForOrder(store.id, order.id);
        const emails = all.filter((n) => n.channel === 'email');
        // Each milestone once, per delivery attempt, however often the carrier was asked.
        expect(emails.map((n) => `${n.milestone}#${String(n.payload.attemptNumber)}`)).toEqual([
          'out_for_delivery#1',
          'attempt_failed#1',
          'out_for_delivery#2',
          'delivered#0',
        ]);
        expect(emails.every((n) => n.state === 'planned' && n.recipient === order.customer.email)).toBe(true);
      }
      if (status === 'delivered') expect(final?.nextCheckAt).not.toBeNull();
      if (status === 'failure' || substatus === 'returned') expect(final?.nextCheckAt).toBeNull();
    },
  );
});
