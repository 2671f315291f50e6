import { afterEach, beforeEach, expect, it } from 'vitest';

import type { NewTrackingEvent, ShipmentStatusFields } from '../../core/ports/storage.port.js';
import type { Store } from '../../core/store/store.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import { createTestStorage, orderFields, seedStore, type TestStorage } from '../../test-support/factories.js';

const RANGE = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' };

function status(overrides: Partial<ShipmentStatusFields>): ShipmentStatusFields {
  return {
    status: 'in_transit',
    substatus: 'in_transit',
    reason: null,
    actionRequired: false,
    attemptNumber: 0,
    shippedAt: null,
    firstScanAt: null,
    outForDeliveryAt: null,
    deliveredAt: null,
    exceptionAt: null,
    lastEventAt: null,
    ...overrides,
  };
}

function problemEvent(
  occurredAt: string,
  substatus: NewTrackingEvent['substatus'],
  reason: string | null,
): NewTrackingEvent {
  return {
    occurredAt,
    occurredAtLocal: null,
    timeZoneInferred: false,
    sequence: null,
    status: 'exception',
    substatus,
    reason: reason as NewTrackingEvent['reason'],
    description: null,
    location: null,
    rawCode: null,
    rawStatus: null,
    source: 'carrier_api',
    dedupeKey: `${occurredAt}:${substatus}`,
  };
}

