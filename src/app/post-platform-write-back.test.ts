import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { createShopifyPlatformWriteBack } from '../adapters/platforms/shopify/shopify.write-back.js';
import type { PlatformConnector, PlatformRegistry } from '../core/ports/platform.port.js';
import type { NewTrackingEvent } from '../core/ports/storage.port.js';
import { buildWorkers } from '../jobs/build-workers.js';
import type { Worker } from '../jobs/worker-loop.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { FakeShopify } from '../test-support/fake-shopify.js';
import {
  createTestStorage,
  FIXED_NOW,
  ManualClock,
  orderFields,
  seedStore,
  type TestStorage,
  shipmentFields,
} from '../test-support/factories.js';
import { recordTrackingEvents } from './record-tracking-events.js';

const TOKEN = 'shpat_waymark_write_back_app';
const FULFILLMENT_ID = '5100000000777';
const ROUTE = FakeShopify.route('2025-01');

function scan(
  dedupeKey: string,
  occurredAt: string,
  status: NewTrackingEvent['status'],
  substatus: NewTrackingEvent['substatus'],
  source: NewTrackingEvent['source'] = 'carrier_api',
): NewTrackingEvent {
  return {
    occurredAt,
    occurredAtLocal: null,
    timeZoneInferred: false,
    sequence: null,
    status,
    substatus,
    reason: null,
    description: `Carrier says ${status}`,
    location: { city: 'Lyon', region: null, postalCode: '69002', country: 'FR' },
    rawCode: dedupeKey,
    rawStatus: null,
    source,
    dedupeKey,
  };
}

