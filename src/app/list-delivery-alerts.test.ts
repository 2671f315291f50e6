import { afterEach, beforeEach, expect, it } from 'vitest';

import { isDomainError } from '../core/errors.js';
import type { OrderFields } from '../core/ports/storage.port.js';
import type { ShipmentUpdate } from '../storage/database.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, ManualClock, orderFields, seedStore, type TestStorage } from '../test-support/factories.js';
import { listDeliveryAlerts } from './list-delivery-alerts.js';
import { planScheduledAlerts } from './plan-scheduled-alerts.js';

describeEachDatabase('listDeliveryAlerts', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  let storeId: string;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    // Wednesday 2 December 2026, 13:00 UTC.
    clock = new ManualClock('2026-12-02T13:00:00.000Z');
    storeId = (await seedStore(t.storage)).id;
  });
  afterEach(async () => {
    await t.drop();
  });

  async function addOrder(overrides: Partial<OrderFields> = {}) {
    return t.storage.repositories.orders.insertOrder(storeId, orderFields(overrides), clock.now());
  }

  async function addShipment(orderId: string, columns: ShipmentUpdate) {
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      storeId,
      {
        orderId,
        externalId: null,
        carrier: 'dhl',
        carrierConfidence: 'given',
        trackingNumber: `JD${Math.random().toString(36).slice(2, 12)}`,
        service: null,
        trackerState: 'active',
        shippedAt: '2026-11-27T10:00:00.000Z',
        nextCheckAt: null,
      },
      clock.now(),
    );
    await t.database.db.updateTable('shipment').set(columns).where('id', '=', shipment.id).execute();
    return shipment;
  }

  const list = (options?: Parameters<typeof listDeliveryAlerts>[2]) =>
    listDeliveryAlerts({ uow: t.storage, clock }, storeId, options);

  it('should show what needs attention now, per alert, and whether the scan has raised it', async () => {
    const delayed = await addOrder({ placedAt: '2026-11-26T10:00:00.000Z' });
    const shipped = await addOrder({
      orderStatus: 'fulfilled',
      shippingSummary: 'in_transit',
      promisedDeliveryDate: '2026-11-30',
    });
    const stalled = await addShipment(shipped.id, { status: 'in_transit', last_event_at: '2026-11-28T10:00:00.000Z' });
    const arriving = await addShipment(shipped.id, {
      status: 'in_transit',
      last_event_at: '2026-12-02T08:00:00.000Z',
      predicted_edd: '2026-12-02',
      predicted_edd_confidence: 'medium',
    });

    const before = await list();
    expect(before.generatedAt).toBe(clock.now());
    expect(before.groups.fulfillment_delayed.items).toEqual([
      {
        kind: 'fulfillment_delayed',
        orderId: delayed.id,
        orderNumber: delayed.number,
        shipmentId: null,
        carrier: null,
        trackingNumber: null,
        since: '2026-12-01T00:00:00.000Z',
        details: { placedAt: '2026-11-26T10:00:00.000Z', shipBy: '2026-11-30', businessDays: 2 },
        raisedAt: null,
      },
    ]);
    expect(before.groups.stalled_in_transit.items.map((i) => [i.shipmentId, i.trackingNumber, i.carrier])).toEqual([
      [stalled.id, stalled.trackingNumber, 'dhl'],
    ]);
    // Both parcels are past the order's promise of the 30th: late, though no tracking news ever stored a late_from.
    expect(before.groups.predicted_late.items.map((i) => i.shipmentId).sort()).toEqual(
      [stalled.id, arriving.id].sort(),
    );
    expect(before.groups.predicted_late.items[0]?.details).toMatchObject({ promisedDate: '2026-11-30' });
    expect(before.groups.arriving_today.items.map((i) => i.shipmentId)).toEqual([arriving.id]);

    await planScheduledAlerts({ uow: t.storage, clock }, storeId);
    const after = await list();
    expect(after.groups.stalled_in_transit.items[0]?.raisedAt).toBe(clock.now());
    expect(after.groups.fulfillment_delayed.items[0]?.raisedAt).toBe(clock.now());

    // The parcel moved again: it is no longer stalled, whatever the ledger says.
    await t.database.db
      .updateTable('shipment')
      .set({ last_event_at: '2026-12-02T12:00:00.000Z' })
      .where('id', '=', stalled.id)
      .execute();
    expect((await list()).groups.stalled_in_transit.items).toEqual([]);
  });

  it('should cap each group and say so, and list only the kinds asked for', async () => {
    const shipped = await addOrder({ orderStatus: 'fulfilled', shippingSummary: 'in_transit' });
    for (let day = 20; day < 25; day += 1)
      await addShipment(shipped.id, { status: 'in_transit', last_event_at: `2026-11-${day}T10:00:00.000Z` });
    await addOrder({ placedAt: '2026-11-20T10:00:00.000Z' });

    const capped = await list({ limitPerKind: 3, kinds: ['stalled_in_transit'] });
    expect(capped.groups.stalled_in_transit.items.map((i) => i.details.lastScanAt)).toEqual([
      '2026-11-20T10:00:00.000Z',
      '2026-11-21T10:00:00.000Z',
      '2026-11-22T10:00:00.000Z',
    ]);
    expect(capped.groups.stalled_in_transit.truncated).toBe(true);
    expect(capped.groups.fulfillment_delayed).toEqual({ items: [], truncated: false });
    expect((await list({ limitPerKind: 5 })).groups.stalled_in_transit.truncated).toBe(false);
  });

  it('should refuse an unknown store', async () => {
    const error = await listDeliveryAlerts({ uow: t.storage, clock }, '01900000-0000-7000-8000-000000000000').catch(
      (e: unknown) => e,
    );
    expect(isDomainError(error) && error.code).toBe('not_found');
  });
});