describeEachDatabase('analytics repository', (dialect) => {
  let t: TestStorage;
  let store: Store;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
    store = await seedStore(t.storage);
  });
  afterEach(async () => {
    await t.drop();
  });

  async function parcel(
    owner: Store,
    placedAt: string,
    createdAt: string,
    carrier: string,
    fields: Partial<ShipmentStatusFields>,
    options: { promised?: string | null; eddFirst?: string | null; service?: string } = {},
  ) {
    const r = t.storage.repositories;
    const order = await r.orders.insertOrder(
      owner.id,
      orderFields({ placedAt, promisedDeliveryDate: options.promised ?? null }),
      placedAt,
    );
    const { shipment } = await r.shipments.insertShipment(
      owner.id,
      {
        orderId: order.id,
        externalId: null,
        carrier,
        carrierConfidence: 'given',
        trackingNumber: `T${Math.random().toString(36).slice(2, 10)}`,
        service: options.service ?? 'Ground',
        trackerState: 'active',
        shippedAt: null,
        nextCheckAt: null,
      },
      createdAt,
    );
    await r.shipments.setShipmentStatus(owner.id, shipment.id, status(fields), createdAt);
    if (options.eddFirst)
      await r.shipments.setCarrierDetails(owner.id, shipment.id, { carrierEddFirst: options.eddFirst }, createdAt);
    return { order, shipment };
  }

  it('should count orders per UTC day and status, inside the period only', async () => {
    const r = t.storage.repositories;
    const other = await seedStore(t.storage);
    await r.orders.insertOrder(store.id, orderFields({ placedAt: '2026-11-21T23:30:00.000Z' }), RANGE.from);
    await r.orders.insertOrder(store.id, orderFields({ placedAt: '2026-11-21T08:00:00.000Z' }), RANGE.from);
    await r.orders.insertOrder(
      store.id,
      orderFields({ placedAt: '2026-11-22T00:10:00.000Z', orderStatus: 'cancelled' }),
      RANGE.from,
    );
    await r.orders.insertOrder(store.id, orderFields({ placedAt: '2026-11-19T23:59:59.000Z' }), RANGE.from);
    await r.orders.insertOrder(other.id, orderFields({ placedAt: '2026-11-21T10:00:00.000Z' }), RANGE.from);

    const rows = await r.analytics.ordersByStatusPerDay(store.id, RANGE);

    expect(rows).toEqual([
      { day: '2026-11-21', status: 'processing', count: 2 },
      { day: '2026-11-22', status: 'cancelled', count: 1 },
    ]);
  });

  it('should count parcels per day of creation by their status now', async () => {
    await parcel(store, '2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z', 'ups', { status: 'in_transit' });
    await parcel(store, '2026-11-20T10:00:00.000Z', '2026-11-21T12:00:00.000Z', 'ups', { status: 'delivered' });
    await parcel(store, '2026-11-01T10:00:00.000Z', '2026-11-23T12:00:00.000Z', 'dhl', { status: 'delivered' });

    const rows = await t.storage.repositories.analytics.shipmentsByStatusPerDay(store.id, RANGE);

    expect(rows).toEqual([
      { day: '2026-11-21', status: 'delivered', count: 1 },
      { day: '2026-11-21', status: 'in_transit', count: 1 },
      { day: '2026-11-23', status: 'delivered', count: 1 },
    ]);
  });

  it('should bucket transit times in whole days from first scan to delivery, by carrier and service', async () => {
    const placed = '2026-11-15T09:00:00.000Z';
    const delivered = (firstScanAt: string, deliveredAt: string) => ({
      status: 'delivered' as const,
      firstScanAt,
      deliveredAt,
    });
    await parcel(store, placed, placed, 'ups', delivered('2026-11-20T10:00:00.000Z', '2026-11-22T09:00:00.000Z'));
    await parcel(store, placed, placed, 'ups', delivered('2026-11-20T10:00:00.000Z', '2026-11-22T11:00:00.000Z'));
    await parcel(store, placed, placed, 'ups', delivered('2026-11-20T10:00:00.000Z', '2026-11-21T09:00:00.000Z'), {
      service: 'Express',
    });
    await parcel(store, placed, placed, 'dhl', delivered('2026-10-01T10:00:00.000Z', '2026-11-24T10:00:00.000Z'));
    await parcel(store, placed, placed, 'dhl', delivered('2026-11-10T10:00:00.000Z', '2026-11-12T10:00:00.000Z'));

    const rows = await t.storage.repositories.analytics.transitTimes(store.id, RANGE);

    expect(rows).toEqual([
      { carrier: 'dhl', service: 'Ground', days: 30, count: 1 },
      { carrier: 'ups', service: 'Express', days: 0, count: 1 },
      { carrier: 'ups', service: 'Ground', days: 1, count: 1 },
      { carrier: 'ups', service: 'Ground', days: 2, count: 1 },
    ]);
  });

  it('should rate deliveries against the order promise, else the carrier first estimate', async () => {
    const placed = '2026-11-18T09:00:00.000Z';
    const deliveredOn = (day: string) => ({ status: 'delivered' as const, deliveredAt: `${day}T15:00:00.000Z` });
    await parcel(store, placed, placed, 'ups', deliveredOn('2026-11-22'), { promised: '2026-11-22' });
    await parcel(store, placed, placed, 'ups', deliveredOn('2026-11-23'), { promised: '2026-11-22' });
    await parcel(store, placed, placed, 'ups', deliveredOn('2026-11-21'), { eddFirst: '2026-11-21T20:00:00.000Z' });
    await parcel(store, placed, placed, 'ups', deliveredOn('2026-11-21'));
    await parcel(store, placed, placed, 'fedex', deliveredOn('2026-11-25'), {
      promised: '2026-11-24',
      eddFirst: '2026-11-26',
    });

    const rows = await t.storage.repositories.analytics.onTimeRates(store.id, RANGE);

    expect(rows).toEqual([
      { carrier: 'fedex', delivered: 1, withPromise: 1, onTime: 0 },
      { carrier: 'ups', delivered: 4, withPromise: 3, onTime: 2 },
    ]);
  });

  it('should count parcels with problem events in the period by reason, each parcel once', async () => {
    const placed = '2026-11-18T09:00:00.000Z';
    const a = await parcel(store, placed, placed, 'ups', { status: 'exception' });
    const b = await parcel(store, placed, placed, 'ups', { status: 'in_transit' });
    const events = t.storage.repositories.events;
    await events.appendEvents(
      store.id,
      a.shipment.id,
      [
        problemEvent('2026-11-21T10:00:00.000Z', 'customs_hold', 'customs_inspection'),
        problemEvent('2026-11-22T10:00:00.000Z', 'customs_hold', 'customs_inspection'),
      ],
      placed,
    );
    await events.appendEvents(
      store.id,
      b.shipment.id,
      [
        problemEvent('2026-11-23T10:00:00.000Z', 'customs_hold', 'customs_inspection'),
        problemEvent('2026-11-24T10:00:00.000Z', 'delayed_weather', 'weather_delay'),
        problemEvent('2026-11-10T10:00:00.000Z', 'damaged', 'carrier_damaged_parcel'),
      ],
      placed,
    );

    const rows = await t.storage.repositories.analytics.exceptionsByReason(store.id, RANGE);

    expect(rows).toEqual([
      { status: 'exception', substatus: 'customs_hold', reason: 'customs_inspection', shipments: 2 },
      { status: 'exception', substatus: 'delayed_weather', reason: 'weather_delay', shipments: 1 },
    ]);
  });

  it('should count notifications planned in the period by milestone, channel and state', async () => {
    const placed = '2026-11-18T09:00:00.000Z';
    const { order } = await parcel(store, placed, placed, 'ups', {});
    const row = (key: string, milestone: string, channel: string, state: 'planned' | 'suppressed') => ({
      storeId: store.id,
      orderId: order.id,
      shipmentId: null,
      milestone,
      channel,
      recipient: null,
      idempotencyKey: key,
      state,
      reason: null,
      payload: {},
    });
    const notifications = t.storage.repositories.notifications;
    await notifications.planNotifications(
      [
        row('k1', 'shipped', 'email', 'planned'),
        row('k2', 'shipped', 'email', 'planned'),
        row('k3', 'shipped', 'sms', 'suppressed'),
      ],
      '2026-11-21T10:00:00.000Z',
    );
    await notifications.planNotifications([row('k4', 'delivered', 'email', 'planned')], '2026-11-28T10:00:00.000Z');

    const rows = await t.storage.repositories.analytics.notificationsByMilestone(store.id, RANGE);

    expect(rows).toEqual([
      { milestone: 'shipped', channel: 'email', state: 'planned', count: 2 },
      { milestone: 'shipped', channel: 'sms', state: 'suppressed', count: 1 },
    ]);
  });
});

