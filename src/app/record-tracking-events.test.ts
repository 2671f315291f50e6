import { afterEach, beforeEach, expect, it } from 'vitest';

import type { NewTrackingEvent } from '../core/ports/storage.port.js';
import { describeEachDatabase } from '../test-support/databases.js';
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

function scan(
  dedupeKey: string,
  occurredAt: string,
  status: NewTrackingEvent['status'],
  substatus: NewTrackingEvent['substatus'],
): NewTrackingEvent {
  return {
    occurredAt,
    occurredAtLocal: null,
    timeZoneInferred: false,
    sequence: null,
    status,
    substatus,
    reason: null,
    description: `${status} ${substatus}`,
    location: null,
    rawCode: dedupeKey,
    rawStatus: null,
    source: 'carrier_api',
    dedupeKey,
  };
}

describeEachDatabase('recordTrackingEvents', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  let storeId: string;
  let orderId: string;

  async function addShipment(trackingNumber: string): Promise<string> {
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      storeId,
      shipmentFields(orderId, trackingNumber, { nextCheckAt: FIXED_NOW }),
      FIXED_NOW,
    );
    return shipment.id;
  }

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    clock = new ManualClock();
    storeId = (await seedStore(t.storage)).id;
    orderId = (
      await t.storage.repositories.orders.insertOrder(
        storeId,
        orderFields({ orderStatus: 'fulfilled', shippingSummary: 'in_transit' }),
        FIXED_NOW,
      )
    ).id;
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should move the shipment, journal the change and roll the order summary up', async () => {
    const shipmentId = await addShipment('A1');

    const outcome = await recordTrackingEvents(
      { uow: t.storage, clock },
      {
        storeId,
        shipmentId,
        cause: 'poll',
        events: [
          scan('e1', '2026-11-26T08:00:00.000Z', 'in_transit', 'picked_up'),
          scan('e2', '2026-11-26T11:00:00.000Z', 'delivered', 'delivered'),
        ],
      },
    );
    const shipment = await t.storage.repositories.shipments.findShipmentById(storeId, shipmentId);
    const order = await t.storage.repositories.orders.findOrderById(storeId, orderId);
    const journal = await t.storage.repositories.journal.listStatusChanges(storeId, [shipmentId, orderId]);

    expect(outcome).toMatchObject({
      newEvents: 2,
      statusChanged: true,
      before: { status: 'pending' },
      after: { status: 'delivered' },
      summaryAfter: 'delivered',
    });
    expect(shipment).toMatchObject({
      status: 'delivered',
      substatus: 'delivered',
      deliveredAt: '2026-11-26T11:00:00.000Z',
      firstScanAt: '2026-11-26T08:00:00.000Z',
      lastEventAt: '2026-11-26T11:00:00.000Z',
    });
    expect(order?.shippingSummary).toBe('delivered');
    expect(journal.map((c) => `${c.field}:${c.from}->${c.to}:${c.cause}`)).toEqual([
      'shipping_status:pending/registered->delivered/delivered:poll',
      'shipping_summary:in_transit->delivered:poll',
    ]);
  });

  it('should change nothing and journal nothing when the carrier repeats itself', async () => {
    const shipmentId = await addShipment('A2');
    const events = [scan('e1', '2026-11-26T08:00:00.000Z', 'in_transit', 'picked_up')];
    await recordTrackingEvents({ uow: t.storage, clock }, { storeId, shipmentId, cause: 'poll', events });

    const repeat = await recordTrackingEvents(
      { uow: t.storage, clock },
      { storeId, shipmentId, cause: 'poll', events },
    );
    const journal = await t.storage.repositories.journal.listStatusChanges(storeId, [shipmentId]);

    expect(repeat).toMatchObject({ newEvents: 0, statusChanged: false });
    expect(journal).toHaveLength(1);
  });

  it('should keep the headline when an older event arrives late', async () => {
    const shipmentId = await addShipment('A3');
    await recordTrackingEvents(
      { uow: t.storage, clock },
      {
        storeId,
        shipmentId,
        cause: 'poll',
        events: [scan('ofd', '2026-11-26T09:00:00.000Z', 'out_for_delivery', 'out_for_delivery')],
      },
    );

    const late = await recordTrackingEvents(
      { uow: t.storage, clock },
      {
        storeId,
        shipmentId,
        cause: 'webhook',
        events: [scan('old', '2026-11-25T09:00:00.000Z', 'in_transit', 'arrived_at_facility')],
      },
    );

    expect(late).toMatchObject({ newEvents: 1, statusChanged: false, after: { status: 'out_for_delivery' } });
    expect((await t.storage.repositories.shipments.findShipmentById(storeId, shipmentId))?.firstScanAt).toBe(
      '2026-11-25T09:00:00.000Z',
    );
  });

  it('should say partially delivered while one of two parcels is still on its way', async () => {
    const first = await addShipment('B1');
    const second = await addShipment('B2');

    await recordTrackingEvents(
      { uow: t.storage, clock },
      {
        storeId,
        shipmentId: first,
        cause: 'poll',
        events: [scan('d', '2026-11-26T10:00:00.000Z', 'delivered', 'delivered')],
      },
    );
    await recordTrackingEvents(
      { uow: t.storage, clock },
      {
        storeId,
        shipmentId: second,
        cause: 'poll',
        events: [scan('t', '2026-11-26T10:00:00.000Z', 'in_transit', 'in_transit')],
      },
    );

    expect((await t.storage.repositories.orders.findOrderById(storeId, orderId))?.shippingSummary).toBe(
      'partially_delivered',
    );
  });

  it('should plan all_delivered once, when the last of two parcels is delivered', async () => {
    const first = await addShipment('C1');
    const second = await addShipment('C2');
    const deliver = (shipmentId: string, key: string) =>
      recordTrackingEvents(
        { uow: t.storage, clock },
        {
          storeId,
          shipmentId,
          cause: 'poll',
          events: [scan(key, '2026-11-26T10:00:00.000Z', 'delivered', 'delivered')],
        },
      );
    const allDelivered = async () =>
      (await t.storage.repositories.notifications.listNotificationsForOrder(storeId, orderId)).filter(
        (n) => n.milestone === 'all_delivered',
      );

    await deliver(first, 'c1');
    const afterFirst = await allDelivered();
    await deliver(second, 'c2');

    expect(afterFirst).toEqual([]);
    expect((await allDelivered()).length).toBeGreaterThan(0);
    expect(new Set((await allDelivered()).map((n) => n.channel)).size).toBe((await allDelivered()).length);
  });

  it('should refuse a shipment of another store', async () => {
    const shipmentId = await addShipment('C1');
    const other = await seedStore(t.storage, { name: 'Other' });

    await expect(
      recordTrackingEvents(
        { uow: t.storage, clock },
        { storeId: other.id, shipmentId, cause: 'poll', events: [scan('x', FIXED_NOW, 'delivered', 'delivered')] },
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await t.storage.repositories.shipments.findShipmentById(storeId, shipmentId))?.status).toBe('pending');
  });
});