describeEachDatabase('Shopify write-back through the outbox', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  let shopify: FakeShopify;
  let worker: Worker;
  let storeId: string;
  let orderId: string;

  function registry(): PlatformRegistry {
    const connector: PlatformConnector = {
      platform: 'shopify',
      webhooks: null,
      pullIntervalMs: 60_000,
      createClient: () => null,
      createWriteBack: (_store, secrets) =>
        secrets.credentials.accessToken
          ? createShopifyPlatformWriteBack({
              credentials: secrets.credentials,
              baseUrl: shopify.url,
              ratePerSecond: 1000,
              timeoutMs: 2000,
            })
          : null,
    };
    return new Map([['shopify', connector]]);
  }

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock();
    shopify = await new FakeShopify(TOKEN, [FULFILLMENT_ID]).start();
    const store = await seedStore(t.storage, {
      platform: 'shopify',
      domain: 'lamps.myshopify.com',
      secrets: { credentials: { accessToken: TOKEN } },
    });
    storeId = store.id;
    orderId = (await t.storage.repositories.orders.insertOrder(storeId, orderFields(), FIXED_NOW)).id;
    const workers = buildWorkers({
      uow: t.storage,
      clock,
      logger: pino({ level: 'silent' }),
      queues: {
        inbox: t.storage.claimer('inbound_webhook'),
        shipments: t.storage.claimer('shipment'),
        writeBacks: t.storage.claimer('platform_write_back'),
      },
      platforms: registry(),
      processors: new Map(),
      carriers: new Map(),
      settings: { batchSize: 10, leaseMs: 60_000, pollIntervalMs: 1000, maxAttempts: 3 },
    });
    worker = workers.find((w) => w.owner.includes(':platform_write_back:'))!;
  });
  afterEach(async () => {
    await shopify.stop();
    await t.drop();
  });

  async function addShipment(trackingNumber: string, externalId: string | null = FULFILLMENT_ID): Promise<string> {
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      storeId,
      shipmentFields(orderId, trackingNumber, { externalId, nextCheckAt: FIXED_NOW }),
      FIXED_NOW,
    );
    return shipment.id;
  }

  async function record(shipmentId: string, ...events: NewTrackingEvent[]): Promise<void> {
    await recordTrackingEvents({ uow: t.storage, clock }, { storeId, shipmentId, events, cause: 'poll' });
  }

  async function rows(shipmentId: string) {
    return t.storage.repositories.writeBacks.listWriteBacksForShipment(storeId, shipmentId);
  }

  async function optIn(): Promise<void> {
    expect(await t.storage.repositories.writeBacks.setWriteBackEnabled(storeId, true, FIXED_NOW)).toBe(true);
  }

  it('should queue nothing for a store that did not opt in', async () => {
    const shipmentId = await addShipment('1Z0000000000000001');

    await record(shipmentId, scan('a', '2026-11-26T09:00:00.000Z', 'in_transit', 'in_transit'));

    expect(await rows(shipmentId)).toEqual([]);
    expect(await worker.runOnce()).toBe(0);
  });

  it('should queue a status change with the change and post it once as a fulfilment event', async () => {
    await optIn();
    const shipmentId = await addShipment('1Z0000000000000002');

    await record(shipmentId, scan('a', '2026-11-26T09:00:00.000Z', 'out_for_delivery', 'out_for_delivery'));
    await record(shipmentId, scan('a', '2026-11-26T09:00:00.000Z', 'out_for_delivery', 'out_for_delivery'));
    const planned = await rows(shipmentId);
    const worked = await worker.runOnce();
    const [posted] = await rows(shipmentId);
    const again = await worker.runOnce();

    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ state: 'planned', nextAttemptAt: FIXED_NOW });
    expect(worked).toBe(1);
    expect(posted).toMatchObject({
      state: 'posted',
      platformStatus: 'OUT_FOR_DELIVERY',
      platformEventId: 'gid://shopify/FulfillmentEvent/9120000000001',
      postedAt: FIXED_NOW,
      nextAttemptAt: null,
      lastError: null,
    });
    expect(again).toBe(0);
    expect(shopify.events).toHaveLength(1);
    expect(shopify.events[0]?.input).toMatchObject({
      fulfillmentId: `gid://shopify/Fulfillment/${FULFILLMENT_ID}`,
      status: 'OUT_FOR_DELIVERY',
      happenedAt: '2026-11-26T09:00:00.000Z',
      message: 'Carrier says out_for_delivery',
      city: 'Lyon',
      zip: '69002',
      country: 'FR',
    });
  });

  it('should post one event for parcels of one fulfilment scanned together', async () => {
    await optIn();
    const first = await addShipment('1Z0000000000000003');
    const second = await addShipment('1Z0000000000000004');

    await record(first, scan('same-scan', '2026-11-26T09:00:00.000Z', 'in_transit', 'in_transit'));
    await record(second, scan('same-scan', '2026-11-26T09:00:00.000Z', 'in_transit', 'in_transit'));
    await worker.runOnce();

    expect((await rows(first)).map((row) => row.state)).toEqual(['posted']);
    expect(await rows(second)).toEqual([]);
    expect(shopify.events).toHaveLength(1);
  });

  it('should not echo back what the platform itself said, nor parcels the platform does not know', async () => {
    await optIn();
    const cancelledThere = await addShipment('1Z0000000000000005');
    const unknownToShopify = await addShipment('1Z0000000000000006', null);

    await record(cancelledThere, scan('p', '2026-11-26T09:00:00.000Z', 'cancelled', 'label_voided', 'platform'));
    await record(unknownToShopify, scan('b', '2026-11-26T09:00:00.000Z', 'delivered', 'delivered'));

    expect(await rows(cancelledThere)).toEqual([]);
    expect(await rows(unknownToShopify)).toEqual([]);
  });

  it('should retry after a 429 and a 503 with backoff, then post', async () => {
    await optIn();
    const shipmentId = await addShipment('1Z0000000000000007');
    await record(shipmentId, scan('a', '2026-11-26T09:00:00.000Z', 'delivered', 'delivered'));
    shopify.server.queue(ROUTE, { status: 429, headers: { 'retry-after': '2' }, body: { errors: 'Throttled' } });
    shopify.server.queue(ROUTE, { status: 503, body: 'upstream connect error' });

    await worker.runOnce();
    const [afterThrottle] = await rows(shipmentId);
    const tooEarly = await worker.runOnce();
    clock.advance(2 * 60_000);
    await worker.runOnce();
    const [afterOutage] = await rows(shipmentId);
    clock.advance(5 * 60_000);
    await worker.runOnce();
    const [done] = await rows(shipmentId);

    expect(afterThrottle).toMatchObject({ state: 'planned', attempts: 1 });
    expect(afterThrottle?.lastError).toMatch(/429/);
    expect(Date.parse(afterThrottle!.nextAttemptAt!)).toBeGreaterThan(Date.parse(FIXED_NOW));
    expect(tooEarly).toBe(0);
    expect(afterOutage).toMatchObject({ state: 'planned', attempts: 2 });
    expect(afterOutage?.lastError).toMatch(/503|unavailable/i);
    expect(done).toMatchObject({ state: 'posted', platformStatus: 'DELIVERED', lastError: null });
    expect(shopify.events).toHaveLength(1);
  });

  it('should park a row as failed with its last error once the attempts run out', async () => {
    await optIn();
    const shipmentId = await addShipment('1Z0000000000000008');
    await record(shipmentId, scan('a', '2026-11-26T09:00:00.000Z', 'delivered', 'delivered'));
    shopify.server.queue(ROUTE, ...Array.from({ length: 3 }, () => ({ status: 502, body: 'bad gateway' })));

    for (let pass = 0; pass < 3; pass += 1) {
      await worker.runOnce();
      clock.advance(2 * 60 * 60_000);
    }
    const [parked] = await rows(shipmentId);

    expect(parked).toMatchObject({ state: 'failed', nextAttemptAt: null, attempts: 3 });
    expect(parked?.lastError).toMatch(/502|unavailable/i);
    expect(await worker.runOnce()).toBe(0);
  });

  it.each([
    ['a fulfilment Shopify does not have', '9999', 'delivered', 'delivered', 'failed', /fulfillment_not_found/],
    ['a status Shopify has no word for', FULFILLMENT_ID, 'return_to_sender', 'returning', 'skipped', /not_mapped/],
  ] as const)(
    'should record %s at once, without retrying',
    async (_label, externalId, status, substatus, state, reason) => {
      await optIn();
      const shipmentId = await addShipment('1Z0000000000000009', externalId);
      await record(shipmentId, scan('a', '2026-11-26T09:00:00.000Z', status, substatus));

      await worker.runOnce();
      const [row] = await rows(shipmentId);

      expect(row).toMatchObject({ state, nextAttemptAt: null });
      expect(row?.lastError).toMatch(reason);
      expect(shopify.events).toHaveLength(0);
    },
  );

  it('should skip older news once a later event of the fulfilment is posted', async () => {
    await optIn();
    const first = await addShipment('1Z0000000000000010');
    const second = await addShipment('1Z0000000000000011');
    await record(first, scan('late', '2026-11-26T11:00:00.000Z', 'delivered', 'delivered'));
    await worker.runOnce();

    await record(second, scan('early', '2026-11-26T08:00:00.000Z', 'in_transit', 'in_transit'));
    await worker.runOnce();

    expect((await rows(second)).map((row) => [row.state, row.lastError])).toEqual([
      ['skipped', 'a later event of this fulfilment was already posted'],
    ]);
    expect(shopify.events.map((event) => event.input.status)).toEqual(['DELIVERED']);
  });

  it('should record a failure when the store has no access token, and a skip once write-back is switched off', async () => {
    await optIn();
    const shipmentId = await addShipment('1Z0000000000000012');
    await record(shipmentId, scan('a', '2026-11-26T09:00:00.000Z', 'in_transit', 'in_transit'));
    await t.storage.repositories.stores.setStoreSecrets(
      storeId,
      { webhookSecret: null, previousWebhookSecret: null, credentials: {} },
      FIXED_NOW,
    );
    await worker.runOnce();
    await t.storage.repositories.writeBacks.setWriteBackEnabled(storeId, false, FIXED_NOW);
    await t.storage.repositories.writeBacks.setWriteBackEnabled(storeId, true, FIXED_NOW);
    await record(shipmentId, scan('b', '2026-11-26T10:00:00.000Z', 'out_for_delivery', 'out_for_delivery'));
    await t.storage.repositories.writeBacks.setWriteBackEnabled(storeId, false, FIXED_NOW);
    await worker.runOnce();

    expect((await rows(shipmentId)).map((row) => [row.state, row.lastError])).toEqual([
      ['failed', 'store test-shop has no shopify credentials for write-back'],
      ['skipped', 'write-back was switched off for the store'],
    ]);
    expect(shopify.server.requests).toHaveLength(0);
  });
});