describeEachDatabase('attention repository', (dialect) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await createTestStorage(dialect);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('should list problem parcels oldest first and trackers in error, only of the store and within the limit', async () => {
    const store = await seedStore(t.storage);
    const other = await seedStore(t.storage);
    const r = t.storage.repositories;
    const make = async (
      owner: Store,
      number: string,
      fields: Partial<ShipmentStatusFields>,
      tracker?: 'error_carrier_auth',
    ) => {
      const order = await r.orders.insertOrder(owner.id, orderFields({ number }), '2026-11-20T00:00:00.000Z');
      const { shipment } = await r.shipments.insertShipment(
        owner.id,
        {
          orderId: order.id,
          externalId: null,
          carrier: 'ups',
          carrierConfidence: 'given',
          trackingNumber: `T-${number}`,
          service: null,
          trackerState: tracker ?? 'active',
          shippedAt: null,
          nextCheckAt: null,
        },
        '2026-11-20T00:00:00.000Z',
      );
      await r.shipments.setShipmentStatus(owner.id, shipment.id, status(fields), '2026-11-20T00:00:00.000Z');
      return shipment;
    };
    await make(store, '#1', {
      status: 'exception',
      substatus: 'customs_hold',
      exceptionAt: '2026-11-22T00:00:00.000Z',
    });
    await make(store, '#2', {
      status: 'attempt_failed',
      substatus: 'notice_left',
      lastEventAt: '2026-11-21T00:00:00.000Z',
    });
    await make(store, '#3', { status: 'delivered', substatus: 'delivered' });
    await make(store, '#4', { status: 'pending', substatus: 'registered' }, 'error_carrier_auth');
    await make(store, '#5', { status: 'failure', substatus: 'lost', lastEventAt: '2026-11-23T00:00:00.000Z' });
    await make(other, '#X', { status: 'exception', substatus: 'damaged', exceptionAt: '2026-11-01T00:00:00.000Z' });

    const problems = await r.attention.listProblemShipments(store.id, 10);
    const limited = await r.attention.listProblemShipments(store.id, 2);
    const errors = await r.attention.listTrackerErrors(store.id, 10);

    expect(problems.map((p) => [p.orderNumber, p.status, p.since])).toEqual([
      ['#2', 'attempt_failed', '2026-11-21T00:00:00.000Z'],
      ['#1', 'exception', '2026-11-22T00:00:00.000Z'],
      ['#5', 'failure', '2026-11-23T00:00:00.000Z'],
    ]);
    expect(limited.map((p) => p.orderNumber)).toEqual(['#2', '#1']);
    expect(errors.map((p) => [p.orderNumber, p.trackerState])).toEqual([['#4', 'error_carrier_auth']]);
  });
});
